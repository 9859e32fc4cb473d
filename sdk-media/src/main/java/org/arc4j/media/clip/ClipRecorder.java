package org.arc4j.media.clip;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.time.Scheduler;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.buffer.PreAlarmBuffer;
import org.arc4j.media.video.VideoCodec;

/**
 * Records alarm clips (GA 1383 报警复核 and 记录存储与播放): when a case opens, the pre-record from a channel's
 * {@link PreAlarmBuffer} (from the key frame at or before the chosen point) and then the live continuation, until
 * {@link ClipRecording#stop()} (verification ended) or {@code clipMax} (default 60 s) of live video, written as
 * fragmented MP4 ({@link Fmp4Segmenter}) to {@code <directory>/<case>/<channel>-<yyyyMMddTHHmmssZ>.mp4}, forced to
 * disk, its SHA-256 computed from what is on disk, and a {@link ClipRecord} appended to the store as a
 * {@code CLIP} record of the case (kept ≥ 30 days, forever for police cases).
 *
 * <p>The file's {@code udta} carries the case and the times, which {@code ffprobe -show_format} prints:
 * {@code comment=case <id> channel <ch> from <start> to <end>} and {@code date=<start>} (ISO-8601 UTC with
 * milliseconds; the end is written into the initialisation segment in place when the clip ends).
 *
 * <p>Disk work runs on the recorder's executor (one task at a time per clip, never on the caller's thread, so a
 * Netty event loop may feed frames). A write failure (disk full, I/O error) never throws: the recording ends with
 * {@link ClipResult.Failed} {@link ClipFailure#WRITE_FAILED}, the partial file and its record
 * ({@code complete=false}) are kept, {@code media.clip.failed} (tagged {@code reason}) counts it and the log says
 * it once; the caller turns it into a case note. {@code media.clip.recorded} and {@code media.clip.bytes} count the
 * clips that are whole. Thread-safe.
 */
public final class ClipRecorder implements AutoCloseable {
    /** GA 1383 leaves the length to the centre; a minute covers a verification (≤ 1 min). */
    public static final Duration DEFAULT_CLIP_MAX = Duration.ofSeconds(60);
    /** How far the writer may fall behind the stream before the clip is cut: 64 MiB, a minute at 8 Mbit/s. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;

    /** Opens a clip's file; replaceable to inject faults in tests. */
    @FunctionalInterface
    public interface FileOpener {
        /**
         * @param file the file to create (it must not exist)
         * @return a channel open for reading and writing
         * @throws IOException when it cannot be created
         */
        FileChannel open(Path file) throws IOException;
    }

    final Path directory;
    final RecordStore store;
    final Scheduler scheduler;
    final Metrics metrics;
    final Duration clipMax;
    final Executor executor;
    final FileOpener opener;
    final long maxQueuedBytes;
    private final ExecutorService owned;

    private ClipRecorder(Builder b) {
        this.directory = b.directory;
        this.store = b.store;
        this.scheduler = b.scheduler;
        this.metrics = b.metrics;
        this.clipMax = b.clipMax;
        this.opener = b.opener;
        this.maxQueuedBytes = b.maxQueuedBytes;
        if (b.executor == null) {
            this.owned = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "arc4j-clips");
                t.setDaemon(true);
                return t;
            });
            this.executor = owned;
        } else {
            this.owned = null;
            this.executor = b.executor;
        }
    }

    /**
     * @param directory where clips go, e.g. {@code DATA/clips}; created when missing
     * @param store     where the {@code CLIP} records go
     * @param scheduler the centre's clock and timers ({@code clipMax})
     * @return a builder
     */
    public static Builder builder(Path directory, RecordStore store, Scheduler scheduler) {
        return new Builder(directory, store, scheduler);
    }

    /** @return the clip directory */
    public Path directory() {
        return directory;
    }

    /** @return the longest live continuation of a clip */
    public Duration clipMax() {
        return clipMax;
    }

    /**
     * Starts a clip from a channel's pre-alarm buffers. Call it on the thread that adds frames to the buffers (the
     * channel's receive path), then hand that thread's next frames to the recording too: nothing falls between the
     * pre-record and the live part, and frames the pre-record already holds are not written twice.
     *
     * @param caseId      the case
     * @param channel     the camera channel
     * @param video       the video codec
     * @param videoBuffer the channel's video buffer
     * @param audio       the audio track, or null for none
     * @param audioBuffer the channel's audio buffer, or null
     * @param from        the chosen start of the pre-record, e.g. the alarm's time minus 10 s; the clip starts at the
     *                    key frame at or before it
     * @return the running recording
     */
    public ClipRecording start(String caseId, String channel, VideoCodec video, PreAlarmBuffer videoBuffer,
                               AudioTrack audio, PreAlarmBuffer audioBuffer, Instant from) {
        List<BufferedFrame> pre = videoBuffer.readFrom(from);
        Instant audioFrom = pre.isEmpty() ? from : pre.get(0).at();
        List<BufferedFrame> preAudio = audioBuffer == null ? List.of() : audioBuffer.readFrom(audioFrom);
        return start(caseId, channel, video, audio, pre, preAudio);
    }

    /**
     * Starts a clip from frames already at hand.
     *
     * @param caseId   the case
     * @param channel  the camera channel
     * @param video    the video codec
     * @param audio    the audio track, or null for none
     * @param preVideo the pre-record's video (Annex-B access units), oldest first; may be empty
     * @param preAudio the pre-record's audio frames, oldest first; may be empty
     * @return the running recording
     */
    public ClipRecording start(String caseId, String channel, VideoCodec video, AudioTrack audio,
                               List<BufferedFrame> preVideo, List<BufferedFrame> preAudio) {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(video, "video");
        Instant now = scheduler.now();
        String name = safe(channel) + "-" + Stamps.compact(now) + ".mp4";
        ClipRecording r = new ClipRecording(this, caseId, channel, video, audio,
                directory.resolve(safe(caseId)).resolve(name));
        r.begin(preVideo, preAudio);
        return r;
    }

    /** A file-name-safe form of an id: letters, digits, dot, dash and underscore stay, the rest become '_'. */
    static String safe(String id) {
        String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    /** Stops the recorder's own writer thread, if it made one (recordings still queued are finished first). */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
        }
    }

    /** Builds a {@link ClipRecorder}. */
    public static final class Builder {
        private final Path directory;
        private final RecordStore store;
        private final Scheduler scheduler;
        private Metrics metrics = new SimpleMetrics();
        private Duration clipMax = DEFAULT_CLIP_MAX;
        private Executor executor;
        private FileOpener opener = f -> {
            Files.createDirectories(f.getParent());
            return FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        };
        private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;

        private Builder(Path directory, RecordStore store, Scheduler scheduler) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.store = Objects.requireNonNull(store, "store");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        }

        /** @param m where {@code media.clip.*} are counted @return this */
        public Builder metrics(Metrics m) {
            this.metrics = Objects.requireNonNull(m, "metrics");
            return this;
        }

        /** @param d the longest live continuation, 1 s to 1 h (default 60 s) @return this */
        public Builder clipMax(Duration d) {
            if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("clipMax must be 1 s to 1 h: " + d);
            }
            this.clipMax = d;
            return this;
        }

        /**
         * @param e where disk work runs (default: one daemon thread of the recorder's); each clip's tasks run one at a
         *          time on it
         * @return this
         */
        public Builder executor(Executor e) {
            this.executor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /** @param o how a clip's file is created (default: create-new, with its directories) @return this */
        public Builder opener(FileOpener o) {
            this.opener = Objects.requireNonNull(o, "opener");
            return this;
        }

        /** @param bytes how many bytes of frames may wait for the writer per clip @return this */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("must be positive");
            }
            this.maxQueuedBytes = bytes;
            return this;
        }

        /** @return the recorder */
        public ClipRecorder build() {
            return new ClipRecorder(this);
        }
    }
}
