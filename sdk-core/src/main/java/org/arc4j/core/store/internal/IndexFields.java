package org.arc4j.core.store.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the few top-level fields the query index needs from a record's JSON payload, straight from its UTF-8
 * bytes: an event's {@code account}, {@code category} and {@code id}; a case transition's {@code state},
 * {@code police} and {@code events}. Nested objects and arrays that are not wanted are skipped without building
 * anything, so indexing a record costs a pass over its bytes and a few small strings instead of a parser and a
 * tree (the tree parse was about half of the journal's CPU under load).
 *
 * <p>Meaning as before, field for field: a value of another JSON type than the one wanted is ignored; a later
 * duplicate field wins; {@code police} counts when it is {@code true}, the text {@code "true"} or a non-zero
 * number. A payload that is not well-formed JSON yields what was read before the fault for events, and nothing for
 * transitions (what follows the object is not read, as a tree parser does not by default). Stateless and thread-safe.
 */
final class IndexFields {
    /** An event's indexed fields; null when absent or of another type. */
    record Event(String account, String category, String id) {
    }

    /** A transition's indexed fields. */
    record Transition(String state, boolean police, List<String> events) {
    }

    /** Malformed JSON. */
    private static final class Fault extends Exception {
        private static final long serialVersionUID = 1L;

        Fault() {
            super(null, null, false, false);
        }
    }

    private final byte[] b;
    private int i;

    private IndexFields(byte[] b) {
        this.b = b;
    }

    /**
     * @param json an event's payload
     * @return its account, category and id as far as the payload has them
     */
    static Event event(byte[] json) {
        IndexFields p = new IndexFields(json);
        String account = null;
        String category = null;
        String id = null;
        try {
            if (!p.openObject()) {
                return new Event(null, null, null);
            }
            while (p.nextField()) {
                String name = p.string();
                p.colon();
                int want = switch (name) {
                    case "account" -> 1;
                    case "category" -> 2;
                    case "id" -> 3;
                    default -> 0;
                };
                if (want != 0 && p.peek() == '"') {
                    String v = p.string();
                    if (want == 1) {
                        account = v;
                    } else if (want == 2) {
                        category = v;
                    } else {
                        id = v;
                    }
                } else {
                    p.skipValue();
                }
            }
        } catch (Fault | RuntimeException malformed) {
            // kept as far as read: the payload is the writer's business
        }
        return new Event(account, category, id);
    }

    /**
     * @param json a case transition's payload
     * @return its state, police flag and event ids, or null when the payload is not a JSON object
     */
    static Transition transition(byte[] json) {
        IndexFields p = new IndexFields(json);
        String state = null;
        boolean police = false;
        List<String> events = List.of();
        try {
            if (!p.openObject()) {
                return null;
            }
            while (p.nextField()) {
                String name = p.string();
                p.colon();
                switch (name) {
                    case "state" -> {
                        if (p.peek() == '"') {
                            state = p.string();
                        } else {
                            state = null;
                            p.skipValue();
                        }
                    }
                    case "police" -> police = p.truthy();
                    case "events" -> events = p.strings();
                    default -> p.skipValue();
                }
            }
        } catch (Fault | RuntimeException malformed) {
            return null;
        }
        return new Transition(state, police, events);
    }

    // ------------------------------------------------------------------ scanning

    private void ws() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
    }

    private int peek() throws Fault {
        ws();
        if (i >= b.length) {
            throw new Fault();
        }
        return b[i];
    }

    private boolean openObject() throws Fault {
        ws();
        if (i < b.length && b[i] == '{') {
            i++;
            return true;
        }
        return false;
    }

    /** Before a field name: true if one follows (after a comma when not the first), false at the closing brace. */
    private boolean first = true;

    private boolean nextField() throws Fault {
        int c = peek();
        if (c == '}') {
            i++;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw new Fault();
            }
            i++;
            c = peek();
        }
        first = false;
        if (c != '"') {
            throw new Fault();
        }
        return true;
    }

    private void colon() throws Fault {
        if (peek() != ':') {
            throw new Fault();
        }
        i++;
    }

    /** Reads a string at the cursor (which is at its opening quote). */
    private String string() throws Fault {
        if (peek() != '"') {
            throw new Fault();
        }
        int start = ++i;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                return new String(b, start, i++ - start, StandardCharsets.UTF_8);
            }
            if (c == '\\') {
                return escaped(start);
            }
            if ((c & 0xFF) < 0x20) {
                throw new Fault();
            }
            i++;
        }
        throw new Fault();
    }

    /** The rest of a string with escapes, from its first byte at {@code start}. */
    private String escaped(int start) throws Fault {
        StringBuilder s = new StringBuilder(new String(b, start, i - start, StandardCharsets.UTF_8));
        int run = i;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                s.append(new String(b, run, i - run, StandardCharsets.UTF_8));
                i++;
                return s.toString();
            }
            if ((c & 0xFF) < 0x20) {
                throw new Fault();
            }
            if (c != '\\') {
                i++;
                continue;
            }
            s.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            if (i + 1 >= b.length) {
                throw new Fault();
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case '"' -> s.append('"');
                case '\\' -> s.append('\\');
                case '/' -> s.append('/');
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (i + 4 > b.length) {
                        throw new Fault();
                    }
                    int v = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(b[i + k], 16);
                        if (d < 0) {
                            throw new Fault();
                        }
                        v = v << 4 | d;
                    }
                    i += 4;
                    s.append((char) v);
                }
                default -> throw new Fault();
            }
            run = i;
        }
        throw new Fault();
    }

    /** Skips one value of any type, nested ones included. */
    private void skipValue() throws Fault {
        int c = peek();
        if (c == '"') {
            skipString();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            while (i < b.length) {
                byte x = b[i];
                if (x == '"') {
                    skipString();
                    continue;
                }
                if (x == '{' || x == '[') {
                    depth++;
                } else if (x == '}' || x == ']') {
                    depth--;
                    if (depth == 0) {
                        i++;
                        return;
                    }
                }
                i++;
            }
            throw new Fault();
        } else {
            scalar();
        }
    }

    private void skipString() throws Fault {
        i++;
        while (i < b.length) {
            byte c = b[i];
            if (c == '"') {
                i++;
                return;
            }
            i += c == '\\' ? 2 : 1;
        }
        throw new Fault();
    }

    /** Reads a number or literal and returns its text. */
    private String scalar() throws Fault {
        int start = i;
        while (i < b.length) {
            byte c = b[i];
            if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                break;
            }
            i++;
        }
        if (i == start) {
            throw new Fault();
        }
        String t = new String(b, start, i - start, StandardCharsets.US_ASCII);
        if (!t.equals("true") && !t.equals("false") && !t.equals("null") && !isNumber(t)) {
            throw new Fault();
        }
        return t;
    }

    private static boolean isNumber(String t) {
        int k = t.charAt(0) == '-' ? 1 : 0;
        if (k >= t.length() || !Character.isDigit(t.charAt(k))) {
            return false;
        }
        for (; k < t.length(); k++) {
            char c = t.charAt(k);
            if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** A value read as a flag: true, "true", or a non-zero integer. */
    private boolean truthy() throws Fault {
        int c = peek();
        if (c == '"') {
            return string().trim().equals("true");
        }
        if (c == '{' || c == '[') {
            skipValue();
            return false;
        }
        String t = scalar();
        if (t.equals("true")) {
            return true;
        }
        if (t.equals("false") || t.equals("null")) {
            return false;
        }
        try {
            return Long.parseLong(t) != 0;
        } catch (NumberFormatException notAnInteger) {
            return (long) Double.parseDouble(t) != 0;
        }
    }

    /** The string elements of an array (or of an object's values); other elements and other values are skipped. */
    private List<String> strings() throws Fault {
        int c = peek();
        if (c != '[' && c != '{') {
            skipValue();
            return List.of();
        }
        boolean object = c == '{';
        char close = object ? '}' : ']';
        i++;
        List<String> out = new ArrayList<>(2);
        boolean firstElement = true;
        while (true) {
            int x = peek();
            if (x == close) {
                i++;
                return out;
            }
            if (!firstElement) {
                if (x != ',') {
                    throw new Fault();
                }
                i++;
            }
            firstElement = false;
            if (object) {
                string();
                colon();
            }
            if (peek() == '"') {
                out.add(string());
            } else {
                skipValue();
            }
        }
    }
}
