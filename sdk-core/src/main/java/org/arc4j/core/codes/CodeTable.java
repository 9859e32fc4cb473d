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

/**
 * An immutable table of event codes of one {@link CodeSystem}, loaded from a tab-separated file.
 *
 * <p>An unknown code is never an error: {@link #categoryOf(String)} answers
 * {@link Category#UNKNOWN_CODE} and the caller keeps the raw code, so a new code from a panel is never
 * dropped. Thread-safe.
 *
 * <p>File formats (UTF-8, first non-comment line a header, {@code #} starts a comment, {@code -} for
 * none):
 * <ul>
 *   <li>Contact ID: {@code code category address sia description}</li>
 *   <li>SIA: {@code code category address kind pair description}</li>
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
                    if (f.length != 5) {
                        throw new IllegalArgumentException("expected 5 columns, found " + f.length);
                    }
                    if (!f[0].matches("[0-9]{3}")) {
                        throw new IllegalArgumentException("a Contact ID code has 3 digits: " + f[0]);
                    }
                    return new CodeDefinition(system, f[0], Category.valueOf(f[1]), AddressKind.valueOf(f[2]),
                            CodeKind.ALARM, none(f[3]), f[4]);
                }
                case SIA: {
                    if (f.length != 6) {
                        throw new IllegalArgumentException("expected 6 columns, found " + f.length);
                    }
                    if (!f[0].matches("[A-Z]{2}")) {
                        throw new IllegalArgumentException("a SIA code has 2 letters: " + f[0]);
                    }
                    return new CodeDefinition(system, f[0], Category.valueOf(f[1]), AddressKind.valueOf(f[2]),
                            CodeKind.valueOf(f[3]), none(f[4]), f[5]);
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
}
