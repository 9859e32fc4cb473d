package org.arc4j.gb28181.cascade.internal;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.arc4j.gb28181.cascade.CascadeAlarm;
import org.arc4j.gb28181.manscdp.ManscdpDocument;

/**
 * The conditions of an upper platform's alarm subscription (GB/T 28181-2016 A.2.4.5 报警订阅, the body of a
 * {@code Query}/{@code Alarm} SUBSCRIBE): an alarm is sent when its priority lies within
 * StartAlarmPriority–EndAlarmPriority (0 or absent: no bound), its method is one of the AlarmMethod digits (0 or
 * absent: all; "12" or "1/2" both mean telephone or device) and its time lies within StartAlarmTime–EndAlarmTime,
 * both inclusive, as local times of the centre's zone to the second (absent: no bound). A bound that cannot be read
 * is no bound.
 *
 * @param startPriority the highest priority number (1 highest) accepted from, 0 for none
 * @param endPriority   the lowest accepted, 0 for none
 * @param methods       the AlarmMethod text, null or "0" for all
 * @param start         the earliest alarm time, or null
 * @param end           the latest alarm time, or null
 */
public record AlarmFilter(int startPriority, int endPriority, String methods, LocalDateTime start,
                          LocalDateTime end) {
    /** Every alarm. */
    public static final AlarmFilter ALL = new AlarmFilter(0, 0, null, null, null);

    /**
     * @param body the subscription's body, or null
     * @return its conditions
     */
    public static AlarmFilter of(ManscdpDocument body) {
        if (body == null) {
            return ALL;
        }
        return new AlarmFilter(number(body.text("StartAlarmPriority")), number(body.text("EndAlarmPriority")),
                body.text("AlarmMethod"), time(body.text("StartAlarmTime")), time(body.text("EndAlarmTime")));
    }

    /**
     * @param a    the alarm
     * @param zone the zone the bounds are local times of
     * @return true when the alarm meets every condition
     */
    public boolean test(CascadeAlarm a, ZoneId zone) {
        if ((startPriority > 0 && a.priority() < startPriority) || (endPriority > 0 && a.priority() > endPriority)) {
            return false;
        }
        String m = methods == null ? "" : methods.trim();
        if (!m.isEmpty() && !m.equals("0") && m.indexOf((char) ('0' + a.method())) < 0) {
            return false;
        }
        LocalDateTime t = LocalDateTime.ofInstant(a.time(), zone).withNano(0);
        return (start == null || !t.isBefore(start)) && (end == null || !t.isAfter(end));
    }

    private static int number(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static LocalDateTime time(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(s.trim().replace(' ', 'T')).withNano(0);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
