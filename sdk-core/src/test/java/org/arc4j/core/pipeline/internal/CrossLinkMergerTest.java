package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.sla.SlaPolicy;
import org.junit.jupiter.api.Test;

class CrossLinkMergerTest {
    private final Fixtures f = new Fixtures();
    private final CrossLinkMerger merger = new CrossLinkMerger(16, Duration.ofMinutes(2), CodeTables.sia());
    private final CaseOpener opener = new CaseOpener(null, SlaPolicy.ga1383(), Rules.NONE);

    private CaseFile open(AlarmEvent e) {
        CaseFile c = opener.open(e, f.scheduler.now());
        merger.register(c);
        return c;
    }

    private static AlarmEvent.Builder burglary() {
        return Fixtures.contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION, "001");
    }

    @Test
    void theSameAlarmOverAnotherLinkWithinTheWindowMerges() {
        CaseFile c = open(f.received(burglary()));
        f.scheduler.advance(Duration.ofMinutes(2));
        assertThat(merger.mergeTarget(f.received(burglary().link("link-b")))).isSameAs(c);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(merger.mergeTarget(f.received(burglary().link("link-b")))).isNull();
    }

    @Test
    void anotherZoneCodeOrQualifierIsAnotherAlarm() {
        open(f.received(burglary()));
        assertThat(merger.mergeTarget(f.received(Fixtures.contactId("130", Qualifier.NEW_EVENT,
                Category.INTRUSION, "002")))).isNull();
        assertThat(merger.mergeTarget(f.received(Fixtures.contactId("131", Qualifier.NEW_EVENT,
                Category.INTRUSION, "001")))).isNull();
        assertThat(merger.mergeTarget(f.received(Fixtures.contactId("130", Qualifier.PREVIOUSLY_REPORTED,
                Category.INTRUSION, "001")))).isNull();
    }

    @Test
    void deviceTimesDecideWhenBothArrivalsCarryOne() {
        // received 10 minutes apart (a slow path), but triggered within a second of each other
        CaseFile c = open(f.received(burglary().triggeredAt(Fixtures.T0.minusSeconds(1))));
        f.scheduler.advance(Duration.ofMinutes(10));
        assertThat(merger.mergeTarget(f.received(burglary().link("link-b").triggeredAt(Fixtures.T0))))
                .isSameAs(c);
        // without a device time on the second, receipt times are compared
        assertThat(merger.mergeTarget(f.received(burglary().link("link-b")))).isNull();
    }

    @Test
    void aClosedCaseTakesNoMoreArrivals() {
        CaseFile c = open(f.received(burglary()));
        f.apply(c, CaseAction.CLOSED, CaseActor.operator("op1"), Map.of());
        assertThat(merger.mergeTarget(f.received(burglary()))).isNull();
    }

    @Test
    void aContactIdRestoreIsTheSameCodeWithQualifierThree() {
        CaseFile c = open(f.received(burglary()));
        AlarmEvent restore = f.received(Fixtures.contactId("130", Qualifier.RESTORE, Category.INTRUSION, "001"));
        assertThat(merger.isRestore(restore)).isTrue();
        assertThat(merger.restoreTarget(restore)).isSameAs(c);
        // once restored, a second restore is only a status report
        f.apply(c, CaseAction.RESTORED, CaseActor.SYSTEM, Map.of());
        assertThat(merger.restoreTarget(restore)).isNull();
    }

    @Test
    void aSiaRestoreIsPairedByTheTable() {
        CaseFile c = open(f.received(Fixtures.sia("BA", Category.INTRUSION, "003")));
        AlarmEvent br = f.received(Fixtures.sia("BR", Category.INTRUSION, "003"));
        assertThat(merger.isRestore(br)).isTrue();
        assertThat(merger.restoreTarget(br)).isSameAs(c);
        assertThat(merger.restoreTarget(f.received(Fixtures.sia("FR", Category.FIRE, "003")))).isNull();
        assertThat(merger.restoreTarget(f.received(Fixtures.sia("BR", Category.INTRUSION, "004")))).isNull();
        // without a table, a SIA event is a restore only by its qualifier
        CrossLinkMerger bare = new CrossLinkMerger(4, Duration.ofMinutes(2), null);
        assertThat(bare.isRestore(br)).isFalse();
    }

    @Test
    void aClosingIsNeverARestore() {
        AlarmEvent closing = f.received(Fixtures.contactId("401", Qualifier.RESTORE, Category.OPEN_CLOSE, "003"));
        assertThat(merger.isRestore(closing)).isFalse();
    }

    @Test
    void forgettingLeavesALaterCaseOfTheSameAlarmInPlace() {
        CaseFile first = open(f.received(burglary()));
        f.apply(first, CaseAction.CLOSED, CaseActor.operator("op1"), Map.of());
        CaseFile second = open(f.received(burglary()));
        merger.forget(first);
        assertThat(merger.mergeTarget(f.received(burglary()))).isSameAs(second);
        merger.forget(second);
        assertThat(merger.mergeTarget(f.received(burglary()))).isNull();
        assertThat(merger.restoreTarget(f.received(Fixtures.contactId("130", Qualifier.RESTORE,
                Category.INTRUSION, "001")))).isNull();
    }

    @Test
    void keysOfNumberedAccountsAndZonesSpreadOverDistinctHashes() {
        // 300 panels with consecutive eight-digit accounts, 100 zones each: the records' generated hashCode gave
        // the restore keys 5,727 distinct hashes for these 30,000 keys (HashMap buckets turned into trees)
        Set<Integer> restore = new HashSet<>();
        Set<Integer> merge = new HashSet<>();
        Set<CrossLinkMerger.RestoreKey> keys = new HashSet<>();
        for (int panel = 0; panel < 300; panel++) {
            AccountKey a = new AccountKey("0", "0",
                    Integer.toString(10_000_000 + panel));
            for (int zone = 1; zone <= 100; zone++) {
                String z = String.format("%03d", zone);
                CrossLinkMerger.RestoreKey k = new CrossLinkMerger.RestoreKey(a, z, "BA");
                restore.add(k.hashCode());
                keys.add(k);
                merge.add(new CrossLinkMerger.MergeKey(a, "BA", Qualifier.NEW_EVENT, z, null).hashCode());
            }
        }
        assertThat(keys).hasSize(30_000);
        assertThat(restore.size()).isGreaterThan(29_900);
        assertThat(merge.size()).isGreaterThan(29_900);
        // equal keys still hash alike and compare equal
        AccountKey a = new AccountKey("0", "0", "1234");
        assertThat(new CrossLinkMerger.RestoreKey(a, "001", "BA"))
                .isEqualTo(new CrossLinkMerger.RestoreKey(new AccountKey("0", "0", "1234"),
                        "001", "BA"))
                .hasSameHashCodeAs(new CrossLinkMerger.RestoreKey(a, "001", "BA"))
                .isNotEqualTo(new CrossLinkMerger.RestoreKey(a, "002", "BA"));
        assertThat(new CrossLinkMerger.MergeKey(a, "BA", Qualifier.NEW_EVENT, null, null))
                .isEqualTo(new CrossLinkMerger.MergeKey(a, "BA", Qualifier.NEW_EVENT, null, null))
                .isNotEqualTo(new CrossLinkMerger.MergeKey(a, "BA", Qualifier.RESTORE, null, null));
    }
}
