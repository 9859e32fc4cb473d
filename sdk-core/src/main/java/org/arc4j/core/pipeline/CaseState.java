package org.arc4j.core.pipeline;

/**
 * How far a case has come (GA 1383 报警接收与处置: 接警 → 响应 → 复核 → 转发 → 处置 → 结束). The state only moves
 * forward; what else happened (forwarding by rule before an operator took the case, a restore, a breach) is in
 * the case's transitions.
 */
public enum CaseState {
    /** Durable and handed to the console queue; no console has displayed it yet. */
    RECEIVED,
    /** A console confirmed the sound-and-light prompt and the alarm details are on screen (GA 1383 报警响应). */
    PRESENTED,
    /** An operator took it. */
    TAKEN,
    /** A verification is running (GA 1383 报警复核). */
    VERIFYING,
    /** The verification has a result. */
    VERIFIED,
    /** Forwarded to police or another recipient (GA 1383 警情转发). */
    FORWARDED,
    /** A guard was dispatched (GA 1383 现场处置). */
    DISPATCHED,
    /** Handled; no further steps. */
    CLOSED,
    /** Closed and archived, clients notified. */
    ARCHIVED;

    /** @return true for {@link #CLOSED} and {@link #ARCHIVED} */
    public boolean isFinal() {
        return this == CLOSED || this == ARCHIVED;
    }
}
