package org.arc4j.core.internal;

import java.time.Duration;

/**
 * Reads the text {@link Duration#toString()} writes for a non-negative duration ({@code PT[nH][nM][n[.f]S]},
 * e.g. {@code PT4S}, {@code PT2M}, {@code PT1H0.5S}) without {@link Duration#parse}'s regular expression: the
 * pipeline reads limits and measured times back from every SLA transition it has just made, and the regular
 * expression was most of that cost. Any other text (negative, days, signs, a comma) goes to
 * {@link Duration#parse}, which also reports what is wrong. Thread-safe (stateless). Internal to sdk-core.
 */
public final class IsoDuration {
    private IsoDuration() {
    }

    /**
     * @param text an ISO-8601 duration
     * @return the duration, equal to {@code Duration.parse(text)}
     * @throws java.time.format.DateTimeParseException when the text is no duration
     */
    public static Duration parse(CharSequence text) {
        int n = text.length();
        if (n < 4 || n > 40 || text.charAt(0) != 'P' || text.charAt(1) != 'T') {
            return Duration.parse(text);
        }
        long seconds = 0;
        int nanos = 0;
        int i = 2;
        int lastUnit = 0; // H = 1, M = 2, S = 3: each at most once and in this order
        while (i < n) {
            int start = i;
            long v = 0;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                if (i - start >= 15) {
                    return Duration.parse(text); // too long for the fast path; the JDK checks the range
                }
                v = v * 10 + (text.charAt(i) - '0');
                i++;
            }
            if (i == start || i == n) {
                return Duration.parse(text);
            }
            char unit = text.charAt(i);
            if (unit == 'H' && lastUnit < 1) {
                seconds += v * 3600;
                lastUnit = 1;
            } else if (unit == 'M' && lastUnit < 2) {
                seconds += v * 60;
                lastUnit = 2;
            } else if (unit == 'S' && lastUnit < 3) {
                seconds += v;
                lastUnit = 3;
            } else if (unit == '.' && lastUnit < 3) {
                int f = ++i;
                int frac = 0;
                while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - f < 9) {
                    frac = frac * 10 + (text.charAt(i) - '0');
                    i++;
                }
                if (i == f || i == n || text.charAt(i) != 'S') {
                    return Duration.parse(text);
                }
                for (int k = i - f; k < 9; k++) {
                    frac *= 10;
                }
                seconds += v;
                nanos = frac;
                lastUnit = 3;
            } else {
                return Duration.parse(text);
            }
            i++;
        }
        return Duration.ofSeconds(seconds, nanos);
    }
}
