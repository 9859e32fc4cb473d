package org.arc4j.media.rtp;

import java.util.Objects;

/**
 * A frame refused by {@link Rfc4571FrameDecoder} or {@link InterleavedFrameDecoder}, passed down the pipeline in place
 * of the frame so the handler can count it; the stream goes on with the next frame.
 *
 * @param error   why
 * @param channel the interleaved channel, or -1 for RFC 4571
 * @param length  the length the frame announced
 */
public record TcpFramingInvalid(TcpFramingError error, int channel, int length) {
    /** Validates the error is present. */
    public TcpFramingInvalid {
        Objects.requireNonNull(error, "error");
    }
}
