package org.arc4j.gb28181.sip;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsing and rendering of {@code ;name=value} parameter lists (RFC 3261 §25.1 generic-param). */
final class Params {
    private Params() {
    }

    /**
     * A port number as SIP writes it (host:port in URIs, Via sent-by, rport).
     *
     * @param s the digits
     * @return the port 0..65535, or -1 when the text is not one
     */
    static int port(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return -1;
        }
        int p = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            p = p * 10 + (c - '0');
        }
        return p <= 65535 ? p : -1;
    }

    /** Parses {@code ;a=1;b;c="x y"} starting at {@code from}; names kept as written, looked up ignoring case. */
    static Map<String, String> parse(String s, int from) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = from;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ';' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && s.charAt(i) != ';') {
                i++;
            }
            String name = s.substring(nameStart, i).trim();
            String value = null;
            if (i < n && s.charAt(i) == '=') {
                i++;
                while (i < n && s.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && s.charAt(i) == '"') {
                    int end = s.indexOf('"', i + 1);
                    end = end < 0 ? n : end;
                    value = s.substring(i, Math.min(n, end + 1));
                    i = end + 1;
                } else {
                    int vs = i;
                    while (i < n && s.charAt(i) != ';') {
                        i++;
                    }
                    value = s.substring(vs, i).trim();
                }
            }
            if (!name.isEmpty()) {
                out.put(name, value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static String get(Map<String, String> params, String name) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static boolean has(Map<String, String> params, String name) {
        for (String k : params.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> with(Map<String, String> params, String name, String value) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean replaced = false;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                out.put(name, value);
                replaced = true;
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        if (!replaced) {
            out.put(name, value);
        }
        return Collections.unmodifiableMap(out);
    }

    static void render(Map<String, String> params, StringBuilder sb) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(';').append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
        }
    }
}
