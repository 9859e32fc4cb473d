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

    StreamQualityMonitor planned1080p() {
        monitor.close();
        return StreamQualityMonitor.builder("cam-3", () -> AlarmEvent.builder().account("cam-3")
                        .protocol(Protocol.ONVIF).ingress(new Ingress("rtsp", "cam-3")).code(CodeSystem.ONVIF, "x"),
                intake, scheduler, metrics).referenceKbps(StreamQualityMonitor.REFERENCE_1080P_KBPS).build();
    }

    @Test
    void eachSecondReportsFrameRateAndBitrateAgainstTheReferenceAndATypedState() {
        try (StreamQualityMonitor m = planned1080p()) {
            for (int s = 0; s < 3; s++) {
                for (int f = 0; f < 25; f++) {
                    m.onFrame(20_480); // 25 × 20,480 bytes × 8 = 4,096 kbit/s: half the 1080P plan
                }
                scheduler.advance(Duration.ofSeconds(1));
            }
            StreamQualityMonitor.Quality q = m.quality();
            assertThat(q.channel()).isEqualTo("cam-3");
            assertThat(q.at()).isEqualTo(Instant.parse("2026-03-01T02:00:03Z"));
            assertThat(q.state()).isEqualTo(StreamQualityMonitor.State.OK);
            assertThat(q.fps()).isEqualTo(25);
            assertThat(q.kbps()).isEqualTo(4_096);
            assertThat(q.referenceKbps()).isEqualTo(8_192);
            assertThat(q.percentOfReference()).isEqualTo(50.0);
            assertThat(q.lostPackets()).isZero();

            for (int f = 0; f < 14; f++) {
                m.onFrame(1000);
            }
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(m.state()).isEqualTo(StreamQualityMonitor.State.BELOW_MIN_FPS);
            assertThat(m.quality().fps()).isEqualTo(14);

            scheduler.advance(Duration.ofSeconds(1)); // one second without frames: below, not yet stalled
            assertThat(m.state()).isEqualTo(StreamQualityMonitor.State.BELOW_MIN_FPS);
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(m.state()).isEqualTo(StreamQualityMonitor.State.STALLED);
            assertThat(m.quality().kbps()).isZero();

            scheduler.advance(Duration.ofSeconds(7)); // below since second 4: the fault, said to be a stall
            assertThat(m.quality().faulted()).isTrue();
            assertThat(intake.events()).filteredOn(e -> e.account().equals("cam-3")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.extended()).containsEntry("state", "STALLED");
                        assertThat(e.description()).startsWith("video stalled for 10 s");
                    });

            for (int f = 0; f < 15; f++) {
                m.onFrame(1000);
            }
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(m.state()).isEqualTo(StreamQualityMonitor.State.OK); // 15 fps is enough
        }
    }

    @Test
    void rtpLossAndJitterComeFromTheReceiversFigures() {
        try (StreamQualityMonitor m = planned1080p()) {
            org.arc4j.media.rtp.JitterBuffer rtp = new org.arc4j.media.rtp.JitterBuffer(0, 90_000, p -> m.onFrame(
                    p.payloadLength()));
            long nanos = 0;
            int seq = 0;
            for (int s = 0; s < 4; s++) {
                for (int f = 0; f < 25; f++, seq++) {
                    // seconds 0 and 1 in time, then arrivals alternately 10 ms late; from second 2 every fifth lost
                    long arrival = nanos + (s >= 2 && seq % 2 == 1 ? 10_000_000 : 0);
                    nanos += 40_000_000;
                    if (s >= 2 && seq % 5 == 0) {
                        continue;
                    }
                    rtp.offer(new org.arc4j.media.rtp.RtpPacket(true, 96, seq, seq * 3600L, 0xCAFE, 0,
                            new byte[1000]), arrival);
                }
                m.onReception(rtp.statistics());
                scheduler.advance(Duration.ofSeconds(1));
                StreamQualityMonitor.Quality q = m.quality();
                if (s < 2) {
                    assertThat(q.lostPackets()).isZero();
                    assertThat(q.jitterMillis()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-9));
                    assertThat(q.fps()).isEqualTo(25);
                } else {
                    assertThat(q.lostPackets()).isEqualTo(5);
                    assertThat(q.lossPercent()).isEqualTo(20.0);
                    assertThat(q.fps()).isEqualTo(20);
                    // RFC 3550 A.8: J moves 1/16 of the way to |D| each packet; |D| is 10 ms here
                    assertThat(q.jitterMillis()).isGreaterThan(2.0).isLessThanOrEqualTo(10.0);
                }
            }
            assertThat(m.quality().jitterMillis()).isGreaterThan(6.0); // converging on the 10 ms
            assertThat(metrics.counter("media.stream.lost", "channel", "cam-3").count()).isEqualTo(10);
        }
    }
}
