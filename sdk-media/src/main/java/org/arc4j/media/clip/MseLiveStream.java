package org.arc4j.media.clip;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live view of one camera in browsers, through Media Source Extensions (W3C MSE with the ISO BMFF byte stream
 * format): the camera's access units and audio frames go in once, each viewer's {@link Listener} gets the
 * initialisation segment with its MIME type (e.g. {@code video/mp4; codecs="avc1.64001f,mp4a.40.2"}, what the page
 * passes to {@code MediaSource.addSourceBuffer}) and then the media segments of a {@link Fmp4Segmenter}, one group of
 * pictures each, which the page appends to its {@code SourceBuffer} as they come (over a WebSocket, say).
 *
 * <p>What browsers cannot play is said, not sent (GA 1383 报警复核 wants the operator to know why a picture is
 * missing; arc4j does not transcode):
 * <ul>
 *   <li>video the viewer's browser does not decode (H.265 in most, as the viewer's {@code isTypeSupported} answers):
 *       an {@link Unplayable} of {@link Unplayable.Reason#VIDEO_NOT_SUPPORTED} and no segments; the stream is still
 *       buffered and clipped elsewhere;</li>
 *   <li>G.711, which MSE cannot play in MP4: left out of the segments, with {@link Unplayable.Reason#G711_DROPPED};
 *       or, for a viewer that asked for it, {@link Unplayable.Reason#G711_RAW} and every frame as raw A-law/μ-law
 *       bytes through {@link Listener#onG711} for the page to decode itself (Web Audio);</li>
 *   <li>AAC goes in the segments ({@code mp4a.40.x}), which every MSE browser plays.</li>
 * </ul>
 *
 * <p>A viewer that joins late gets the initialisation segment at once and its first media segment at the next key
 * frame (every media segment starts with one), so what it appends always decodes. Segment times run from the
 * stream's first key frame, not the viewer's: the page seeks to {@code video.buffered.start(0)}.
 *
 * <p>Bounded and never blocking: each viewer has its own queue, drained on the {@link Executor} given to the builder,
 * one listener call at a time. A viewer that takes too long loses its oldest queued media segments (counted by
 * {@link Subscription#droppedSegments()}, and whole segments only, so what it gets still starts at key frames), and
 * its oldest queued G.711 frames beyond {@code maxQueuedAudioFrames} likewise; the camera's thread only queues. The
 * initialisation segment and notices are never dropped.
 *
 * <p>{@link #video} and {@link #audio} are for the camera's receive thread (they are serialised with
 * {@link #subscribe}); subscriptions may be opened and closed from any thread. Thread-safe.
 */
public final class MseLiveStream {
    private static final Logger LOG = LoggerFactory.getLogger(MseLiveStream.class);
    private final VideoCodec videoCodec;
    private final AudioTrack audioTrack;
    private final Fmp4Segmenter segmenter;
    private final Executor executor;
    private final int maxQueuedSegments;
    private final int maxQueuedAudioFrames;
    private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedSegments = new AtomicLong();
    private String mimeType;
    private byte[] init;
    private long segments;

    private MseLiveStream(Builder b) {
        this.videoCodec = b.video;
        this.audioTrack = b.audio;
        this.executor = Objects.requireNonNull(b.executor, "executor");
        this.maxQueuedSegments = b.maxQueuedSegments;
        this.maxQueuedAudioFrames = b.maxQueuedAudioFrames;
        AudioTrack inMp4 = audioTrack != null && audioTrack.codec().browserPlayable() ? audioTrack : null;
        if (videoCodec == null && audioTrack == null) {
            throw new IllegalArgumentException("a video or an audio track is needed");
        }
        this.segmenter = videoCodec == null && inMp4 == null ? null
                : Fmp4Segmenter.builder().video(videoCodec).audio(inMp4).parameterSets(b.parameterSets)
                .build(this::publish);
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What every browser with Media Source Extensions plays in MP4, the default answer for a viewer that did not say:
     * H.264 ({@code avc1}) and AAC ({@code mp4a}), nothing else.
     *
     * @param mimeType a MIME type with codecs, as {@link Listener#onInit} gives it
     * @return true when every codec in it is H.264 or AAC
     */
    public static boolean commonlySupported(String mimeType) {
        int open = mimeType.indexOf("codecs=\"");
        if (open < 0) {
            return false;
        }
        int close = mimeType.indexOf('"', open + 8);
        String list = close < 0 ? mimeType.substring(open + 8) : mimeType.substring(open + 8, close);
        for (String c : list.split(",")) {
            String codec = c.trim();
            if (!codec.startsWith("avc1.") && !codec.startsWith("mp4a.40.")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens a view for a browser that plays H.264 and AAC and does not take raw G.711.
     *
     * @param listener where its segments go
     * @return the subscription
     */
    public Subscription subscribe(Listener listener) {
        return subscribe(MseLiveStream::commonlySupported, false, listener);
    }

    /**
     * Opens a view.
     *
     * @param isTypeSupported what the viewer's browser answers to {@code MediaSource.isTypeSupported(type)} for the
     *                        stream's MIME type (the page asks it and tells the server, or names the codecs it has)
     * @param rawG711         true when the page decodes G.711 itself: its frames then come through
     *                        {@link Listener#onG711}
     * @param listener        where the view's segments go, called on the builder's executor, one call at a time
     * @return the subscription, to close when the viewer leaves
     */
    public synchronized Subscription subscribe(Predicate<String> isTypeSupported, boolean rawG711, Listener listener) {
        Viewer v = new Viewer(Objects.requireNonNull(isTypeSupported, "isTypeSupported"), rawG711,
                Objects.requireNonNull(listener, "listener"));
        if (audioTrack != null && !audioTrack.codec().browserPlayable()) {
            v.notice(new Unplayable(rawG711 ? Unplayable.Reason.G711_RAW : Unplayable.Reason.G711_DROPPED,
                    audioTrack.codec(), null, rawG711
                    ? "G.711 is not playable through Media Source Extensions; its frames come raw for Web Audio"
                    : "G.711 is not playable through Media Source Extensions; the audio is left out"));
        }
        if (init != null) {
            v.init(mimeType, init);
        }
        viewers.add(v);
        return v;
    }

    /**
     * Adds an access unit of the camera, in decode order.
     *
     * @param unit the access unit
     * @return what the segmenter made of it ({@link Fmp4Segmenter.Added#WRONG_TRACK} for a stream without video)
     */
    public synchronized Fmp4Segmenter.Added video(AccessUnit unit) {
        return segmenter == null ? Fmp4Segmenter.Added.WRONG_TRACK : segmenter.video(unit);
    }

    /**
     * Adds an audio frame of the camera: AAC into the segments, G.711 to the viewers that take it raw.
     *
     * @param timestamp the frame's 90 kHz time on the video's clock
     * @param frame     the frame (AAC with or without ADTS; G.711 as RTP or PS payload)
     * @return what became of it; G.711 is {@link Fmp4Segmenter.Added#QUEUED} when at least one viewer takes it raw,
     *         {@link Fmp4Segmenter.Added#WRONG_TRACK} when no viewer does
     */
    public synchronized Fmp4Segmenter.Added audio(long timestamp, byte[] frame) {
        if (audioTrack == null) {
            return Fmp4Segmenter.Added.WRONG_TRACK;
        }
        if (audioTrack.codec().browserPlayable()) {
            return segmenter.audio(timestamp, frame);
        }
        boolean taken = false;
        for (Viewer v : viewers) {
            if (v.rawG711) {
                v.g711(timestamp, frame.clone());
                taken = true;
            }
        }
        return taken ? Fmp4Segmenter.Added.QUEUED : Fmp4Segmenter.Added.WRONG_TRACK;
    }

    /** Sends what is queued as a media segment now (the camera stopped, and viewers should see its last frames). */
    public synchronized void flush() {
        if (segmenter != null) {
            segmenter.flush();
        }
    }

    /** @return the MIME type of the segments once the stream has started, else null */
    public synchronized String mimeType() {
        return mimeType;
    }

    /** @return media segments made so far */
    public synchronized long segments() {
        return segments;
    }

    /** @return media segments dropped for slow viewers so far, all viewers together */
    public long droppedSegments() {
        return droppedSegments.get();
    }

    /** @return how many viewers are open */
    public int viewers() {
        return viewers.size();
    }

    private void publish(Fmp4Segmenter.Segment s) {
        if (s.init()) {
            init = s.bytes();
            mimeType = segmenter.mimeType();
            viewers.forEach(v -> v.init(mimeType, init));
        } else {
            segments++;
            viewers.forEach(v -> v.segment(s));
        }
    }

    /** Receives one viewer's part of the stream, on the stream's executor, one call at a time. */
    public interface Listener {
        /**
         * The initialisation segment, first of all segments: create the {@code SourceBuffer} with the type, append
         * the bytes. Not called when the viewer cannot play the video ({@link #onUnplayable} instead).
         *
         * @param mimeType the type with codecs, e.g. {@code video/mp4; codecs="avc1.64001f"}
         * @param segment  {@code ftyp} + {@code moov} (shared: do not change it)
         */
        void onInit(String mimeType, byte[] segment);

        /**
         * A media segment, starting with a key frame; append it after the previous one.
         *
         * @param segment the segment (its bytes shared: do not change them)
         */
        void onSegment(Fmp4Segmenter.Segment segment);

        /**
         * Part of the stream is not playable in this viewer's browser.
         *
         * @param notice what, and why
         */
        void onUnplayable(Unplayable notice);

        /**
         * A raw G.711 frame, for a viewer that asked for them; the default ignores it.
         *
         * @param codec     A-law or μ-law
         * @param timestamp the frame's 90 kHz time on the video's clock
         * @param frame     the 8 kHz samples, one byte each (the viewer's own copy)
         */
        default void onG711(AudioCodec codec, long timestamp, byte[] frame) {
        }
    }

    /**
     * A part of the stream the viewer's browser cannot play through Media Source Extensions. Immutable.
     *
     * @param reason   what is not played, and what happens instead
     * @param audio    the audio codec concerned, or null for video
     * @param mimeType the type the browser refused (video), or null
     * @param message  a sentence for the operator's console
     */
    public record Unplayable(Reason reason, AudioCodec audio, String mimeType, String message) {
        /** Validates presence. */
        public Unplayable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** Why, and what the stream does about it. */
        public enum Reason {
            /** The browser does not decode the video (typically H.265): no segments are sent to it. */
            VIDEO_NOT_SUPPORTED,
            /** G.711 audio: not in the segments, and not sent. */
            G711_DROPPED,
            /** G.711 audio: not in the segments, sent raw through {@link Listener#onG711} instead. */
            G711_RAW
        }
    }

    /** One viewer's view: closing it stops the segments. Thread-safe. */
    public interface Subscription extends AutoCloseable {
        /** @return media segments this viewer lost for being slow */
        long droppedSegments();

        /** @return raw G.711 frames this viewer lost for being slow */
        long droppedAudioFrames();

        /** @return media segments handed to this viewer's listener */
        long deliveredSegments();

        /** Stops the view; what is queued is discarded. */
        @Override
        void close();
    }

    private final class Viewer implements Subscription, Runnable {
        private final Predicate<String> isTypeSupported;
        private final boolean rawG711;
        private final Listener listener;
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        private int queuedSegments;
        private int queuedAudio;
        private boolean draining;
        private boolean playable = true;
        private boolean closed;
        private boolean initSeen;
        private long dropped;
        private long droppedAudio;
        private long delivered;

        Viewer(Predicate<String> isTypeSupported, boolean rawG711, Listener listener) {
            this.isTypeSupported = isTypeSupported;
            this.rawG711 = rawG711;
            this.listener = listener;
        }

        void init(String type, byte[] bytes) {
            boolean ok;
            try {
                ok = isTypeSupported.test(type);
            } catch (RuntimeException e) {
                ok = false; // a viewer's broken predicate must not stop the camera's thread
            }
            if (ok) {
                offer(new Init(type, bytes));
                return;
            }
            synchronized (this) {
                playable = false;
            }
            notice(new Unplayable(Unplayable.Reason.VIDEO_NOT_SUPPORTED, null, type,
                    "this browser does not play " + type + " through Media Source Extensions; view it in a player"));
        }

        void notice(Unplayable u) {
            offer(u);
        }

        void segment(Fmp4Segmenter.Segment s) {
            synchronized (this) {
                if (!playable || !initSeen) {
                    return;
                }
                if (queuedSegments >= maxQueuedSegments) {
                    removeOldest(Fmp4Segmenter.Segment.class);
                    queuedSegments--;
                    dropped++;
                    droppedSegments.incrementAndGet();
                }
                queuedSegments++;
            }
            offer(s);
        }

        void g711(long timestamp, byte[] frame) {
            synchronized (this) {
                if (queuedAudio >= maxQueuedAudioFrames) {
                    removeOldest(RawAudio.class);
                    queuedAudio--;
                    droppedAudio++;
                }
                queuedAudio++;
            }
            offer(new RawAudio(timestamp, frame));
        }

        private void removeOldest(Class<?> kind) {
            for (var it = queue.iterator(); it.hasNext(); ) {
                if (kind.isInstance(it.next())) {
                    it.remove();
                    return;
                }
            }
        }

        private void offer(Object item) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (item instanceof Init) {
                    initSeen = true;
                }
                queue.add(item);
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                executor.execute(this);
            } catch (RuntimeException e) {
                synchronized (this) {
                    draining = false; // a rejected drain is retried with the next item
                }
            }
        }

        /** Drains the queue on the executor, one listener call at a time. */
        @Override
        public void run() {
            while (true) {
                Object item;
                synchronized (this) {
                    item = closed ? null : queue.poll();
                    if (item == null) {
                        draining = false;
                        return;
                    }
                    if (item instanceof Fmp4Segmenter.Segment) {
                        queuedSegments--;
                    } else if (item instanceof RawAudio) {
                        queuedAudio--;
                    }
                }
                try {
                    deliver(item);
                } catch (RuntimeException e) {
                    // a listener's failure is the viewer's (a closed socket): it must not stop the others
                    LOG.info("live view closed: its listener failed ({})", e.toString());
                    close();
                    return;
                }
            }
        }

        private void deliver(Object item) {
            if (item instanceof Init i) {
                listener.onInit(i.type, i.bytes);
            } else if (item instanceof Fmp4Segmenter.Segment s) {
                listener.onSegment(s);
                synchronized (this) {
                    delivered++;
                }
            } else if (item instanceof Unplayable u) {
                listener.onUnplayable(u);
            } else if (item instanceof RawAudio a) {
                listener.onG711(audioTrack.codec(), a.timestamp, a.frame);
            }
        }

        @Override
        public synchronized long droppedSegments() {
            return dropped;
        }

        @Override
        public synchronized long droppedAudioFrames() {
            return droppedAudio;
        }

        @Override
        public synchronized long deliveredSegments() {
            return delivered;
        }

        @Override
        public void close() {
            viewers.remove(this);
            synchronized (this) {
                closed = true;
                queue.clear();
            }
        }
    }

    private record Init(String type, byte[] bytes) {
    }

    private record RawAudio(long timestamp, byte[] frame) {
    }

    /** Builds a {@link MseLiveStream}. Not thread-safe. */
    public static final class Builder {
        private VideoCodec video;
        private AudioTrack audio;
        private List<byte[]> parameterSets = List.of();
        private Executor executor;
        private int maxQueuedSegments = 4;
        private int maxQueuedAudioFrames = 250;

        private Builder() {
        }

        /** @param codec the camera's video codec, or null for audio only @return this */
        public Builder video(VideoCodec codec) {
            this.video = codec;
            return this;
        }

        /** @param track the camera's audio, or null for none @return this */
        public Builder audio(AudioTrack track) {
            this.audio = track;
            return this;
        }

        /**
         * @param nalUnits parameter sets known before the stream (SDP {@code sprop-*}), used when the first key frame
         *                 carries none
         * @return this
         */
        public Builder parameterSets(List<byte[]> nalUnits) {
            this.parameterSets = List.copyOf(nalUnits);
            return this;
        }

        /**
         * @param executor where the viewers' listeners are called (required): one task per viewer at a time, so a
         *                 slow viewer holds one thread, never the camera's; e.g. a virtual-thread executor
         * @return this
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * @param segments media segments a viewer may have queued before its oldest is dropped (default 4: about
         *                 4 groups of pictures, seconds of video)
         * @return this
         */
        public Builder maxQueuedSegments(int segments) {
            if (segments < 1) {
                throw new IllegalArgumentException("at least one segment");
            }
            this.maxQueuedSegments = segments;
            return this;
        }

        /**
         * @param frames raw G.711 frames a viewer may have queued before its oldest is dropped (default 250: 5 s of
         *               20 ms frames)
         * @return this
         */
        public Builder maxQueuedAudioFrames(int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("at least one frame");
            }
            this.maxQueuedAudioFrames = frames;
            return this;
        }

        /**
         * @return the stream
         * @throws IllegalArgumentException with neither video nor audio
         * @throws NullPointerException     without an executor
         */
        public MseLiveStream build() {
            return new MseLiveStream(this);
        }
    }
}
