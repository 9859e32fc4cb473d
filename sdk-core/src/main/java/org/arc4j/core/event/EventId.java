package org.arc4j.core.event;

import java.time.Instant;

/**
 * The identity of an {@link AlarmEvent}, assigned at intake: a ULID (48-bit millisecond timestamp followed
 * by 80 bits of randomness), so that ids sort by the time they were assigned and can be made on several
 * nodes without coordination. Its text form is the 26-character Crockford base-32 ULID, e.g.
 * {@code 01JDQ5Z3K8M4T6W2Y9A0B1C2D3}.
 *
 * <p>Immutable and thread-safe. Ordering ({@link #compareTo}) is the unsigned order of the 128 bits, which
 * is also the order of the text forms.
 */
public final class EventId implements Comparable<EventId> {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final byte[] DECODE = new byte[128];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
        }
        // Crockford's aliases
        DECODE['O'] = 0;
        DECODE['o'] = 0;
        DECODE['I'] = 1;
        DECODE['i'] = 1;
        DECODE['L'] = 1;
        DECODE['l'] = 1;
    }

    private final long msb;
    private final long lsb;
    /**
     * The text form, made on first use: an id is written as text several times on the way from the intake to a
     * case (its EVENT record, the idempotency record, the case id, the case's first transition). A race makes
     * the same string twice, which is harmless, as with {@code String.hashCode}.
     */
    private String text;

    private EventId(long msb, long lsb) {
        this.msb = msb;
        this.lsb = lsb;
    }

    /**
     * An id from its two 64-bit halves.
     *
     * @param msb the high 64 bits (48-bit time, then 16 random bits)
     * @param lsb the low 64 bits (random)
     * @return the id
     */
    public static EventId of(long msb, long lsb) {
        return new EventId(msb, lsb);
    }

    /**
     * Parses the 26-character ULID text form (case-insensitive).
     *
     * @param text the ULID
     * @return the id
     * @throws IllegalArgumentException if the text is not a ULID
     */
    public static EventId parse(CharSequence text) {
        if (text.length() != 26) {
            throw new IllegalArgumentException("a ULID has 26 characters, got " + text.length());
        }
        int first = value(text, 0);
        if (first > 7) {
            throw new IllegalArgumentException("ULID out of range: " + text);
        }
        long hi = 0;
        long lo = first;
        // 26 chars × 5 bits = 130 bits; the first char carries 3 bits.
        for (int i = 1; i < 26; i++) {
            int v = value(text, i);
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | v;
        }
        return new EventId(hi, lo);
    }

    private static int value(CharSequence text, int i) {
        char c = text.charAt(i);
        int v = c < 128 ? DECODE[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("not a Crockford base-32 character at " + i + ": " + text);
        }
        return v;
    }

    /**
     * The time part: when the id was assigned, to the millisecond.
     *
     * @return the instant
     */
    public Instant timestamp() {
        return Instant.ofEpochMilli(msb >>> 16);
    }

    /** @return the high 64 bits */
    public long msb() {
        return msb;
    }

    /** @return the low 64 bits */
    public long lsb() {
        return lsb;
    }

    @Override
    public int compareTo(EventId o) {
        int c = Long.compareUnsigned(msb, o.msb);
        return c != 0 ? c : Long.compareUnsigned(lsb, o.lsb);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventId && ((EventId) o).msb == msb && ((EventId) o).lsb == lsb;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msb) * 31 + Long.hashCode(lsb);
    }

    /** @return the 26-character ULID text */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = format();
            text = t;
        }
        return t;
    }

    private String format() {
        char[] out = new char[26];
        long hi = msb;
        long lo = lsb;
        for (int i = 25; i >= 1; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | (hi << 59);
            hi >>>= 5;
        }
        out[0] = ALPHABET[(int) (lo & 7)];
        return new String(out);
    }
}
