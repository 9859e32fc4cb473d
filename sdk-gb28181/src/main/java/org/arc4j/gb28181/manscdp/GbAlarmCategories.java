package org.arc4j.gb28181.manscdp;

import org.arc4j.core.event.Category;

/**
 * The one table from GB/T 28181 alarm method and type to the GA 1383 {@link Category} the centre handles
 * alarms by (GB/T 28181-2016 A.2.5: AlarmMethod 1 telephone, 2 device, 3 SMS, 4 GPS, 5 video, 6 device fault,
 * 7 other; AlarmType under methods 2, 5 and 6).
 *
 * <pre>
 * method 1 telephone alarm                  EMERGENCY   (a person called for help)
 * method 2 device alarm, no type            INTRUSION   (the alarm input of an alarm controller or camera)
 *          1 video loss                     VIDEO_FAULT
 *          2 device tamper                  TAMPER
 *          3 storage disk full              VIDEO_FAULT
 *          4 device high temperature        DEVICE_FAULT
 *          5 device low temperature         DEVICE_FAULT
 * method 3 SMS alarm                        EMERGENCY
 * method 4 GPS alarm                        EMERGENCY   (vehicle or personal terminal emergency)
 * method 5 video alarm  1 manual video alarm    EMERGENCY
 *          2 moving object detection         INTRUSION
 *          3 abandoned object detection      INTRUSION
 *          4 object removal detection        INTRUSION
 *          5 tripwire                        INTRUSION
 *          6 intrusion detection             INTRUSION
 *          7 wrong-way (retrograde)          OTHER
 *          8 loitering                       INTRUSION
 *          9 flow statistics                 OTHER
 *         10 density detection               OTHER
 *         11 video anomaly                   VIDEO_FAULT
 *         12 fast movement                   INTRUSION
 *          no type                           UNKNOWN_CODE (urgent until an operator has looked)
 * method 6 device fault  1 storage disk fault  VIDEO_FAULT
 *          2 storage fan fault                 DEVICE_FAULT
 *          no type                             DEVICE_FAULT
 * method 7 other alarm                      UNKNOWN_CODE
 * anything else                             UNKNOWN_CODE
 * </pre>
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}.
 */
public final class GbAlarmCategories {
    /** The table. */
    public static final GbAlarmCategories INSTANCE = new GbAlarmCategories();

    private GbAlarmCategories() {
    }

    /**
     * The category of a method and type.
     *
     * @param method the AlarmMethod, 1–7
     * @param type   the AlarmType, or null when absent
     * @return the category; {@link Category#UNKNOWN_CODE} for a combination the standard does not define
     */
    public Category category(int method, Integer type) {
        switch (method) {
            case 1, 3, 4:
                return Category.EMERGENCY;
            case 2:
                if (type == null) {
                    return Category.INTRUSION;
                }
                return switch (type) {
                    case 1, 3 -> Category.VIDEO_FAULT;
                    case 2 -> Category.TAMPER;
                    case 4, 5 -> Category.DEVICE_FAULT;
                    default -> Category.UNKNOWN_CODE;
                };
            case 5:
                if (type == null) {
                    return Category.UNKNOWN_CODE;
                }
                return switch (type) {
                    case 1 -> Category.EMERGENCY;
                    case 2, 3, 4, 5, 6, 8, 12 -> Category.INTRUSION;
                    case 7, 9, 10 -> Category.OTHER;
                    case 11 -> Category.VIDEO_FAULT;
                    default -> Category.UNKNOWN_CODE;
                };
            case 6:
                if (type == null) {
                    return Category.DEVICE_FAULT;
                }
                return switch (type) {
                    case 1 -> Category.VIDEO_FAULT;
                    case 2 -> Category.DEVICE_FAULT;
                    default -> Category.UNKNOWN_CODE;
                };
            default:
                return Category.UNKNOWN_CODE;
        }
    }

    /**
     * A short English description of a method and type.
     *
     * @param method the AlarmMethod
     * @param type   the AlarmType, or null
     * @return the description
     */
    public String describe(int method, Integer type) {
        String m = switch (method) {
            case 1 -> "telephone alarm";
            case 2 -> "device alarm";
            case 3 -> "SMS alarm";
            case 4 -> "GPS alarm";
            case 5 -> "video alarm";
            case 6 -> "device fault";
            case 7 -> "other alarm";
            default -> "alarm method " + method;
        };
        if (type == null) {
            return m;
        }
        String t = switch (method * 100 + type) {
            case 201 -> "video loss";
            case 202 -> "device tamper";
            case 203 -> "storage disk full";
            case 204 -> "device high temperature";
            case 205 -> "device low temperature";
            case 501 -> "manual video alarm";
            case 502 -> "moving object detection";
            case 503 -> "abandoned object detection";
            case 504 -> "object removal detection";
            case 505 -> "tripwire";
            case 506 -> "intrusion detection";
            case 507 -> "wrong-way detection";
            case 508 -> "loitering detection";
            case 509 -> "flow statistics";
            case 510 -> "density detection";
            case 511 -> "video anomaly";
            case 512 -> "fast movement";
            case 601 -> "storage disk fault";
            case 602 -> "storage fan fault";
            default -> "type " + type;
        };
        return m + ": " + t;
    }

    /**
     * The event code as arc4j writes it ({@code CodeSystem.GB28181}): {@code method/type}, or {@code method}
     * when there is no type.
     *
     * @param method the AlarmMethod
     * @param type   the AlarmType, or null
     * @return the code
     */
    public String code(int method, Integer type) {
        return type == null ? Integer.toString(method) : method + "/" + type;
    }
}
