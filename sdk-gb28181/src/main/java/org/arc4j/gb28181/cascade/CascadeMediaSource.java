package org.arc4j.gb28181.cascade;

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
        return (localKey, sink) -> {
            Optional<MediaRequest> r = channels.apply(localKey);
            if (r.isEmpty() || r.get().kind() != MediaRequest.Kind.PLAY) {
                return CompletableFuture.failedFuture(
                        new IllegalArgumentException(localKey + " is not a GB/T 28181 device channel"));
            }
            return platform.invite(r.get(), new MediaListener() {
                @Override
                public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
                    sink.video(type, unit);
                }

                @Override
                public void onAudio(MediaSession session, PsStreamType type, long pts, byte[] data) {
                    sink.audio(type, pts, data);
                }

                @Override
                public void onClosed(MediaSession session, MediaFailure failure) {
                    sink.ended(failure == null ? "closed" : failure.toString());
                }
            }).thenApply(s -> (AutoCloseable) s);
        };
    }
}
