package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(T0);
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final AuditLog audit = new AuditLog(store, scheduler.clock());

    @Test
    void eachEntryIsAnAuditRecordWithWhoWhatWhenAndFromWhere() {
        long pos = audit.record(Actor.of("sup1", "10.1.2.3"), AuditAction.VIDEO_EXPORTED, "rec-77",
                Map.of("case", "case-9", "format", "mp4")).toCompletableFuture().join();
        StoredRecord r = store.read(pos).orElseThrow();
        assertThat(r.type()).isEqualTo(RecordType.AUDIT);
        assertThat(r.version()).isEqualTo(AuditLog.VERSION);
        assertThat(r.at()).isEqualTo(T0);
        assertThat(r.subject()).isEqualTo("sup1");
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"actor\":\"sup1\",\"origin\":\"10.1.2.3\",\"action\":\"VIDEO_EXPORTED\",\"target\":\"rec-77\","
                        + "\"details\":{\"case\":\"case-9\",\"format\":\"mp4\"}}");
        assertThat(AuditLog.decode(r)).isEqualTo(new AuditEntry(pos, T0, "sup1", "10.1.2.3",
                AuditAction.VIDEO_EXPORTED, "rec-77", Map.of("case", "case-9", "format", "mp4")));
    }

    @Test
    void queriesByUserActionTargetAndTimeSkippingOtherRecords() {
        audit.record(Actor.of("op1", "10.0.0.9"), AuditAction.VIDEO_VIEWED, "cam-1");
        store.append(new NewRecord(RecordType.EVENT, 1, T0, "acct-1", "{}".getBytes(StandardCharsets.UTF_8)));
        scheduler.advance(Duration.ofMinutes(10));
        audit.record(Actor.of("op2", "10.0.0.8"), AuditAction.VIDEO_VIEWED, "cam-2");
        audit.record(Actor.of("op1", "10.0.0.9"), AuditAction.DATA_EXPORT, "customers.csv", Map.of("rows", "120"));
        scheduler.advance(Duration.ofMinutes(10));
        audit.record(Actor.of("op1", "10.0.0.9"), AuditAction.VIDEO_VIEWED, "cam-3");

        assertThat(audit.query(AuditQuery.ALL)).hasSize(4);
        assertThat(audit.query(AuditQuery.ALL.byActor("op1"))).extracting(AuditEntry::target)
                .containsExactly("cam-1", "customers.csv", "cam-3");
        assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.VIDEO_VIEWED).byActor("op1")))
                .extracting(AuditEntry::target).containsExactly("cam-1", "cam-3");
        List<AuditEntry> window = audit.query(AuditQuery.ALL.between(T0.plus(Duration.ofMinutes(5)),
                T0.plus(Duration.ofMinutes(20))));
        assertThat(window).extracting(AuditEntry::target).containsExactly("cam-2", "customers.csv");
        assertThat(audit.query(AuditQuery.ALL.byTarget("customers.csv"))).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("rows", "120"));
    }
}
