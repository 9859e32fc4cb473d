package org.arc4j.core.time;

import org.arc4j.core.testkit.ManualScheduler;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Scheduler} contract, run over every implementation: {@link ManualScheduler} on virtual time and
 * {@link SystemScheduler} on the real clock. A {@link Harness} says how a test lets time pass on each: the manual
 * one advances, the real one waits (bounded) for a timer scheduled after the tasks under test, which the contract
 * runs after them. Real delays are a few milliseconds and nothing asserts how long anything took.
 *
 * <p>What only virtual time can show (advancing by exactly N, a limit met or missed by one tick, the clock set to
 * each task's deadline, the number of tasks an advance ran) is in {@link ManualSchedulerTest}.
 */
class SchedulerContractTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    /** A scheduler under test and how the test lets its time pass. */
    interface Harness extends AutoCloseable {
        Scheduler scheduler();

        /** The delay unit: a second of virtual time, a few milliseconds of real time. */
        Duration unit();

        /**
         * Lets at least {@code d} pass; afterwards every task due by then that runs on the scheduler's thread has
         * run.
         */
        void pass(Duration d) throws InterruptedException;

        /** Lets time pass, a unit at a time, until the latch opens; fails after a bound. */
        void await(CountDownLatch latch) throws InterruptedException;

        /** A reading of how far the scheduler's time moved while the test thread worked (virtual: never). */
        long ticks();

        /**
         * Keeps the scheduler from running anything until the returned release runs, so that the test thread can
         * schedule and cancel without racing the timer (virtual time never runs on its own).
         */
        Runnable hold() throws InterruptedException;

        @Override
        void close();
    }

    static final class Manual implements Harness {
        final ManualScheduler s = new ManualScheduler(T0);

        @Override
        public Scheduler scheduler() {
            return s;
        }

        @Override
        public Duration unit() {
            return Duration.ofSeconds(1);
        }

        @Override
        public void pass(Duration d) {
            s.advance(d);
        }

        @Override
        public void await(CountDownLatch latch) {
            for (int i = 0; i < 1000 && latch.getCount() > 0; i++) {
                s.advance(unit());
            }
            assertThat(latch.getCount()).as("latch open within 1000 units of virtual time").isZero();
        }

        @Override
        public long ticks() {
            return 0;
        }

        @Override
        public Runnable hold() {
            return () -> { };
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "ManualScheduler";
        }
    }

    static final class Real implements Harness {
        final SystemScheduler s = new SystemScheduler();

        @Override
        public Scheduler scheduler() {
            return s;
        }

        @Override
        public Duration unit() {
            return Duration.ofMillis(3);
        }

        @Override
        public void pass(Duration d) throws InterruptedException {
            // the contract runs a timer after every timer due earlier or at the same time and scheduled before it
            CountDownLatch barrier = new CountDownLatch(1);
            s.schedule(d, barrier::countDown);
            assertThat(barrier.await(10, TimeUnit.SECONDS)).as("a %s timer within 10 s", d).isTrue();
        }

        @Override
        public void await(CountDownLatch latch) throws InterruptedException {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch open within 10 s").isTrue();
        }

        @Override
        public long ticks() {
            return System.nanoTime();
        }

        @Override
        public Runnable hold() throws InterruptedException {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            s.schedule(Duration.ZERO, () -> {
                held.countDown();
                try {
                    // bounded: a test that forgets to release fails on its own waits, the timer thread goes on
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the timer thread held within 10 s").isTrue();
            return release::countDown;
        }

        @Override
        public void close() {
            s.close();
        }

        @Override
        public String toString() {
            return "SystemScheduler";
        }
    }

    static Stream<Arguments> schedulers() {
        Supplier<Harness> manual = Manual::new;
        Supplier<Harness> real = Real::new;
        return Stream.of(Arguments.of("ManualScheduler", manual), Arguments.of("SystemScheduler", real));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void tasksRunInDeadlineOrderAndEqualDeadlinesInSchedulingOrder(String name, Supplier<Harness> h)
            throws InterruptedException {
        try (Harness t = h.get()) {
            Scheduler s = t.scheduler();
            Duration u = t.unit();
            List<String> log = new CopyOnWriteArrayList<>();
            // on the real clock a deadline is fixed when the call is made: should the test thread stall for a unit
            // between the calls, the deadlines would no longer be 4, 2 and 4 units apart; that try is dropped
            for (int attempt = 0; ; attempt++) {
                log.clear();
                long before = t.ticks();
                Cancellable b = s.schedule(u.multipliedBy(4), () -> log.add("b"));
                Cancellable a = s.schedule(u.multipliedBy(2), () -> log.add("a"));
                Cancellable c = s.schedule(u.multipliedBy(4), () -> log.add("c"));
                if (t.ticks() - before < u.toNanos() || attempt == 20) {
                    break;
                }
                b.cancel();
                a.cancel();
                c.cancel();
            }
            t.pass(u.multipliedBy(5));
            assertThat(log).containsExactly("a", "b", "c");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void aCancelledTaskNeverRunsAndATaskMayScheduleAnother(String name, Supplier<Harness> h)
            throws InterruptedException {
        try (Harness t = h.get()) {
            Scheduler s = t.scheduler();
            Duration u = t.unit();
            List<String> log = new CopyOnWriteArrayList<>();
            CountDownLatch child = new CountDownLatch(1);
            Runnable release = t.hold();
            Cancellable c = s.schedule(u, () -> log.add("cancelled"));
            s.schedule(u, () -> s.schedule(u, () -> {
                log.add("child");
                child.countDown();
            }));
            assertThat(c.cancel()).isTrue();
            assertThat(c.isCancelled()).isTrue();
            release.run();
            t.await(child);
            // the cancelled task was due before the child: had it run, it would be in the log first
            assertThat(log).containsExactly("child");
            assertThat(c.cancel()).as("cancelling twice").isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void aFixedRateTaskRepeatsUntilCancelledAndNotAfter(String name, Supplier<Harness> h)
            throws InterruptedException {
        try (Harness t = h.get()) {
            Scheduler s = t.scheduler();
            Duration u = t.unit();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch three = new CountDownLatch(3);
            Cancellable c = s.scheduleAtFixedRate(u, () -> {
                runs.incrementAndGet();
                three.countDown();
            });
            t.await(three);
            assertThat(c.cancel()).isTrue();
            assertThat(c.isCancelled()).isTrue();
            // a run under way when it was cancelled finishes before a later timer on the same thread
            t.pass(u.multipliedBy(3));
            int after = runs.get();
            assertThat(after).isGreaterThanOrEqualTo(3);
            t.pass(u.multipliedBy(5));
            assertThat(runs).hasValue(after);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void aTaskIsHandedToTheGivenExecutorWhenDueSuchAsANettyEventLoop(String name, Supplier<Harness> h)
            throws InterruptedException {
        try (Harness t = h.get()) {
            Scheduler s = t.scheduler();
            Duration u = t.unit();
            List<Runnable> loop = new CopyOnWriteArrayList<>();
            Executor eventLoop = loop::add;
            AtomicInteger ran = new AtomicInteger();
            s.schedule(u, ran::incrementAndGet, eventLoop);
            t.pass(u.multipliedBy(2));
            assertThat(ran).hasValue(0);
            assertThat(loop).hasSize(1);
            loop.get(0).run();
            assertThat(ran).hasValue(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void pastDeadlinesAndZeroDelaysRunAsSoonAsPossible(String name, Supplier<Harness> h)
            throws InterruptedException {
        try (Harness t = h.get()) {
            Scheduler s = t.scheduler();
            List<String> log = new CopyOnWriteArrayList<>();
            s.scheduleAt(s.now().minusSeconds(5), () -> log.add("past"));
            s.schedule(Duration.ofSeconds(-1), () -> log.add("negative"));
            s.schedule(Duration.ZERO, () -> log.add("zero"));
            t.pass(Duration.ZERO);
            assertThat(log).containsExactly("past", "negative", "zero");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void cancellingATaskThatAlreadyRanStopsNothing(String name, Supplier<Harness> h) throws InterruptedException {
        try (Harness t = h.get()) {
            CountDownLatch ran = new CountDownLatch(1);
            Cancellable c = t.scheduler().schedule(t.unit(), ran::countDown);
            t.await(ran);
            t.pass(Duration.ZERO);
            assertThat(c.cancel()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void aNonPositivePeriodIsRefused(String name, Supplier<Harness> h) {
        try (Harness t = h.get()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> t.scheduler().scheduleAtFixedRate(Duration.ZERO, () -> { }))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
