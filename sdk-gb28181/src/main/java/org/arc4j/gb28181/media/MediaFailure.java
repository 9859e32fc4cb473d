package org.arc4j.gb28181.media;

import java.util.Objects;

/**
 * Why a media session could not start or ended without the platform asking it to. A failure is final: the session
 * is over, its port released and, when a dialog existed, a BYE sent.
 *
 * @param kind      what went wrong
 * @param sipStatus the device's SIP status for {@link Kind#REJECTED}, else 0
 * @param detail    a human-readable detail
 */
public record MediaFailure(Kind kind, int sipStatus, String detail) {
    /** What went wrong. */
    public enum Kind {
        /** The device answered the INVITE with a SIP error (4xx, 5xx, 6xx); see {@link #sipStatus()}. */
        REJECTED,
        /** The device never gave a final answer to the INVITE (SIP timer B, RFC 3261 §17.1.1.2). */
        NO_ANSWER,
        /** The device's 200 OK carried no usable SDP (no media line, no address, an unknown transport). */
        BAD_ANSWER,
        /**
         * No decodable audio or video arrived within the media timeout after the ACK: no RTP at all, or RTP whose
         * payload is not a program stream.
         */
        NO_MEDIA,
        /**
         * Decodable media stopped for the media timeout during the session: a video fault of the channel (GA 1383 视频
         * 复核; the centre raises {@code VIDEO_FAULT}).
         */
        MEDIA_LOST,
        /** The device ended the session with a BYE. */
        BYE_FROM_DEVICE,
        /** The device went offline (keepalive supervision) or its registration ended. */
        DEVICE_GONE,
        /** The device is not registered, or the platform could not set up the media port or connection. */
        LOCAL
    }

    /** Validates the kind. */
    public MediaFailure {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    /**
     * Whether the failure means the channel's video is missing: the device sent none, stopped sending, or went
     * away. A centre raises a video fault ({@code Category.VIDEO_FAULT}) for these.
     *
     * @return true for {@link Kind#NO_MEDIA}, {@link Kind#MEDIA_LOST} and {@link Kind#DEVICE_GONE}
     */
    public boolean isVideoFault() {
        return kind == Kind.NO_MEDIA || kind == Kind.MEDIA_LOST || kind == Kind.DEVICE_GONE;
    }

    @Override
    public String toString() {
        return kind + (sipStatus > 0 ? " " + sipStatus : "") + (detail.isEmpty() ? "" : ": " + detail);
    }
}
