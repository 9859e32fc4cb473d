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
import org.arc4j.media.rtp.ReceptionStatistics;

/**
 * Measures one video stream against GA 1383's quality figures and reports a stream that falls short as a video
 * fault. Once a second (on the {@link Scheduler}'s clock) it takes the last second's frame rate and bitrate, the
 * bitrate against a configured reference (GA 1383 for capacity planning: 720P ≈ 4,096 kbit/s, 1080P ≈ 8,192 kbit/s),
 * and, when the receiver hands its RTP figures ({@link #onReception}), the packets lost in that second and the
 * interarrival jitter (RFC 3550 §6.4.1), as a {@link Quality} snapshot with a typed {@link State}: {@code OK},
 * {@code BELOW_MIN_FPS} (under {@code minFps}, GA 1383 报警复核: at least 15 fps for video verification) or
 * {@code STALLED} (no frame at all for {@code stallAfter}, default 2 s).
 *
 * <p>Metrics: the counters {@code media.stream.frames}, {@code media.stream.bytes} and {@code media.stream.lost}
 * tagged with the channel, read as rates. Events: when the frame rate stays below {@code minFps} for {@code window}
 * (default 10 s), one event of category {@link Category#VIDEO_FAULT} into the intake; when it has been back at or
 * above the rate for the same window, the restore. A stream that stops altogether counts as 0 fps.
 *
 * <p>Checked once a second on the {@link Scheduler}, so tests run on virtual time. {@link #onFrame} and
 * {@link #onReception} may be called from the receive thread; the check runs on the scheduler's. Thread-safe.
 */
public final class StreamQualityMonitor implements AutoCloseable {
    /** GA 1383's least frame rate for video verification. */
    public static final int MIN_FPS = 15;
    /** How long a stream must stay below (or back above) the rate before it is reported. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    /** How long without any frame before a stream is {@link State#STALLED}. */
    public static final Duration DEFAULT_STALL = Duration.ofSeconds(2);
    /** GA 1383's bitrate of a 720P stream for capacity planning, kbit/s. */
    public static final long REFERENCE_720P_KBPS = 4_096;
    /** GA 1383's bitrate of a 1080P stream for capacity planning, kbit/s. */
    public static final long REFERENCE_1080P_KBPS = 8_192;

    /** The state of a stream over the last check. */
    public enum State {
        /** At or above the least frame rate. */
        OK,
        /** Frames arrive, but fewer than the least frame rate (GA 1383: 15 fps). */
        BELOW_MIN_FPS,
        /** No frame at all for the stall time: the camera or its network is gone. */
        STALLED
    }

    /**
     * One second of a stream, as measured at {@code at}. Immutable.
     *
     * @param channel       the channel
     * @param at            when the second ended, on the scheduler's clock
     * @param state         the stream's state
     * @param fps           frames in the second
     * @param kbps          bitrate of the second, kbit/s (1,000 bit/s)
     * @param referenceKbps the configured reference bitrate, kbit/s (0: none configured)
     * @param lostPackets   RTP packets lost in the second (expected minus received, RFC 3550 A.3; 0 without RTP
     *                      figures, negative when duplicates outnumber losses)
     * @param lossPercent   those losses as a percentage of the packets expected in the second
     * @param jitterMillis  the RTP interarrival jitter (RFC 3550 A.8) in milliseconds, 0 without RTP figures
     * @param faulted       true while a video fault is raised and not restored
     */
    public record Quality(String channel, Instant at, State state, int fps, long kbps, long referenceKbps,
                          long lostPackets, double lossPercent, double jitterMillis, boolean faulted) {
        /** @return the bitrate as a percentage of the reference, or 0 without a reference */
        public double percentOfReference() {
            return referenceKbps == 0 ? 0 : kbps * 100.0 / referenceKbps;
        }
    }

    private final String channel;
    private final Supplier<AlarmEvent.Builder> template;
    private final AlarmIntake intake;
    private final Scheduler scheduler;
    private final int minFps;
    private final int windowSeconds;
    private final Counter frameCounter;
    private final Counter byteCounter;
    private final Counter lostCounter;
    private final long referenceKbps;
    private final int stallSeconds;
    private final int clockRate;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final Cancellable tick;
    private int secondsBelow;
    private int secondsAbove;
    private boolean faulted;
    private int lastFps;
    private long lastKbps;
    private long faults;
    private int secondsWithoutFrames;
    private ReceptionStatistics reception;
    private long priorExpected = -1;
    private long priorReceived;
    private long priorSsrc;
    private Quality last;
    private AlarmEvent unsent;
    private IdempotencyKey unsentKey;

    /**
     * Starts measuring, with no reference bitrate and the default stall time (see {@link #builder}).
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
        this(builder(channel, template, intake, scheduler, metrics).minFps(minFps).window(window));
    }

    private StreamQualityMonitor(Builder b) {
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.template = Objects.requireNonNull(b.template, "template");
        this.intake = Objects.requireNonNull(b.intake, "intake");
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
        if (b.minFps < 1 || b.window.getSeconds() < 1 || b.stallAfter.getSeconds() < 1) {
            throw new IllegalArgumentException("minFps, window and stall time must be positive");
        }
        this.minFps = b.minFps;
        this.windowSeconds = (int) b.window.getSeconds();
        this.stallSeconds = (int) b.stallAfter.getSeconds();
        this.referenceKbps = b.referenceKbps;
        this.clockRate = b.clockRate;
        this.frameCounter = b.metrics.counter("media.stream.frames", "channel", channel);
        this.byteCounter = b.metrics.counter("media.stream.bytes", "channel", channel);
        this.lostCounter = b.metrics.counter("media.stream.lost", "channel", channel);
        this.last = new Quality(channel, scheduler.now(), State.OK, 0, 0, referenceKbps, 0, 0, 0, false);
        this.tick = scheduler.scheduleAtFixedRate(Duration.ofSeconds(1), this::check);
    }

    /**
     * A builder for a monitor.
     *
     * @param channel   the channel's ID (tags the metrics; part of the events' idempotency keys)
     * @param template  a builder for the fault and restore events with the device's account, protocol, ingress,
     *                  link and code already set
     * @param intake    where the events go
     * @param scheduler the clock and timer
     * @param metrics   where the counters go
     * @return the builder
     */
    public static Builder builder(String channel, Supplier<AlarmEvent.Builder> template, AlarmIntake intake,
                                  Scheduler scheduler, Metrics metrics) {
        return new Builder(channel, template, intake, scheduler, metrics);
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

    /**
     * The receiver's RTP figures for this stream, e.g. {@link org.arc4j.media.rtp.JitterBuffer#statistics()}, handed
     * whenever convenient (each packet, or each second); the next check takes the losses since the figures it saw
     * before. A new SSRC starts the count again.
     *
     * @param statistics the figures so far
     */
    public synchronized void onReception(ReceptionStatistics statistics) {
        this.reception = Objects.requireNonNull(statistics, "statistics");
    }

    /** @return the last second's measurement (before the first check: zeros and {@link State#OK}) */
    public synchronized Quality quality() {
        return last;
    }

    /** @return the state of the last second */
    public synchronized State state() {
        return last.state();
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
        secondsWithoutFrames = lastFps == 0 ? secondsWithoutFrames + 1 : 0;
        if (lastFps < minFps) {
            secondsBelow++;
            secondsAbove = 0;
        } else {
            secondsAbove++;
            secondsBelow = 0;
        }
        State state = secondsWithoutFrames >= stallSeconds ? State.STALLED
                : lastFps < minFps ? State.BELOW_MIN_FPS : State.OK;
        long lost = 0;
        double lossPercent = 0;
        double jitterMillis = 0;
        ReceptionStatistics r = reception;
        if (r != null) {
            if (priorExpected < 0 || r.ssrc() != priorSsrc || r.expected() < priorExpected) {
                priorExpected = 0; // the first figures, or a new source: count from its start
                priorReceived = 0;
                priorSsrc = r.ssrc();
            }
            long expected = r.expected() - priorExpected;
            lost = expected - (r.received() - priorReceived);
            lossPercent = expected <= 0 || lost <= 0 ? 0 : lost * 100.0 / expected;
            jitterMillis = r.jitter() * 1000.0 / clockRate;
            priorExpected = r.expected();
            priorReceived = r.received();
            if (lost > 0) {
                lostCounter.add(lost);
            }
        }
        if (!faulted && secondsBelow >= windowSeconds) {
            faulted = true;
            faults++;
            report(Qualifier.NEW_EVENT, (state == State.STALLED ? "video stalled" : "video below " + minFps + " fps")
                    + " for " + windowSeconds + " s: " + lastFps + " fps", state);
        } else if (faulted && secondsAbove >= windowSeconds) {
            faulted = false;
            report(Qualifier.RESTORE, "video back at " + lastFps + " fps", state);
        }
        last = new Quality(channel, scheduler.now(), state, lastFps, lastKbps, referenceKbps, lost, lossPercent,
                jitterMillis, faulted);
    }

    private void report(Qualifier q, String description, State state) {
        Instant now = scheduler.now();
        AlarmEvent e = template.get().category(Category.VIDEO_FAULT).qualifier(q).receivedAt(now).triggeredAt(now)
                .description(description).extended("channel", channel).extended("fps", Integer.toString(lastFps))
                .extended("kbps", Long.toString(lastKbps)).extended("state", state.name()).build();
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

    /** Builds a {@link StreamQualityMonitor}. Not thread-safe. */
    public static final class Builder {
        private final String channel;
        private final Supplier<AlarmEvent.Builder> template;
        private final AlarmIntake intake;
        private final Scheduler scheduler;
        private final Metrics metrics;
        private int minFps = MIN_FPS;
        private Duration window = DEFAULT_WINDOW;
        private Duration stallAfter = DEFAULT_STALL;
        private long referenceKbps;
        private int clockRate = 90_000;

        private Builder(String channel, Supplier<AlarmEvent.Builder> template, AlarmIntake intake,
                        Scheduler scheduler, Metrics metrics) {
            this.channel = channel;
            this.template = template;
            this.intake = intake;
            this.scheduler = scheduler;
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /** @param fps the least acceptable frame rate (default {@value StreamQualityMonitor#MIN_FPS}) @return this */
        public Builder minFps(int fps) {
            this.minFps = fps;
            return this;
        }

        /**
         * @param duration how long a shortfall (or a recovery) must last before it is reported, whole seconds
         *                 (default 10 s)
         * @return this
         */
        public Builder window(Duration duration) {
            this.window = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** @param duration how long without frames makes a stream {@link State#STALLED}, whole seconds (default 2 s) @return this */
        public Builder stallAfter(Duration duration) {
            this.stallAfter = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /**
         * @param kbps the bitrate the channel is planned for, kbit/s, e.g. {@link #REFERENCE_1080P_KBPS}; 0 for none
         * @return this
         */
        public Builder referenceKbps(long kbps) {
            if (kbps < 0) {
                throw new IllegalArgumentException("negative reference bitrate");
            }
            this.referenceKbps = kbps;
            return this;
        }

        /** @param hz the RTP clock of the stream, for the jitter in milliseconds (default 90,000, video) @return this */
        public Builder clockRate(int hz) {
            if (hz < 1) {
                throw new IllegalArgumentException("clock rate must be positive");
            }
            this.clockRate = hz;
            return this;
        }

        /** @return the monitor, measuring from now */
        public StreamQualityMonitor build() {
            return new StreamQualityMonitor(this);
        }
    }
}
