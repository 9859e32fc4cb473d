package org.arc4j.media.clip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.arc4j.media.clip.internal.Box;
import org.arc4j.media.clip.internal.SampleEntries;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Sps;
import org.arc4j.media.video.SpsParser;
import org.arc4j.media.video.SpsResult;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.media.video.internal.BitReader;

/**
 * Cuts a camera's video (H.264 or H.265) and audio (AAC or G.711) into fragmented MP4 (ISO/IEC 14496-12 §8.8,
 * the byte stream format of Media Source Extensions): one initialisation segment ({@code ftyp} + {@code moov}, with
 * the metadata as {@code udta} text items that {@code ffprobe -show_format} shows), then one media segment
 * ({@code moof} + {@code mdat}) per group of pictures, each starting with a key frame, with the audio of the same
 * span. Every segment goes to the sink as its own byte array: written one after the other they are an MP4 file that
 * standard players open ({@link Fmp4Writer}, {@link ClipRecorder}); sent one by one they feed a browser
 * (Media Source Extensions).
 *
 * <p>Time: access units and audio frames carry 90 kHz timestamps of one clock (RTP video time, or the PTS of a
 * program stream; wrap-around of 32 and 33 bits is followed). Decode times start at 0 at the first key frame;
 * timestamps out of order within a group (B-frames) become composition offsets (a version-1 {@code trun}). Audio
 * sample durations come from the frames (1,024 samples per AAC frame, one byte per G.711 sample) and each
 * segment's audio restarts at its own timestamp, so lost audio does not shift what follows. Audio before the first
 * key frame is dropped, as is video before it: nothing could be played with it.
 *
 * <p>Nothing here throws on what a stream sends: {@link #video} and {@link #audio} answer with an {@link Added}.
 * The parameter sets of the first key frame (or given to the builder) describe the whole stream; a stream that
 * changes its picture size needs a new segmenter. Not thread-safe: one per clip or live stream.
 */
public final class Fmp4Segmenter {
    /** The video timescale, and the unit of every timestamp given: RTP's 90 kHz video clock. */
    public static final int TIMESCALE = 90_000;
    private static final long MAX_FRAME = 10L * TIMESCALE;

    /**
     * One segment.
     *
     * @param init     true for the initialisation segment, false for a media segment
     * @param sequence 0 for the initialisation segment, then 1, 2, … ({@code mfhd} sequence_number)
     * @param start    the segment's first decode time, 90 kHz from the first key frame
     * @param duration the segment's span, 90 kHz
     * @param key      true when it starts with a key frame (every media segment of a stream with video)
     * @param bytes    the boxes (not copied: do not change them)
     */
    public record Segment(boolean init, int sequence, long start, long duration, boolean key, byte[] bytes) {
        /** Validates presence. */
        public Segment {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** What became of a frame given to the segmenter. */
    public enum Added {
        /** Taken: it will be in the next media segment. */
        QUEUED,
        /** Dropped: no key frame has started the stream yet, or audio before that start. */
        BEFORE_START,
        /** Dropped: the first key frame carries no SPS/PPS (H.265: VPS/SPS/PPS) and none were given. */
        NO_PARAMETER_SETS,
        /** Dropped: the SPS does not parse. */
        BAD_PARAMETER_SETS,
        /** Dropped: a video codec or an audio frame the segmenter was not built for. */
        WRONG_TRACK
    }

    private final VideoCodec videoCodec;
    private final AudioTrack audio;
    private final Map<String, String> metadata;
    private final Consumer<Segment> sink;
    private final long audioSegmentTicks;
    private final Map<Integer, byte[]> sets = new TreeMap<>();
    private final List<AccessUnit> gop = new ArrayList<>();
    private final List<long[]> gopPts = new ArrayList<>();
    private final List<byte[]> audioFrames = new ArrayList<>();
    private final List<Long> audioPts = new ArrayList<>();
    private Sps sps;
    private Box videoEntry;
    private boolean started;
    private long origin;
    private long lastRaw;
    private long lastUnwrapped;
    private boolean audioSeen;
    private long audioLastRaw;
    private long audioLastUnwrapped;
    private long nextDecodeTime;
    private long lastDuration = TIMESCALE / 25;
    private long nextAudioTime;
    private int sequence;
    private long videoSamples;
    private long audioSamples;
    private long bytes;
    private int initLength;

    private Fmp4Segmenter(Builder b, Consumer<Segment> sink) {
        this.videoCodec = b.video;
        this.audio = b.audio;
        this.metadata = new LinkedHashMap<>(b.metadata);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.audioSegmentTicks = b.audioSegmentMillis * (TIMESCALE / 1000);
        if (videoCodec == null && audio == null) {
            throw new IllegalArgumentException("a video or an audio track is needed");
        }
        metadata.keySet().forEach(Fmp4Segmenter::itemType);
        for (byte[] n : b.parameterSets) {
            if (videoCodec != null && videoCodec.isParameterSet(videoCodec.nalType(n))) {
                sets.put(videoCodec.nalType(n), n.clone());
            }
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the video codec, or null for audio only */
    public VideoCodec videoCodec() {
        return videoCodec;
    }

    /** @return the audio track, or null for video only */
    public AudioTrack audioTrack() {
        return audio;
    }

    /** @return what the SPS said, once the stream has started (null before, and for audio only) */
    public Sps sps() {
        return sps;
    }

    /** @return true once the initialisation segment has gone out */
    public boolean started() {
        return started;
    }

    /** @return video samples in media segments so far */
    public long videoSamples() {
        return videoSamples;
    }

    /** @return audio samples (frames) in media segments so far */
    public long audioSamples() {
        return audioSamples;
    }

    /** @return bytes of all segments so far */
    public long bytes() {
        return bytes;
    }

    /** @return the length of the initialisation segment, 0 before it */
    public int initLength() {
        return initLength;
    }

    /**
     * The MIME type with RFC 6381 codecs for {@code MediaSource.isTypeSupported} and {@code addSourceBuffer}, e.g.
     * {@code video/mp4; codecs="avc1.4d401e,mp4a.40.2"} or {@code video/mp4; codecs="hvc1.1.6.L93.B0"}; G.711 as
     * QuickTime's four-character code, which no browser plays ({@link MseLiveStream} leaves it out).
     *
     * @return the type, once the stream has started (null before)
     */
    public String mimeType() {
        if (!started) {
            return null;
        }
        List<String> codecs = new ArrayList<>();
        if (videoCodec == VideoCodec.H264) {
            byte[] s = sets.get(7);
            codecs.add(String.format("avc1.%02x%02x%02x", s[1] & 0xFF, s[2] & 0xFF, s[3] & 0xFF));
        } else if (videoCodec == VideoCodec.H265) {
            codecs.add(SampleEntries.hevcCodecs(sets.get(33)));
        }
        if (audio != null) {
            codecs.add(switch (audio.codec()) {
                case AAC -> "mp4a.40." + ((audio.aacConfig()[0] & 0xF8) >>> 3);
                case G711A -> "alaw";
                case G711U -> "ulaw";
            });
        }
        return (videoCodec == null ? "audio" : "video") + "/mp4; codecs=\"" + String.join(",", codecs) + "\"";
    }

    /**
     * Adds an access unit, in decode order. A key frame closes the media segment before it.
     *
     * @param unit the access unit, of the builder's video codec
     * @return what became of it
     */
    public Added video(AccessUnit unit) {
        if (unit.codec() != videoCodec) {
            return Added.WRONG_TRACK;
        }
        if (!started) {
            if (!unit.isKey()) {
                return Added.BEFORE_START;
            }
            for (int i = 0; i < unit.nalUnitCount(); i++) {
                byte[] n = unit.nalUnit(i);
                int t = videoCodec.nalType(n);
                if (videoCodec.isParameterSet(t)) {
                    sets.putIfAbsent(t, n);
                }
            }
            Added a = describeVideo();
            if (a != Added.QUEUED) {
                return a;
            }
            start(unit.timestamp());
        }
        long pts = unwrapVideo(unit.timestamp()) - origin;
        if (unit.isKey() && !gop.isEmpty()) {
            flush(pts);
        }
        gop.add(unit);
        gopPts.add(new long[] {pts});
        return Added.QUEUED;
    }

    /**
     * Adds an audio frame. AAC may come with or without its ADTS header (it is taken off); G.711 as the bytes of
     * an RTP payload or PS audio packet.
     *
     * @param timestamp the frame's 90 kHz time on the video's clock
     * @param frame     the frame
     * @return what became of it
     */
    public Added audio(long timestamp, byte[] frame) {
        if (audio == null) {
            return Added.WRONG_TRACK;
        }
        byte[] payload = frame;
        if (audio.codec() == AudioCodec.AAC) {
            int h = AudioTrack.adtsHeaderLength(frame);
            payload = h == 0 ? frame : Arrays.copyOfRange(frame, h, frame.length);
        }
        if (payload.length == 0) {
            return Added.WRONG_TRACK;
        }
        if (!started) {
            if (videoCodec != null) {
                return Added.BEFORE_START;
            }
            start(timestamp);
        }
        long pts = unwrapAudio(timestamp) - origin;
        if (pts < 0) {
            return Added.BEFORE_START;
        }
        audioFrames.add(payload);
        audioPts.add(pts);
        if (videoCodec == null && pts - audioPts.get(0) >= audioSegmentTicks) {
            flush(Long.MIN_VALUE);
        }
        return Added.QUEUED;
    }

    /** Writes what is queued as a last media segment (the clip ends, or a live view wants what it has). */
    public void flush() {
        if (!gop.isEmpty() || !audioFrames.isEmpty()) {
            flush(Long.MIN_VALUE);
        }
    }

    /**
     * The initialisation segment again, with other metadata: for a file whose end time is known only at its end.
     * When every value has the length it had, the result has the length of the segment written first and can
     * replace it in place.
     *
     * @param newMetadata the text items
     * @return the segment
     * @throws IllegalStateException before the stream has started
     */
    public byte[] initSegment(Map<String, String> newMetadata) {
        if (!started) {
            throw new IllegalStateException("not started");
        }
        return renderInit(newMetadata);
    }

    private Added describeVideo() {
        int spsType = videoCodec.spsType();
        boolean complete = videoCodec == VideoCodec.H264 ? sets.containsKey(7) && sets.containsKey(8)
                : sets.containsKey(32) && sets.containsKey(33) && sets.containsKey(34);
        if (!complete) {
            return Added.NO_PARAMETER_SETS;
        }
        SpsResult r = SpsParser.INSTANCE.parse(videoCodec, sets.get(spsType));
        if (!(r instanceof SpsResult.Valid v)) {
            return Added.BAD_PARAMETER_SETS;
        }
        try {
            videoEntry = SampleEntries.video(videoCodec, v.sps(), List.copyOf(sets.values()));
        } catch (BitReader.Exhausted | IllegalArgumentException e) {
            return Added.BAD_PARAMETER_SETS;
        }
        sps = v.sps();
        return Added.QUEUED;
    }

    private void start(long timestamp) {
        byte[] init = renderInit(metadata);
        initLength = init.length;
        started = true;
        lastRaw = timestamp;
        lastUnwrapped = timestamp;
        origin = timestamp;
        emit(new Segment(true, 0, 0, 0, false, init));
    }

    /** The step from one timestamp to the next, across the 32-bit (RTP) or 33-bit (PES) wrap. */
    private static long step(long from, long to) {
        long d = to - from;
        if (d > (1L << 32)) {
            d -= 1L << 33;
        } else if (d > (1L << 31)) {
            d -= 1L << 32;
        } else if (d < -(1L << 32)) {
            d += 1L << 33;
        } else if (d < -(1L << 31)) {
            d += 1L << 32;
        }
        return d;
    }

    private long unwrapVideo(long raw) {
        lastUnwrapped += step(lastRaw, raw);
        lastRaw = raw;
        return lastUnwrapped;
    }

    private long unwrapAudio(long raw) {
        if (!audioSeen) {
            audioSeen = true;
            audioLastUnwrapped = lastUnwrapped + step(lastRaw, raw);
        } else {
            audioLastUnwrapped += step(audioLastRaw, raw);
        }
        audioLastRaw = raw;
        return audioLastUnwrapped;
    }

    private byte[] renderInit(Map<String, String> items) {
        List<Box> traks = new ArrayList<>();
        List<Box> trexes = new ArrayList<>();
        int id = 1;
        if (videoCodec != null) {
            traks.add(trak(id, "vide", TIMESCALE, sps.width(), sps.height(), videoEntry,
                    new Box("vmhd").u32(1).zeros(8)));
            trexes.add(new Box("trex").u32(0).u32(id).u32(1).u32(0).u32(0).u32(0));
            id++;
        }
        if (audio != null) {
            traks.add(trak(id, "soun", audio.sampleRate(), 0, 0, SampleEntries.audio(audio),
                    new Box("smhd").u32(0).u32(0)));
            trexes.add(new Box("trex").u32(0).u32(id).u32(1).u32(0).u32(0).u32(0));
            id++;
        }
        String brand = videoCodec == VideoCodec.H265 ? "hvc1" : "avc1";
        Box ftyp = new Box("ftyp").str("isom").u32(0x200).str("isom").str("iso6").str(brand).str("mp41");
        Box mvhd = new Box("mvhd").u32(0).u32(0).u32(0).u32(1000).u32(0).u32(0x00010000).u16(0x0100).zeros(10)
                .matrix().zeros(24).u32(id);
        Box moov = new Box("moov").child(mvhd);
        traks.forEach(moov::child);
        Box mvex = new Box("mvex");
        trexes.forEach(mvex::child);
        moov.child(mvex);
        if (!items.isEmpty()) {
            Box udta = new Box("udta");
            items.forEach((k, val) -> udta.child(text(k, val)));
            moov.child(udta);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(ftyp.toBytes());
        o.writeBytes(moov.toBytes());
        return o.toByteArray();
    }

    private static Box trak(int id, String handler, int timescale, int width, int height, Box entry, Box header) {
        Box stbl = new Box("stbl").child(new Box("stsd").u32(0).u32(1).child(entry))
                .child(new Box("stts").u32(0).u32(0)).child(new Box("stsc").u32(0).u32(0))
                .child(new Box("stsz").u32(0).u32(0).u32(0)).child(new Box("stco").u32(0).u32(0));
        Box minf = new Box("minf").child(header)
                .child(new Box("dinf").child(new Box("dref").u32(0).u32(1).child(new Box("url ").u32(1))))
                .child(stbl);
        String name = handler.equals("vide") ? "VideoHandler\0" : "SoundHandler\0";
        Box mdia = new Box("mdia").child(new Box("mdhd").u32(0).u32(0).u32(0).u32(timescale).u32(0).u16(0x55C4).u16(0))
                .child(new Box("hdlr").u32(0).u32(0).str(handler).zeros(12).bytes(name.getBytes(StandardCharsets.US_ASCII)))
                .child(minf);
        Box tkhd = new Box("tkhd").u32(3).u32(0).u32(0).u32(id).u32(0).u32(0).zeros(8).u16(0).u16(id - 1)
                .u16(handler.equals("soun") ? 0x0100 : 0).u16(0).matrix().u32(width << 16).u32(height << 16);
        return new Box("trak").child(tkhd).child(mdia);
    }

    private static String itemType(String key) {
        return switch (key) {
            case "title" -> "nam";
            case "comment" -> "cmt";
            case "date" -> "day";
            case "encoder" -> "too";
            default -> throw new IllegalArgumentException("unknown metadata key: " + key
                    + " (title, comment, date, encoder)");
        };
    }

    /** A QuickTime user-data text item ({@code ©cmt} and the like), which ffmpeg shows as a format tag. */
    private static Box text(String key, String value) {
        String four = itemType(key);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        Box b = new Box(new byte[] {(byte) 0xA9, (byte) four.charAt(0), (byte) four.charAt(1), (byte) four.charAt(2)});
        return b.u16(v.length).u16(0x55C4).bytes(v);
    }

    private void flush(long nextVideoPts) {
        // video: decode times are the sorted presentation times, continuing from the previous segment
        int n = gop.size();
        long[] pts = new long[n];
        for (int i = 0; i < n; i++) {
            pts[i] = gopPts.get(i)[0];
        }
        long[] dts = pts.clone();
        Arrays.sort(dts);
        boolean reordered = !Arrays.equals(dts, pts);
        long shift = n == 0 ? 0 : nextDecodeTime - dts[0];
        long[] durations = new long[n];
        long videoTotal = 0;
        for (int i = 0; i < n; i++) {
            long next = i + 1 < n ? dts[i + 1] : nextVideoPts;
            long d = next == Long.MIN_VALUE ? lastDuration : next - dts[i];
            if (d <= 0 || d > MAX_FRAME) {
                d = lastDuration; // a clock jump: keep the last good frame interval
            }
            durations[i] = d;
            lastDuration = d;
            videoTotal += d;
        }
        List<byte[]> videoData = new ArrayList<>(n);
        int videoBytes = 0;
        for (AccessUnit u : gop) {
            byte[] b = u.toLengthPrefixed();
            videoData.add(b);
            videoBytes += b.length;
        }
        // audio: what belongs before the next key frame
        int m = 0;
        while (m < audioFrames.size() && (nextVideoPts == Long.MIN_VALUE || audioPts.get(m) < nextVideoPts)) {
            m++;
        }
        int audioBytes = 0;
        long audioStart = 0;
        long[] audioDurations = new long[m];
        long audioTotal = 0;
        if (m > 0) {
            long fromTimestamp = Math.round(audioPts.get(0) * (double) audio.sampleRate() / TIMESCALE);
            // restart at the frame's own time after lost audio; never overlap what was written
            audioStart = Math.max(nextAudioTime, fromTimestamp);
            for (int i = 0; i < m; i++) {
                audioBytes += audioFrames.get(i).length;
                audioDurations[i] = audio.samplesIn(audioFrames.get(i).length);
                audioTotal += audioDurations[i];
            }
        }
        int videoTrack = 1;
        int audioTrack = videoCodec == null ? 1 : 2;
        byte[] moof = moof(0, 0, n, durations, videoData, gop, reordered, pts, dts, shift, audioTrack, m, audioStart,
                audioDurations, videoTrack);
        int dataStart = moof.length + 8;
        moof = moof(dataStart, dataStart + videoBytes, n, durations, videoData, gop, reordered, pts, dts, shift,
                audioTrack, m, audioStart, audioDurations, videoTrack);
        int mdatSize = 8 + videoBytes + audioBytes;
        ByteArrayOutputStream o = new ByteArrayOutputStream(moof.length + mdatSize);
        o.writeBytes(moof);
        o.write(mdatSize >>> 24);
        o.write(mdatSize >>> 16);
        o.write(mdatSize >>> 8);
        o.write(mdatSize);
        o.writeBytes("mdat".getBytes(StandardCharsets.US_ASCII));
        videoData.forEach(o::writeBytes);
        for (int i = 0; i < m; i++) {
            o.writeBytes(audioFrames.get(i));
        }
        long start;
        long span;
        if (n > 0) {
            start = dts[0] + shift;
            span = videoTotal;
            nextDecodeTime = start + videoTotal;
        } else {
            start = audioStart * TIMESCALE / audio.sampleRate();
            span = audioTotal * TIMESCALE / audio.sampleRate();
        }
        nextAudioTime = audioStart + audioTotal;
        videoSamples += n;
        audioSamples += m;
        boolean key = n > 0 && gop.get(0).isKey();
        gop.clear();
        gopPts.clear();
        audioFrames.subList(0, m).clear();
        audioPts.subList(0, m).clear();
        emit(new Segment(false, ++sequence, start, span, key, o.toByteArray()));
    }

    private byte[] moof(int videoOffset, int audioOffset, int n, long[] durations, List<byte[]> videoData,
                        List<AccessUnit> units, boolean reordered, long[] pts, long[] dts, long shift, int audioTrack,
                        int m, long audioStart, long[] audioDurations, int videoTrack) {
        Box moof = new Box("moof").child(new Box("mfhd").u32(0).u32(sequence + 1));
        if (n > 0) {
            int flags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | (reordered ? 0x000800 : 0);
            Box trun = new Box("trun").u8(reordered ? 1 : 0).u24(flags).u32(n).u32(videoOffset);
            for (int i = 0; i < n; i++) {
                trun.u32((int) durations[i]).u32(videoData.get(i).length)
                        .u32(units.get(i).isKey() ? 0x02000000 : 0x01010000);
                if (reordered) {
                    trun.u32((int) (pts[i] - dts[i]));
                }
            }
            moof.child(new Box("traf").child(new Box("tfhd").u32(0x020000).u32(videoTrack))
                    .child(new Box("tfdt").u32(0x01000000).u64(dts[0] + shift)).child(trun));
        }
        if (m > 0) {
            Box trun = new Box("trun").u32(0x000001 | 0x000100 | 0x000200).u32(m).u32(audioOffset);
            for (int i = 0; i < m; i++) {
                trun.u32((int) audioDurations[i]).u32(audioFrames.get(i).length);
            }
            moof.child(new Box("traf").child(new Box("tfhd").u32(0x020000).u32(audioTrack))
                    .child(new Box("tfdt").u32(0x01000000).u64(audioStart)).child(trun));
        }
        return moof.toBytes();
    }

    private void emit(Segment s) {
        bytes += s.bytes().length;
        sink.accept(s);
    }

    /** Builds a {@link Fmp4Segmenter}. Not thread-safe. */
    public static final class Builder {
        private VideoCodec video;
        private AudioTrack audio;
        private Map<String, String> metadata = Map.of();
        private List<byte[]> parameterSets = List.of();
        private long audioSegmentMillis = 1000;

        private Builder() {
        }

        /** @param codec the video codec, or null for audio only @return this */
        public Builder video(VideoCodec codec) {
            this.video = codec;
            return this;
        }

        /** @param track the audio track, or null for none @return this */
        public Builder audio(AudioTrack track) {
            this.audio = track;
            return this;
        }

        /**
         * @param items text items for {@code udta}; keys among {@code title}, {@code comment}, {@code date},
         *              {@code encoder} (QuickTime's {@code ©nam}, {@code ©cmt}, {@code ©day}, {@code ©too}, which
         *              ffprobe shows as {@code TAG:key=value})
         * @return this
         */
        public Builder metadata(Map<String, String> items) {
            this.metadata = new LinkedHashMap<>(items);
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
         * @param millis for audio without video, the span of one media segment (default 1,000 ms)
         * @return this
         */
        public Builder audioSegmentMillis(long millis) {
            if (millis < 1) {
                throw new IllegalArgumentException("segment span must be positive");
            }
            this.audioSegmentMillis = millis;
            return this;
        }

        /**
         * @param sink receives each segment, the initialisation segment first
         * @return the segmenter
         * @throws IllegalArgumentException with neither track, or an unknown metadata key
         */
        public Fmp4Segmenter build(Consumer<Segment> sink) {
            return new Fmp4Segmenter(this, sink);
        }
    }
}
