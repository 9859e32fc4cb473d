package org.arc4j.core.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * {@link Metrics} kept in memory, with no export. Thread-safe; instruments are lock-free.
 */
public final class SimpleMetrics implements Metrics {
    private final ConcurrentHashMap<MetricId, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<MetricId, Timer> timers = new ConcurrentHashMap<>();
    private final BiConsumer<MetricId, Object> onCreate;

    /** Metrics in memory only. */
    public SimpleMetrics() {
        this((id, instrument) -> { });
    }

    SimpleMetrics(BiConsumer<MetricId, Object> onCreate) {
        this.onCreate = onCreate;
    }

    @Override
    public Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(MetricId.of(name, tags), id -> {
            Counter c = new AdderCounter();
            onCreate.accept(id, c);
            return c;
        });
    }

    @Override
    public Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(MetricId.of(name, tags), id -> {
            Timer t = new AdderTimer();
            onCreate.accept(id, t);
            return t;
        });
    }

    @Override
    public Map<MetricId, Long> counts() {
        Map<MetricId, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        counters.forEach((id, c) -> out.put(id, c.count()));
        return out;
    }

    @Override
    public Map<MetricId, Timer> timers() {
        return Map.copyOf(timers);
    }

    private static final class AdderCounter implements Counter {
        private final LongAdder adder = new LongAdder();

        @Override
        public void increment() {
            adder.increment();
        }

        @Override
        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a counter only grows: " + n);
            }
            adder.add(n);
        }

        @Override
        public long count() {
            return adder.sum();
        }
    }

    private static final class AdderTimer implements Timer {
        private final LongAdder count = new LongAdder();
        private final LongAdder total = new LongAdder();
        private final AtomicLong max = new AtomicLong();

        @Override
        public void recordNanos(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("negative duration: " + nanos);
            }
            count.increment();
            total.add(nanos);
            max.accumulateAndGet(nanos, Math::max);
        }

        @Override
        public long count() {
            return count.sum();
        }

        @Override
        public long totalNanos() {
            return total.sum();
        }

        @Override
        public long maxNanos() {
            return max.get();
        }
    }
}
