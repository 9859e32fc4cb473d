package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.arc4j.core.event.Category;
import org.junit.jupiter.api.Test;

/** The topic mapping over the ONVIF topics and their vendor variants. */
class OnvifTopicMappingTest {
    static NotificationMessage msg(String topic, Map<String, String> source, Map<String, String> data) {
        return new NotificationMessage(topic, "tns1:" + topic, null, "", "Changed", source, Map.of(), data);
    }

    static OnvifTopicMapping.Mapped map(String topic, Map<String, String> source, Map<String, String> data) {
        return OnvifTopicMapping.DEFAULT.map(msg(topic, source, data)).orElse(null);
    }

    @Test
    void topicsAndVariants() {
        assertThat(map("VideoSource/MotionAlarm", Map.of("Source", "VS1"), Map.of("State", "true")))
                .satisfies(m -> {
                    assertThat(m.rule().category()).isEqualTo(Category.INTRUSION);
                    assertThat(m.state()).isTrue();
                    assertThat(m.zone()).isEqualTo("VS1");
                });
        assertThat(map("RuleEngine/CellMotionDetector/Motion", Map.of(), Map.of("IsMotion", "false")).state()).isFalse();
        assertThat(map("RuleEngine/MotionRegionDetector/Motion", Map.of(), Map.of("State", "1")).state()).isTrue();
        assertThat(map("RuleEngine/MotionRegionDetector/Motion", Map.of(), Map.of("State", "0")).state()).isFalse();
        assertThat(map("VideoSource/GlobalSceneChange/ImagingService", Map.of(), Map.of("State", "TRUE")).rule()
                .category()).isEqualTo(Category.TAMPER);
        assertThat(map("RuleEngine/TamperDetector/Tamper", Map.of(), Map.of("IsTamper", "true")).rule().category())
                .isEqualTo(Category.TAMPER);
        assertThat(map("VideoSource/SignalLoss", Map.of(), Map.of("State", "true")).rule().category())
                .isEqualTo(Category.VIDEO_FAULT);
        // a camera's or recorder's disk and recording job are video faults (GA 1383: camera faults), a fan is not
        assertThat(map("Device/HardwareFailure/StorageFailure", Map.of("Token", "SD_1"), Map.of("Failed", "true")))
                .satisfies(m -> {
                    assertThat(m.rule().category()).isEqualTo(Category.VIDEO_FAULT);
                    assertThat(m.state()).isTrue();
                });
        assertThat(map("Device/HardwareFailure/FanFailure", Map.of(), Map.of("Failed", "true")).rule().category())
                .isEqualTo(Category.DEVICE_FAULT);
        assertThat(map("RecordingConfig/JobState", Map.of("RecordingJobToken", "J1"), Map.of("State", "Error")))
                .satisfies(m -> {
                    assertThat(m.rule().category()).isEqualTo(Category.VIDEO_FAULT);
                    assertThat(m.state()).isTrue();
                });
        assertThat(map("RecordingConfig/JobState", Map.of(), Map.of("State", "Active")).state()).isFalse();
        assertThat(map("RecordingConfig/JobState", Map.of(), Map.of("State", "Idle")).state()).isFalse();
        assertThat(map("Device/Trigger/DigitalInput", Map.of("InputToken", "DI_3"), Map.of("LogicalState", "true")))
                .satisfies(m -> assertThat(m.zone()).isEqualTo("DI_3"));
        assertThat(map("RuleEngine/LineDetector/Crossed", Map.of("Rule", "Fence"), Map.of("ObjectId", "7")))
                .satisfies(m -> assertThat(m.state()).isNull());
        // not alarms
        assertThat(map("Monitoring/OperatingTime/LastReboot", Map.of(), Map.of("Status", "2025-04-17T15:31:49Z"))).isNull();
        assertThat(map("VideoSource/MotionAlarmX", Map.of(), Map.of("State", "true"))).isNull();
        assertThat(map("VideoSource/MotionAlarm", Map.of(), Map.of("State", "maybe"))).isNull();
        assertThat(map("Device/Trigger/Relay", Map.of(), Map.of("LogicalState", "active"))).isNull();
    }

    @Test
    void booleans() {
        for (String t : new String[] {"true", "True", " 1 ", "active"}) {
            assertThat(OnvifTopicMapping.bool(t)).as(t).isTrue();
        }
        for (String t : new String[] {"false", "FALSE", "0", "inactive"}) {
            assertThat(OnvifTopicMapping.bool(t)).as(t).isFalse();
        }
        assertThat(OnvifTopicMapping.bool("2")).isNull();
    }
}
