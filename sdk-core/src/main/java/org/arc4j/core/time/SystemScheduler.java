package org.arc4j.core.time;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: the system UTC clock and one daemon timer thread
 * ({@code arc4j-scheduler}). Delays are measured on the monotonic clock, so a wall-clock step does not
 * fire or delay timers; {@link #scheduleAt} converts its instant once, when called.
 *
 * <p>A task that throws is logged and does not stop other tasks (a periodic one keeps its schedule).
 * Thread-safe. Close it to stop the thread; tasks still pending are dropped.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;

    /** A scheduler on {@link Clock#systemUTC()}. */
    public SystemScheduler() {
        this(Clock.systemUTC());
    }

    /**
     * A scheduler whose {@link #now()} reads the given clock (delays still run on the monotonic clock).
     *
     * @param clock the clock
     */
    public SystemScheduler(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "arc4j-scheduler");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task, Executor executor) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(executor, "executor");
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        return wrap(timer.schedule(() -> handOff(task, executor), nanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        long nanos = saturatedNanos(period);
        return wrap(timer.scheduleAtFixedRate(() -> safely(task), nanos, nanos, TimeUnit.NANOSECONDS));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static void handOff(Runnable task, Executor executor) {
        try {
            executor.execute(() -> safely(task));
        } catch (RejectedExecutionException e) {
            LOG.warn("timer task dropped: its executor is shut down");
        }
    }

    private static void safely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("timer task failed", e);
        }
    }

    private static Cancellable wrap(ScheduledFuture<?> f) {
        return new Cancellable() {
            @Override
            public boolean cancel() {
                return f.cancel(false);
            }

            @Override
            public boolean isCancelled() {
                return f.isCancelled();
            }
        };
    }

    /** Stops the timer thread; pending tasks do not run. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
