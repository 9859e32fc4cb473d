package org.arc4j.media.quality;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * Measures one video stream against GA 1383's quality figures and reports a stream that falls short as a video
 * fault: frame rate and bitrate per second as metrics ({@code media.stream.frames} and {@code media.stream.bytes}
 * counters tagged with the channel, read as rates), and when the frame rate stays below {@code minFps} (GA 1383
 * 报警复核: at least 15 fps for video verification) for {@code window} (default 10 s), one event of category
 * {@link Category#VIDEO_FAULT} into the intake; when it has been back at or above the rate for the same window,
 * the restore. A stream that stops altogether counts as 0 fps.
 *
 * <p>Checked once a second on the {@link Scheduler}, so tests run on virtual time. {@link #onFrame} may be called
 * from the receive thread; the check runs on the scheduler's. Thread-safe.
 */
public final class StreamQualityMonitor implements AutoCloseable {
    /** GA 1383's least frame rate for video verification. */
    public static final int MIN_FPS = 15;
    /** How long a stream must stay below (or back above) the rate before it is reported. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    private final String channel;
    private final Supplier<AlarmEvent.Builder> template;
    private final AlarmIntake intake;
    private final Scheduler scheduler;
    private final int minFps;
    private final int windowSeconds;
    private final Counter frameCounter;
    private final Counter byteCounter;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Cancellable tick;
    private int secondsBelow;
    private int secondsAbove;
    private boolean faulted;
    private int lastFps;
    private long lastKbps;
    private long faults;
    private AlarmEvent unsent;
    private IdempotencyKey unsentKey;

    /**
     * Starts measuring.
     *
     * @param channel   the channel's ID (tags the metrics; part of the events' idempotency keys)
     * @param template  a builder for the fault and restore events with the device's account, protocol, ingress,
     *                  link and code already set; the monitor sets category, qualifier, time, description and
     *                  the measured rate
     * @param intake    where the events go
     * @param scheduler the clock and timer
     * @param metrics   where the counters go
     * @param minFps    the least acceptable frame rate, positive
     * @param window    how long a shortfall (or a recovery) must last, whole seconds, at least one
     */
    public StreamQualityMonitor(String channel, Supplier<AlarmEvent.Builder> template, AlarmIntake intake,
                                Scheduler scheduler, Metrics metrics, int minFps, Duration window) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.template = Objects.requireNonNull(template, "template");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (minFps < 1 || window.getSeconds() < 1) {
            throw new IllegalArgumentException("minFps and window must be positive");
        }
        this.minFps = minFps;
        this.windowSeconds = (int) window.getSeconds();
        this.frameCounter = metrics.counter("media.stream.frames", "channel", channel);
        this.byteCounter = metrics.counter("media.stream.bytes", "channel", channel);
        this.tick = scheduler.scheduleAtFixedRate(Duration.ofSeconds(1), this::check);
    }

    /**
     * One access unit arrived.
     *
     * @param size its size in bytes
     */
    public void onFrame(int size) {
        frames.incrementAndGet();
        bytes.addAndGet(size);
        frameCounter.increment();
        byteCounter.add(size);
    }

    /** @return the frame rate of the last whole second */
    public synchronized int fps() {
        return lastFps;
    }

    /** @return the bitrate of the last whole second, kbit/s */
    public synchronized long kbps() {
        return lastKbps;
    }

    /** @return true while a video fault is raised and not restored */
    public synchronized boolean faulted() {
        return faulted;
    }

    private synchronized void check() {
        if (unsent != null) {
            send(); // refused before (a full intake): never lose a fault or its restore
        }
        lastFps = (int) frames.getAndSet(0);
        lastKbps = bytes.getAndSet(0) * 8 / 1000;
        if (lastFps < minFps) {
            secondsBelow++;
            secondsAbove = 0;
        } else {
            secondsAbove++;
            secondsBelow = 0;
        }
        if (!faulted && secondsBelow >= windowSeconds) {
            faulted = true;
            faults++;
            report(Qualifier.NEW_EVENT, "video below " + minFps + " fps for " + windowSeconds + " s: " + lastFps
                    + " fps");
        } else if (faulted && secondsAbove >= windowSeconds) {
            faulted = false;
            report(Qualifier.RESTORE, "video back at " + lastFps + " fps");
        }
    }

    private void report(Qualifier q, String description) {
        Instant now = scheduler.now();
        AlarmEvent e = template.get().category(Category.VIDEO_FAULT).qualifier(q).receivedAt(now).triggeredAt(now)
                .description(description).extended("channel", channel).extended("fps", Integer.toString(lastFps))
                .extended("kbps", Long.toString(lastKbps)).build();
        unsent = e;
        unsentKey = IdempotencyKey.of("media-quality", channel, Long.toString(faults), q.name());
        send();
    }

    /** Hands the last report to the intake; until it is accepted, every check hands it again (same key). */
    private void send() {
        AlarmEvent e = unsent;
        IdempotencyKey key = unsentKey;
        intake.accept(List.of(e), key).whenComplete((rc, err) -> {
            if (err == null && rc instanceof Receipt.Accepted) {
                synchronized (this) {
                    if (unsentKey == key) {
                        unsent = null;
                        unsentKey = null;
                    }
                }
            }
        });
    }

    /** Stops measuring. */
    @Override
    public void close() {
        tick.cancel();
    }
}
