package org.arc4j.core.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Waits in a test for what another thread or a real peer (sipp, ffmpeg, a socket) brings about, polling a
 * condition up to a bound. The bound stops a hang; it measures nothing, so pick it generously and never assert on
 * how long the wait took. Timers of the code under test belong on a {@link ManualScheduler}, not here.
 *
 * <p>Polling backs off from 1 ms, doubling up to 50 ms between polls, so a condition that is met at once costs no sleep and one that takes seconds costs few polls.
 *
 * <p>Stateless and thread-safe; a static helper in the manner of JUnit's {@code Assertions}.
 */
public final class Await {
    /** The first pause between polls: 1 ms. */
    static final long FIRST_PAUSE_NANOS = 1_000_000L;
    /** The longest pause between polls: 50 ms. */
    static final long LONGEST_PAUSE_NANOS = 50_000_000L;

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds, polling it with a short back-off; fails once {@code timeout} of
     * real time has passed without it holding. The condition is polled at least once, and once more at the
     * bound, so a zero timeout checks it exactly once.
     *
     * @param timeout   how long to wait at the most (real time, from the call)
     * @param condition what must become true; polled from the calling thread, so it must read shared state
     *                  safely (a concurrent collection, a volatile, an atomic)
     * @param describe  what was awaited and what is known instead, for the failure message; called only on failure,
     *                  so it may be costly (read a peer's log)
     * @throws AssertionError if the bound passes first, with the description; or if the thread is interrupted
     *                        while waiting (its interrupt status is kept)
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
        until(timeout, condition, describe, System::nanoTime, Await::sleep);
    }

    /** {@link #until(Duration, BooleanSupplier, Supplier)} with its time source and pause given, for its own test. */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe, LongSupplier nanoTime,
                      Pause pause) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(describe, "describe");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout " + timeout);
        }
        long bound = timeout.toNanos();
        long start = nanoTime.getAsLong();
        long next = FIRST_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            long left = bound - (nanoTime.getAsLong() - start);
            if (left <= 0) {
                throw new AssertionError("not within " + timeout + ": " + describe.get());
            }
            try {
                pause.nanos(Math.min(next, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + describe.get(), e);
            }
            next = Math.min(next * 2, LONGEST_PAUSE_NANOS);
        }
    }

    private static void sleep(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    /** How the wait pauses between polls; the real one sleeps. */
    @FunctionalInterface
    interface Pause {
        void nanos(long nanos) throws InterruptedException;
    }
}
