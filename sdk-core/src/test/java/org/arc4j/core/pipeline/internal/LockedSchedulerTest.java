package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

class LockedSchedulerTest {
    @Test
    void everyKindOfTaskRunsHoldingTheLock() {
        Object lock = new Object();
        ManualScheduler manual = new ManualScheduler(Fixtures.T0);
        LockedScheduler s = new LockedScheduler(manual, lock);
        List<String> held = new ArrayList<>();
        s.schedule(Duration.ofSeconds(1), () -> held.add("delay " + Thread.holdsLock(lock)));
        s.schedule(Duration.ofSeconds(2), () -> held.add("executor " + Thread.holdsLock(lock)), Runnable::run);
        s.scheduleAt(Fixtures.T0.plusSeconds(3), () -> held.add("at " + Thread.holdsLock(lock)));
        s.scheduleAtFixedRate(Duration.ofSeconds(4), () -> held.add("rate " + Thread.holdsLock(lock)));
        assertThat(s.now()).isEqualTo(Fixtures.T0);
        assertThat(s.clock()).isEqualTo(manual.clock());
        manual.advance(Duration.ofSeconds(4));
        assertThat(held).containsExactly("delay true", "executor true", "at true", "rate true");
        assertThat(Thread.holdsLock(lock)).isFalse();
    }

    @Test
    void aCancelledTaskDoesNotRun() {
        ManualScheduler manual = new ManualScheduler(Fixtures.T0);
        LockedScheduler s = new LockedScheduler(manual, new Object());
        List<String> ran = new ArrayList<>();
        s.scheduleAt(Fixtures.T0.plusSeconds(1), () -> ran.add("x")).cancel();
        manual.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
    }
}
