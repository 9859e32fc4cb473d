package org.arc4j.core.time;

import org.arc4j.core.testkit.ManualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * The one source of time and timers in arc4j: SLA deadlines, device supervision, SIP transaction timers and
 * idle timeouts all run on a {@code Scheduler}, so every time-dependent behaviour can be tested on a virtual
 * clock ({@link ManualScheduler}) and no test sleeps.
 *
 * <p>Tasks run on the scheduler's own thread unless an {@link Executor} is given: pass a Netty
 * {@code EventLoop} (which is an {@code Executor}) to have a timer fire on the channel's loop, so protocol
 * state is touched by one thread only. Tasks must be short; slow work belongs on its own executor.
 *
 * <p>Implementations are thread-safe.
 */
public interface Scheduler {
    /** @return the clock that defines "now" for this scheduler */
    Clock clock();

    /** @return {@code clock().instant()} */
    default Instant now() {
        return clock().instant();
    }

    /**
     * Runs a task once after a delay.
     *
     * @param delay how long from now; zero or negative runs it as soon as possible
     * @param task  the task
     * @return a handle to cancel it
     */
    default Cancellable schedule(Duration delay, Runnable task) {
        return schedule(delay, task, Runnable::run);
    }

    /**
     * Runs a task once after a delay, handing it to an executor when due (for example a Netty event loop).
     *
     * @param delay    how long from now
     * @param task     the task
     * @param executor where the task runs
     * @return a handle to cancel it
     */
    Cancellable schedule(Duration delay, Runnable task, Executor executor);

    /**
     * Runs a task once at an instant of this scheduler's clock.
     *
     * @param at   when; a past instant runs it as soon as possible
     * @param task the task
     * @return a handle to cancel it
     */
    default Cancellable scheduleAt(Instant at, Runnable task) {
        return schedule(Duration.between(now(), at), task);
    }

    /**
     * Runs a task repeatedly: first after {@code period}, then every {@code period} after the previous run
     * was due (fixed rate, no catch-up storm after a pause: missed runs collapse into one).
     *
     * @param period the period, positive
     * @param task   the task
     * @return a handle that stops the repetition
     */
    Cancellable scheduleAtFixedRate(Duration period, Runnable task);
}
