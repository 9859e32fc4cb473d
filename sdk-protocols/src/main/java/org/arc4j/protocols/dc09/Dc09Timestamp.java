package org.arc4j.protocols.dc09;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The DC-09 timestamp {@code _HH:MM:SS,MM-DD-YYYY} (DC-09 timestamp field): always UTC, month before day,
 * 20 characters including the underscore. Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class Dc09Timestamp {
    /** The one instance. */
    public static final Dc09Timestamp INSTANCE = new Dc09Timestamp();

    /** Length of the timestamp on the wire, including the leading underscore. */
    public static final int LENGTH = 20;

    private Dc09Timestamp() {
    }

    /**
     * Parses a timestamp.
     *
     * @param s      text holding it
     * @param offset where its underscore is
     * @return the instant (whole seconds), or null if the 20 characters are not a valid timestamp
     */
    public Instant parse(CharSequence s, int offset) {
        if (offset < 0 || s.length() - offset < LENGTH || s.charAt(offset) != '_'
                || s.charAt(offset + 3) != ':' || s.charAt(offset + 6) != ':' || s.charAt(offset + 9) != ','
                || s.charAt(offset + 12) != '-' || s.charAt(offset + 15) != '-') {
            return null;
        }
        int hh = digits(s, offset + 1, 2);
        int mi = digits(s, offset + 4, 2);
        int ss = digits(s, offset + 7, 2);
        int mo = digits(s, offset + 10, 2);
        int dd = digits(s, offset + 13, 2);
        int yy = digits(s, offset + 16, 4);
        if (hh < 0 || mi < 0 || ss < 0 || mo < 0 || dd < 0 || yy < 0) {
            return null;
        }
        // a field out of range (month 13, 25 o'clock, 30 February) is just an invalid timestamp
        if (mo < 1 || mo > 12 || dd < 1 || dd > monthLength(yy, mo) || hh > 23 || mi > 59 || ss > 59) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay(yy, mo, dd) * 86_400L + hh * 3600L + mi * 60L + ss);
    }

    /**
     * Writes a timestamp (sub-second parts are dropped).
     *
     * @param at  the instant
     * @param out where to append the 20 characters
     * @return {@code out}
     */
    public StringBuilder format(Instant at, StringBuilder out) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        out.append('_');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond()).append(',');
        two(out, t.getMonthValue()).append('-');
        two(out, t.getDayOfMonth()).append('-');
        int y = t.getYear();
        if (y < 0 || y > 9999) {
            throw new IllegalArgumentException("year out of DC-09 range: " + y);
        }
        out.append((char) ('0' + y / 1000)).append((char) ('0' + y / 100 % 10))
                .append((char) ('0' + y / 10 % 10)).append((char) ('0' + y % 10));
        return out;
    }

    /**
     * Writes a timestamp.
     *
     * @param at the instant
     * @return the 20 characters
     */
    public String format(Instant at) {
        return format(at, new StringBuilder(LENGTH)).toString();
    }

    private static int monthLength(int y, int m) {
        if (m == 2) {
            return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
        }
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse, by eras of 400 years). */
    private static long epochDay(int year, int m, int d) {
        long y = m <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static StringBuilder two(StringBuilder out, int v) {
        return out.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static int digits(CharSequence s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
