package org.arc4j.core.sla;

/**
 * How an operator verifies an alarm (GA 1383 报警复核: 视频复核、音频复核、图片复核、电话复核、现场处置员复核).
 */
public enum VerificationMethod {
    /** Pre-alarm and live video, at least 15 frames per second. Required for key customers (重要客户). */
    VIDEO,
    /** Pre-alarm and live audio. */
    AUDIO,
    /** Pre-alarm pictures, at least 4 per second. */
    PICTURE,
    /** A phone call to the site or the customer's contacts. */
    PHONE,
    /** A guard sent to the site; timed by the dispatch steps, not by a verification limit. */
    GUARD
}
