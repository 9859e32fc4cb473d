package org.arc4j.core.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.MetricId;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.metrics.Timer;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SimpleMetrics local = new SimpleMetrics();
    private final MicrometerMetrics metrics = new MicrometerMetrics(registry, local);

    @Test
    void everyTimerSampleReachesMicrometerWithItsTags() {
        Timer t = metrics.timer("pipeline.step", "step", "ACCEPTED");
        for (int ms = 1; ms <= 1000; ms++) {
            t.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms));
        }
        t.record(Duration.ofSeconds(5));

        io.micrometer.core.instrument.Timer m = registry.get("pipeline.step").tag("step", "ACCEPTED").timer();
        assertThat(m.count()).isEqualTo(1001);
        assertThat(m.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(500_500 + 5000);
        assertThat(m.max(TimeUnit.MILLISECONDS)).isEqualTo(5000);
        HistogramSnapshot s = m.takeSnapshot();
        assertThat(Arrays.stream(s.percentileValues()).mapToDouble(ValueAtPercentile::percentile))
                .containsExactly(0.5, 0.9, 0.99, 0.999);
        // Micrometer's percentiles are approximate (bucketed): within a few percent of the exact rank
        assertThat(s.percentileValues()[2].value(TimeUnit.MILLISECONDS)).isBetween(950.0, 1050.0);
        // (the percentile histogram's buckets only show in registries that aggregate them, e.g. Prometheus: the
        // centre's MetricsEndpointTest reads them there)

        // the SPI's own view keeps count, total and the all-time maximum
        assertThat(t.count()).isEqualTo(1001);
        assertThat(t.totalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(505_500));
        assertThat(t.maxNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(metrics.timers().get(MetricId.of("pipeline.step", "step", "ACCEPTED")).count()).isEqualTo(1001);
    }

    @Test
    void everyCountReachesMicrometerWithItsTags() {
        Counter nak = metrics.counter("dc09.frames", "outcome", "nak", "reason", "timestamp");
        Counter ack = metrics.counter("dc09.frames", "outcome", "ack", "reason", "none");
        nak.increment();
        nak.add(4);
        for (int i = 0; i < 7; i++) {
            ack.increment();
        }

        assertThat(registry.get("dc09.frames").tags("outcome", "nak", "reason", "timestamp").counter().count())
                .isEqualTo(5);
        assertThat(registry.get("dc09.frames").tags("outcome", "ack").counter().count()).isEqualTo(7);
        assertThat(metrics.counts()).containsEntry(MetricId.of("dc09.frames", "outcome", "nak", "reason", "timestamp"),
                5L);
        assertThat(local.counts()).hasSize(2);
    }

    @Test
    void theSameNameAndTagsGiveTheSameInstrumentAndOneMeter() {
        assertThat(metrics.timer("journal.force")).isSameAs(metrics.timer("journal.force"));
        assertThat(metrics.counter("a", "k", "v")).isSameAs(metrics.counter("a", "k", "v"));
        // a timer is one meter plus one gauge per client-side percentile
        assertThat(registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).distinct())
                .containsExactlyInAnyOrder("journal.force", "journal.force.percentile", "a");
        assertThat(registry.find("journal.force").timers()).hasSize(1);
    }

    @Test
    void badValuesAreRefusedBeforeEitherSideCountsThem() {
        Timer t = metrics.timer("t");
        Counter c = metrics.counter("c");
        assertThatThrownBy(() -> t.recordNanos(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.add(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.get("t").timer().count()).isZero();
        assertThat(registry.get("c").counter().count()).isZero();
        assertThatThrownBy(() -> metrics.counter("odd", "tagWithoutValue"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
