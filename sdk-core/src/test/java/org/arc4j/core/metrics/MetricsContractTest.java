package org.arc4j.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.arc4j.core.metrics.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricsContractTest {
    static Stream<Arguments> implementations() {
        Supplier<Metrics> simple = SimpleMetrics::new;
        Supplier<Metrics> jmx = () -> new JmxMetrics(ManagementFactory.getPlatformMBeanServer(),
                "org.arc4j.test" + System.nanoTime());
        Supplier<Metrics> micrometer = () -> new MicrometerMetrics(new SimpleMeterRegistry());
        return Stream.of(Arguments.of("simple", simple), Arguments.of("jmx", jmx),
                Arguments.of("micrometer", micrometer));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void countersAndTimersByOutcomeAndReason(String name, Supplier<Metrics> factory) {
        Metrics m = factory.get();
        Counter nak = m.counter("dc09.frames", "outcome", "nak", "reason", "timestamp");
        nak.increment();
        m.counter("dc09.frames", "outcome", "nak", "reason", "timestamp").add(2);
        m.counter("dc09.frames", "outcome", "ack", "reason", "ok").increment();
        assertThat(nak.count()).isEqualTo(3);
        assertThat(m.counts()).containsEntry(MetricId.of("dc09.frames", "outcome", "nak", "reason", "timestamp"), 3L)
                .containsEntry(MetricId.of("dc09.frames", "outcome", "ack", "reason", "ok"), 1L);

        Timer t = m.timer("intake.receipt");
        t.record(Duration.ofMillis(3));
        t.recordNanos(1_000_000);
        assertThat(t.count()).isEqualTo(2);
        assertThat(t.totalNanos()).isEqualTo(4_000_000);
        assertThat(t.maxNanos()).isEqualTo(3_000_000);
        assertThat(m.timers()).containsKey(MetricId.of("intake.receipt"));
    }

    @Test
    void jmxExposesEveryInstrument() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String domain = "org.arc4j.jmxtest";
        JmxMetrics m = new JmxMetrics(server, domain);
        m.counter("dc09.frames", "outcome", "duh").add(5);
        m.timer("sla.response", "transport", "IP").record(Duration.ofMillis(7));
        ObjectName counter = JmxMetrics.objectName(domain, MetricId.of("dc09.frames", "outcome", "duh"), "Counter");
        ObjectName timer = JmxMetrics.objectName(domain, MetricId.of("sla.response", "transport", "IP"), "Timer");
        assertThat(server.getAttribute(counter, "Count")).isEqualTo(5L);
        assertThat(server.getAttribute(timer, "MaxNanos")).isEqualTo(7_000_000L);
        assertThat(server.getAttribute(timer, "MeanNanos")).isEqualTo(7_000_000.0);
    }
}
