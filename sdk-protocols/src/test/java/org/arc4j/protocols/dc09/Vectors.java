package org.arc4j.protocols.dc09;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the DC-09 vector files of {@code src/test/resources/vectors/dc09} (format in their README.txt). */
final class Vectors {
    private Vectors() {
    }

    /** One vector line. */
    record Vector(String file, int lineNo, byte[] message, String key, Map<String, String> expected, String source) {
        String get(String k) {
            return expected.get(k);
        }

        boolean has(String k) {
            return expected.containsKey(k);
        }

        @Override
        public String toString() {
            return file + ":" + lineNo + " " + source;
        }
    }

    static List<Vector> load(String file) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/dc09/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Vector> out = new ArrayList<>();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                int keyCol = file.equals("contactid.tsv") ? 2 : 1;
                out.add(new Vector(file, i + 1, unescape(f[0]), f[keyCol], fields(f[keyCol + 1]), f[keyCol + 2]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The expected-fields column: {@code k=v;k=v}; a value may hold '=' (never ';'). */
    static Map<String, String> fields(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : s.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq).trim(), part.substring(eq + 1));
            }
        }
        return m;
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'n') {
                    out.write(0x0A);
                    i++;
                    continue;
                }
                if (n == 'r') {
                    out.write(0x0D);
                    i++;
                    continue;
                }
                if (n == 'x' && i + 3 < s.length()) {
                    out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                    i += 3;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    /** Adds LF and CR around a vector that lacks them (the pysiaalarm lines carry no framing). */
    static byte[] framed(byte[] m) {
        int start = m.length > 0 && m[0] == 0x0A ? 1 : 0;
        int end = m.length > 0 && m[m.length - 1] == 0x0D ? m.length - 1 : m.length;
        byte[] out = new byte[end - start + 2];
        out[0] = 0x0A;
        System.arraycopy(m, start, out, 1, end - start);
        out[out.length - 1] = 0x0D;
        return out;
    }
}
