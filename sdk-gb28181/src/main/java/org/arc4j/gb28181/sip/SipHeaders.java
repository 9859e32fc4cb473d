package org.arc4j.gb28181.sip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The header fields of a SIP message in the order received (RFC 3261 §7.3), immutable.
 *
 * <p>Names compare case-insensitively and the compact forms of RFC 3261 §7.3.3 (and RFC 3265 for
 * {@code o}/{@code u}) are expanded on entry, so {@code get("Call-ID")} finds a header written {@code i:} or
 * {@code call-id:}. A header may appear several times; {@link #all} returns each field line's value and
 * {@link #values} also splits comma-separated lists (RFC 3261 §7.3.1) for the headers whose grammar is a list.
 *
 * <p>Thread-safe (immutable). Build one with {@link #builder()}.
 */
public final class SipHeaders implements Iterable<SipHeaders.Field> {
    private static final SipHeaders EMPTY = new SipHeaders(new String[0], new String[0]);

    private static final Map<String, String> CANONICAL = Map.ofEntries(
            Map.entry("i", "Call-ID"), Map.entry("call-id", "Call-ID"),
            Map.entry("m", "Contact"), Map.entry("contact", "Contact"),
            Map.entry("e", "Content-Encoding"), Map.entry("content-encoding", "Content-Encoding"),
            Map.entry("l", "Content-Length"), Map.entry("content-length", "Content-Length"),
            Map.entry("c", "Content-Type"), Map.entry("content-type", "Content-Type"),
            Map.entry("f", "From"), Map.entry("from", "From"),
            Map.entry("s", "Subject"), Map.entry("subject", "Subject"),
            Map.entry("k", "Supported"), Map.entry("supported", "Supported"),
            Map.entry("t", "To"), Map.entry("to", "To"),
            Map.entry("v", "Via"), Map.entry("via", "Via"),
            Map.entry("o", "Event"), Map.entry("event", "Event"),
            Map.entry("u", "Allow-Events"), Map.entry("allow-events", "Allow-Events"),
            Map.entry("r", "Refer-To"), Map.entry("refer-to", "Refer-To"),
            Map.entry("cseq", "CSeq"), Map.entry("max-forwards", "Max-Forwards"),
            Map.entry("expires", "Expires"), Map.entry("date", "Date"),
            Map.entry("user-agent", "User-Agent"), Map.entry("www-authenticate", "WWW-Authenticate"),
            Map.entry("authorization", "Authorization"), Map.entry("route", "Route"),
            Map.entry("record-route", "Record-Route"), Map.entry("allow", "Allow"),
            Map.entry("subscription-state", "Subscription-State"),
            Map.entry("proxy-authenticate", "Proxy-Authenticate"),
            Map.entry("proxy-authorization", "Proxy-Authorization"),
            Map.entry("x-gb-ver", "X-GB-Ver"), Map.entry("server", "Server"));

    /** Headers whose grammar is a comma-separated list (RFC 3261 §7.3.1, §20). */
    private static final List<String> LIST_HEADERS = List.of("Via", "Contact", "Route", "Record-Route", "Allow",
            "Supported", "Require", "Allow-Events", "Accept", "Accept-Encoding", "Accept-Language",
            "Content-Encoding", "Proxy-Require", "Unsupported");

    private final String[] names;
    private final String[] values;

    private SipHeaders(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** @return headers without any field */
    public static SipHeaders empty() {
        return EMPTY;
    }

    /** @return a new, empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these headers, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.names.addAll(Arrays.asList(names));
        b.values.addAll(Arrays.asList(values));
        return b;
    }

    /**
     * The canonical spelling of a header name: compact forms expanded, known names in their RFC spelling,
     * unknown names as given.
     *
     * @param name a header name as written on the wire
     * @return the canonical name
     */
    public static String canonicalName(String name) {
        String known = EXACT.get(name); // the usual spellings, without allocating a lower-case copy
        if (known != null) {
            return known;
        }
        known = CANONICAL.get(name.toLowerCase(Locale.ROOT));
        return known != null ? known : name;
    }

    private static final Map<String, String> EXACT = exact();

    private static Map<String, String> exact() {
        Map<String, String> m = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : CANONICAL.entrySet()) {
            m.put(e.getKey(), e.getValue());
            m.put(e.getValue(), e.getValue());
            m.put(e.getValue().toUpperCase(Locale.ROOT), e.getValue());
        }
        return Map.copyOf(m);
    }

    /**
     * The first element of a list-valued header without splitting the rest (the top Via).
     *
     * @param name the header name
     * @return the first element, or null when absent
     */
    public String firstValue(String name) {
        String line = get(name);
        if (line == null) {
            return null;
        }
        if (!isList(canonicalName(name))) {
            return line;
        }
        int comma = nextSeparator(line, 0);
        return comma < 0 ? line : line.substring(0, comma).trim();
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, any case or compact form
     * @return the value of its first field line, or null if absent
     */
    public String get(String name) {
        String c = canonicalName(name);
        for (int i = 0; i < names.length; i++) {
            if (names[i] == c || names[i].equalsIgnoreCase(c)) {
                return values[i];
            }
        }
        return null;
    }

    /**
     * Each field line's value of a header, in order.
     *
     * @param name the header name
     * @return the values, empty if absent
     */
    public List<String> all(String name) {
        String c = canonicalName(name);
        List<String> out = null;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(c)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(values[i]);
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /**
     * The values of a header, with comma-separated lists split into their elements for list-valued headers
     * (Via, Contact, Route, …); commas inside quotes or angle brackets do not split.
     *
     * @param name the header name
     * @return the values in order, empty if absent
     */
    public List<String> values(String name) {
        String c = canonicalName(name);
        List<String> lines = all(c);
        if (!isList(c)) {
            return lines;
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            splitList(line, out);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Whether the header is present.
     *
     * @param name the header name
     * @return true if at least one field line has that name
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /** @return the number of field lines */
    public int size() {
        return names.length;
    }

    /**
     * @param index the field line index
     * @return its canonical name
     */
    public String name(int index) {
        return names[index];
    }

    /**
     * @param index the field line index
     * @return its value
     */
    public String value(int index) {
        return values[index];
    }

    private static boolean isList(String canonical) {
        for (String l : LIST_HEADERS) {
            if (l.equalsIgnoreCase(canonical)) {
                return true;
            }
        }
        return false;
    }

    static void splitList(String line, List<String> out) {
        int start = 0;
        for (int comma; (comma = nextSeparator(line, start)) >= 0; start = comma + 1) {
            addTrimmed(line, start, comma, out);
        }
        addTrimmed(line, start, line.length(), out);
    }

    /**
     * The next comma that separates list elements: outside quoted strings (with their backslash escapes) and
     * outside angle brackets, where URIs may hold commas of their own.
     */
    private static int nextSeparator(String line, int from) {
        int angle = 0;
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == '<') {
                angle++;
            } else if (ch == '>') {
                angle = Math.max(0, angle - 1);
            } else if (ch == ',' && angle == 0) {
                return i;
            }
        }
        return -1;
    }

    private static void addTrimmed(String s, int from, int to, List<String> out) {
        String v = s.substring(from, to).trim();
        if (!v.isEmpty()) {
            out.add(v);
        }
    }

    @Override
    public Iterator<Field> iterator() {
        List<Field> fields = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            fields.add(new Field(names[i], values[i]));
        }
        return fields.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipHeaders && Arrays.equals(names, ((SipHeaders) o).names)
                && Arrays.equals(values, ((SipHeaders) o).values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(names[i]).append(": ").append(values[i]).append('\n');
        }
        return sb.toString();
    }

    /**
     * One header field line.
     *
     * @param name  its canonical name
     * @param value its value, without surrounding whitespace
     */
    public record Field(String name, String value) {
        /** Validates both parts. */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Builds {@link SipHeaders}. Not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends a field line.
         *
         * @param name  the name (compact forms are expanded)
         * @param value the value
         * @return this
         */
        public Builder add(String name, String value) {
            names.add(canonicalName(Objects.requireNonNull(name, "name")));
            values.add(Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Replaces every field line of a name with one line (at the place of the first, else at the end).
         *
         * @param name  the name
         * @param value the value
         * @return this
         */
        public Builder set(String name, String value) {
            String c = canonicalName(name);
            int at = -1;
            for (int i = names.size() - 1; i >= 0; i--) {
                if (names.get(i).equalsIgnoreCase(c)) {
                    names.remove(i);
                    values.remove(i);
                    at = i;
                }
            }
            if (at < 0) {
                return add(c, value);
            }
            names.add(at, c);
            values.add(at, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Puts a field line before all others (a new top Via, RFC 3261 §8.1.1.7).
         *
         * @param name  the name
         * @param value the value
         * @return this
         */
        public Builder addFirst(String name, String value) {
            names.add(0, canonicalName(name));
            values.add(0, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Removes every field line of a name.
         *
         * @param name the name
         * @return this
         */
        public Builder remove(String name) {
            String c = canonicalName(name);
            for (int i = names.size() - 1; i >= 0; i--) {
                if (names.get(i).equalsIgnoreCase(c)) {
                    names.remove(i);
                    values.remove(i);
                }
            }
            return this;
        }

        /** @return the headers */
        public SipHeaders build() {
            return new SipHeaders(names.toArray(new String[0]), values.toArray(new String[0]));
        }
    }
}
