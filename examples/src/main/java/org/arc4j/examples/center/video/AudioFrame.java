package org.arc4j.examples.center.video;

import java.time.Instant;
import org.arc4j.media.clip.AudioTrack;

/**
 * One audio frame of a camera, as its RTP payload carried it, stamped with wall-clock time.
 *
 * @param at    when it was sampled, on the centre's clock
 * @param track the camera's audio track
 * @param bytes the frame (G.711: one byte a sample)
 */
record AudioFrame(Instant at, AudioTrack track, byte[] bytes) {
}
