package org.arc4j.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.time.Instant;

/**
 * Writes an {@link Instant} to a JSON generator as exactly the text of {@link Instant#toString()} (ISO-8601 in
 * UTC, seconds always present, the fraction in groups of three digits as needed), without the
 * {@code DateTimeFormatter} and its intermediate strings: record payloads carry several instants each and
 * formatting them was a visible part of the intake path. Years 1970–9999 take the fast path, any other instant
 * {@code Instant.toString()} itself. Thread-safe (a character buffer per thread). Internal to sdk-core.
 */
public final class IsoInstant {
    /** 9999-12-31T23:59:59Z. */
    private static final long MAX_FAST_SECOND = 253_402_300_799L;
    private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[32]);

    private IsoInstant() {
    }

    /**
     * Writes a field whose value is the instant's {@link Instant#toString()} text.
     *
     * @param g    the generator
     * @param name the field name
     * @param t    the instant
     * @throws IOException from the generator
     */
    public static void writeField(JsonGenerator g, String name, Instant t) throws IOException {
        g.writeFieldName(name);
        writeValue(g, t);
    }

    /**
     * {@link #writeField(JsonGenerator, String, Instant)} with a pre-encoded field name.
     *
     * @param g    the generator
     * @param name the field name
     * @param t    the instant
     * @throws IOException from the generator
     */
    public static void writeField(JsonGenerator g, SerializableString name, Instant t) throws IOException {
        g.writeFieldName(name);
        writeValue(g, t);
    }

    private static void writeValue(JsonGenerator g, Instant t) throws IOException {
        long s = t.getEpochSecond();
        if (s < 0 || s > MAX_FAST_SECOND) {
            g.writeString(t.toString());
            return;
        }
        char[] c = BUFFER.get();
        int n = format(s, t.getNano(), c);
        g.writeString(c, 0, n);
    }

    /**
     * The instant's {@link Instant#toString()} text, made without the {@code DateTimeFormatter}.
     *
     * @param t the instant
     * @return exactly {@code t.toString()}
     */
    public static String toString(Instant t) {
        long s = t.getEpochSecond();
        if (s < 0 || s > MAX_FAST_SECOND) {
            return t.toString();
        }
        char[] c = BUFFER.get();
        return new String(c, 0, format(s, t.getNano(), c));
    }

    /**
     * Formats an instant of years 1970–9999 into a buffer of at least 30 characters.
     *
     * @param epochSecond seconds since 1970-01-01T00:00:00Z, 0..253402300799
     * @param nano        the nanosecond of the second
     * @param c           the buffer
     * @return the number of characters written
     */
    static int format(long epochSecond, int nano, char[] c) {
        long days = Math.floorDiv(epochSecond, 86_400L);
        int secOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian)
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long doe = z - era * 146_097L;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        int p = 0;
        p = digits(c, p, year, 4);
        c[p++] = '-';
        p = digits(c, p, month, 2);
        c[p++] = '-';
        p = digits(c, p, day, 2);
        c[p++] = 'T';
        p = digits(c, p, secOfDay / 3600, 2);
        c[p++] = ':';
        p = digits(c, p, secOfDay / 60 % 60, 2);
        c[p++] = ':';
        p = digits(c, p, secOfDay % 60, 2);
        if (nano != 0) {
            c[p++] = '.';
            if (nano % 1_000_000 == 0) {
                p = digits(c, p, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                p = digits(c, p, nano / 1000, 6);
            } else {
                p = digits(c, p, nano, 9);
            }
        }
        c[p++] = 'Z';
        return p;
    }

    /**
     * Reads the text {@link #toString(Instant)} writes ({@code yyyy-MM-ddTHH:mm:ss[.fff|.ffffff|.fffffffff]Z},
     * years 1970–9999) without the {@code DateTimeFormatter}; any other text goes to {@link Instant#parse}, which
     * also reports what is wrong with it. The pipeline reads instants back from transitions it has just made.
     *
     * @param text an ISO-8601 instant
     * @return the instant
     * @throws java.time.format.DateTimeParseException when the text is no instant
     */
    public static Instant parse(CharSequence text) {
        int n = text.length();
        if (n != 20 && n != 24 && n != 27 && n != 30 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || text.charAt(n - 1) != 'Z' || n > 20 && text.charAt(19) != '.') {
            return Instant.parse(text);
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int frac = n == 20 ? 0 : number(text, 20, n - 21);
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || (hour | minute | second | frac) < 0 || hour > 23 || minute > 59 || second > 59) {
            return Instant.parse(text); // out of the fast range, or not an instant: the JDK decides and explains
        }
        int nano = n == 20 ? 0 : n == 24 ? frac * 1_000_000 : n == 27 ? frac * 1000 : frac;
        if (nano != 0 && (n == 27 && nano % 1_000_000 == 0 || n == 30 && nano % 1000 == 0)) {
            return Instant.parse(text); // not the shortest form: valid, but not what toString writes
        }
        // a civil date to days since 1970-01-01 (H. Hinnant's algorithm, the inverse of the one in format)
        int y = month <= 2 ? year - 1 : year;
        int era = y / 400;
        int yoe = y - era * 400;
        int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        long days = era * 146_097L + doe - 719_468L;
        return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, nano);
    }

    /** @return the decimal number of {@code width} digits at {@code from}, or -1 if one is no digit */
    private static int number(CharSequence text, int from, int width) {
        int v = 0;
        for (int i = from; i < from + width; i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static int lengthOfMonth(int year, int month) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    private static int digits(char[] c, int p, int value, int width) {
        for (int i = p + width - 1; i >= p; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return p + width;
    }
}
