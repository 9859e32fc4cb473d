package org.arc4j.examples.center.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.arc4j.examples.center.config.CenterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration's {@code video:} section: what it reads, and a one-line refusal naming the place. */
class VideoConfigTest {
    private static final String SITE = "customers:\n  - id: C1\n    name: x\n    sites:\n      - id: S1\n";

    @Test
    void readsCamerasWithTheirDepthsAndPlaces(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), SITE + "video:\n  preAlarm: 20s\n  clipMax: 45s\n"
                + "  cameras:\n"
                + "    - { id: cam1, name: 金库, site: S1, zone: \"002\", rtsp: \"rtsp://10.0.0.5/live\", "
                + "onvif: \"http://10.0.0.5/onvif/device_service\", username: admin, password: pw, x: 0.5, y: 0.25 }\n"
                + "    - { id: cam2, site: S1, rtsp: \"rtsp://10.0.0.6/live\", preAlarm: 10s }\n");
        VideoConfig v = CenterConfig.load(f).video();
        assertThat(v.preAlarmDepth()).isEqualTo(Duration.ofSeconds(20));
        assertThat(v.clipMaxDuration()).isEqualTo(Duration.ofSeconds(45));
        assertThat(v.cameras()).extracting(VideoConfig.Camera::id).containsExactly("cam1", "cam2");
        assertThat(v.cameras().get(0).preAlarmDepth(v.preAlarmDepth())).isEqualTo(Duration.ofSeconds(20));
        assertThat(v.cameras().get(1).preAlarmDepth(v.preAlarmDepth())).isEqualTo(Duration.ofSeconds(10));
        assertThat(v.cameras().get(0).x()).isEqualTo(0.5);
    }

    @Test
    void withoutTheSectionThereAreNoCameras() {
        assertThat(CenterConfig.empty().video().cameras()).isEmpty();
        assertThat(CenterConfig.empty().video().preAlarmDepth()).isEqualTo(Duration.ofSeconds(15));
        assertThat(CenterConfig.empty().video().clipMaxDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{ id: cam1, site: S9, rtsp: \"rtsp://h/x\" }                              | site 'S9' is not a site",
        "{ id: \"cam 1\", site: S1, rtsp: \"rtsp://h/x\" }                         | id must be",
        "{ id: cam1, site: S1, rtsp: \"http://h/x\" }                              | rtsp must be an rtsp:// URL",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", onvif: \"ftp://h/x\" }        | onvif must be",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", username: u }                 | username and password go together",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", preAlarm: 5s }                | 10 to 30 s",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", preAlarm: 31s }               | 10 to 30 s",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", preAlarm: soon }              | preAlarm",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", x: 1.5, y: 0 }                | fractions of the site plan",
        "{ id: cam1, site: S1 }                                                   | either rtsp or gb28181",
        "{ id: cam1, site: S1, rtsp: \"rtsp://h/x\", gb28181: \"34020000001310000001\" } | either rtsp or gb28181",
        "{ id: cam1, site: S1, gb28181: \"3402000000131\" }                        | gb28181 must be a 20-digit",
    })
    void aBadCameraIsRefusedInOneLineNamingIt(String camera, String problem, @TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), SITE + "video:\n  cameras:\n    - " + camera + "\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("video.cameras[0]: ").hasMessageContaining(problem)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anIdIsUsedOnce(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), SITE + "video:\n  cameras:\n"
                + "    - { id: cam1, site: S1, rtsp: \"rtsp://h/x\" }\n    - { id: cam1, site: S1, rtsp: \"rtsp://h/y\" }\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).hasMessageContaining("video.cameras[1]: id 'cam1' is used twice");
    }

    @Test
    void theSectionDefaultsAreChecked() {
        assertThat(new VideoConfig("1h", null, null).problem(Set.of())).isNull();
        VideoConfig bad = new VideoConfig(null, "forever", null);
        assertThat(bad.problem(Set.of())).startsWith("video: ");
        VideoConfig.Camera c = new VideoConfig.Camera("c", null, "S1", null, "rtsp://h/x", null, null, null, null, null,
                null, null);
        assertThat(new VideoConfig("1h", null, java.util.List.of(c)).problem(Set.of("S1")))
                .isEqualTo("video.cameras[0]: preAlarm must be 10 to 30 s (GA 1383)");
    }

    @Test
    void depthsBySiteOrCustomerAndCamerasAreasAndCategories(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), SITE + "video:\n  preAlarm: 15s\n"
                + "  preAlarmBy: { S1: 25s, C1: 20s }\n  cameras:\n"
                + "    - { id: cam1, site: S1, rtsp: \"rtsp://h/x\", area: 东城区, category: 金库 }\n");
        VideoConfig v = CenterConfig.load(f).video();
        assertThat(v.preAlarmDepth("S1", "C1")).isEqualTo(Duration.ofSeconds(25)); // the site's wins
        assertThat(v.preAlarmDepth("S2", "C1")).isEqualTo(Duration.ofSeconds(20)); // else the customer's
        assertThat(v.preAlarmDepth("S2", "C9")).isEqualTo(Duration.ofSeconds(15)); // else the section's
        assertThat(v.cameras().get(0).area()).isEqualTo("东城区");
        assertThat(v.cameras().get(0).category()).isEqualTo("金库");
        assertThat(new VideoConfig(null, null, null, java.util.Map.of("S1", "5s")).problem(Set.of("S1")))
                .isEqualTo("video.preAlarmBy.S1: preAlarm must be 10 to 30 s (GA 1383)");
    }

    @Test
    void aPreAlarmDepthForAnUnknownSiteOrCustomerIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("c.yaml"), SITE + "video:\n  preAlarmBy: { S1: 25s, C7: 20s }\n");
        assertThatThrownBy(() -> CenterConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("video.preAlarmBy.C7: 'C7' is neither a site nor a customer");
        assertThat(new VideoConfig(null, null, null, java.util.Map.of("S1", "20s", "C1", "20s"))
                .problem(Set.of("S1"), Set.of("C1"))).isNull();
        assertThat(new VideoConfig(null, null, null, java.util.Map.of("s1", "20s")).problem(Set.of("S1"), Set.of("C1")))
                .as("ids are exact").isEqualTo("video.preAlarmBy.s1: 's1' is neither a site nor a customer");
    }
}
