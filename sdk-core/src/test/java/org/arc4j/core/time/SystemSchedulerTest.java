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

    /**
     * Timers near and far (past the first slot, so they wait in the bucket ring; with 4 buckets of 16.8 ms
     * most are several rounds of the ring away), scheduled and cancelled from several threads: none runs early, none runs twice, a cancelled one never runs and
     * every other one does.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "slots of 2^{0} ns, {1} buckets")
    @org.junit.jupiter.params.provider.CsvSource({"30, 4096", "24, 4"})
    void manyTimersFromManyThreadsRunOnceNeverEarlyAndNeverWhenCancelled(int slotBits, int bucketCount)
            throws Exception {
        int threads = 4;
        int perThread = 5_000;
        try (SystemScheduler s = new SystemScheduler(java.time.Clock.systemUTC(), slotBits, bucketCount)) {
            java.util.concurrent.ConcurrentHashMap<Integer, Long> ranAt = new java.util.concurrent.ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger early = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger twice = new java.util.concurrent.atomic.AtomicInteger();
            boolean[] cancelled = new boolean[threads * perThread];
            long[] notBefore = new long[threads * perThread];
            CountDownLatch scheduled = new CountDownLatch(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            java.util.List<java.util.concurrent.Future<java.util.List<Cancellable>>> handles = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                handles.add(pool.submit(() -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(base);
                    java.util.List<Cancellable> mine = new java.util.ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        int id = base + i;
                        long delayMs = r.nextInt(10) == 0 ? 1_100 + r.nextInt(1_500) : r.nextInt(300);
                        notBefore[id] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
                        mine.add(s.schedule(Duration.ofMillis(delayMs), () -> {
                            if (System.nanoTime() < notBefore[id]) {
                                early.incrementAndGet();
                            }
                            if (ranAt.put(id, System.nanoTime()) != null) {
                                twice.incrementAndGet();
                            }
                        }));
                        if (r.nextInt(3) == 0) {
                            cancelled[id] = mine.get(i).cancel();
                        }
                    }
                    scheduled.countDown();
                    return mine;
                }));
            }
            assertThat(scheduled.await(30, TimeUnit.SECONDS)).isTrue();
            // cancel some more from this thread while they are pending or running
            java.util.SplittableRandom r = new java.util.SplittableRandom(99);
            for (int t = 0; t < threads; t++) {
                java.util.List<Cancellable> mine = handles.get(t).get();
                for (int i = 0; i < perThread; i++) {
                    if (r.nextInt(4) == 0) {
                        int id = t * perThread + i;
                        cancelled[id] |= mine.get(i).cancel();
                    }
                }
            }
            pool.shutdown();
            int expected = 0;
            for (boolean c : cancelled) {
                expected += c ? 0 : 1;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ranAt.size() < expected && System.nanoTime() < deadline) {
                CountDownLatch tick = new CountDownLatch(1);
                s.schedule(Duration.ofMillis(50), tick::countDown);
                assertThat(tick.await(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(early).hasValue(0);
            assertThat(twice).hasValue(0);
            for (int id = 0; id < cancelled.length; id++) {
                assertThat(ranAt.containsKey(id)).as("timer %d (cancelled %s)", id, cancelled[id])
                        .isEqualTo(!cancelled[id]);
            }
        }
    }

    @Test
    void aPeriodicTaskCancelledFromWithinStopsAndCloseDropsWhatIsPending() throws Exception {
        SystemScheduler s = new SystemScheduler();
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<Cancellable> self = new AtomicReference<>();
        CountDownLatch third = new CountDownLatch(1);
        self.set(s.scheduleAtFixedRate(Duration.ofMillis(1), () -> {
            if (runs.incrementAndGet() == 3) {
                assertThat(self.get().cancel()).isTrue();
                third.countDown();
            }
        }));
        assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
        Cancellable far = s.schedule(Duration.ofHours(2), () -> runs.addAndGet(100));
        Cancellable near = s.schedule(Duration.ofSeconds(30), () -> runs.addAndGet(100));
        // a task scheduled after the periodic one's cancellation runs, and the periodic one did not run again
        CountDownLatch after = new CountDownLatch(1);
        s.schedule(Duration.ofMillis(20), after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runs).hasValue(3);
        assertThat(self.get().isCancelled()).isTrue();
        s.close();
        assertThat(far.cancel()).isFalse();
        assertThat(near.isCancelled()).isFalse();
        Cancellable late = s.schedule(Duration.ZERO, () -> runs.addAndGet(1000));
        assertThat(late.cancel()).isFalse();
        assertThat(runs).hasValue(3);
    }
}
