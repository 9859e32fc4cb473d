package org.arc4j.gb28181.media;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.media.buffer.BufferedFrame;

/**
 * A picture a device captured and uploaded (GB/T 28181-2022 §9.14, image capture): the JPEG bytes as they arrived
 * over HTTP, the capture session and the upload's arrival time on the platform's clock. Immutable.
 *
 * @param sessionId the capture session ({@code SessionID} of the {@code SnapShotConfig})
 * @param index     the order of arrival within the session, from 1
 * @param at        when the upload arrived
 * @param jpeg      the image
 */
public record Snapshot(String sessionId, int index, Instant at, byte[] jpeg) {
    /** Validates and copies. */
    public Snapshot {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        jpeg = jpeg.clone();
    }

    /** @return a copy of the image bytes */
    @Override
    public byte[] jpeg() {
        return jpeg.clone();
    }

    /**
     * The picture as a frame of sdk-media's pre-alarm picture buffer ({@code PreAlarmBuffer.add}).
     *
     * @return a key frame at the arrival time
     */
    public BufferedFrame toBufferedFrame() {
        return new BufferedFrame(at, true, jpeg);
    }
}
