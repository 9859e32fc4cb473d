package org.arc4j.core.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

/** What the journalled supervisor adds: records, restarts, inspection and late-to-test reports. */
class JournalledSupervisorTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
    static final DeviceKey PANEL = DeviceKey.of("account", "R1/L1/1001");
    static final DeviceKey DIALUP = DeviceKey.of("account", "R1/L2/1002");

    @Test
    void anOfflineDeviceStaysOfflineAcrossARestartAndItsReturnIsPairedWithTheOriginalOffline() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        ManualScheduler s = new ManualScheduler(T0);
        JournalledSupervisor before = JournalledSupervisor.open(store, s);
        before.expect(PANEL, Duration.ofMinutes(3));
        before.checkIn(PANEL, "ip", T0);
        s.advance(Duration.ofMinutes(3));
        assertThat(before.status(PANEL).orElseThrow().online()).isFalse();

        ManualScheduler s2 = new ManualScheduler(T0.plus(Duration.ofMinutes(30)));
        JournalledSupervisor after = JournalledSupervisor.open(store, s2);
        List<SupervisionEvent> seen = new ArrayList<>();
        after.addListener(seen::add);
        after.expect(PANEL, Duration.ofMinutes(3));
        assertThat(after.status(PANEL).orElseThrow().online()).isFalse();
        s2.advance(Duration.ofHours(1));
        assertThat(seen).isEmpty(); // not declared offline a second time
        after.checkIn(PANEL, "gprs", s2.now());
        assertThat(seen).containsExactly(new SupervisionEvent.Online(PANEL, s2.now(), "gprs", T0.plusSeconds(180)));

        List<StoredRecord> records = new ArrayList<>();
        store.replay(1, records::add);
        assertThat(records).extracting(StoredRecord::type).containsExactly(RecordType.SUPERVISION,
                RecordType.SUPERVISION);
        assertThat(records).extracting(StoredRecord::subject).containsOnly("account:R1/L1/1001");
    }

    @Test
    void remoteInspectionAtLeastDailyAndTheLateToTestReport() {
        ManualScheduler s = new ManualScheduler(T0);
        JournalledSupervisor sup = JournalledSupervisor.open(new InMemoryRecordStore(), s);
        assertThatThrownBy(() -> sup.scheduleRemoteInspection(Duration.ofHours(25), d -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        List<DeviceKey> dialled = new ArrayList<>();
        sup.scheduleRemoteInspection(Duration.ofHours(24), dialled::add);
        sup.expect(PANEL, Duration.ofHours(1));
        sup.expect(DIALUP, Duration.ofHours(25));
        for (int h = 1; h <= 24; h++) {
            s.advance(Duration.ofMinutes(59));
            sup.checkIn(PANEL, "ip", s.now());
            s.advance(Duration.ofMinutes(1));
        }
        // at 24 h the panel that polls is fresh; the dial-up device was never heard from
        assertThat(dialled).containsExactly(DIALUP);
        assertThat(sup.lateToTest()).isEmpty();
        s.advance(Duration.ofHours(1).plusMinutes(30));
        assertThat(sup.lateToTest()).extracting(JournalledSupervisor.LateReport::device)
                .containsExactly(PANEL, DIALUP); // the panel was due at 24:59, the dial-up device at 25:00
        assertThat(sup.lateToTest()).extracting(JournalledSupervisor.LateReport::late)
                .containsExactly(Duration.ofMinutes(31), Duration.ofMinutes(30));
    }

    @Test
    void aFloodOfUnknownDevicesStaysWithinTheBoundAndNeverPushesOutAnExpectedOne() {
        ManualScheduler s = new ManualScheduler(T0);
        JournalledSupervisor sup = JournalledSupervisor.open(new InMemoryRecordStore(), s, 100);
        sup.expect(PANEL, Duration.ofMinutes(3));
        sup.checkIn(PANEL, "ip", T0);
        for (int i = 0; i < 10_000; i++) {
            sup.checkIn(DeviceKey.of("account", "R1/L1/unknown" + i), "ip", T0);
        }
        assertThat(sup.all()).hasSize(101);
        assertThat(sup.status(PANEL)).isPresent();
        assertThat(sup.status(DeviceKey.of("account", "R1/L1/unknown9999"))).isPresent();
        assertThat(sup.status(DeviceKey.of("account", "R1/L1/unknown0"))).isEmpty();
        // an unknown device that becomes expected leaves the bounded set
        DeviceKey adopted = DeviceKey.of("account", "R1/L1/unknown9990");
        sup.expect(adopted, Duration.ofMinutes(3));
        for (int i = 0; i < 200; i++) {
            sup.checkIn(DeviceKey.of("account", "R1/L1/later" + i), "ip", T0);
        }
        assertThat(sup.status(adopted)).isPresent();
        assertThat(sup.all()).hasSize(102);
    }
}
