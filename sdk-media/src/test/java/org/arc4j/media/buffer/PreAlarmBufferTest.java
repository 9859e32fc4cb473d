package org.arc4j.media.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.metrics.SimpleMetrics;
import org.junit.jupiter.api.Test;

class PreAlarmBufferTest {
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    /** 25 fps video with a key frame every {@code gop} frames, each frame {@code size} bytes. */
    static List<BufferedFrame> video(int seconds, int gop, int size) {
        List<BufferedFrame> out = new ArrayList<>();
        for (int i = 0; i < seconds * 25; i++) {
            out.add(new BufferedFrame(T0.plusMillis(i * 40L), i % gop == 0, new byte[size]));
        }
        return out;
    }

    @Test
    void keepsAtLeastItsDepthInWholeGroupsAndEveryReadStartsAtAKeyFrame() {
        BufferBudget budget = new BufferBudget(1L << 30, new SimpleMetrics());
        PreAlarmBuffer b = new PreAlarmBuffer("cam-1", Duration.ofSeconds(10), budget);
        for (BufferedFrame f : video(60, 50, 1000)) { // a key frame every 2 s
            b.add(f);
        }
        Instant newest = T0.plusMillis((60 * 25 - 1) * 40L);
        assertThat(b.newest()).isEqualTo(newest);
        Duration held = Duration.between(b.oldest(), b.newest());
        assertThat(held).isGreaterThanOrEqualTo(Duration.ofSeconds(10)).isLessThan(Duration.ofSeconds(12));
        assertThat(budget.used()).isEqualTo(b.bytes()).isEqualTo(b.frames() * 1000);
        // from any point: starts at the key frame at or before it, runs to the newest
        Instant alarm = newest.minusSeconds(5).minusMillis(300);
        List<BufferedFrame> clip = b.readFrom(alarm);
        assertThat(clip.get(0).key()).isTrue();
        assertThat(clip.get(0).at()).isBeforeOrEqualTo(alarm).isAfter(alarm.minusSeconds(2));
        assertThat(clip.get(clip.size() - 1).at()).isEqualTo(newest);
        for (int i = 1; i < clip.size(); i++) {
            assertThat(clip.get(i).at()).isAfter(clip.get(i - 1).at());
        }
        // older than anything held: from the oldest
        assertThat(b.readFrom(T0).get(0).at()).isEqualTo(b.oldest());
        b.clear();
        assertThat(budget.used()).isZero();
    }

    @Test
    void framesBeforeTheFirstKeyFrameAreNotKept() {
        PreAlarmBuffer b = new PreAlarmBuffer("cam", Duration.ofSeconds(10),
                new BufferBudget(1 << 20, new SimpleMetrics()));
        assertThat(b.add(new BufferedFrame(T0, false, new byte[10]))).isFalse();
        assertThat(b.readFrom(T0)).isEmpty();
        assertThat(b.add(new BufferedFrame(T0.plusMillis(40), true, new byte[10]))).isTrue();
        assertThat(b.add(new BufferedFrame(T0.plusMillis(80), false, new byte[10]))).isTrue();
        assertThat(b.readFrom(T0.plusMillis(80))).hasSize(2);
    }

    @Test
    void overBudgetABufferGivesUpItsOwnOldestVideoNeverTheNewestAndCountsIt() {
        SimpleMetrics metrics = new SimpleMetrics();
        // room for about 4 s of this stream, asked to keep 10 s
        BufferBudget budget = new BufferBudget(100 * 1000, metrics);
        PreAlarmBuffer b = new PreAlarmBuffer("cam", Duration.ofSeconds(10), budget);
        for (BufferedFrame f : video(30, 25, 1000)) {
            b.add(f);
        }
        assertThat(budget.overruns()).isPositive();
        assertThat(metrics.counter("media.buffer.overruns").count()).isEqualTo(budget.overruns());
        assertThat(b.newest()).isEqualTo(T0.plusMillis((30 * 25 - 1) * 40L));
        assertThat(b.readFrom(T0).get(0).key()).isTrue();
        assertThat(budget.used()).isLessThanOrEqualTo(100 * 1000 + 25 * 1000);
    }

    @Test
    void audioAndPicturesKeepTheirDepthExactly() {
        PreAlarmBuffer pictures = new PreAlarmBuffer("cam/jpeg", Duration.ofSeconds(10),
                new BufferBudget(1 << 30, new SimpleMetrics()));
        for (int i = 0; i < 200; i++) { // 5 pictures a second for 40 s
            pictures.add(new BufferedFrame(T0.plusMillis(i * 200L), true, new byte[100]));
        }
        assertThat(Duration.between(pictures.oldest(), pictures.newest())).isEqualTo(Duration.ofSeconds(10));
        Instant from = pictures.newest().minusMillis(1100);
        assertThat(pictures.readFrom(from).get(0).at()).isEqualTo(pictures.newest().minusMillis(1200));
    }

    @Test
    void theDepthIsGa1383s10To30Seconds() {
        BufferBudget budget = new BufferBudget(1, new SimpleMetrics());
        assertThatThrownBy(() -> new PreAlarmBuffer("c", Duration.ofSeconds(9), budget))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PreAlarmBuffer("c", Duration.ofSeconds(31), budget))
                .isInstanceOf(IllegalArgumentException.class);
        // capacity planning as the javadoc states it: 1080P at 8,192 kbit/s for 30 s, and how many fit in 16 GB
        long perChannel = BufferBudget.bytesPerChannel(8192, 30);
        assertThat(perChannel).isEqualTo(32_768_000L);
        assertThat((16L << 30) / perChannel).isBetween(500L, 530L);
    }

    @Test
    void picturesAreSampledEvenlyAtTheAskedRate() {
        List<BufferedFrame> frames = video(4, 1, 10); // 25 key frames a second
        List<BufferedFrame> four = PictureSampler.INSTANCE.sample(frames, T0, T0.plusSeconds(3),
                PictureSampler.MIN_RATE, Duration.ofMillis(60));
        assertThat(four).hasSize(12);
        for (int i = 0; i < four.size(); i++) {
            // the frame nearest each 250 ms tick (frames every 40 ms; a tie goes to the later frame)
            assertThat(four.get(i).at()).isEqualTo(T0.plusMillis((i * 250L + 20) / 40 * 40));
        }
        // a sparse source: a tick without a picture near it is left out rather than repeated
        List<BufferedFrame> sparse = List.of(new BufferedFrame(T0, true, new byte[1]),
                new BufferedFrame(T0.plusSeconds(2), true, new byte[1]));
        assertThat(PictureSampler.INSTANCE.sample(sparse, T0, T0.plusSeconds(3), 4, Duration.ofMillis(100)))
                .extracting(BufferedFrame::at).containsExactly(T0, T0.plusSeconds(2));
    }
}
