package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.testsupport.Events;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention by record class with the GA 1383 floors, the case deciding the class at compaction time, compaction
 * on the scheduler and across crashes.
 */
class JournalRetentionTest {
    static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");

    @TempDir
    Path tmp;

    /** Payload text → whether it must survive compaction at NOW + 1 day. */
    final Map<String, Boolean> expectKept = new HashMap<>();

    static Instant daysAgo(int d) {
        return NOW.minus(Duration.ofDays(d));
    }

    NewRecord event(String name, Instant at, boolean kept) {
        EventId id = EventId.of(name.hashCode(), 7);
        AlarmEvent e = Events.burglary("1001", "1", at).toBuilder().id(id).description(name).build();
        expectKept.put(EventJson.toJson(e), kept);
        return new NewRecord(RecordType.EVENT, 1, at, "1001", EventJson.toJson(e).getBytes(StandardCharsets.UTF_8));
    }

    static String idOf(String name) {
        return EventId.of(name.hashCode(), 7).toString();
    }

    NewRecord other(RecordType type, String subject, String text, Instant at, boolean kept) {
        expectKept.put(text, kept);
        return new NewRecord(type, 1, at, subject, text.getBytes(StandardCharsets.UTF_8));
    }

    NewRecord transition(String caseId, String text, Instant at, boolean kept) {
        return other(RecordType.CASE_TRANSITION, caseId, text, at, kept);
    }

    /** Appends the scenario, then enough filler (kept) to seal the segments that hold it. */
    void fill(RecordStore j) {
        List<NewRecord> rs = new ArrayList<>();
        rs.add(event("expired", daysAgo(200), false));
        rs.add(event("recent", daysAgo(100), true));
        rs.add(other(RecordType.AUDIT, "admin", "audit-old", daysAgo(181), false));
        rs.add(other(RecordType.AUDIT, "admin", "audit-179", daysAgo(179), true));
        // a case closed long ago and never forwarded: its records go with it
        rs.add(event("closed-case-event", daysAgo(300), false));
        rs.add(transition("case-closed", "{\"state\":\"OPEN\",\"events\":[\"" + idOf("closed-case-event") + "\"]}",
                daysAgo(300), false));
        rs.add(transition("case-closed", "{\"state\":\"CLOSED\"}", daysAgo(299), false));
        // an old alarm forwarded to police (later): permanent, all of it
        rs.add(event("police-event", daysAgo(900), true));
        rs.add(transition("case-police", "{\"state\":\"OPEN\",\"events\":[\"" + idOf("police-event") + "\"]}",
                daysAgo(900), true));
        rs.add(other(RecordType.OPERATOR_ACTION, "case-police", "note-on-police-case", daysAgo(899), true));
        rs.add(transition("case-police", "{\"state\":\"FORWARDED\",\"police\":true}", daysAgo(898), true));
        // an old event of a case still being handled: aged from the case's latest transition
        rs.add(event("long-case-event", daysAgo(400), true));
        rs.add(transition("case-long", "{\"state\":\"OPEN\",\"events\":[\"" + idOf("long-case-event") + "\"]}",
                daysAgo(400), true));
        rs.add(transition("case-long", "{\"state\":\"VERIFIED\"}", daysAgo(10), true));
        // configuration: the newest per subject is the configuration, kept however old
        rs.add(other(RecordType.CONFIG_CHANGE, "account/1001", "config-v1", daysAgo(500), false));
        rs.add(other(RecordType.CONFIG_CHANGE, "account/1001", "config-v2", daysAgo(400), true));
        rs.add(other(RecordType.IDEMPOTENCY_KEY, "1001", "key-old", daysAgo(181), false));
        // clips (GA 1383: alarm-linked video at least 30 days): of a case closed 31 days ago gone, of one closed 29
        // days ago kept, of a police case kept forever
        rs.add(transition("case-clip-old", "{\"state\":\"CLOSED\"}", daysAgo(31), true));
        rs.add(other(RecordType.CLIP, "case-clip-old", "clip-31", daysAgo(32), false));
        rs.add(transition("case-clip-new", "{\"state\":\"CLOSED\"}", daysAgo(29), true));
        rs.add(other(RecordType.CLIP, "case-clip-new", "clip-29", daysAgo(40), true));
        rs.add(other(RecordType.CLIP, "case-police", "clip-police", daysAgo(900), true));
        for (NewRecord r : rs) {
            j.append(r).toCompletableFuture().join();
        }
        // an atomic batch whose first and last records expire while the middle one stays: what is left must still
        // read as a whole batch after compaction and reopening
        j.appendAll(List.of(other(RecordType.AUDIT, "admin", "batch-old-1", daysAgo(300), false),
                other(RecordType.AUDIT, "admin", "batch-kept", daysAgo(10), true),
                other(RecordType.IDEMPOTENCY_KEY, "1001", "batch-old-2", daysAgo(300), false)))
                .toCompletableFuture().join();
        for (int i = 0; i < 200; i++) {
            j.append(other(RecordType.SUPERVISION, "dev", "filler-" + i, NOW, true)).toCompletableFuture().join();
        }
    }

    Set<String> contents(RecordStore j) {
        Set<String> s = new TreeSet<>();
        j.replay(1, r -> s.add(new String(r.payload(), StandardCharsets.UTF_8)));
        return s;
    }

    Set<String> expected(boolean kept) {
        Set<String> s = new TreeSet<>();
        expectKept.forEach((k, v) -> {
            if (v == kept) {
                s.add(k);
            }
        });
        return s;
    }

    @Test
    void theFloorsOfGa1383CannotBeLowered() {
        assertThatThrownBy(() -> RetentionPolicy.ga1383().keep(RecordType.EVENT, Duration.ofDays(179)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("180");
        assertThatThrownBy(() -> RetentionPolicy.ga1383().keep(RecordType.CASE_TRANSITION, Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetentionPolicy.ga1383().keep(RecordType.EVENT, Duration.ofDays(365)).retention(RecordType.EVENT))
                .contains(Duration.ofDays(365));
        assertThat(RetentionPolicy.ga1383().keepForever(RecordType.AUDIT).retention(RecordType.AUDIT)).isEmpty();
        assertThat(RetentionPolicy.ga1383().retention(RecordType.EVENT)).contains(Duration.ofDays(180));
        assertThat(RetentionPolicy.ga1383().retention(RecordType.CLIP)).contains(Duration.ofDays(30));
        assertThatThrownBy(() -> RetentionPolicy.ga1383().keep(RecordType.CLIP, Duration.ofDays(29)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("30");
    }

    @Test
    void scheduledCompactionRemovesOnlyWhatIsPastItsRetention() {
        ManualScheduler scheduler = new ManualScheduler(NOW);
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.builder(dir).segmentBytes(4096).scheduler(scheduler).maintenanceExecutor(Runnable::run)
                .open()) {
            fill(j);
            long next = j.nextPosition();
            assertThat(contents(j)).containsAll(expected(false));
            scheduler.advance(Duration.ofDays(1));
            assertThat(contents(j)).containsAll(expected(true)).doesNotContainAnyElementsOf(expected(false));
            assertThat(j.nextPosition()).isEqualTo(next);
            assertThat(j.caseState("case-closed")).isEmpty();
            assertThat(j.caseState("case-police")).hasValueSatisfying(c -> assertThat(c.police()).isTrue());
            assertThat(j.events(EventQuery.all().withAccount("1001"))).hasSize(3);
            // a second run finds nothing more to do
            CompactionReport again = j.compact();
            assertThat(again.recordsRemoved()).isZero();
            assertThat(j.append(other(RecordType.AUDIT, "a", "after", NOW, true)).toCompletableFuture().join())
                    .isEqualTo(next);
        }
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().clean()).isTrue();
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.LOADED);
            assertThat(contents(j)).containsAll(expected(true)).doesNotContainAnyElementsOf(expected(false));
        }
    }

    @Test
    void aCaseForwardedToPoliceLaterBecomesPermanent() {
        ManualScheduler scheduler = new ManualScheduler(NOW);
        Path dir = tmp.resolve("j");
        try (Journal j = Journal.builder(dir).segmentBytes(4096).scheduler(scheduler).compactionEvery(null).open()) {
            j.append(event("e", daysAgo(10), true)).toCompletableFuture().join();
            j.append(transition("c", "{\"state\":\"OPEN\",\"events\":[\"" + idOf("e") + "\"]}", daysAgo(10), true))
                    .toCompletableFuture().join();
            for (int i = 0; i < 200; i++) {
                j.append(other(RecordType.SUPERVISION, "dev", "filler-" + i, daysAgo(10), true)).toCompletableFuture()
                        .join();
            }
            j.append(transition("c", "{\"state\":\"FORWARDED_TO_POLICE\"}", daysAgo(9), true)).toCompletableFuture()
                    .join();
            scheduler.manualClock().set(NOW.plus(Duration.ofDays(3650)));
            CompactionReport r = j.compact();
            assertThat(r.recordsRemoved()).isGreaterThan(0);
            Set<String> left = contents(j);
            assertThat(left).contains(EventJson.toJson(Events.burglary("1001", "1", daysAgo(10)).toBuilder()
                    .id(EventId.of("e".hashCode(), 7)).description("e").build()));
            assertThat(left).anyMatch(s -> s.contains("\"OPEN\""));
            assertThat(left).doesNotContain("filler-0", "filler-1");
        }
    }

    @Test
    void aCrashAtAnyPointOfCompactionLosesNothingKept() throws Exception {
        Path base = tmp.resolve("base");
        try (Journal j = Journal.builder(base).segmentBytes(4096).open()) {
            fill(j);
        }
        for (int k = 1; k <= 12; k++) {
            Path dir = tmp.resolve("crash-" + k);
            Files.createDirectories(dir);
            try (var files = Files.list(base)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(p, dir.resolve(p.getFileName()));
                }
            }
            PowerLossOpener opener = new PowerLossOpener(k, Integer.MAX_VALUE, PowerLossOpener.Tear.RANDOM);
            ManualScheduler scheduler = new ManualScheduler(NOW.plus(Duration.ofDays(1)));
            Journal j = Journal.builder(dir).segmentBytes(4096).channelOpener(opener).scheduler(scheduler)
                    .compactionEvery(null).open();
            opener.crashAfter(k);
            try {
                j.compact();
            } catch (RuntimeException expectedWhenTheCrashHitIt) {
                assertThat(opener.crashed()).isTrue();
            }
            j.close();
            try (Journal again = Journal.builder(dir).segmentBytes(4096).scheduler(scheduler).compactionEvery(null)
                    .open()) {
                assertThat(again.recoveryReport().quarantined()).isEmpty();
                assertThat(contents(again)).as("crash after %d operations", k).containsAll(expected(true));
                again.compact();
                assertThat(contents(again)).containsAll(expected(true)).doesNotContainAnyElementsOf(expected(false));
            }
        }
    }

    @Test
    void aCrashBetweenTheRenameAndTheIndexSaveRebuildsTheIndex() throws Exception {
        Path dir = tmp.resolve("j");
        ManualScheduler scheduler = new ManualScheduler(NOW.plus(Duration.ofDays(1)));
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            fill(j);
        }
        Path idx = dir.resolve("index/query.idx");
        Path before = tmp.resolve("before.idx");
        Files.copy(idx, before);
        try (Journal j = Journal.builder(dir).segmentBytes(4096).scheduler(scheduler).compactionEvery(null).open()) {
            assertThat(j.compact().recordsRemoved()).isGreaterThan(0);
        }
        Files.copy(before, idx, StandardCopyOption.REPLACE_EXISTING);
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.REBUILT);
            assertThat(contents(j)).containsAll(expected(true)).doesNotContainAnyElementsOf(expected(false));
            assertThat(j.caseState("case-closed")).isEmpty();
            assertThat(j.events(EventQuery.all().withAccount("1001"))).hasSize(3);
        }
    }
}
