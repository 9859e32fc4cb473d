package org.arc4j.examples.center.video;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.arc4j.media.buffer.BufferBudget;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.buffer.PreAlarmBuffer;
import org.arc4j.media.clip.AudioCodec;
import org.arc4j.media.clip.AudioTrack;
import org.arc4j.media.clip.ClipRecorder;
import org.arc4j.media.clip.ClipRecording;
import org.arc4j.media.clip.MseLiveStream;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.rtsp.MediaDescription;
import org.arc4j.media.rtsp.RtspError;
import org.arc4j.media.rtsp.RtspListener;
import org.arc4j.media.rtsp.RtspState;
import org.arc4j.media.rtsp.SessionDescription;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.AnnexB;
import org.arc4j.media.video.FrameRateEstimator;
import org.arc4j.media.video.VideoCodec;

/**
 * One camera's video in the centre: its RTSP session's pictures and sound, stamped with wall-clock time, go into its
 * pre-alarm buffers, to the case clips being recorded from it and to the consoles watching it. Also what the console shows of
 * its health: frame rate, when the last picture came, the RTSP state and the camera's clock error.
 *
 * <p>Frames arrive on the RTSP session's event loop; subscribing and starting a clip take the same lock as adding a
 * frame, so a subscriber or a clip gets the buffered frames and then every later frame exactly once. Nothing slow
 * runs under it: clips and streams only queue. Thread-safe.
 */
final class CameraFeed implements RtspListener {
    /** Frames the frame rate is measured over: two seconds at 25 fps. */
    static final int RATE_WINDOW = 50;
    final VideoConfig.Camera config;
    final PreAlarmBuffer buffer;
    private final Clock clock;
    private final List<Consumer<BufferedFrame>> subscribers = new CopyOnWriteArrayList<>();
    private final List<ClipRecording> clips = new ArrayList<>();
    private final FrameRateEstimator rate = new FrameRateEstimator(RATE_WINDOW);
    private final Instant started;
    private volatile AutoCloseable session;
    private volatile VideoCodec codec;
    private volatile List<byte[]> parameterSets = List.of();
    private volatile RtspState state = RtspState.CONNECTING;
    private volatile Instant lastFrameAt;
    private volatile String lastError;
    private volatile boolean lost;
    private volatile long frames;
    private volatile Duration clockOffset;
    // the wall-clock anchors of the RTP clocks: touched only on the session's event loop
    private final RtpWallClock videoClock;
    private RtpWallClock audioClock;
    private RtpWallClock psAudioClock;
    /** The pre-alarm audio, as deep as the pictures' and in the same budget (G.711: 8 kB a second). */
    final PreAlarmBuffer audioBuffer;
    private final List<Consumer<AudioFrame>> audioSubscribers = new CopyOnWriteArrayList<>();
    private volatile AudioTrack audioTrack;
    // the live view shared by every browser watching live (guarded by this): made for the first, dropped after the last
    private MseLiveStream live;
    private Instant liveOrigin;
    private int liveViewers;

    CameraFeed(VideoConfig.Camera config, Duration depth, BufferBudget budget, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.buffer = new PreAlarmBuffer(config.id(), depth, budget);
        this.audioBuffer = new PreAlarmBuffer(config.id() + "/audio", depth, budget);
        this.started = clock.instant();
        this.videoClock = new RtpWallClock(clock, 90_000);
    }

    /** @param s where the pictures come from (an RTSP or GB/T 28181 session), closed with the feed */
    void session(AutoCloseable s) {
        this.session = s;
    }

    @Override
    public void accessUnit(MediaDescription track, AccessUnit au) {
        if (codec == null) {
            parameterSets = track.parameterSets();
        }
        frame(au);
    }

    /**
     * A picture from the camera's source, on the source's thread.
     *
     * @param au the access unit, its timestamp on a 90 kHz clock
     */
    void frame(AccessUnit au) {
        if (codec == null) {
            codec = au.codec();
        }
        Instant at = videoClock.at(au.timestamp());
        byte[] bytes = au.isKey() ? withParameterSets(au) : au.toAnnexB();
        BufferedFrame f = new BufferedFrame(at, au.isKey(), bytes);
        synchronized (this) {
            rate.add(au.timestamp());
            frames++;
            lastFrameAt = clock.instant();
            buffer.add(f);
            clips.removeIf(c -> !c.active());
            for (ClipRecording c : clips) {
                c.video(f);
            }
            for (Consumer<BufferedFrame> s : subscribers) {
                s.accept(f);
            }
            if (live != null) {
                if (liveOrigin == null && f.key()) {
                    liveOrigin = f.at();
                }
                if (liveOrigin != null) {
                    live.video(new AccessUnit(codec, liveTicks(at), AnnexB.INSTANCE.split(bytes, 0, bytes.length),
                            true));
                }
            }
        }
    }

    /** @return a wall-clock time as a 90 kHz timestamp from the live view's first key frame */
    private long liveTicks(Instant at) {
        return Duration.between(liveOrigin, at).toNanos() * 9 / 100_000 & 0xFFFFFFFFL;
    }

    /**
     * Opens a live view for one browser (GA 1383 视频监控): every browser watching this camera live shares one
     * {@link MseLiveStream}, which cuts the pictures into fMP4 once and queues each viewer's segments on its own,
     * dropping a slow viewer's oldest whole segments instead of holding the camera. The stream is made for the first
     * viewer, from the next key frame, and dropped after the last one leaves, so that the next one starts afresh with
     * the camera's sound as it is then.
     *
     * @param executor where the viewer's listener runs
     * @param rawG711  whether the viewer takes G.711 raw
     * @param listener the viewer
     * @return the subscription (close it when the viewer leaves), or null before the camera's first picture
     */
    synchronized MseLiveStream.Subscription watchLive(Executor executor, boolean rawG711,
                                                       MseLiveStream.Listener listener) {
        if (codec == null) {
            return null;
        }
        if (live == null) {
            live = MseLiveStream.builder().video(codec).audio(audioTrack).parameterSets(parameterSets)
                    .executor(executor).build();
            liveOrigin = null;
        }
        MseLiveStream stream = live;
        MseLiveStream.Subscription s = stream.subscribe(type -> true, rawG711, listener);
        liveViewers++;
        return new MseLiveStream.Subscription() {
            private boolean closed;

            @Override
            public long droppedSegments() {
                return s.droppedSegments();
            }

            @Override
            public long droppedAudioFrames() {
                return s.droppedAudioFrames();
            }

            @Override
            public long deliveredSegments() {
                return s.deliveredSegments();
            }

            @Override
            public void close() {
                synchronized (CameraFeed.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    s.close();
                    if (--liveViewers == 0 && live == stream) {
                        live = null;
                    }
                }
            }
        };
    }

    /** @return the wall-clock time of the live view's media time 0, null before its first key frame */
    synchronized Instant liveOrigin() {
        return liveOrigin;
    }

    /** @return how many browsers watch this camera live */
    synchronized int liveViewers() {
        return liveViewers;
    }

    /**
     * An RTP packet of a track that is not video: an audio track's frames (G.711, or AAC by RFC 3640) go into the
     * pre-alarm audio and to the consoles watching; other tracks are ignored.
     */
    @Override
    public void rtp(MediaDescription track, RtpPacket packet) {
        AudioTrack t = audioTrack(track);
        if (t == null || packet.payloadLength() == 0) {
            return;
        }
        if (audioClock == null) {
            audioClock = new RtpWallClock(clock, track.clockRate() > 0 ? track.clockRate() : t.sampleRate());
        }
        audioTrack = t;
        if (t.codec() != AudioCodec.AAC) {
            audio(new AudioFrame(audioClock.at(packet.timestamp()), t, packet.payload()));
            return;
        }
        long ts = packet.timestamp();
        for (byte[] unit : Rfc3640.accessUnits(track, packet.payload())) {
            audio(new AudioFrame(audioClock.at(ts), t, unit));
            ts += 1024L * track.clockRate() / t.sampleRate();
        }
    }

    /**
     * An audio PES payload of a GB/T 28181 program stream, on the source's thread: G.711 or AAC (with its ADTS
     * header) into the pre-alarm audio and to the consoles watching, like an RTSP camera's.
     *
     * @param type the stream type
     * @param pts  its 90 kHz PTS, or -1 (then stamped with its arrival)
     * @param data the payload
     */
    void psAudio(PsStreamType type, long pts, byte[] data) {
        AudioTrack t = switch (type) {
            case G711A -> AudioTrack.g711a();
            case G711U -> AudioTrack.g711u();
            case AAC -> AudioTrack.aacFromAdts(data);
            default -> null;
        };
        if (t == null || data.length == 0) {
            return;
        }
        if (psAudioClock == null) {
            psAudioClock = new RtpWallClock(clock, 90_000);
        }
        audioTrack = t;
        audio(new AudioFrame(pts < 0 ? clock.instant() : psAudioClock.at(pts), t, data));
    }

    private void audio(AudioFrame a) {
        BufferedFrame f = new BufferedFrame(a.at(), true, a.bytes());
        synchronized (this) {
            audioBuffer.add(f);
            clips.removeIf(c -> !c.active());
            for (ClipRecording c : clips) {
                c.audio(f);
            }
            for (Consumer<AudioFrame> s : audioSubscribers) {
                s.accept(a);
            }
            if (live != null && liveOrigin != null && !a.at().isBefore(liveOrigin)) {
                live.audio(liveTicks(a.at()), a.bytes());
            }
        }
    }

    /** @return the audio track an SDP media section carries (G.711 or AAC), or null for anything else */
    private static AudioTrack audioTrack(MediaDescription track) {
        if (!"audio".equals(track.media())) {
            return null;
        }
        return switch (track.encodingName()) {
            case "PCMA" -> AudioTrack.g711a();
            case "PCMU" -> AudioTrack.g711u();
            default -> Rfc3640.track(track);
        };
    }

    /** A key frame as a decoder can start at it: with the SDP's parameter sets when the camera sends none in band. */
    private byte[] withParameterSets(AccessUnit au) {
        VideoCodec c = au.codec();
        boolean inBand = false;
        for (int t : au.nalTypes()) {
            inBand |= c.isParameterSet(t);
        }
        if (inBand || parameterSets.isEmpty()) {
            return au.toAnnexB();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(au.size() + 256);
        for (byte[] p : parameterSets) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(p);
        }
        out.writeBytes(au.toAnnexB());
        return out.toByteArray();
    }

    @Override
    public void state(RtspState s, SessionDescription description) {
        this.state = s;
    }

    @Override
    public void error(RtspError error) {
        error(error.kind() + (error.detail() == null ? "" : ": " + error.detail()));
    }

    /** @param lost whether the source knows its stream is lost (a GB/T 28181 session ended), whatever came last */
    void lost(boolean lost) {
        this.lost = lost;
    }

    /** @return whether the source knows its stream is lost */
    boolean lost() {
        return lost;
    }

    /** @param what the source's last error, shown with a lost stream */
    void error(String what) {
        this.lastError = what;
    }

    /**
     * Subscribes to the frames from a point in the pre-alarm buffer on: the buffered ones from the key frame at or
     * before it, then every new one.
     *
     * @param from the chosen point, or null for the newest key frame (live)
     * @param to   receives the frames, on the session's event loop or the caller's thread; must not block
     */
    synchronized void subscribe(Instant from, Consumer<BufferedFrame> to) {
        subscribe(from, to, null);
    }

    /**
     * Subscribes to the frames as {@link #subscribe(Instant, Consumer)} does, and to the audio: the buffered audio
     * from the first picture given on, then every new frame.
     *
     * @param audioTo receives the audio frames, like {@code to}; null for none
     */
    synchronized void subscribe(Instant from, Consumer<BufferedFrame> to, Consumer<AudioFrame> audioTo) {
        List<BufferedFrame> held = buffer.readFrom(from == null ? clock.instant() : from);
        if (audioTo == null) {
            held.forEach(to);
            subscribers.add(to);
            return;
        }
        // in time order, pictures and sound interleaved as they came: a segment gets the audio of its pictures
        Instant start = held.isEmpty() ? clock.instant() : held.get(0).at();
        int v = 0;
        AudioTrack t = audioTrack;
        for (BufferedFrame f : t == null ? List.<BufferedFrame>of() : audioBuffer.readFrom(start)) {
            if (f.at().isBefore(start)) {
                continue;
            }
            AudioFrame a = new AudioFrame(f.at(), t, f.bytes());
            for (; v < held.size() && !held.get(v).at().isAfter(a.at()); v++) {
                to.accept(held.get(v));
            }
            audioTo.accept(a);
        }
        held.subList(v, held.size()).forEach(to);
        subscribers.add(to);
        audioSubscribers.add(audioTo);
    }

    void unsubscribe(Consumer<BufferedFrame> to) {
        subscribers.remove(to);
    }

    void unsubscribeAudio(Consumer<AudioFrame> to) {
        audioSubscribers.remove(to);
    }

    /** @return the camera's audio track, null while it has sent none (or none this reads) */
    AudioTrack audioTrack() {
        return audioTrack;
    }

    /**
     * Starts a case's clip: the pre-record from {@code from} and then the live frames, with the camera's sound.
     *
     * @return the recording, or null before the camera has sent a picture
     */
    synchronized ClipRecording startClip(ClipRecorder recorder, String caseId, Instant from) {
        if (codec == null) {
            return null;
        }
        AudioTrack a = audioTrack;
        ClipRecording r = recorder.start(caseId, config.id(), codec, buffer, a, a == null ? null : audioBuffer, from);
        clips.add(r);
        return r;
    }

    /** @return the codec, null before the first picture */
    VideoCodec codec() {
        return codec;
    }

    /** @return the parameter sets the SDP announced */
    List<byte[]> parameterSets() {
        return parameterSets;
    }

    /** @return the measured frame rate, empty before two pictures */
    synchronized OptionalDouble framesPerSecond() {
        return frames < RATE_WINDOW / 2 ? OptionalDouble.empty() : rate.framesPerSecond();
    }

    /** @return when the last picture arrived, or null */
    Instant lastFrameAt() {
        return lastFrameAt;
    }

    /** @return when the feed was started */
    Instant started() {
        return started;
    }

    /** @return the RTSP state */
    RtspState state() {
        return state;
    }

    /** @return the last RTSP error, or null */
    String lastError() {
        return lastError;
    }

    /** @return the camera's clock minus ours, or null when not known (no ONVIF, or not asked yet) */
    Duration clockOffset() {
        return clockOffset;
    }

    void clockOffset(Duration d) {
        this.clockOffset = d;
    }

    /** Stops the RTSP session and ends the clips being recorded from it (each is stored with what it has). */
    void close() {
        AutoCloseable s = session;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                lastError = e.toString();
            }
        }
        subscribers.clear();
        audioSubscribers.clear();
        synchronized (this) {
            if (live != null) {
                live.flush();
                live = null;
            }
            audioBuffer.clear();
            clips.forEach(ClipRecording::stop);
            clips.clear();
            buffer.clear();
        }
    }
}
