package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualClock;
import org.arc4j.examples.center.admin.ComplianceReport.Row;
import org.arc4j.examples.center.admin.ComplianceReport.Status;
import org.arc4j.examples.center.terminal.WorkRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compliance rows of operators' work recordings and hot-standby switchovers, from journalled records. */
class WorkEvidenceTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    static Instant day(int d) {
        return T0.plus(Duration.ofDays(d));
    }

    @Test
    void switchoversAtMostThirtyDaysApartMeetTheRowAndALongerGapBreachesIt() {
        InMemoryRecordStore journal = new InMemoryRecordStore();
        ManualClock clock = new ManualClock(day(100));
        assertThat(WorkEvidence.switchover(WorkEvidence.switchovers(journal), day(0), day(60), day(100)).status())
                .isEqualTo(Status.NOT_EVIDENCED);
        for (int d : List.of(45, 1, 20)) {
            WorkEvidence.recordSwitchover(journal, clock, new WorkEvidence.Switchover(day(d), "node-a", "node-b",
                    1200, true, "admin")).toCompletableFuture().join();
        }
        List<WorkEvidence.Switchover> all = WorkEvidence.switchovers(journal);
        assertThat(all).extracting(WorkEvidence.Switchover::at).containsExactly(day(1), day(20), day(45));

        Row met = WorkEvidence.switchover(all, day(0), day(60), day(100));
        assertThat(met.status()).isEqualTo(Status.MET);
        assertThat(met.count()).isEqualTo(3);
        assertThat(met.worst()).isEqualTo(Duration.ofDays(25));
        assertThat(met.evidence()).contains("3 switchovers in the period (3 planned tests)");
        // read later, the same period gives the same figures
        assertThat(WorkEvidence.switchover(all, day(0), day(60), day(400))).isEqualTo(met);

        // 55 days since the last one by the end of a longer period
        Row late = WorkEvidence.switchover(all, day(0), day(100), day(100));
        assertThat(late.status()).isEqualTo(Status.BREACHED);
        assertThat(late.breaches()).containsExactly("none since " + day(45));
        // the last switchover before the period counts as its start: 20 → 45 is 25 days, then none until day 50
        assertThat(WorkEvidence.switchover(all, day(30), day(50), day(100)).status()).isEqualTo(Status.MET);
        // a period starting after a switchover 44 days before its first one
        List<WorkEvidence.Switchover> gap = List.of(all.get(0), all.get(2));
        Row gapped = WorkEvidence.switchover(gap, day(10), day(60), day(100));
        assertThat(gapped.status()).isEqualTo(Status.BREACHED);
        assertThat(gapped.breaches()).containsExactly("gap before " + day(45));
        assertThat(gapped.worst()).isEqualTo(Duration.ofDays(44));
    }

    @Test
    void workRecordsOfThePeriodMeetTheRowUntilAScreenChunkIsAltered(@TempDir Path dir) throws Exception {
        InMemoryRecordStore journal = new InMemoryRecordStore();
        ManualClock clock = new ManualClock(day(1));
        Row none = WorkEvidence.workRecordings(journal, day(0), day(2), Optional.of(RetentionPolicy.ga1383()));
        assertThat(none.status()).isEqualTo(Status.NOT_EVIDENCED);

        WorkRecords work = new WorkRecords(dir, journal, clock);
        work.record("case-1", "zhao", "view", "GET /api/cases/case-1");
        work.record("case-1", "zhao", "action", "POST /api/cases/case-1/actions take");
        String rec = work.startRecording("zhao");
        byte[] webm = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 1, 2, 3, 4};
        work.chunk(rec, "zhao", 0, "case-1", webm);
        work.chunk(rec, "zhao", 1, "case-1", new byte[] {5, 6, 7});

        Row met = WorkEvidence.workRecordings(journal, day(0), day(2), Optional.of(RetentionPolicy.ga1383()));
        assertThat(met.status()).as(met.evidence()).isEqualTo(Status.MET);
        assertThat(met.count()).isEqualTo(4);
        assertThat(met.evidence()).contains("1 case views and 1 actions recorded, 2 screen-recording chunks (11 bytes)"
                + " of 1 recordings, every chunk file intact; operator actions kept 180 d");
        // another period holds none of them
        assertThat(WorkEvidence.workRecordings(journal, day(2), day(3), Optional.empty()).status())
                .isEqualTo(Status.NOT_EVIDENCED);

        Path chunk = work.chunkFile(rec, 1).orElseThrow();
        Files.write(chunk, new byte[] {5, 6, 8});
        Row altered = WorkEvidence.workRecordings(journal, day(0), day(2), Optional.of(RetentionPolicy.ga1383()));
        assertThat(altered.status()).isEqualTo(Status.BREACHED);
        assertThat(altered.breaches()).containsExactly(rec);
        Files.delete(chunk);
        assertThat(WorkEvidence.workRecordings(journal, day(0), day(2), Optional.empty()).breaches())
                .containsExactly(rec);
    }
}
