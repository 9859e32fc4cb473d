package org.arc4j.protocols.onvif.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code xs:dateTime} values devices send, in the forms seen in the field: with or without
 * fraction, {@code Z}, a {@code +08:00} or {@code +0800} offset or no zone at all (taken as UTC, as ONVIF
 * defines these times), a space instead of {@code T}, single-digit fields and surrounding whitespace.
 * Stateless.
 */
public final class DateTimes {
    private static final Pattern DT = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:[.,](\\d{1,9}))?)?"
                    + "\\s*(Z|z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})?");

    private DateTimes() {
    }

    /**
     * Parses a dateTime.
     *
     * @param text the text, may be null
     * @return the instant, or null when it is absent or unreadable
     */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DT.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        try {
            int nanos = 0;
            if (m.group(7) != null) {
                String f = (m.group(7) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(f);
            }
            LocalDateTime ldt = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
            String z = m.group(8);
            ZoneOffset off = ZoneOffset.UTC;
            if (z != null && !z.equalsIgnoreCase("Z")) {
                String d = z.replace(":", "");
                int h = Integer.parseInt(d.substring(1, 3));
                int min = d.length() >= 5 ? Integer.parseInt(d.substring(3, 5)) : 0;
                int sign = d.charAt(0) == '-' ? -1 : 1;
                off = ZoneOffset.ofHoursMinutes(sign * h, sign * min);
            }
            return ldt.toInstant(off);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Parses an {@code xs:duration} of the simple forms devices use ({@code PT60S}, {@code PT1M}, {@code PT1H30M}).
     *
     * @param text the text
     * @return the duration, or null when unreadable
     */
    public static java.time.Duration duration(String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.Duration.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
