package org.arc4j.gb28181.platform;

import java.util.Objects;

/**
 * A GB/T 28181 device or platform ID (GB/T 28181-2016 Annex D): 20 decimal digits, read as centre code (8:
 * province, city, district, base unit), industry code (2), type code (3), network flag (1) and serial number
 * (6). Older devices (GB/T 28181-2011 era) use 18-digit IDs without this structure; they are accepted with no
 * type. Immutable.
 *
 * @param value the digits
 */
public record GbDeviceId(String value) {
    /** What a type code says a device is (GB/T 28181-2016 Annex D, Table D.1). */
    public enum Kind {
        /** 111–130: front-end main devices (DVR, video server, encoder, decoder, matrices, 117 alarm controller, NVR). */
        FRONT_END_DEVICE,
        /** 131–149 (also up to 199): front-end peripherals (131 camera, 132 IPC, 134 alarm input, 135 alarm output…). */
        FRONT_END_PERIPHERAL,
        /** 200–299: platform devices (200 centre signalling server, 205 alarm server, 215 business group,
         *  216 virtual organisation…). */
        PLATFORM,
        /** 300–399: centre users. */
        CENTRE_USER,
        /** 400–499: terminal users. */
        TERMINAL_USER,
        /** An 18-digit ID or a type code outside these ranges. */
        UNKNOWN
    }

    /** Type code of an alarm controller (报警控制器). */
    public static final int ALARM_CONTROLLER = 117;
    /** Type code of a camera. */
    public static final int CAMERA = 131;
    /** Type code of a network camera (IPC). */
    public static final int IPC = 132;
    /** Type code of an alarm input device (报警输入设备): a zone of an alarm controller or camera. */
    public static final int ALARM_INPUT = 134;
    /** Type code of an alarm output device. */
    public static final int ALARM_OUTPUT = 135;
    /** Type code of a central signalling control server: a platform such as this centre. */
    public static final int SIGNALLING_SERVER = 200;
    /** Type code of an alarm server. */
    public static final int ALARM_SERVER = 205;
    /** Type code of a business group (业务分组). */
    public static final int BUSINESS_GROUP = 215;
    /** Type code of a virtual organisation (虚拟组织). */
    public static final int VIRTUAL_ORGANISATION = 216;

    /** Validates the digits. */
    public GbDeviceId {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a GB/T 28181 ID (18 or 20 digits): " + value);
        }
    }

    /**
     * Whether text is an ID.
     *
     * @param text the text
     * @return true for 18 or 20 decimal digits
     */
    public static boolean isValid(String text) {
        if (text == null || (text.length() != 20 && text.length() != 18)) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses an ID.
     *
     * @param text the text
     * @return the ID, or null if it is not one
     */
    public static GbDeviceId parse(String text) {
        return isValid(text) ? new GbDeviceId(text) : null;
    }

    /** @return true for the 20-digit structured form */
    public boolean isStructured() {
        return value.length() == 20;
    }

    /** @return the 8-digit centre code, or null for an 18-digit ID */
    public String centreCode() {
        return isStructured() ? value.substring(0, 8) : null;
    }

    /** @return the 10-digit SIP domain GB/T 28181 derives from an ID (centre code and industry), or null */
    public String domain() {
        return isStructured() ? value.substring(0, 10) : null;
    }

    /** @return the 2-digit industry code, or null */
    public String industry() {
        return isStructured() ? value.substring(8, 10) : null;
    }

    /** @return the 3-digit type code, or -1 for an 18-digit ID */
    public int typeCode() {
        return isStructured() ? Integer.parseInt(value.substring(10, 13)) : -1;
    }

    /** @return the network flag digit (0–4 monitoring networks, 5 public, …), or -1 */
    public int network() {
        return isStructured() ? value.charAt(13) - '0' : -1;
    }

    /** @return the 6-digit serial number, or null */
    public String serial() {
        return isStructured() ? value.substring(13 + 1) : null;
    }

    /** @return what the type code says this is */
    public Kind kind() {
        int t = typeCode();
        if (t >= 111 && t <= 130) {
            return Kind.FRONT_END_DEVICE;
        }
        if (t >= 131 && t <= 199) {
            return Kind.FRONT_END_PERIPHERAL;
        }
        if (t >= 200 && t <= 299) {
            return Kind.PLATFORM;
        }
        if (t >= 300 && t <= 399) {
            return Kind.CENTRE_USER;
        }
        if (t >= 400 && t <= 499) {
            return Kind.TERMINAL_USER;
        }
        return Kind.UNKNOWN;
    }

    @Override
    public String toString() {
        return value;
    }
}
