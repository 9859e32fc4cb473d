package org.arc4j.core.pipeline;

/** The outcome of a verification (GA 1383 报警复核). */
public enum VerificationResult {
    /** A real alarm. */
    REAL,
    /** A false alarm; the cause is recorded with it (GA 1383: 查清误报警原因). */
    FALSE,
    /** A test by the customer or an installer. */
    TEST,
    /** Could not be established; a guard should go (GA 1383: 无法确认现场情况的，应指派现场处置员). */
    UNKNOWN
}
