package org.arc4j.media.clip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;

/**
 * Writes a stream as one fragmented MP4 file to an {@link OutputStream}: the segments of a {@link Fmp4Segmenter}
 * one after the other (ISO/IEC 14496-12; H.264 as {@code avc1}, H.265 as {@code hvc1}, AAC as {@code mp4a}, G.711 as
 * QuickTime's {@code alaw}/{@code ulaw}), which standard players and {@code ffprobe} open. See the segmenter for
 * timestamps and what is dropped. For alarm clips into the store use {@link ClipRecorder}.
 *
 * <p>Not thread-safe: one writer per file.
 */
public final class Fmp4Writer {
    private final OutputStream out;
    private final Fmp4Segmenter segmenter;

    /**
     * An H.264 writer without audio.
     *
     * @param out      where the MP4 goes (the caller closes it)
     * @param metadata text items for {@code udta}, e.g. {@code comment} → the case id; keys among {@code title},
     *                 {@code comment}, {@code date}, {@code encoder}
     */
    public Fmp4Writer(OutputStream out, Map<String, String> metadata) {
        this(out, VideoCodec.H264, null, metadata);
    }

    /**
     * A writer.
     *
     * @param out      where the MP4 goes (the caller closes it)
     * @param video    the video codec, or null for audio only
     * @param audio    the audio track, or null for none
     * @param metadata text items for {@code udta} (see {@link Fmp4Segmenter.Builder#metadata})
     */
    public Fmp4Writer(OutputStream out, VideoCodec video, AudioTrack audio, Map<String, String> metadata) {
        this.out = Objects.requireNonNull(out, "out");
        this.segmenter = Fmp4Segmenter.builder().video(video).audio(audio).metadata(metadata).build(s -> {
            try {
                this.out.write(s.bytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** @return video samples written so far */
    public long samples() {
        return segmenter.videoSamples();
    }

    /** @return audio frames written so far */
    public long audioSamples() {
        return segmenter.audioSamples();
    }

    /** @return bytes written so far */
    public long bytes() {
        return segmenter.bytes();
    }

    /**
     * Adds an access unit; a key frame closes the fragment before it; units before the first key frame are dropped.
     *
     * @param unit an access unit of the writer's codec
     * @return what became of it
     * @throws UncheckedIOException if writing fails
     */
    public Fmp4Segmenter.Added add(AccessUnit unit) {
        return segmenter.video(unit);
    }

    /**
     * Adds an audio frame.
     *
     * @param timestamp its 90 kHz time on the video's clock
     * @param frame     the frame (AAC with or without ADTS, or G.711)
     * @return what became of it
     * @throws UncheckedIOException if writing fails
     */
    public Fmp4Segmenter.Added audio(long timestamp, byte[] frame) {
        return segmenter.audio(timestamp, frame);
    }

    /**
     * Writes what is buffered as a last fragment.
     *
     * @throws UncheckedIOException if writing fails
     */
    public void finish() {
        segmenter.flush();
    }
}
