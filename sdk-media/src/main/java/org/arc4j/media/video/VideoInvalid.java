package org.arc4j.media.video;

import java.util.Objects;

/**
 * What a depacketiser refused, and the packet it came from; the depacketiser carries on with the next packet.
 *
 * @param error    why
 * @param sequence the RTP sequence number of the packet at fault
 * @param detail   a human-readable detail
 */
public record VideoInvalid(VideoError error, int sequence, String detail) {
    /** Validates the error is present. */
    public VideoInvalid {
        Objects.requireNonNull(error, "error");
    }
}
