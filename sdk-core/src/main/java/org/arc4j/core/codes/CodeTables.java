package org.arc4j.core.codes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;

/**
 * The code tables arc4j ships: the Ademco Contact ID (SIA DC-05) event codes and the SIA DC-03 two-letter
 * codes, loaded once from {@code contact-id-codes.tsv} and {@code sia-codes.tsv} beside this class (their
 * sources are listed in {@code SOURCES.md}). Thread-safe; tables are loaded lazily on first use.
 */
public final class CodeTables {
    private CodeTables() {
    }

    private static final class ContactId {
        static final CodeTable TABLE = load(CodeSystem.CONTACT_ID, "contact-id-codes.tsv");
    }

    private static final class Sia {
        static final CodeTable TABLE = load(CodeSystem.SIA, "sia-codes.tsv");
    }

    /** @return the Contact ID table */
    public static CodeTable contactId() {
        return ContactId.TABLE;
    }

    /** @return the SIA DC-03 table */
    public static CodeTable sia() {
        return Sia.TABLE;
    }

    /**
     * The shipped table for a code system.
     *
     * @param system {@link CodeSystem#CONTACT_ID} or {@link CodeSystem#SIA}
     * @return the table
     * @throws IllegalArgumentException for a system without a shipped table
     */
    public static CodeTable of(CodeSystem system) {
        switch (system) {
            case CONTACT_ID: return contactId();
            case SIA: return sia();
            default: throw new IllegalArgumentException("no shipped code table for " + system);
        }
    }

    /**
     * Whether an open/close event arms or disarms a site (GA 1383 布撤防), by the shipped tables: SIA by the
     * code's role, Contact ID by its qualifier (see {@link CodeTable#armingOf}). The systems without a shipped
     * table (the Ademco legacy formats) report an opening or closing as Contact ID does, qualifier 3 for a
     * closing, so for them any code is an opening or a closing: ask only about events of category
     * {@code OPEN_CLOSE}.
     *
     * @param system    the event's code system
     * @param code      its code
     * @param qualifier its qualifier, may be null
     * @return {@link CodeRole#CLOSING}, {@link CodeRole#OPENING} or {@link CodeRole#NONE}
     */
    public static CodeRole armingOf(CodeSystem system, String code, Qualifier qualifier) {
        switch (system) {
            case CONTACT_ID:
            case SIA:
                return of(system).armingOf(code, qualifier);
            default:
                return qualifier == Qualifier.RESTORE ? CodeRole.CLOSING : CodeRole.OPENING;
        }
    }

    /**
     * Whether a code reports a battery-low trouble, by the shipped tables' role column.
     *
     * @param system the code system
     * @param code   the code
     * @return true for a low-battery code; false for a system without a shipped table
     */
    public static boolean isLowBattery(CodeSystem system, String code) {
        return hasTable(system) && of(system).isLowBattery(code);
    }

    /**
     * Whether a code reports a test (periodic, manual or walk test), by the shipped tables' categories.
     *
     * @param system the code system
     * @param code   the code
     * @return true for a test code; false for a system without a shipped table
     */
    public static boolean isTest(CodeSystem system, String code) {
        return hasTable(system) && of(system).isTest(code);
    }

    private static boolean hasTable(CodeSystem system) {
        return system == CodeSystem.CONTACT_ID || system == CodeSystem.SIA;
    }

    private static CodeTable load(CodeSystem system, String resource) {
        try (InputStream in = CodeTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return CodeTable.load(system, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
