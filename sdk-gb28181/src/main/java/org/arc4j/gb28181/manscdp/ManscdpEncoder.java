package org.arc4j.gb28181.manscdp;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Writes the MANSCDP bodies a centre sends (GB/T 28181-2016 Annex A): queries (Catalog, DeviceInfo,
 * DeviceStatus, RecordInfo, Alarm, PresetQuery), subscription bodies (Catalog, Alarm, MobilePosition) and
 * controls (DeviceControl PTZCmd, GuardCmd, AlarmCmd, TeleBoot, RecordCmd, IFameCmd, HomePosition; DeviceConfig
 * BasicParam). One element per line with CRLF, declared and encoded in the device's charset (GB2312 by
 * default; GB18030 or UTF-8 per device).
 *
 * <p>Immutable and thread-safe.
 */
public final class ManscdpEncoder {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final ManscdpCharset charset;

    private ManscdpEncoder(ManscdpCharset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    /**
     * @param charset the device's charset
     * @return an encoder writing it
     */
    public static ManscdpEncoder of(ManscdpCharset charset) {
        return new ManscdpEncoder(charset);
    }

    /** @return the charset */
    public ManscdpCharset charset() {
        return charset;
    }

    /** A body under construction: elements in order, one per line. */
    private final class Doc {
        private final StringBuilder sb = new StringBuilder(256);
        private final String root;

        Doc(String root, String cmdType, long sn, String deviceId) {
            this.root = root;
            sb.append("<?xml version=\"1.0\" encoding=\"").append(charset.declaration()).append("\"?>\r\n");
            sb.append('<').append(root).append(">\r\n");
            el("CmdType", cmdType).el("SN", Long.toString(sn)).el("DeviceID", deviceId);
        }

        Doc el(String name, String text) {
            sb.append('<').append(name).append('>');
            escape(text, sb);
            sb.append("</").append(name).append(">\r\n");
            return this;
        }

        Doc open(String name) {
            sb.append('<').append(name).append(">\r\n");
            return this;
        }

        Doc close(String name) {
            sb.append("</").append(name).append(">\r\n");
            return this;
        }

        byte[] bytes() {
            sb.append("</").append(root).append(">\r\n");
            return sb.toString().getBytes(charset.charset());
        }
    }

    private static void escape(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
    }

    /**
     * A query with only CmdType, SN and DeviceID (Catalog, DeviceInfo, DeviceStatus, PresetQuery,
     * ConfigDownload…).
     *
     * @param cmdType  the CmdType
     * @param sn       the SN
     * @param deviceId the target
     * @return the body
     */
    public byte[] query(String cmdType, long sn, String deviceId) {
        return new Doc("Query", cmdType, sn, deviceId).bytes();
    }

    /** @param sn the SN @param deviceId the device @return a Catalog query (A.2.4.4) */
    public byte[] catalogQuery(long sn, String deviceId) {
        return query("Catalog", sn, deviceId);
    }

    /** @param sn the SN @param deviceId the device @return a DeviceInfo query (A.2.4.5) */
    public byte[] deviceInfoQuery(long sn, String deviceId) {
        return query("DeviceInfo", sn, deviceId);
    }

    /** @param sn the SN @param deviceId the device @return a DeviceStatus query (A.2.4.3) */
    public byte[] deviceStatusQuery(long sn, String deviceId) {
        return query("DeviceStatus", sn, deviceId);
    }

    /** @param sn the SN @param deviceId the channel @return a PresetQuery (A.2.4.9) */
    public byte[] presetQuery(long sn, String deviceId) {
        return query("PresetQuery", sn, deviceId);
    }

    /**
     * A RecordInfo query (A.2.4.6). {@code type} {@code all} is what every device accepts (some Dahua devices
     * answer nothing without it).
     *
     * @param sn       the SN
     * @param deviceId the channel
     * @param start    start time, device-local
     * @param end      end time, device-local
     * @param secrecy  0 not secret
     * @param type     time, alarm, manual or all
     * @return the body
     */
    public byte[] recordInfoQuery(long sn, String deviceId, LocalDateTime start, LocalDateTime end, int secrecy,
                                  String type) {
        return new Doc("Query", "RecordInfo", sn, deviceId).el("StartTime", TIME.format(start))
                .el("EndTime", TIME.format(end)).el("Secrecy", Integer.toString(secrecy)).el("Type", type).bytes();
    }

    /**
     * An Alarm query (A.2.4.7), also the body of an Alarm SUBSCRIBE.
     *
     * @param sn            the SN
     * @param deviceId      the device
     * @param startPriority 0 all, 1–4
     * @param endPriority   0 all, 1–4
     * @param method        0 all, or a method 1–7 (several written as digits, e.g. {@code 25})
     * @param start         start time, device-local
     * @param end           end time, device-local
     * @return the body
     */
    public byte[] alarmQuery(long sn, String deviceId, int startPriority, int endPriority, String method,
                             LocalDateTime start, LocalDateTime end) {
        return alarmDoc("Query", sn, deviceId, startPriority, endPriority, method, start, end);
    }

    private byte[] alarmDoc(String root, long sn, String deviceId, int startPriority, int endPriority, String method,
                            LocalDateTime start, LocalDateTime end) {
        return new Doc(root, "Alarm", sn, deviceId).el("StartAlarmPriority", Integer.toString(startPriority))
                .el("EndAlarmPriority", Integer.toString(endPriority)).el("AlarmMethod", method)
                .el("StartAlarmTime", TIME.format(start)).el("EndAlarmTime", TIME.format(end)).bytes();
    }

    /**
     * The body of a MobilePosition SUBSCRIBE (A.2.4.8).
     *
     * @param sn       the SN
     * @param deviceId the device
     * @param interval the reporting interval in seconds
     * @return the body
     */
    public byte[] mobilePositionSubscription(long sn, String deviceId, int interval) {
        return new Doc("Query", "MobilePosition", sn, deviceId).el("Interval", Integer.toString(interval)).bytes();
    }

    /** @param sn the SN @param deviceId the device @return the body of a Catalog SUBSCRIBE */
    public byte[] catalogSubscription(long sn, String deviceId) {
        return catalogQuery(sn, deviceId);
    }

    /**
     * Body of an Alarm SUBSCRIBE (same as the query).
     *
     * @param sn       the SN
     * @param deviceId the device
     * @param start    start time
     * @param end      end time
     * @return the body
     */
    public byte[] alarmSubscription(long sn, String deviceId, LocalDateTime start, LocalDateTime end) {
        return alarmQuery(sn, deviceId, 1, 4, "0", start, end);
    }

    private Doc control(long sn, String deviceId) {
        return new Doc("Control", "DeviceControl", sn, deviceId);
    }

    /**
     * PTZ control (A.2.3.1.1).
     *
     * @param sn              the SN
     * @param deviceId        the channel
     * @param cmd             the code
     * @param controlPriority Info/ControlPriority (1–5? as the platform sets; written as given)
     * @return the body
     */
    public byte[] ptz(long sn, String deviceId, PtzCmd cmd, int controlPriority) {
        return control(sn, deviceId).el("PTZCmd", cmd.toHex()).open("Info")
                .el("ControlPriority", Integer.toString(controlPriority)).close("Info").bytes();
    }

    /**
     * Arm or disarm (A.2.3.1.4 GuardCmd): many cameras send no alarms until armed.
     *
     * @param sn       the SN
     * @param deviceId the device
     * @param set      true SetGuard (arm), false ResetGuard (disarm)
     * @return the body
     */
    public byte[] guard(long sn, String deviceId, boolean set) {
        return control(sn, deviceId).el("GuardCmd", set ? "SetGuard" : "ResetGuard").bytes();
    }

    /**
     * Alarm reset (A.2.3.1.5 AlarmCmd ResetAlarm), optionally for one method and type.
     *
     * @param sn       the SN
     * @param deviceId the device
     * @param method   AlarmMethod, or null
     * @param type     AlarmType, or null
     * @return the body
     */
    public byte[] resetAlarm(long sn, String deviceId, Integer method, Integer type) {
        Doc d = control(sn, deviceId).el("AlarmCmd", "ResetAlarm");
        if (method != null || type != null) {
            d.open("Info");
            if (method != null) {
                d.el("AlarmMethod", method.toString());
            }
            if (type != null) {
                d.el("AlarmType", type.toString());
            }
            d.close("Info");
        }
        return d.bytes();
    }

    /** @param sn the SN @param deviceId the device @return a remote reboot (A.2.3.1.2 TeleBoot) */
    public byte[] teleBoot(long sn, String deviceId) {
        return control(sn, deviceId).el("TeleBoot", "Boot").bytes();
    }

    /**
     * Start or stop recording (A.2.3.1.3 RecordCmd).
     *
     * @param sn       the SN
     * @param deviceId the channel
     * @param start    true Record, false StopRecord
     * @return the body
     */
    public byte[] record(long sn, String deviceId, boolean start) {
        return control(sn, deviceId).el("RecordCmd", start ? "Record" : "StopRecord").bytes();
    }

    /** @param sn the SN @param deviceId the channel @return force a key frame ({@code IFameCmd}, the standard's spelling) */
    public byte[] iFrame(long sn, String deviceId) {
        return control(sn, deviceId).el("IFameCmd", "Send").bytes();
    }

    /**
     * Home position (A.2.3.1.7 HomePosition).
     *
     * @param sn          the SN
     * @param deviceId    the channel
     * @param enabled     whether the camera returns home
     * @param resetTime   seconds of idleness before it does
     * @param presetIndex the home preset
     * @return the body
     */
    public byte[] homePosition(long sn, String deviceId, boolean enabled, int resetTime, int presetIndex) {
        Doc d = control(sn, deviceId).open("HomePosition").el("Enabled", enabled ? "1" : "0");
        if (enabled) {
            d.el("ResetTime", Integer.toString(resetTime)).el("PresetIndex", Integer.toString(presetIndex));
        }
        return d.close("HomePosition").bytes();
    }

    /**
     * Basic configuration (A.2.3.2 DeviceConfig BasicParam): name, registration expiry, heartbeat interval and
     * count.
     *
     * @param sn                the SN
     * @param deviceId          the device
     * @param name              the device name
     * @param expiration        registration expiry, seconds
     * @param heartBeatInterval keepalive interval, seconds
     * @param heartBeatCount    missed keepalives before offline
     * @return the body
     */
    public byte[] basicParam(long sn, String deviceId, String name, int expiration, int heartBeatInterval,
                             int heartBeatCount) {
        return new Doc("Control", "DeviceConfig", sn, deviceId).open("BasicParam").el("Name", name)
                .el("Expiration", Integer.toString(expiration))
                .el("HeartBeatInterval", Integer.toString(heartBeatInterval))
                .el("HeartBeatCount", Integer.toString(heartBeatCount)).close("BasicParam").bytes();
    }

    /*
     * What a lower platform (a device, or the centre cascaded under an upper platform) sends upward.
     */

    /**
     * A media status notification ({@code Notify}/{@code MediaStatus}, GB/T 28181-2016 §9.8.3): NotifyType 121 is
     * the end of a recording being played back or downloaded.
     *
     * @param sn         the SN
     * @param deviceId   the channel whose recording it is
     * @param notifyType the NotifyType (121)
     * @return the body
     */
    public byte[] mediaStatus(long sn, String deviceId, int notifyType) {
        return new Doc("Notify", "MediaStatus", sn, deviceId).el("NotifyType", Integer.toString(notifyType)).bytes();
    }

    /**
     * A keepalive ({@code Notify}/{@code Keepalive}, GB/T 28181-2016 A.2.5.2, 9.6).
     *
     * @param sn       the SN
     * @param deviceId the sender's ID
     * @return the body
     */
    public byte[] keepalive(long sn, String deviceId) {
        return new Doc("Notify", "Keepalive", sn, deviceId).el("Status", "OK").bytes();
    }

    /**
     * An alarm notification ({@code Notify}/{@code Alarm}, A.2.5.3, 9.4): the reverse of {@link ManscdpAlarm#of}.
     *
     * @param sn          the SN
     * @param deviceId    the device or channel that raised it
     * @param priority    AlarmPriority 1 (highest) – 4
     * @param method      AlarmMethod 1–7
     * @param type        AlarmType, or null
     * @param time        AlarmTime, local time of the sender
     * @param description AlarmDescription, or null
     * @return the body
     */
    public byte[] alarmNotify(long sn, String deviceId, int priority, int method, Integer type, LocalDateTime time,
                              String description) {
        Doc d = new Doc("Notify", "Alarm", sn, deviceId).el("AlarmPriority", Integer.toString(priority))
                .el("AlarmMethod", Integer.toString(method)).el("AlarmTime", TIME.format(time));
        if (description != null) {
            d.el("AlarmDescription", description);
        }
        if (type != null) {
            d.open("Info").el("AlarmType", type.toString()).close("Info");
        }
        return d.bytes();
    }

    /**
     * A mobile position report ({@code Notify}/{@code MobilePosition}, A.2.5.5, §9.11), the reverse of
     * {@link MobilePosition#of}: elements that are null are left out.
     *
     * @param sn       the subscription's SN
     * @param deviceId the device or channel whose position it is
     * @param p        the position (its own device ID is not used)
     * @return the body
     */
    public byte[] mobilePositionNotify(long sn, String deviceId, MobilePosition p) {
        Doc d = new Doc("Notify", "MobilePosition", sn, deviceId);
        if (p.time() != null) {
            d.el("Time", TIME.format(p.time()));
        }
        number(d, "Longitude", p.longitude());
        number(d, "Latitude", p.latitude());
        number(d, "Speed", p.speed());
        number(d, "Direction", p.direction());
        number(d, "Altitude", p.altitude());
        return d.bytes();
    }

    private static void number(Doc d, String name, Double v) {
        if (v != null) {
            d.el(name, java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());
        }
    }

    /**
     * One page of a Catalog answer ({@code Response}/{@code Catalog}, A.2.6.4): SumNum counts every item of the
     * answer, {@code DeviceList Num} those of this page. Each item is written as its fields, in order.
     *
     * @param sn       the query's SN
     * @param deviceId the answering platform's or device's ID
     * @param sumNum   the number of items over all pages
     * @param items    this page's items, each a map of element name to text (insertion order kept)
     * @return the body
     */
    public byte[] catalogResponse(long sn, String deviceId, int sumNum, java.util.List<? extends java.util.Map<String,
            String>> items) {
        return catalogDoc("Response", sn, deviceId, sumNum, items);
    }

    /**
     * One page of a Catalog change notification ({@code Notify}/{@code Catalog}, GB/T 28181-2016 9.11.2, A.2.5.4),
     * sent in a catalog subscription's NOTIFY: like {@link #catalogResponse}, each item also carrying its
     * {@code Event} (ON, OFF, VLOST, DEFECT, ADD, DEL, UPDATE).
     *
     * @param sn       the subscription's SN
     * @param deviceId the notifying platform's or device's ID
     * @param sumNum   the number of items over all pages
     * @param items    this page's items, each a map of element name to text (insertion order kept)
     * @return the body
     */
    public byte[] catalogNotify(long sn, String deviceId, int sumNum, java.util.List<? extends java.util.Map<String,
            String>> items) {
        return catalogDoc("Notify", sn, deviceId, sumNum, items);
    }

    private byte[] catalogDoc(String root, long sn, String deviceId, int sumNum,
                              java.util.List<? extends java.util.Map<String, String>> items) {
        Doc d = new Doc(root, "Catalog", sn, deviceId).el("SumNum", Integer.toString(sumNum));
        d.sb.append("<DeviceList Num=\"").append(items.size()).append("\">\r\n");
        for (java.util.Map<String, String> item : items) {
            d.open("Item");
            item.forEach(d::el);
            d.close("Item");
        }
        return d.close("DeviceList").bytes();
    }

    /**
     * An answer with a Result and further fields ({@code Response}: DeviceInfo A.2.6.6, DeviceStatus A.2.6.5,
     * DeviceControl A.2.6.1).
     *
     * @param cmdType  the CmdType answered
     * @param sn       the query's SN
     * @param deviceId the ID asked about
     * @param ok       Result OK or ERROR
     * @param fields   further elements in order, name to text
     * @return the body
     */
    public byte[] response(String cmdType, long sn, String deviceId, boolean ok, java.util.Map<String, String> fields) {
        Doc d = new Doc("Response", cmdType, sn, deviceId).el("Result", ok ? "OK" : "ERROR");
        fields.forEach(d::el);
        return d.bytes();
    }
}
