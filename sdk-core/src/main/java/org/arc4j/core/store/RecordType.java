package org.arc4j.core.store;

/**
 * What a stored record holds. The type, with the case it belongs to, decides its retention class at
 * compaction time (GA 1383: alarm records at least 180 days, alarm-linked video at least 30 days, police alarms
 * forever).
 */
public enum RecordType {
    /** An accepted {@code AlarmEvent}, as its JSON ({@code EventJson}). */
    EVENT,
    /** The idempotency key of an accepted message and the ids of its events. */
    IDEMPOTENCY_KEY,
    /** A case changed state (received, presented, taken, verified, forwarded, dispatched, closed, …). */
    CASE_TRANSITION,
    /** An operator did something outside a case transition (note, acknowledgement of a prompt). */
    OPERATOR_ACTION,
    /** Configuration or customer data changed. */
    CONFIG_CHANGE,
    /** A security audit entry: login, lockout, permission or credential change, video viewed. */
    AUDIT,
    /** A supervision decision: a device went offline or came back. */
    SUPERVISION,
    /** A subscriber's checkpoint: the position it has processed. */
    CHECKPOINT,
    /**
     * An alarm clip (GA 1383 记录存储与播放: alarm-linked video kept at least 30 days, that of police alarms
     * forever): subject the case id, payload where the video file is, its codec, SHA-256 and times. The file
     * itself lives outside the store.
     */
    CLIP
}
