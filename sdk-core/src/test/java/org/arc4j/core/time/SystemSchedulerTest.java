package org.arc4j.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The production scheduler runs what it is given; waits are bounded latches, not sleeps or timings. */
class SystemSchedulerTest {
    @Test
    void runsTasksOnItsThreadOrTheGivenExecutorAndSurvivesFailingTasks() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-event-loop"));
        try (SystemScheduler s = new SystemScheduler()) {
            CountDownLatch once = new CountDownLatch(1);
            CountDownLatch onLoop = new CountDownLatch(1);
            CountDownLatch repeated = new CountDownLatch(3);
            AtomicReference<String> thread = new AtomicReference<>();
            s.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("a failing task must not kill the timer");
            });
            s.schedule(Duration.ofMillis(1), once::countDown);
            s.schedule(Duration.ofMillis(1), () -> {
                thread.set(Thread.currentThread().getName());
                onLoop.countDown();
            }, loop);
            Cancellable periodic = s.scheduleAtFixedRate(Duration.ofMillis(1), repeated::countDown);
            assertThat(once.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(onLoop.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(repeated.await(10, TimeUnit.SECONDS)).isTrue();
            periodic.cancel();
            assertThat(thread.get()).isEqualTo("fake-event-loop");
            assertThat(periodic.isCancelled()).isTrue();
        } finally {
            loop.shutdownNow();
        }
    }
}
