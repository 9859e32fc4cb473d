package org.arc4j.gb28181.media;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What to ask a device for (GB/T 28181-2016 §9.2 real-time video, §9.8 playback and download): the kind, the
 * channel, the time range of a recording, the transport and how long to wait for media. Immutable; build with
 * {@link #live}, {@link #playback} or {@link #download} and refine with the {@code with…} methods.
 *
 * @param kind          live, playback or download ({@code s=Play}, {@code s=Playback}, {@code s=Download})
 * @param deviceId      the registered device the INVITE goes to
 * @param channelId     the channel (camera) ID, put in the Request-URI, {@code u=} and Subject
 * @param start         the recording's start for playback and download, else null
 * @param end           the recording's end for playback and download, else null
 * @param transport     how RTP travels
 * @param downloadSpeed the download speed factor ({@code a=downloadspeed}, 1–32), used for download only
 * @param mediaTimeout  how long without decodable audio or video, at the start or later, before the session fails with
 *                      {@link MediaFailure.Kind#NO_MEDIA} or {@link MediaFailure.Kind#MEDIA_LOST}
 * @param mediaFormat   the optional {@code f=} line's value (GB/T 28181-2016 Annex F: {@code v/codec/resolution/
 *                      frame rate/rate control/bit rate a/codec/bit rate/sample rate}, empty fields allowed, e.g.
 *                      {@code v/2/5/25/1/4096a///}), asking the device for a format; null for none
 */
public record MediaRequest(Kind kind, String deviceId, String channelId, Instant start, Instant end,
                           MediaTransport transport, int downloadSpeed, Duration mediaTimeout, String mediaFormat) {
    /** The default media timeout: 10 s. */
    public static final Duration DEFAULT_MEDIA_TIMEOUT = Duration.ofSeconds(10);

    /** The session kind, named as the SDP {@code s=} line names it. */
    public enum Kind {
        /** Real-time video ({@code s=Play}). */
        PLAY("Play"),
        /** Playback of a recording at its own pace, controllable by MANSRTSP ({@code s=Playback}). */
        PLAYBACK("Playback"),
        /** Download of a recording, as fast as {@code a=downloadspeed} allows ({@code s=Download}). */
        DOWNLOAD("Download");

        private final String sessionName;

        Kind(String sessionName) {
            this.sessionName = sessionName;
        }

        /** @return the SDP session name */
        public String sessionName() {
            return sessionName;
        }

        /** @return true for playback and download, which carry a time range and the history SSRC flag */
        public boolean isHistory() {
            return this != PLAY;
        }
    }

    /** Validates. */
    public MediaRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(mediaTimeout, "mediaTimeout");
        if (kind.isHistory()) {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("end must be after start: " + start + " " + end);
            }
        }
        if (downloadSpeed < 1 || downloadSpeed > 32) {
            throw new IllegalArgumentException("downloadSpeed must be 1-32: " + downloadSpeed);
        }
        if (mediaTimeout.isNegative() || mediaTimeout.isZero()) {
            throw new IllegalArgumentException("mediaTimeout must be positive: " + mediaTimeout);
        }
        if (mediaFormat != null && !mediaFormat.matches("v/[0-9A-Za-z./]*a/[0-9A-Za-z./]*")) {
            throw new IllegalArgumentException("mediaFormat must be v/.../a/... of letters, digits, '.' and '/' "
                    + "(GB/T 28181 Annex F): " + mediaFormat);
        }
    }

    /**
     * Real-time video of a channel over TCP passive.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @return the request
     */
    public static MediaRequest live(String deviceId, String channelId) {
        return new MediaRequest(Kind.PLAY, deviceId, channelId, null, null, MediaTransport.TCP_PASSIVE, 1,
                DEFAULT_MEDIA_TIMEOUT, null);
    }

    /**
     * Playback of a channel's recording over TCP passive.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @param start     the start of the range
     * @param end       the end of the range, after the start
     * @return the request
     */
    public static MediaRequest playback(String deviceId, String channelId, Instant start, Instant end) {
        return new MediaRequest(Kind.PLAYBACK, deviceId, channelId, start, end, MediaTransport.TCP_PASSIVE, 1,
                DEFAULT_MEDIA_TIMEOUT, null);
    }

    /**
     * Download of a channel's recording over TCP passive.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @param start     the start of the range
     * @param end       the end of the range, after the start
     * @param speed     the speed factor, 1–32
     * @return the request
     */
    public static MediaRequest download(String deviceId, String channelId, Instant start, Instant end, int speed) {
        return new MediaRequest(Kind.DOWNLOAD, deviceId, channelId, start, end, MediaTransport.TCP_PASSIVE, speed,
                DEFAULT_MEDIA_TIMEOUT, null);
    }

    /**
     * @param t the transport
     * @return a copy with that transport
     */
    public MediaRequest withTransport(MediaTransport t) {
        return new MediaRequest(kind, deviceId, channelId, start, end, t, downloadSpeed, mediaTimeout, mediaFormat);
    }

    /**
     * @param timeout the media timeout, positive
     * @return a copy with that media timeout
     */
    public MediaRequest withMediaTimeout(Duration timeout) {
        return new MediaRequest(kind, deviceId, channelId, start, end, transport, downloadSpeed, timeout,
                mediaFormat);
    }

    /**
     * @param f the {@code f=} value (see {@link #mediaFormat()}), or null for none
     * @return a copy that asks the device for that format
     */
    public MediaRequest withMediaFormat(String f) {
        return new MediaRequest(kind, deviceId, channelId, start, end, transport, downloadSpeed, mediaTimeout, f);
    }
}
