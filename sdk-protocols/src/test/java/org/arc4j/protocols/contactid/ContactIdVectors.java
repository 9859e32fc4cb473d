package org.arc4j.protocols.contactid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The published Contact ID vectors ({@code vectors/contactid/contactid.tsv}). */
public final class ContactIdVectors {
    private ContactIdVectors() {
    }

    /**
     * One vector.
     *
     * @param digits the message in hex notation
     * @param dtmf   the message as DTMF keys
     * @param fields the expected fields
     * @param source where it comes from
     */
    public record Vector(String digits, String dtmf, Map<String, String> fields, String source) {
        @Override
        public String toString() {
            return digits;
        }
    }

    /** @return every vector in file order */
    public static List<Vector> all() {
        List<Vector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ContactIdVectors.class.getResourceAsStream("/vectors/contactid/contactid.tsv"),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Map<String, String> fields = new LinkedHashMap<>();
                for (String kv : f[3].split(";")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        fields.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
                out.add(new Vector(f[0], f[1], fields, f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
