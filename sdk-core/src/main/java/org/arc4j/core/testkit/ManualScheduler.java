package org.arc4j.core.testkit;

import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scheduler on virtual time for tests: nothing runs until {@link #advance(Duration)} or
 * {@link #runDue()} is called, and then due tasks run in deadline order (ties in scheduling order) on the
 * calling thread, or are handed to their executor. A task may schedule further tasks; those that fall due
 * within the advanced interval run in the same call.
 *
 * <p>Thread-safe: tasks may be scheduled from any thread, while one test thread advances time.
 */
public final class ManualScheduler implements Scheduler {
    private final ManualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;

    /**
     * A scheduler on a new {@link ManualClock} standing at {@code start}.
     *
     * @param start the initial virtual time
     */
    public ManualScheduler(Instant start) {
        this(new ManualClock(start));
    }

    /**
     * A scheduler on the given manual clock.
     *
     * @param clock the clock it advances
     */
    public ManualScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** @return the manual clock, to read or set directly */
    public ManualClock manualClock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task, Executor executor) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(executor, "executor");
        Instant due = clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay);
        Entry e;
        synchronized (this) {
            e = new Entry(due, sequence++, task, executor, null);
            queue.add(e);
        }
        return e;
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Entry e;
        synchronized (this) {
            e = new Entry(clock.instant().plus(period), sequence++, task, Runnable::run, period);
            queue.add(e);
        }
        return e;
    }

    /**
     * Advances virtual time by {@code d}, running every task that falls due on the way, each with the clock
     * set to its own deadline.
     *
     * @param d how far to advance, not negative
     * @return the number of tasks run
     */
    public int advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + d);
        }
        Instant target = clock.instant().plus(d);
        int ran = 0;
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(target)) {
                    break;
                }
                queue.poll();
            }
            if (next.cancelled.get()) {
                continue;
            }
            if (next.due.isAfter(clock.instant())) {
                clock.set(next.due);
            }
            if (next.period != null) {
                synchronized (this) {
                    Entry again = new Entry(next.due.plus(next.period), sequence++, next.task, next.executor,
                            next.period);
                    again.cancelled = next.cancelled;
                    queue.add(again);
                }
            }
            if (next.period == null) {
                next.ran = true;
            }
            next.executor.execute(next.task);
            ran++;
        }
        clock.set(target);
        return ran;
    }

    /**
     * Runs the tasks already due without moving time.
     *
     * @return the number of tasks run
     */
    public int runDue() {
        return advance(Duration.ZERO);
    }

    /** @return the number of scheduled tasks not yet run or cancelled */
    public synchronized int pending() {
        return (int) queue.stream().filter(e -> !e.cancelled.get()).count();
    }

    /** @return the deadline of the next pending task, or null if none */
    public synchronized Instant nextDeadline() {
        return queue.stream().filter(e -> !e.cancelled.get()).map(e -> e.due).min(Instant::compareTo)
                .orElse(null);
    }

    private static final class Entry implements Comparable<Entry>, Cancellable {
        final Instant due;
        final long seq;
        final Runnable task;
        final Executor executor;
        final Duration period;
        AtomicBoolean cancelled = new AtomicBoolean();
        volatile boolean ran;

        Entry(Instant due, long seq, Runnable task, Executor executor, Duration period) {
            this.due = due;
            this.seq = seq;
            this.task = task;
            this.executor = executor;
            this.period = period;
        }

        @Override
        public int compareTo(Entry o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public boolean cancel() {
            return cancelled.compareAndSet(false, true) && !ran;
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }
}
