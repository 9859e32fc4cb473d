package org.arc4j.protocols.onvif;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A device's video sources as its media profiles name them, to tell that two events name the same sensor: cameras
 * name it by the source's token in one topic ({@code VideoSource/MotionAlarm}, item {@code Source}) and by the token
 * of a video source configuration in another ({@code RuleEngine/CellMotionDetector/Motion}, item
 * {@code VideoSourceConfigurationToken}; some write a configuration token under {@code VideoSourceToken}). A known
 * source token stays, a known configuration token becomes its source's token, and on a device with one video source
 * every video source item is that source. Immutable.
 */
final class VideoSources {
    /** Nothing known: every token stays as the event gives it. */
    static final VideoSources NONE = new VideoSources(Set.of(), Map.of());

    private final Set<String> sources;
    private final Map<String, String> sourceOfConfiguration;

    private VideoSources(Set<String> sources, Map<String, String> sourceOfConfiguration) {
        this.sources = Set.copyOf(sources);
        this.sourceOfConfiguration = Map.copyOf(sourceOfConfiguration);
    }

    /**
     * @param profiles the device's media profiles
     * @return their video sources and configurations
     */
    static VideoSources of(List<MediaProfile> profiles) {
        Set<String> sources = new TreeSet<>();
        Map<String, String> conf = new HashMap<>();
        for (MediaProfile p : profiles) {
            if (p.videoSourceToken().isEmpty()) {
                continue;
            }
            sources.add(p.videoSourceToken());
            if (!p.videoSourceConfigurationToken().isEmpty()) {
                conf.putIfAbsent(p.videoSourceConfigurationToken(), p.videoSourceToken());
            }
        }
        return new VideoSources(sources, conf);
    }

    /**
     * @param token a video source item's value: a source's token or a configuration's
     * @return the source's token, or the value itself when it cannot be told
     */
    String source(String token) {
        if (token == null || sources.contains(token)) {
            return token;
        }
        String s = sourceOfConfiguration.get(token);
        if (s != null) {
            return s;
        }
        return sources.size() == 1 ? sources.iterator().next() : token;
    }

    @Override
    public String toString() {
        return "VideoSources" + sources + sourceOfConfiguration;
    }
}
