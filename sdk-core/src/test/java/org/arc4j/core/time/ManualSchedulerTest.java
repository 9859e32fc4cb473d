package org.arc4j.core.time;

import org.arc4j.core.testkit.ManualScheduler;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What only virtual time can show about {@link ManualScheduler}: advancing by exactly N runs exactly what falls
 * due, a limit is met or missed by one nanosecond, each task sees the clock at its own deadline, and the number
 * of tasks an advance ran. On a real clock none of these can be asserted without timing the machine. The behaviour
 * both schedulers share is in {@link SchedulerContractTest}.
 */
class ManualSchedulerTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    @Test
    void tasksRunInDeadlineOrderWithTheClockAtTheirDeadline() {
        ManualScheduler s = new ManualScheduler(T0);
        List<String> log = new CopyOnWriteArrayList<>();
        s.schedule(Duration.ofSeconds(4), () -> log.add("b@" + s.now()));
        s.schedule(Duration.ofSeconds(2), () -> log.add("a@" + s.now()));
        s.schedule(Duration.ofSeconds(4), () -> log.add("c@" + s.now()));
        assertThat(s.advance(Duration.ofSeconds(3))).isEqualTo(1);
        assertThat(log).containsExactly("a@" + T0.plusSeconds(2));
        assertThat(s.now()).isEqualTo(T0.plusSeconds(3));
        s.advance(Duration.ofSeconds(1));
        assertThat(log).containsExactly("a@" + T0.plusSeconds(2), "b@" + T0.plusSeconds(4), "c@" + T0.plusSeconds(4));
    }

    @Test
    void aLimitMetOrBreachedByOneTick() {
        ManualScheduler s = new ManualScheduler(T0);
        AtomicInteger fired = new AtomicInteger();
        s.scheduleAt(T0.plusSeconds(4), fired::incrementAndGet);
        s.advance(Duration.ofSeconds(4).minusNanos(1));
        assertThat(fired).hasValue(0);
        s.advance(Duration.ofNanos(1));
        assertThat(fired).hasValue(1);
    }

    @Test
    void cancelledTasksDoNotRunAndTasksMayScheduleTasks() {
        ManualScheduler s = new ManualScheduler(T0);
        List<String> log = new CopyOnWriteArrayList<>();
        Cancellable c = s.schedule(Duration.ofSeconds(1), () -> log.add("cancelled"));
        s.schedule(Duration.ofSeconds(1), () -> s.schedule(Duration.ofSeconds(1), () -> log.add("child")));
        assertThat(c.cancel()).isTrue();
        assertThat(c.isCancelled()).isTrue();
        s.advance(Duration.ofSeconds(2));
        assertThat(log).containsExactly("child");
        assertThat(s.pending()).isZero();
    }

    @Test
    void fixedRateRunsEachPeriodUntilCancelled() {
        ManualScheduler s = new ManualScheduler(T0);
        AtomicInteger runs = new AtomicInteger();
        Cancellable c = s.scheduleAtFixedRate(Duration.ofMinutes(1), runs::incrementAndGet);
        s.advance(Duration.ofMinutes(10));
        assertThat(runs).hasValue(10);
        c.cancel();
        s.advance(Duration.ofMinutes(10));
        assertThat(runs).hasValue(10);
    }

    @Test
    void pastDeadlinesRunOnTheNextAdvance() {
        ManualScheduler s = new ManualScheduler(T0);
        AtomicInteger ran = new AtomicInteger();
        s.scheduleAt(T0.minusSeconds(5), ran::incrementAndGet);
        assertThat(s.nextDeadline()).isEqualTo(T0);
        s.runDue();
        assertThat(ran).hasValue(1);
    }
}
