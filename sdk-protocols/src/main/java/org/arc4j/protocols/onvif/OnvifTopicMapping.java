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
 *   <tr><td>{@code Device/HardwareFailure/StorageFailure} (the disk a camera or recorder records to)</td><td>{@code Failed}, {@code State}</td><td>VIDEO_FAULT</td></tr>
 *   <tr><td>{@code Device/HardwareFailure/…} (fan, power supply, temperature)</td><td>{@code Failed}, {@code State}</td><td>DEVICE_FAULT</td></tr>
 *   <tr><td>{@code RecordingConfig/JobState} (Recording Control: a recording job's state)</td><td>{@code State} = {@code Error}</td><td>VIDEO_FAULT</td></tr>
 *   <tr><td>{@code Recording/…Failure}, {@code Storage/…Failure}</td><td>{@code State}, {@code Failed}</td><td>VIDEO_FAULT</td></tr>
 * </table>
 * The three motion topics are one group, and so are the two video loss topics: a camera that reports one motion as
 * both {@code VideoSource/MotionAlarm} and {@code RuleEngine/CellMotionDetector/Motion} raises one alarm
 * ({@link Rule#group()}). A video topic's zone is the video source: {@code Source}, {@code VideoSourceToken} or
 * {@code VideoSourceConfigurationToken}, a configuration's token told apart from a source's by the device's profiles.
 * Booleans are read as {@code true}/{@code false}/{@code 1}/{@code 0} (any case, also {@code active}/{@code inactive}).
 * Other topics are not alarms. Immutable and thread-safe.
 */
public final class OnvifTopicMapping {
    /** The group of the motion topics: one motion on one video source is one alarm, whichever topics report it. */
    public static final String MOTION = "motion";
    /** The group of the video loss topics. */
    public static final String VIDEO_LOSS = "video-loss";
    /** The default mapping above. */
    public static final OnvifTopicMapping DEFAULT = new OnvifTopicMapping(List.of(
            new Rule("VideoSource/MotionAlarm", Category.INTRUSION, List.of("State"), MOTION),
            new Rule("RuleEngine/CellMotionDetector/Motion", Category.INTRUSION, List.of("IsMotion"), MOTION),
            new Rule("RuleEngine/MotionRegionDetector/Motion", Category.INTRUSION, List.of("State", "IsMotion"),
                    MOTION),
            new Rule("RuleEngine/FieldDetector/ObjectsInside", Category.INTRUSION, List.of("IsInside")),
            new Rule("RuleEngine/LineDetector/Crossed", Category.INTRUSION, List.of()),
            new Rule("Device/Trigger/DigitalInput", Category.INTRUSION, List.of("LogicalState", "State")),
            new Rule("RuleEngine/TamperDetector/Tamper", Category.TAMPER, List.of("IsTamper", "State")),
            new Rule("VideoSource/GlobalSceneChange", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/ImageTooBlurry", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/ImageTooDark", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/ImageTooBright", Category.TAMPER, List.of("State")),
            new Rule("VideoSource/SignalLoss", Category.VIDEO_FAULT, List.of("State"), VIDEO_LOSS),
            new Rule("VideoSource/VideoLoss", Category.VIDEO_FAULT, List.of("State"), VIDEO_LOSS),
            new Rule("Device/HardwareFailure/StorageFailure", Category.VIDEO_FAULT, List.of("Failed", "State")),
            new Rule("Device/HardwareFailure", Category.DEVICE_FAULT, List.of("Failed", "State")),
            new Rule("RecordingConfig/JobState", Category.VIDEO_FAULT, List.of("State=Error")),
            new Rule("Storage/Failure", Category.VIDEO_FAULT, List.of("State", "Failed")),
            new Rule("Recording/RecordingFailure", Category.VIDEO_FAULT, List.of("State", "Failed"))));

    /**
     * One rule: a topic prefix (whole segments), its category and the data items holding its state, first found
     * wins; an empty list makes every message an alarm.
     *
     * <p>Rules of one {@code group} report one thing several ways (a camera sends {@code VideoSource/MotionAlarm}
     * and {@code RuleEngine/CellMotionDetector/Motion} for the same motion): on one video source they raise one
     * alarm when the first of them becomes active and one restore when the last of them ends.
     *
     * @param topic      the topic prefix without namespace prefixes
     * @param category   the category
     * @param stateItems the state items: a boolean item's name, or {@code Name=Value} for an item whose state is
     *                   true exactly when it has that value (any case), e.g. {@code State=Error}
     * @param group      the group, or null when the rule stands alone
     */
    public record Rule(String topic, Category category, List<String> stateItems, String group) {
        /** Copies the list. */
        public Rule {
            stateItems = List.copyOf(stateItems);
        }

        /**
         * A rule in no group.
         *
         * @param topic      the topic prefix without namespace prefixes
         * @param category   the category
         * @param stateItems the state items: a boolean item's name, or {@code Name=Value} for an item whose state is
     *                   true exactly when it has that value (any case), e.g. {@code State=Error}
         */
        public Rule(String topic, Category category, List<String> stateItems) {
            this(topic, category, stateItems, null);
        }
    }

    /**
     * What a notification means.
     *
     * @param rule  the rule that matched
     * @param state the state (true = active), or null for a stateless topic
     * @param zone  the zone: the input token, the video source's token (a configuration's token becomes its
     *              source's where the device's profiles tell), or the rule name; or null
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
        return map(m, VideoSources.NONE);
    }

    Optional<Mapped> map(NotificationMessage m, VideoSources sources) {
        for (Rule r : rules) {
            if (m.topic().equals(r.topic()) || m.topic().startsWith(r.topic() + "/")) {
                if (r.stateItems().isEmpty()) {
                    return Optional.of(new Mapped(r, null, zone(m, sources)));
                }
                for (String item : r.stateItems()) {
                    int eq = item.indexOf('=');
                    String v = m.data().get(eq < 0 ? item : item.substring(0, eq));
                    if (v != null) {
                        Boolean b = eq < 0 ? bool(v) : Boolean.valueOf(v.trim().equalsIgnoreCase(item.substring(eq + 1)));
                        return b == null ? Optional.empty() : Optional.of(new Mapped(r, b, zone(m, sources)));
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String zone(NotificationMessage m, VideoSources sources) {
        // a video topic's Source is a video source token; elsewhere (storage, relays) it names something else
        boolean video = m.topic().startsWith("VideoSource/") || m.topic().startsWith("RuleEngine/");
        for (String k : List.of("InputToken", "Source", "VideoSourceToken", "VideoSourceConfigurationToken", "Rule")) {
            String v = m.source().get(k);
            if (v != null && !v.isEmpty()) {
                boolean videoItem = k.startsWith("Video") || k.equals("Source") && video;
                return videoItem ? sources.source(v) : v;
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
