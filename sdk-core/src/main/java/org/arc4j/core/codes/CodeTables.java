package org.arc4j.core.codes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.arc4j.core.event.CodeSystem;

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
