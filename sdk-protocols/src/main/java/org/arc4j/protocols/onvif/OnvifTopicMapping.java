package org.arc4j.protocols.onvif;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.arc4j.core.event.Category;

/**
 * Which ONVIF event topics are alarms, and of which GA 1383 category (报警接收与处置; the categories of
 * {@link Category}): the ONVIF topic set (Core §9.8, Analytics, DeviceIO) with the variants vendors send.
 *
 * <table>
 *   <caption>Default mapping</caption>
 *   <tr><th>topic (namespace prefixes ignored)</th><th>state item</th><th>category</th></tr>
 *   <tr><td>{@code VideoSource/MotionAlarm}</td><td>{@code State}</td><td>INTRUSION</td></tr>
 *   <tr><td>{@code RuleEngine/CellMotionDetector/Motion}</td><td>{@code IsMotion}</td><td>INTRUSION</td></tr>
 *   <tr><td>{@code RuleEngine/MotionRegionDetector/Motion}</td><td>{@code State} ({@code "1"}/{@code "0"})</td><td>INTRUSION</td></tr>
 *   <tr><td>{@code RuleEngine/FieldDetector/ObjectsInside}</td><td>{@code IsInside}</td><td>INTRUSION</td></tr>
 *   <tr><td>{@code RuleEngine/LineDetector/Crossed}</td><td>none (each message is an alarm)</td><td>INTRUSION</td></tr>
 *   <tr><td>{@code Device/Trigger/DigitalInput}</td><td>{@code LogicalState}; zone = {@code InputToken}</td><td>INTRUSION</td></tr>
 *   <tr><td>{@code RuleEngine/TamperDetector/Tamper}</td><td>{@code IsTamper}</td><td>TAMPER</td></tr>
 *   <tr><td>{@code VideoSource/GlobalSceneChange/…}, {@code VideoSource/ImageTooBlurry|Dark|Bright/…}</td><td>{@code State}</td><td>TAMPER</td></tr>
 *   <tr><td>{@code VideoSource/SignalLoss}, {@code VideoSource/VideoLoss}</td><td>{@code State}</td><td>VIDEO_FAULT</td></tr>
 *   <tr><td>{@code Device/HardwareFailure/…} (storage, fan, power supply, temperature)</td><td>{@code Failed}, {@code State}</td><td>DEVICE_FAULT</td></tr>
 *   <tr><td>{@code Recording/…Failure}, {@code Storage/…Failure}</td><td>{@code State}, {@code Failed}</td><td>DEVICE_FAULT</td></tr>
 * </table>
 * Booleans are read as {@code true}/{@code false}/{@code 1}/{@code 0} (any case, also {@code active}/{@code inactive}).
 * Other topics are not alarms. Immutable and thread-safe.
 */
public final class OnvifTopicMapping {
    /** The default mapping above. */
    public static final OnvifTopicMapping DEFAULT = new OnvifTopicMapping(List.of(
            new Rule("VideoSource/MotionAlarm", Category.INTRUSION, List.of("State")),
            new Rule("RuleEngine/CellMotionDetector/Motion", Category.INTRUSION, List.of("IsMotion")),
            new Rule("RuleEngine/MotionRegionDetector/Motion", Category.INTRUSION, List.of("State", "IsMotion")),
            new Rule("RuleEngine/FieldDetector/ObjectsInside", Category.INTRUSION, List.of("IsInside")),
            new Rule("RuleEngine/LineDetector/Crossed", Category.INTRUSION, List.of()),
            new Rule("Device/Trigger/DigitalInput", Category.INTRUSION, List.of("LogicalState", "State")),
            new Rule("RuleEngine/TamperDetector/Tamper", Category.TAMPER, List.of("IsTamper", "State")),
            new Rule("VideoSource/GlobalSceneChange", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/ImageTooBlurry", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/ImageTooDark", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/ImageTooBright", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/SignalLoss", Category.VIDEO_FAULT, List.of("State")),
            new Rule("VideoSource/VideoLoss", Category.VIDEO_FAULT, List.of("State")),
            new Rule("Device/HardwareFailure", Category.DEVICE_FAULT, List.of("Failed", "State")),
            new Rule("Storage/Failure", Category.DEVICE_FAULT, List.of("State", "Failed")),
            new Rule("Recording/RecordingFailure", Category.DEVICE_FAULT, List.of("State", "Failed"))));

    /**
     * One rule: a topic prefix (whole segments), its category and the data items holding its state, first found
     * wins; an empty list makes every message an alarm.
     *
     * @param topic      the topic prefix without namespace prefixes
     * @param category   the category
     * @param stateItems the state items
     */
    public record Rule(String topic, Category category, List<String> stateItems) {
        /** Copies the list. */
        public Rule {
            stateItems = List.copyOf(stateItems);
        }
    }

    /**
     * What a notification means.
     *
     * @param rule  the rule that matched
     * @param state the state (true = active), or null for a stateless topic
     * @param zone  the zone: the input token, source token or rule name, or null
     */
    public record Mapped(Rule rule, Boolean state, String zone) {
    }

    private final List<Rule> rules;

    /**
     * A mapping of own rules (first match wins).
     *
     * @param rules the rules
     */
    public OnvifTopicMapping(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Maps a notification.
     *
     * @param m the notification
     * @return what it means, or empty when its topic is not an alarm or its state cannot be read
     */
    public Optional<Mapped> map(NotificationMessage m) {
        for (Rule r : rules) {
            if (m.topic().equals(r.topic()) || m.topic().startsWith(r.topic() + "/")) {
                if (r.stateItems().isEmpty()) {
                    return Optional.of(new Mapped(r, null, zone(m)));
                }
                for (String item : r.stateItems()) {
                    String v = m.data().get(item);
                    if (v != null) {
                        Boolean b = bool(v);
                        return b == null ? Optional.empty() : Optional.of(new Mapped(r, b, zone(m)));
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String zone(NotificationMessage m) {
        for (String k : List.of("InputToken", "Source", "VideoSourceToken", "VideoSourceConfigurationToken", "Rule")) {
            String v = m.source().get(k);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /**
     * Reads a boolean as devices write it.
     *
     * @param v the text
     * @return true, false, or null when it is not a boolean
     */
    public static Boolean bool(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "active", "on":
                return Boolean.TRUE;
            case "false", "0", "inactive", "off":
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
