package org.arc4j.gb28181.manscdp;

import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arc4j.core.event.Category;

/**
 * An alarm notification ({@code Notify}/{@code Alarm}, GB/T 28181-2016 A.2.5 and 9.4): who raised it, priority
 * 1–4, method 1–7, type, time (local time without offset: the device's time zone places it), description and
 * position. Immutable.
 *
 * <p>{@code Info/AlarmType} takes precedence over a top-level AlarmType (which some devices write instead).
 * What Hikvision devices send is tolerated: the channel's ID as DeviceID, no CmdType/SN/AlarmType, a private
 * {@code AlarmInfo} element (kept in {@link #extra()}).
 *
 * @param deviceId    the DeviceID (a device or one of its channels)
 * @param sn          the SN, or -1
 * @param priority    AlarmPriority 1 (highest) – 4, or 0 when absent
 * @param method      AlarmMethod, 0 when absent or not a number
 * @param type        AlarmType, or null
 * @param eventType   Info/AlarmTypeParam/EventType (1 enter area, 2 leave area), or null
 * @param time        AlarmTime as local time, or null when absent or unreadable
 * @param description AlarmDescription, or null
 * @param longitude   Longitude, or null
 * @param latitude    Latitude, or null
 * @param extra       other child elements of the Notify (private extensions), name to text
 */
public record ManscdpAlarm(String deviceId, long sn, int priority, int method, Integer type, Integer eventType,
                           LocalDateTime time, String description, Double longitude, Double latitude,
                           Map<String, String> extra) {
    private static final java.util.Set<String> KNOWN = java.util.Set.of("CmdType", "SN", "DeviceID",
            "AlarmPriority", "AlarmMethod", "AlarmType", "AlarmTime", "AlarmDescription", "Longitude", "Latitude",
            "Info");

    /** Copies the map. */
    public ManscdpAlarm {
        extra = Map.copyOf(extra);
    }

    /**
     * Reads an alarm from a decoded Notify.
     *
     * @param d the document ({@code Notify}/{@code Alarm})
     * @return the alarm
     */
    public static ManscdpAlarm of(ManscdpDocument d) {
        ManscdpElement r = d.root();
        Integer infoType = integer(r.path("Info", "AlarmType"));
        Integer type = infoType != null ? infoType : integer(r.childText("AlarmType"));
        Integer method = integer(r.childText("AlarmMethod"));
        Integer priority = integer(r.childText("AlarmPriority"));
        Map<String, String> extra = new LinkedHashMap<>();
        for (ManscdpElement c : r.children()) {
            if (!KNOWN.contains(c.name())) {
                extra.putIfAbsent(c.name(), c.text());
            }
        }
        return new ManscdpAlarm(d.deviceId(), d.sn(), priority == null ? 0 : priority, method == null ? 0 : method,
                type, integer(r.path("Info", "AlarmTypeParam", "EventType")), time(r.childText("AlarmTime")),
                r.childText("AlarmDescription"), decimal(r.childText("Longitude")), decimal(r.childText("Latitude")),
                extra);
    }

    /** @return the GA 1383 category from {@link GbAlarmCategories} */
    public Category category() {
        return GbAlarmCategories.INSTANCE.category(method, type);
    }

    /** @return the event code, {@code method/type} */
    public String code() {
        return GbAlarmCategories.INSTANCE.code(method, type);
    }

    /**
     * Parses a MANSCDP time ({@code yyyy-MM-ddTHH:mm:ss[.SSS]}, no offset; a space instead of T is tolerated).
     *
     * @param text the text, or null
     * @return the local time, or null
     */
    public static LocalDateTime time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.trim().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double decimal(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Double.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
