package org.arc4j.media.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamQualityMonitorTest {
    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T02:00:00Z"));
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final SimpleMetrics metrics = new SimpleMetrics();
    final StreamQualityMonitor monitor = new StreamQualityMonitor("34020000001320000001",
            () -> AlarmEvent.builder().account("34020000001320000001").protocol(Protocol.ONVIF)
                    .ingress(new Ingress("rtsp", "cam-1")).code(CodeSystem.ONVIF, "VideoSource/StreamQuality"),
            intake, scheduler, metrics, StreamQualityMonitor.MIN_FPS, StreamQualityMonitor.DEFAULT_WINDOW);

    @AfterEach
    void close() {
        monitor.close();
        intake.close();
    }

    java.util.List<AlarmEvent> cam2() {
        return intake.events().stream().filter(e -> e.account().equals("cam-2")).toList();
    }

    /** {@code fps} frames of {@code size} bytes in each of {@code seconds} seconds of virtual time. */
    void play(int seconds, int fps, int size) {
        for (int s = 0; s < seconds; s++) {
            for (int f = 0; f < fps; f++) {
                monitor.onFrame(size);
            }
            scheduler.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aStreamBelow15FpsFor10SecondsIsAVideoFaultAndItsRecoveryARestore() {
        play(30, 25, 40_000); // 25 fps, 8 Mbit/s: fine
        assertThat(monitor.fps()).isEqualTo(25);
        assertThat(monitor.kbps()).isEqualTo(8_000);
        assertThat(intake.events()).isEmpty();
        play(9, 12, 10_000);
        assertThat(intake.events()).isEmpty(); // 9 s below: not yet
        play(1, 12, 10_000);
        assertThat(monitor.faulted()).isTrue();
        assertThat(intake.events()).singleElement().satisfies(e -> {
            assertThat(e.category()).isEqualTo(Category.VIDEO_FAULT);
            assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
            assertThat(e.extended()).containsEntry("fps", "12").containsEntry("channel", "34020000001320000001");
        });
        play(20, 12, 10_000);
        assertThat(intake.events()).hasSize(1); // raised once
        play(10, 25, 40_000);
        assertThat(monitor.faulted()).isFalse();
        assertThat(intake.events()).hasSize(2);
        assertThat(intake.events().get(1).qualifier()).isEqualTo(Qualifier.RESTORE);
        assertThat(metrics.counter("media.stream.frames", "channel", "34020000001320000001").count())
                .isEqualTo(30 * 25 + 30 * 12 + 10 * 25);
    }

    @Test
    void aStreamThatStopsIsAFaultAndARefusedReportIsHandedAgainUntilTaken() {
        monitor.close(); // only cam-2 is measured here
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger(3);
        org.arc4j.core.intake.AlarmIntake full = (events, key) -> refusals.getAndDecrement() > 0
                ? java.util.concurrent.CompletableFuture.completedFuture(new org.arc4j.core.intake.Receipt.Refused(
                        org.arc4j.core.intake.RefusalReason.BACKPRESSURE, "full"))
                : intake.accept(events, key);
        try (StreamQualityMonitor m = new StreamQualityMonitor("cam-2", () -> AlarmEvent.builder().account("cam-2")
                .protocol(Protocol.ONVIF).ingress(new Ingress("rtsp", "cam-2")).code(CodeSystem.ONVIF, "x"),
                full, scheduler, metrics, 15, Duration.ofSeconds(10))) {
            scheduler.advance(Duration.ofSeconds(10)); // nothing arrives at all: 0 fps
            assertThat(m.faulted()).isTrue();
            assertThat(cam2()).isEmpty(); // refused
            scheduler.advance(Duration.ofSeconds(2));
            assertThat(cam2()).isEmpty(); // refused twice more
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(cam2()).singleElement()
                    .satisfies(e -> assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT));
            scheduler.advance(Duration.ofSeconds(5));
            assertThat(cam2()).hasSize(1); // taken once, not handed again
        }
    }

    @Test
    void aBriefDipIsNoFault() {
        play(5, 25, 1000);
        play(9, 5, 1000);
        play(1, 25, 1000);
        play(9, 5, 1000);
        assertThat(intake.events()).isEmpty();
        monitor.close();
        assertThat(scheduler.pending()).isZero();
    }
}
