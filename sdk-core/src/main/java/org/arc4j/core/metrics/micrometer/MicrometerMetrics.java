package org.arc4j.core.metrics.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.MetricId;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.metrics.Timer;

/**
 * {@link Metrics} that records every count and every timer sample into a Micrometer {@link MeterRegistry} as
 * well as into a local {@link Metrics} (a {@link SimpleMetrics} unless one is given, e.g. a
 * {@link org.arc4j.core.metrics.JmxMetrics} to keep the MXBeans).
 *
 * <p>Names and tags carry over unchanged: {@code timer("pipeline.step", "step", "ACCEPTED")} becomes the
 * Micrometer timer {@code pipeline.step} with the tag {@code step=ACCEPTED}, which a Prometheus registry
 * exposes as {@code pipeline_step_seconds}. Every timer publishes a percentile histogram and the client-side
 * percentiles p50, p90, p99 and p99.9, because the SDK's timers are the GA 1383 response-time steps and their
 * tails are what a centre is judged on; the SPI's own {@link Timer} keeps only count, total and maximum.
 *
 * <p>The SPI's {@link #counts()} and {@link #timers()} answer from the local metrics, so the all-time maximum
 * of {@link Timer#maxNanos()} is kept (Micrometer's maximum decays over its step). Thread-safe; the same name
 * and tags always return the same instrument.
 *
 * <p>Micrometer is an optional dependency of {@code sdk-core}: an application using this class brings
 * {@code io.micrometer:micrometer-core} itself.
 */
// MeterRegistry in the signatures is Micrometer's own type: a caller that can name it has Micrometer on its path,
// and "requires static transitive" would force Micrometer onto every module reading org.arc4j.core
@SuppressWarnings("exports")
public final class MicrometerMetrics implements Metrics {
    /** The client-side percentiles every timer publishes: p50, p90, p99, p99.9. */
    public static final List<Double> PERCENTILES = List.of(0.5, 0.9, 0.99, 0.999);
    private static final double[] PHI = PERCENTILES.stream().mapToDouble(Double::doubleValue).toArray();

    private final MeterRegistry registry;
    private final Metrics local;
    private final ConcurrentHashMap<MetricId, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MetricId, Timer> timers = new ConcurrentHashMap<>();

    /**
     * Metrics in a registry, with a {@link SimpleMetrics} for the SPI's own views.
     *
     * @param registry where every sample goes
     */
    public MicrometerMetrics(MeterRegistry registry) {
        this(registry, new SimpleMetrics());
    }

    /**
     * Metrics in a registry and in other metrics at once (e.g. {@link org.arc4j.core.metrics.JmxMetrics}).
     *
     * @param registry where every sample goes
     * @param local    where every sample also goes, and what {@link #counts()} and {@link #timers()} read
     */
    public MicrometerMetrics(MeterRegistry registry, Metrics local) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.local = Objects.requireNonNull(local, "local");
    }

    /** @return the registry every sample goes to */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(MetricId.of(name, tags), id -> new BridgedCounter(local.counter(name, tags),
                io.micrometer.core.instrument.Counter.builder(name).tags(Tags.of(tags)).register(registry)));
    }

    @Override
    public Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(MetricId.of(name, tags), id -> new BridgedTimer(local.timer(name, tags),
                io.micrometer.core.instrument.Timer.builder(name).tags(Tags.of(tags))
                        .publishPercentileHistogram()
                        .publishPercentiles(PHI)
                        .register(registry)));
    }

    @Override
    public Map<MetricId, Long> counts() {
        return local.counts();
    }

    @Override
    public Map<MetricId, Timer> timers() {
        return local.timers();
    }

    private record BridgedCounter(Counter local, io.micrometer.core.instrument.Counter meter) implements Counter {
        @Override
        public void increment() {
            local.increment();
            meter.increment();
        }

        @Override
        public void add(long n) {
            local.add(n); // rejects a negative n before Micrometer sees it
            meter.increment(n);
        }

        @Override
        public long count() {
            return local.count();
        }
    }

    private record BridgedTimer(Timer local, io.micrometer.core.instrument.Timer meter) implements Timer {
        @Override
        public void recordNanos(long nanos) {
            local.recordNanos(nanos); // rejects a negative duration before Micrometer sees it
            meter.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void record(Duration d) {
            recordNanos(d.toNanos());
        }

        @Override
        public long count() {
            return local.count();
        }

        @Override
        public long totalNanos() {
            return local.totalNanos();
        }

        @Override
        public long maxNanos() {
            return local.maxNanos();
        }
    }
}
