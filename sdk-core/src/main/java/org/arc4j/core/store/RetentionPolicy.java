package org.arc4j.core.store;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How long records are kept, by {@link RecordType}, with the GA 1383 minimums as floors that no setting can go
 * below (GA 1383 记录存储与播放: alarm information at least 180 days, police alarms (警情) forever; operator work records
 * at least 180 days, those of police alarms forever).
 *
 * <ul>
 *   <li>Records that belong to a case (see the package documentation) are aged from the case's latest
 *       transition, not their own time, and are kept <b>forever</b> once any transition of the case says it was
 *       forwarded to the police: the class of a case's records is decided at compaction time, so an alarm
 *       forwarded later becomes permanent.</li>
 *   <li>The newest {@link RecordType#CONFIG_CHANGE} and the newest {@link RecordType#CHECKPOINT} of each subject
 *       are always kept, however old: they are the current configuration and a subscriber's resume point.</li>
 * </ul>
 *
 * <p>Floors: 180 days for events, case transitions, operator actions, configuration changes, audit and
 * supervision records; 30 days for clips (GA 1383: alarm-linked video at least 30 days; a clip belongs to its
 * case, so the clip of a police-forwarded case is kept forever like the case); 1 day for idempotency keys and
 * checkpoints. Defaults: 180 days for all but checkpoints and clips (30 days). Only the {@code CLIP} record is
 * aged here; deleting the video file it names is left to whoever owns the clip directory. Immutable.
 */
public final class RetentionPolicy {
    /** GA 1383: alarm information is kept at least 180 days. */
    public static final Duration ALARM_RECORDS = Duration.ofDays(180);
    /** GA 1383: alarm-linked video (复核录像) is kept at least 30 days. */
    public static final Duration ALARM_VIDEO = Duration.ofDays(30);

    private final Map<RecordType, Duration> keep;

    private RetentionPolicy(Map<RecordType, Duration> keep) {
        this.keep = keep;
    }

    /** @return the defaults: 180 days, checkpoints and clips 30 days, police cases forever */
    public static RetentionPolicy ga1383() {
        EnumMap<RecordType, Duration> m = new EnumMap<>(RecordType.class);
        for (RecordType t : RecordType.values()) {
            m.put(t, t == RecordType.CHECKPOINT ? Duration.ofDays(30) : t == RecordType.CLIP ? ALARM_VIDEO
                    : ALARM_RECORDS);
        }
        return new RetentionPolicy(m);
    }

    /**
     * The shortest retention allowed for a type.
     *
     * @param type the type
     * @return its floor
     */
    public static Duration floor(RecordType type) {
        return type == RecordType.IDEMPOTENCY_KEY || type == RecordType.CHECKPOINT ? Duration.ofDays(1)
                : type == RecordType.CLIP ? ALARM_VIDEO : ALARM_RECORDS;
    }

    /**
     * This policy with another retention for one type.
     *
     * @param type how long records of it are kept
     * @param d    the retention, at least {@link #floor(RecordType)}
     * @return the new policy
     * @throws IllegalArgumentException if {@code d} is below the floor
     */
    public RetentionPolicy keep(RecordType type, Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.compareTo(floor(type)) < 0) {
            throw new IllegalArgumentException(type + " must be kept at least " + floor(type).toDays()
                    + " days (GA 1383): " + d);
        }
        EnumMap<RecordType, Duration> m = new EnumMap<>(keep);
        m.put(type, d);
        return new RetentionPolicy(m);
    }

    /**
     * This policy keeping a type forever.
     *
     * @param type the type
     * @return the new policy
     */
    public RetentionPolicy keepForever(RecordType type) {
        EnumMap<RecordType, Duration> m = new EnumMap<>(keep);
        m.put(type, null);
        return new RetentionPolicy(m);
    }

    /**
     * @param type a type
     * @return how long its records are kept (from their own time or their case's latest transition), or empty
     *         for forever
     */
    public Optional<Duration> retention(RecordType type) {
        return Optional.ofNullable(keep.get(type));
    }

    @Override
    public String toString() {
        return "RetentionPolicy" + keep;
    }
}
