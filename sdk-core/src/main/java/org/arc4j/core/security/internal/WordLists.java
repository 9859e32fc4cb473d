package org.arc4j.core.security.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Loads the word lists shipped in {@code org/arc4j/core/security}. */
public final class WordLists {
    private static final String DIR = "/org/arc4j/core/security/";

    private WordLists() {
    }

    /**
     * The common leaked passwords (John the Ripper's {@code password.lst}, see SOURCES.md), lower case.
     *
     * @return an unmodifiable set
     */
    public static Set<String> commonPasswords() {
        Set<String> out = new HashSet<>();
        for (String line : lines("common-passwords.txt")) {
            if (!line.isEmpty()) {
                out.add(line.toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(out);
    }

    /**
     * The factory-default passwords and codes (fourth column of {@code default-passwords.tsv}), lower case,
     * without the empty password.
     *
     * @return an unmodifiable set
     */
    public static Set<String> factoryDefaults() {
        Set<String> out = new HashSet<>();
        for (String line : lines("default-passwords.tsv")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length < 4) {
                throw new IllegalStateException("default-passwords.tsv: fewer than 4 columns in a data line");
            }
            if (!cols[3].equals("(blank)")) {
                out.add(cols[3].toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(out);
    }

    private static Iterable<String> lines(String name) {
        try (InputStream in = WordLists.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DIR + name);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return r.lines().map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
