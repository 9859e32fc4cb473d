package org.arc4j.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

/** What the builder accepts, and that a URI's login never stays in it. */
class RtspClientBuilderTest {
    private final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void userInformationIsRemovedEvenWhenEscaped() {
        RtspClient c = RtspClient.builder(URI.create("rtsp://admin:p%40ss%3Aword@192.0.2.10:8554/h264?ch=1"))
                .scheduler(clock).build();
        assertThat(c.uri()).isEqualTo(URI.create("rtsp://192.0.2.10:8554/h264?ch=1"));
        assertThat(c.uri().toString()).doesNotContain("admin").doesNotContain("p%40ss");
        assertThat(RtspClient.withoutUserInfo(URI.create("rtsp://h/x"))).isEqualTo(URI.create("rtsp://h/x"));
        // a login java.net.URI cannot parse as server-based authority (the '_' in the host) is removed all the same
        assertThat(RtspClient.withoutUserInfo(URI.create("rtsp://u:pw@cam_1:554/live")).toString())
                .isEqualTo("rtsp://cam_1:554/live");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> RtspClient.builder(URI.create("http://h/x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspClient.builder(URI.create("rtsp://user:secret@/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> RtspClient.builder(URI.create("rtsp://h/x")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scheduler");
        assertThatThrownBy(() -> RtspClient.builder(URI.create("rtsp://h/x")).transports())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspClient.builder(URI.create("rtsp://h/x"))
                .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspClient.builder(URI.create("rtsp://h/x")).readIdleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtspClient.builder(URI.create("rtsp://h/x")).limits(100, 65_535, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
