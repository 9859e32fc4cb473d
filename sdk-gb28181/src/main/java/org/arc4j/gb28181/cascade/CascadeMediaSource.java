package org.arc4j.gb28181.cascade;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.video.AccessUnit;

/**
 * Where the live video an upper platform INVITEs comes from: the embedding centre opens an exported channel's live
 * stream as access units, which the cascade re-muxes to PS and sends to the upper platform.
 * {@link #of(GbPlatform, Function)} relays GB/T 28181 device channels of the centre's own {@link GbPlatform}.
 */
public interface CascadeMediaSource {
    /** Receives a live stream; called on the source's network thread, must not block. */
    interface Sink {
        /**
         * A video access unit.
         *
         * @param type its stream type ({@link PsStreamType#H264} or {@link PsStreamType#H265})
         * @param unit the unit, its timestamp the 90 kHz PTS
         */
        void video(PsStreamType type, AccessUnit unit);

        /**
         * An audio frame (the device's microphone), relayed beside the video in the same program stream. Ignored by
         * default.
         *
         * @param type its stream type ({@link PsStreamType#G711A}, {@link PsStreamType#G711U} or
         *             {@link PsStreamType#AAC} as ADTS frames)
         * @param pts  its PTS, 90 kHz, on the same clock as the video's
         * @param data the frame
         */
        default void audio(PsStreamType type, long pts, byte[] data) {
        }

        /**
         * The stream ended by itself (the device hung up, media lost); called at most once.
         *
         * @param reason why
         */
        void ended(String reason);

        /**
         * The device reported the end of the recording (MediaStatus, NotifyType 121) of a playback or download;
         * the stream stays open until either side ends it. Ignored by default.
         */
        default void endOfFile() {
        }
    }

    /**
     * A recording played back or downloaded for an upper platform: the upper's MANSRTSP controls (GB/T 28181-2016
     * Annex B) are passed on through it. Closing it ends the stream at its source.
     */
    interface Recording extends AutoCloseable {
        /**
         * Resumes, at a speed.
         *
         * @param scale 1.0 normal, else the MANSRTSP {@code Scale}
         * @return the source's answer status (the device's SIP status)
         */
        CompletionStage<Integer> play(double scale);

        /** @return the source's answer status to a pause */
        CompletionStage<Integer> pause();

        /**
         * Moves to a point of the range.
         *
         * @param secondsFromStart seconds from the start of the requested range
         * @return the source's answer status
         */
        CompletionStage<Integer> seek(long secondsFromStart);

        /** Ends the stream; idempotent. */
        @Override
        void close();
    }

    /**
     * A recording relayed from a GB/T 28181 device's playback or download session.
     *
     * @param session the centre's session with the device
     */
    record DeviceRecording(MediaSession session) implements Recording {
        @Override
        public CompletionStage<Integer> play(double scale) {
            return session.play(scale);
        }

        @Override
        public CompletionStage<Integer> pause() {
            return session.pause();
        }

        @Override
        public CompletionStage<Integer> seek(long secondsFromStart) {
            return session.seek(secondsFromStart);
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /**
     * Opens the live video of an exported channel.
     *
     * @param localKey the channel's local key ({@link ExportedItem#localKey()})
     * @param sink     where the access units go
     * @return a handle that stops the stream when closed, once it runs; fails with an
     *         {@link IllegalArgumentException} when the channel cannot be relayed, or with why it could not start
     */
    CompletionStage<AutoCloseable> openLive(String localKey, Sink sink);

    /**
     * Opens a recording of an exported channel for playback ({@code s=Playback}) or download ({@code s=Download}).
     * By default there are none: a source whose channels have no recordings (ONVIF/RTSP cameras, whose feeds are
     * live only) fails with an {@link UnsupportedOperationException}, which the cascade answers with
     * {@code 488 Not Acceptable Here} and a {@code Warning: 399} naming the reason, so that the upper platform can
     * tell "no recordings here" from an unknown channel (404).
     *
     * @param localKey      the channel's local key
     * @param kind          {@link MediaRequest.Kind#PLAYBACK} or {@link MediaRequest.Kind#DOWNLOAD}
     * @param start         the start of the range (the upper's {@code t=})
     * @param end           its end, after the start
     * @param downloadSpeed the download speed factor (1–32; 1 for playback)
     * @param sink          where the access units and the end of the file go
     * @return the running recording; fails with an {@link UnsupportedOperationException} when the channel has no
     *         recordings, an {@link IllegalArgumentException} when it cannot be relayed, or why it could not start
     */
    default CompletionStage<Recording> openRecording(String localKey, MediaRequest.Kind kind, Instant start,
                                                     Instant end, int downloadSpeed, Sink sink) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(localKey + " has no recordings"));
    }

    /**
     * A source backed by a GB/T 28181 platform: the live session is {@link GbPlatform#invite} of the request the
     * mapping gives for the channel.
     *
     * @param platform the platform the devices are registered with
     * @param channels a channel's local key to its live request ({@link MediaRequest#live}), empty when the channel
     *                 is not a GB/T 28181 device channel
     * @return the source
     */
    static CascadeMediaSource of(GbPlatform platform, Function<String, Optional<MediaRequest>> channels) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(channels, "channels");
        return new CascadeMediaSource() {
            @Override
            public CompletionStage<AutoCloseable> openLive(String localKey, Sink sink) {
                Optional<MediaRequest> r = channels.apply(localKey);
                if (r.isEmpty() || r.get().kind() != MediaRequest.Kind.PLAY) {
                    return CompletableFuture.failedFuture(
                            new IllegalArgumentException(localKey + " is not a GB/T 28181 device channel"));
                }
                return platform.invite(r.get(), listener(sink)).thenApply(s -> (AutoCloseable) s);
            }

            /** The device's own playback or download of the channel the live request names, over its transport. */
            @Override
            public CompletionStage<Recording> openRecording(String localKey, MediaRequest.Kind kind, Instant start,
                                                            Instant end, int downloadSpeed, Sink sink) {
                Optional<MediaRequest> r = channels.apply(localKey);
                if (r.isEmpty() || !kind.isHistory()) {
                    return CompletableFuture.failedFuture(new UnsupportedOperationException(localKey
                            + " has no recordings: not a GB/T 28181 device channel"));
                }
                MediaRequest live = r.get();
                MediaRequest history;
                try {
                    history = new MediaRequest(kind, live.deviceId(), live.channelId(), start, end,
                            live.transport(), kind == MediaRequest.Kind.DOWNLOAD ? downloadSpeed : 1,
                            live.mediaTimeout(), null);
                } catch (IllegalArgumentException e) {
                    return CompletableFuture.failedFuture(e);
                }
                return platform.invite(history, listener(sink)).thenApply(s -> (Recording) new DeviceRecording(s));
            }
        };
    }

    private static MediaListener listener(Sink sink) {
        return new MediaListener() {
            @Override
            public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
                sink.video(type, unit);
            }

            @Override
            public void onAudio(MediaSession session, PsStreamType type, long pts, byte[] data) {
                sink.audio(type, pts, data);
            }

            @Override
            public void onEndOfFile(MediaSession session) {
                sink.endOfFile();
            }

            @Override
            public void onClosed(MediaSession session, MediaFailure failure) {
                sink.ended(failure == null ? "closed" : failure.toString());
            }
        };
    }
}
