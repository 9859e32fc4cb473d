package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which video source an event's source items name, as the device's profiles tell. */
class VideoSourcesTest {
    private static final MediaProfile MAIN = new MediaProfile("Profile_1", "main", "H264", 1920, 1080,
            "VideoSource_1", "", 2, "VideoSourceToken");
    private static final MediaProfile SECOND = new MediaProfile("Profile_2", "second", "H264", 1920, 1080,
            "VideoSource_2", "", 2, "VideoSourceConfig_2");

    private static NotificationMessage message(String topic, Map<String, String> source) {
        return new NotificationMessage(topic, "tns1:" + topic, Instant.EPOCH, "1970-01-01T00:00:00Z", "Changed",
                source, Map.of(), Map.of("State", "true", "IsMotion", "true"));
    }

    @Test
    void aConfigurationTokenBecomesItsSourcesAndAKnownSourceStays() {
        VideoSources s = VideoSources.of(List.of(MAIN, SECOND));
        assertThat(s.source("VideoSourceToken")).isEqualTo("VideoSource_1");
        assertThat(s.source("VideoSourceConfig_2")).isEqualTo("VideoSource_2");
        assertThat(s.source("VideoSource_2")).isEqualTo("VideoSource_2");
        assertThat(s.source("other")).as("two sources: an unknown token cannot be told").isEqualTo("other");
        assertThat(VideoSources.of(List.of(MAIN)).source("0")).as("one source: every video token is it")
                .isEqualTo("VideoSource_1");
        assertThat(VideoSources.NONE.source("VideoSourceToken")).isEqualTo("VideoSourceToken");
    }

    @Test
    void theSourceItemsCamerasUseMapToOneZone() {
        VideoSources s = VideoSources.of(List.of(MAIN, SECOND));
        OnvifTopicMapping m = OnvifTopicMapping.DEFAULT;
        assertThat(m.map(message("VideoSource/MotionAlarm", Map.of("Source", "VideoSource_1")), s).orElseThrow()
                .zone()).isEqualTo("VideoSource_1");
        assertThat(m.map(message("RuleEngine/CellMotionDetector/Motion", Map.of("VideoSourceConfigurationToken",
                "VideoSourceToken", "Rule", "MyMotionDetectorRule")), s).orElseThrow().zone())
                .isEqualTo("VideoSource_1");
        assertThat(m.map(message("RuleEngine/MotionRegionDetector/Motion", Map.of("VideoSourceToken",
                "VideoSourceConfig_2")), s).orElseThrow().zone()).isEqualTo("VideoSource_2");
        // a digital input's token is not a video source
        assertThat(VideoSources.of(List.of(MAIN)).source("VideoSource_1")).isEqualTo("VideoSource_1");
        assertThat(m.map(new NotificationMessage("Device/Trigger/DigitalInput", "tns1:Device/Trigger/DigitalInput",
                Instant.EPOCH, "1970-01-01T00:00:00Z", "Changed", Map.of("InputToken", "AlarmIn_1"),
                Map.of(), Map.of("LogicalState", "true")), VideoSources.of(List.of(MAIN))).orElseThrow().zone())
                .isEqualTo("AlarmIn_1");
        assertThat(m.map(message("RuleEngine/CellMotionDetector/Motion", Map.of("VideoSourceConfigurationToken",
                "VideoSourceToken"))).orElseThrow().zone()).as("without profiles, as the event says")
                .isEqualTo("VideoSourceToken");
    }
}
