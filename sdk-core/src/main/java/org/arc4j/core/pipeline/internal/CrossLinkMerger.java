package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.arc4j.core.codes.CodeKind;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.CaseState;

/**
 * Finds the open case an event belongs to: the same alarm arriving over another link (GA 1383 requires a
 * centre to receive over more than one path, and each path delivers its own copy) is merged into the case it
 * opened, and a restore is paired with the case of the alarm it ends.
 *
 * <p>Two events are the same alarm when they share receiver, line, account, code, qualifier, zone and
 * partition and lie within the merge window of each other, by device time when both carry one, else by
 * receipt time. A restore is a Contact ID event with qualifier 3, or a SIA code of kind {@link CodeKind#RESTORE}
 * in the configured table, paired with its alarm by the table ({@link CodeTable#alarmOf}).
 *
 * <p>Not thread-safe: used only under the pipeline's lock.
 */
public final class CrossLinkMerger {
    /*
     * The keys hash by hand: a record's generated hashCode is 31 * h + h' over its parts, which is linear in the
     * digits of a String's hash, and account numbers and zone numbers are both runs of digits. Accounts
     * 10000000..10000299 with zones 001..100 gave 30,000 restore keys only 5,727 distinct hashes, so HashMap
     * buckets grew into trees whose every lookup compared keys. Multiplying by a large odd constant between
     * the parts breaks that linearity.
     */
    private static final int MIX = 0x9E3779B1;

    private static int mix(int h, Object part) {
        return h * MIX + (part == null ? 0 : part.hashCode());
    }

    /** The same alarm of one panel: account, code, qualifier, zone and partition. Package-private for its test. */
    record MergeKey(AccountKey account, String code, Qualifier qualifier, String zone, String partition) {
        static MergeKey of(AccountKey account, AlarmEvent e) {
            return new MergeKey(account, e.code(), e.qualifier(), e.zone(), e.partition());
        }

        @Override
        public int hashCode() {
            int h = mix(mix(mix(mix(account.hashCode(), code), qualifier), zone), partition);
            return h ^ (h >>> 16);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MergeKey k && account.equals(k.account) && Objects.equals(code, k.code)
                    && qualifier == k.qualifier && Objects.equals(zone, k.zone)
                    && Objects.equals(partition, k.partition);
        }
    }

    /** The alarm a restore ends: account, zone and the alarm's code. Package-private for its test. */
    record RestoreKey(AccountKey account, String zone, String alarmCode) {
        @Override
        public int hashCode() {
            int h = mix(mix(account.hashCode(), zone), alarmCode);
            return h ^ (h >>> 16);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RestoreKey k && account.equals(k.account) && Objects.equals(zone, k.zone)
                    && Objects.equals(alarmCode, k.alarmCode);
        }
    }

    private final Duration mergeWindow;
    private final CodeTable siaCodes;
    private final Map<MergeKey, CaseFile> byAlarm;
    private final Map<RestoreKey, CaseFile> byRestore;

    /**
     * @param capacity    the initial capacity of its indexes (cases open at once, with room)
     * @param mergeWindow how far apart two arrivals of one alarm may be
     * @param siaCodes    the SIA table for restores and their pairs, or null to go by the qualifier alone
     */
    public CrossLinkMerger(int capacity, Duration mergeWindow, CodeTable siaCodes) {
        this.mergeWindow = mergeWindow;
        this.siaCodes = siaCodes;
        this.byAlarm = new HashMap<>(capacity);
        this.byRestore = new HashMap<>(capacity);
    }

    /**
     * @param e an event
     * @return true if it restores an alarm (never an opening or closing, whose qualifier 3 means arming)
     */
    public boolean isRestore(AlarmEvent e) {
        if (e.category() == Category.OPEN_CLOSE) {
            return false;
        }
        if (e.codeSystem() == CodeSystem.SIA && siaCodes != null) {
            return siaCodes.find(e.code()).map(d -> d.kind() == CodeKind.RESTORE).orElse(false);
        }
        return e.qualifier() == Qualifier.RESTORE;
    }

    /**
     * The open case an alarm is another arrival of.
     *
     * @param e an alarm
     * @return the case to merge it into, or null to open a new one
     */
    public CaseFile mergeTarget(AlarmEvent e) {
        CaseFile existing = byAlarm.get(MergeKey.of(AccountKey.of(e), e));
        return existing != null && !existing.state.isFinal() && sameAlarm(existing.event, e) ? existing : null;
    }

    /**
     * The case a restore ends: the last case of its alarm on that account and zone, while it is in memory, not
     * archived and not restored yet.
     *
     * @param e a restore ({@link #isRestore} is true)
     * @return the case, or null when the restore is only a status report
     */
    public CaseFile restoreTarget(AlarmEvent e) {
        CaseFile c = byRestore.get(new RestoreKey(AccountKey.of(e), e.zone(), alarmCodeOf(e)));
        return c == null || c.state == CaseState.ARCHIVED || c.restoredAt != null ? null : c;
    }

    /**
     * Indexes a case by its alarm; a later case of the same alarm takes the place of an earlier one.
     *
     * @param c the case
     */
    public void register(CaseFile c) {
        AlarmEvent e = c.event;
        byAlarm.put(MergeKey.of(c.account, e), c);
        byRestore.put(new RestoreKey(c.account, e.zone(), e.code()), c);
    }

    /**
     * Drops an archived case from the indexes, unless a later case of the same alarm has taken its place.
     *
     * @param c the case
     */
    public void forget(CaseFile c) {
        AlarmEvent e = c.event;
        byAlarm.remove(MergeKey.of(c.account, e), c);
        byRestore.remove(new RestoreKey(c.account, e.zone(), e.code()), c);
    }

    private String alarmCodeOf(AlarmEvent restore) {
        if (restore.codeSystem() == CodeSystem.SIA && siaCodes != null) {
            return siaCodes.alarmOf(restore.code());
        }
        return restore.code();
    }

    private boolean sameAlarm(AlarmEvent first, AlarmEvent e) {
        boolean device = first.triggeredAt() != null && e.triggeredAt() != null;
        Instant a = device ? first.triggeredAt() : first.receivedAt();
        Instant b = device ? e.triggeredAt() : e.receivedAt();
        return Duration.between(a, b).abs().compareTo(mergeWindow) <= 0;
    }
}
