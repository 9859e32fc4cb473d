package org.arc4j.core.codes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;

/**
 * An immutable table of event codes of one {@link CodeSystem}, loaded from a tab-separated file.
 *
 * <p>An unknown code is never an error: {@link #categoryOf(String)} answers
 * {@link Category#UNKNOWN_CODE} and the caller keeps the raw code, so a new code from a panel is never
 * dropped. Thread-safe.
 *
 * <p>File formats (UTF-8, first non-comment line a header, {@code #} starts a comment, {@code -} for
 * none); the {@code role} column ({@link CodeRole}) may be left out, and then no code has a role:
 * <ul>
 *   <li>Contact ID: {@code code category address sia [role] description}</li>
 *   <li>SIA: {@code code category address kind pair [role] description}</li>
 * </ul>
 */
public final class CodeTable {
    private final CodeSystem system;
    private final Map<String, CodeDefinition> byCode;

    private CodeTable(CodeSystem system, Map<String, CodeDefinition> byCode) {
        this.system = system;
        this.byCode = Collections.unmodifiableMap(byCode);
    }

    /**
     * Loads a table from its TSV form.
     *
     * @param system the code system ({@link CodeSystem#CONTACT_ID} or {@link CodeSystem#SIA})
     * @param in     the file's bytes; read fully but not closed
     * @return the table
     * @throws IllegalArgumentException naming the line, for a malformed or duplicate entry
     */
    public static CodeTable load(CodeSystem system, InputStream in) {
        Objects.requireNonNull(system, "system");
        Map<String, CodeDefinition> map = new LinkedHashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean header = true;
        int lineNo = 0;
        try {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                CodeDefinition d = parse(system, line, lineNo);
                if (map.putIfAbsent(d.code(), d) != null) {
                    throw new IllegalArgumentException("line " + lineNo + ": duplicate code " + d.code());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CodeTable(system, map);
    }

    private static CodeDefinition parse(CodeSystem system, String line, int lineNo) {
        String[] f = line.split("\t", -1);
        try {
            switch (system) {
                case CONTACT_ID: {
                    if (f.length != 5 && f.length != 6) {
                        throw new IllegalArgumentException("expected 5 or 6 columns, found " + f.length);
                    }
                    if (!f[0].matches("[0-9]{3}")) {
                        throw new IllegalArgumentException("a Contact ID code has 3 digits: " + f[0]);
                    }
                    return new CodeDefinition(system, f[0], Category.valueOf(f[1]), AddressKind.valueOf(f[2]),
                            CodeKind.ALARM, none(f[3]), f[f.length - 1],
                            f.length == 6 ? parseRole(f[4]) : CodeRole.NONE);
                }
                case SIA: {
                    if (f.length != 6 && f.length != 7) {
                        throw new IllegalArgumentException("expected 6 or 7 columns, found " + f.length);
                    }
                    if (!f[0].matches("[A-Z]{2}")) {
                        throw new IllegalArgumentException("a SIA code has 2 letters: " + f[0]);
                    }
                    return new CodeDefinition(system, f[0], Category.valueOf(f[1]), AddressKind.valueOf(f[2]),
                            CodeKind.valueOf(f[3]), none(f[4]), f[f.length - 1],
                            f.length == 7 ? parseRole(f[5]) : CodeRole.NONE);
                }
                default:
                    throw new IllegalArgumentException("no TSV format for " + system);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage(), e);
        }
    }

    private static String none(String s) {
        return s.equals("-") ? null : s;
    }

    private static CodeRole parseRole(String s) {
        return s.equals("-") ? CodeRole.NONE : CodeRole.valueOf(s);
    }

    /** @return the code system of this table */
    public CodeSystem system() {
        return system;
    }

    /** @return the number of codes */
    public int size() {
        return byCode.size();
    }

    /** @return every definition in file order */
    public Collection<CodeDefinition> all() {
        return byCode.values();
    }

    /**
     * Looks a code up; SIA codes are matched without regard to case.
     *
     * @param code the code as received
     * @return its definition, or empty for an unknown code
     */
    public Optional<CodeDefinition> find(String code) {
        if (code == null) {
            return Optional.empty();
        }
        CodeDefinition d = byCode.get(code);
        if (d == null && system == CodeSystem.SIA) {
            d = byCode.get(code.toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(d);
    }

    /**
     * The category of a code.
     *
     * @param code the code as received
     * @return its category, or {@link Category#UNKNOWN_CODE} if the table does not know it
     */
    public Category categoryOf(String code) {
        return find(code).map(CodeDefinition::category).orElse(Category.UNKNOWN_CODE);
    }

    /**
     * Whether a code restores (ends) an alarm code of this table: for SIA, when the alarm names the restore
     * as its pair or the restore names the alarm (DC-03 restorals such as {@code BR} follow several
     * alarms); for Contact ID, a restore is the same code sent with qualifier 3, so the codes are equal.
     *
     * @param alarm   the alarm code
     * @param restore the candidate restore code
     * @return true if {@code restore} ends {@code alarm}
     */
    public boolean restores(String alarm, String restore) {
        if (system == CodeSystem.CONTACT_ID) {
            return alarm != null && alarm.equals(restore);
        }
        Optional<CodeDefinition> a = find(alarm);
        Optional<CodeDefinition> r = find(restore);
        if (a.isEmpty() || r.isEmpty() || r.get().kind() != CodeKind.RESTORE) {
            return false;
        }
        return r.get().code().equals(a.get().pair()) || a.get().code().equals(r.get().pair());
    }

    /**
     * The code that restores (or, for an opening, closes) the given one, within this table.
     *
     * @param code an alarm code
     * @return the paired code, if the table has one
     */
    public Optional<String> pairOf(String code) {
        return system == CodeSystem.SIA ? find(code).map(CodeDefinition::pair) : Optional.empty();
    }

    /**
     * The role of a code (see {@link CodeRole}).
     *
     * @param code the code as received
     * @return its role; {@link CodeRole#NONE} for an unknown code or a table without the role column
     */
    public CodeRole role(String code) {
        return find(code).map(CodeDefinition::role).orElse(CodeRole.NONE);
    }

    /**
     * Whether an open/close event arms or disarms: for SIA by the code's role ({@code CL} closes, {@code OP}
     * opens, {@code CI} "failed to close" does neither); for Contact ID by DC-05's qualifier, 3 closing and any
     * other opening, for every code of category {@link Category#OPEN_CLOSE}.
     *
     * @param code      the code as received
     * @param qualifier the event's qualifier (used for Contact ID only), may be null
     * @return {@link CodeRole#CLOSING}, {@link CodeRole#OPENING}, or {@link CodeRole#NONE} for a code that
     *         changes no arming state
     */
    public CodeRole armingOf(String code, Qualifier qualifier) {
        if (system == CodeSystem.CONTACT_ID) {
            if (categoryOf(code) != Category.OPEN_CLOSE) {
                return CodeRole.NONE;
            }
            return qualifier == Qualifier.RESTORE ? CodeRole.CLOSING : CodeRole.OPENING;
        }
        CodeRole r = role(code);
        return r == CodeRole.CLOSING || r == CodeRole.OPENING ? r : CodeRole.NONE;
    }

    /**
     * Whether a code reports a battery-low trouble (its role is {@link CodeRole#LOW_BATTERY}).
     *
     * @param code the code as received
     * @return true for a low-battery code
     */
    public boolean isLowBattery(String code) {
        return role(code) == CodeRole.LOW_BATTERY;
    }

    /**
     * Whether a code reports a test (category {@link Category#TEST}: periodic, manual and walk tests).
     *
     * @param code the code as received
     * @return true for a test code
     */
    public boolean isTest(String code) {
        return categoryOf(code) == Category.TEST;
    }

    /**
     * The alarm code a restore ends, within this table: for SIA the restore's pair (DC-03 restorals such as
     * {@code BR} name the alarm they usually follow); for Contact ID the same code, since qualifier 3 marks the
     * restore.
     *
     * @param restore a restore code
     * @return the alarm code; the code itself when the table knows no pair
     */
    public String alarmOf(String restore) {
        if (system != CodeSystem.SIA) {
            return restore;
        }
        return find(restore).filter(d -> d.kind() == CodeKind.RESTORE).map(CodeDefinition::pair).orElse(restore);
    }
}
