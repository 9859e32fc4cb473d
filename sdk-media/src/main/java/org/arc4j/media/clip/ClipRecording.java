package org.arc4j.media.clip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.time.Cancellable;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.AnnexB;
import org.arc4j.media.video.VideoCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One alarm clip being recorded ({@link ClipRecorder#start}). Feed it the channel's live frames with
 * {@link #video} and {@link #audio} from the receive path (they only queue: the file is written on the recorder's
 * executor) and end it with {@link #stop()} when verification ends; it ends itself after the recorder's
 * {@code clipMax} of live video, on the scheduler's clock and on the frames' own times, whichever comes first.
 * {@link #result()} completes once the clip is on disk and its record durable, or with the typed failure.
 *
 * <p>Thread-safe; frames must come from one thread at a time, in order.
 */
public final class ClipRecording {
    private static final Logger LOG = LoggerFactory.getLogger(ClipRecording.class);

    private final ClipRecorder recorder;
    private final String caseId;
    private final String channel;
    private final VideoCodec codec;
    private final AudioTrack audioTrack;
    private final Path planned;
    private final CompletableFuture<ClipResult> result = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Cancellable timer;

    // the writer's state: touched only by the task running on the executor
    private Fmp4Segmenter segmenter;
    private Path file;
    private FileChannel channelOut;
    private MessageDigest written;
    private long writtenBytes;
    private MessageDigest wholeDigest;
    private long wholeBytes;
    private Instant origin;
    private Instant liveFrom;
    private Instant lastVideoAt;
    private Instant lastAudioAt;
    private long end90k;
    private Fmp4Segmenter.Added refusal;
    private boolean done;

    ClipRecording(ClipRecorder recorder, String caseId, String channel, VideoCodec codec, AudioTrack audio,
                  Path planned) {
        this.recorder = recorder;
        this.caseId = caseId;
        this.channel = channel;
        this.codec = codec;
        this.audioTrack = audio;
        this.planned = planned;
        this.file = planned;
    }

    /** @return the case */
    public String caseId() {
        return caseId;
    }

    /** @return the channel */
    public String channel() {
        return channel;
    }

    /**
     * @return the file the clip goes to (a suffix {@code -2}, {@code -3}, … is added when a file of that name
     *         exists; {@link ClipResult} names the file used)
     */
    public Path plannedFile() {
        return planned;
    }

    /** @return true until {@link #stop()}, {@code clipMax} or a failure ended it */
    public boolean active() {
        return !closed.get();
    }

    /** @return completes with the outcome; never exceptionally */
    public CompletionStage<ClipResult> result() {
        return result;
    }

    void begin(List<BufferedFrame> preVideo, List<BufferedFrame> preAudio) {
        List<BufferedFrame> v = List.copyOf(preVideo);
        List<BufferedFrame> a = List.copyOf(preAudio);
        submit(0, () -> {
            // the pre-record's audio and video interleaved by time, as they were received
            int i = 0;
            int j = 0;
            while (!done && (i < v.size() || j < a.size())) {
                if (j >= a.size() || (i < v.size() && !v.get(i).at().isAfter(a.get(j).at()))) {
                    writeVideo(v.get(i++), false);
                } else {
                    writeAudio(a.get(j++), false);
                }
            }
            liveFrom = lastVideoAt;
        });
        timer = recorder.scheduler.schedule(recorder.clipMax, this::stop);
    }

    /**
     * A live video frame (an Annex-B access unit, as the pre-alarm buffer holds it). Frames the pre-record already
     * held are skipped.
     *
     * @param frame the frame
     */
    public void video(BufferedFrame frame) {
        submit(frame.bytes().length, () -> writeVideo(frame, true));
    }

    /**
     * A live audio frame (G.711 bytes, or an AAC frame with or without ADTS).
     *
     * @param frame the frame
     */
    public void audio(BufferedFrame frame) {
        if (audioTrack != null) {
            submit(frame.bytes().length, () -> writeAudio(frame, true));
        }
    }

    /** Ends the clip: what is queued is written, then the file is closed and stored. Idempotent. */
    public void stop() {
        if (closed.compareAndSet(false, true)) {
            enqueue(this::finish);
        }
    }

    private void submit(long bytes, Runnable task) {
        if (closed.get()) {
            return;
        }
        if (queuedBytes.addAndGet(bytes) > recorder.maxQueuedBytes) {
            if (closed.compareAndSet(false, true)) {
                enqueue(() -> fail(ClipFailure.WRITER_BEHIND, "more than " + recorder.maxQueuedBytes
                        + " bytes of frames waited for the disk"));
            }
            return;
        }
        enqueue(() -> {
            queuedBytes.addAndGet(-bytes);
            task.run();
        });
    }

    private void enqueue(Runnable task) {
        tasks.add(() -> {
            if (done) {
                return;
            }
            try {
                task.run();
            } catch (UncheckedIOException e) {
                fail(ClipFailure.WRITE_FAILED, String.valueOf(e.getCause().getMessage()));
            } catch (RuntimeException e) {
                // a bug must not leave the clip's future hanging nor kill the writer thread
                fail(ClipFailure.WRITE_FAILED, e.toString());
            }
        });
        if (wip.getAndIncrement() == 0) {
            recorder.executor.execute(this::drain);
        }
    }

    private void drain() {
        do {
            tasks.poll().run();
        } while (wip.decrementAndGet() != 0);
    }

    private void writeVideo(BufferedFrame f, boolean live) {
        if (done || (lastVideoAt != null && !f.at().isAfter(lastVideoAt))) {
            return; // already in the pre-record, or older
        }
        if (origin == null) {
            if (!f.key()) {
                return;
            }
            origin = f.at();
            // built at the first key frame, so that the metadata names its time as the clip's start
            segmenter = Fmp4Segmenter.builder().video(codec).audio(audioTrack).metadata(metadata(null))
                    .build(this::write);
        }
        if (live) {
            if (liveFrom == null) {
                liveFrom = f.at();
            } else if (Duration.between(liveFrom, f.at()).compareTo(recorder.clipMax) > 0) {
                closed.set(true);
                finish();
                return;
            }
        }
        List<byte[]> nals = AnnexB.INSTANCE.split(f.bytes(), 0, f.bytes().length);
        if (nals.isEmpty()) {
            return;
        }
        Fmp4Segmenter.Added a = segmenter.video(new AccessUnit(codec, ticks(f.at()), nals, true));
        if (a == Fmp4Segmenter.Added.NO_PARAMETER_SETS || a == Fmp4Segmenter.Added.BAD_PARAMETER_SETS) {
            refusal = a;
            origin = null; // the next key frame may carry them
            return;
        }
        lastVideoAt = f.at();
    }

    private void writeAudio(BufferedFrame f, boolean live) {
        if (done || origin == null || (lastAudioAt != null && !f.at().isAfter(lastAudioAt))) {
            return;
        }
        if (segmenter.audio(ticks(f.at()), f.bytes()) == Fmp4Segmenter.Added.QUEUED) {
            lastAudioAt = f.at();
        }
    }

    private long ticks(Instant at) {
        return Duration.between(origin, at).toNanos() * 9 / 100_000;
    }

    private Map<String, String> metadata(Instant end) {
        Instant start = origin == null ? recorder.scheduler.now() : origin;
        String from = Stamps.millis(start);
        // before the end is known it is written as the start: the same width, patched in place at the end
        String to = Stamps.millis(end == null ? start : end);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("title", "arc4j alarm clip " + channel);
        m.put("comment", "case " + caseId + " channel " + channel + " from " + from + " to " + to);
        m.put("date", from);
        m.put("encoder", "arc4j");
        return m;
    }

    /** The segmenter's sink: opens the file at the initialisation segment, then appends. */
    private void write(Fmp4Segmenter.Segment s) {
        try {
            if (s.init()) {
                open();
            } else {
                end90k = Math.max(end90k, s.start() + s.duration());
            }
            ByteBuffer b = ByteBuffer.wrap(s.bytes());
            while (b.hasRemaining()) {
                int at = b.position();
                int n = channelOut.write(b);
                written.update(s.bytes(), at, n);
                writtenBytes += n;
            }
            wholeBytes = writtenBytes;
            wholeDigest = (MessageDigest) written.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 clones", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void open() throws IOException {
        try {
            written = MessageDigest.getInstance("SHA-256");
            wholeDigest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        String base = planned.getFileName().toString().replace(".mp4", "");
        for (int n = 1; ; n++) {
            Path p = n == 1 ? planned : planned.resolveSibling(base + "-" + n + ".mp4");
            try {
                channelOut = recorder.opener.open(p);
                file = p;
                return;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                if (n > 1000) {
                    throw taken;
                }
            }
        }
    }

    private Instant endTime() {
        return origin.plusNanos(end90k * 100_000 / 9);
    }

    private void finish() {
        if (done) {
            return;
        }
        cancelTimer();
        if (segmenter != null) {
            segmenter.flush();
        }
        if (segmenter == null || !segmenter.started()) {
            done = true;
            boolean bad = refusal != null;
            complete(new ClipResult.Failed(bad ? ClipFailure.BAD_STREAM : ClipFailure.NO_VIDEO,
                    bad ? "no usable parameter sets: " + refusal : "no key frame before the clip ended", file,
                    Optional.empty()), null);
            return;
        }
        try {
            byte[] init = segmenter.initSegment(metadata(endTime()));
            if (init.length != segmenter.initLength()) {
                throw new IllegalStateException("initialisation segment changed length");
            }
            ByteBuffer b = ByteBuffer.wrap(init);
            long at = 0;
            while (b.hasRemaining()) {
                at += channelOut.write(b, at);
            }
            channelOut.force(true);
            String sha = readBackSha256();
            channelOut.close();
            done = true;
            ClipRecord rec = record(sha, true, "");
            recorder.store.append(rec.toNewRecord()).whenComplete((pos, err) -> {
                if (err == null) {
                    recorder.metrics.counter("media.clip.recorded").increment();
                    recorder.metrics.counter("media.clip.bytes").add(rec.bytes());
                    complete(new ClipResult.Recorded(rec, file, pos), null);
                } else {
                    complete(new ClipResult.Failed(ClipFailure.STORE_FAILED, String.valueOf(err.getMessage()), file,
                            Optional.of(rec)), err);
                }
            });
        } catch (IOException e) {
            fail(ClipFailure.WRITE_FAILED, String.valueOf(e.getMessage()));
        }
    }

    private String readBackSha256() throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        long at = 0;
        while (at < writtenBytes) {
            b.clear().limit((int) Math.min(b.capacity(), writtenBytes - at));
            int n = channelOut.read(b, at);
            if (n < 0) {
                throw new IOException("the clip is shorter on disk than written: " + at + " of " + writtenBytes);
            }
            d.update(b.array(), 0, n);
            at += n;
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private ClipRecord record(String sha, boolean complete, String error) {
        String rel = recorder.directory.relativize(file).toString().replace('\\', '/');
        return new ClipRecord(caseId, channel, rel, codec.name(), audioTrack == null ? "" : audioTrack.codec().name(),
                sha, origin, endTime(), writtenBytes, segmenter.videoSamples(), segmenter.audioSamples(), complete,
                error);
    }

    /** Ends the clip as a failure, keeping and recording what is on disk. */
    private void fail(ClipFailure reason, String detail) {
        if (done) {
            return;
        }
        done = true;
        closed.set(true);
        cancelTimer();
        if (channelOut != null) {
            try {
                if (wholeBytes < writtenBytes) {
                    // a torn fragment at the end makes players stop with an error: cut back to the last whole one
                    // (truncating frees space, so it works on a full disk)
                    channelOut.truncate(wholeBytes);
                    writtenBytes = wholeBytes;
                    written = wholeDigest;
                }
            } catch (IOException tornTailStays) {
                LOG.debug("clip {}: the torn last fragment could not be cut off", file, tornTailStays);
            }
            try {
                channelOut.close();
            } catch (IOException ignored) {
                // the file is already reported as partial
            }
        }
        LOG.warn("alarm clip of case {} channel {} failed ({}): {}; {} bytes kept in {}", caseId, channel, reason,
                detail, writtenBytes, file);
        if (channelOut == null || origin == null) {
            complete(new ClipResult.Failed(reason, detail, file, Optional.empty()), null);
            return;
        }
        ClipRecord rec = record(HexFormat.of().formatHex(written.digest()), false, reason + ": " + detail);
        recorder.store.append(rec.toNewRecord()).whenComplete((pos, err) ->
                complete(new ClipResult.Failed(reason, err == null ? detail : detail + "; its record was not stored: "
                        + err.getMessage(), file, Optional.of(rec)), null));
    }

    private void complete(ClipResult r, Throwable storeError) {
        if (r instanceof ClipResult.Failed f) {
            recorder.metrics.counter("media.clip.failed", "reason", f.reason().name()).increment();
            if (storeError != null) {
                LOG.warn("alarm clip of case {} written to {} but its record was not stored", caseId, file,
                        storeError);
            }
        }
        result.complete(r);
    }

    private void cancelTimer() {
        Cancellable t = timer;
        if (t != null) {
            t.cancel();
        }
    }
}
