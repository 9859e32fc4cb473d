package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.testsupport.Events;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries by time, account, category and case state, and the index behind them rebuilt from the log. */
class JournalQueryTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    @TempDir
    Path tmp;
    Path dir;
    final List<String> ids = new ArrayList<>();

    static NewRecord event(AlarmEvent e) {
        return new NewRecord(RecordType.EVENT, EventJson.VERSION, e.receivedAt(), e.account(),
                EventJson.toJson(e).getBytes(StandardCharsets.UTF_8));
    }

    static NewRecord transition(String caseId, Instant at, String json) {
        return new NewRecord(RecordType.CASE_TRANSITION, 1, at, caseId, json.getBytes(StandardCharsets.UTF_8));
    }

    AlarmEvent ev(int i, String account, Category category) {
        return ev(ids, i, account, category);
    }

    static AlarmEvent ev(List<String> ids, int i, String account, Category category) {
        EventId id = EventId.of(0x1000 + i, 0x2000 + i);
        ids.add(id.toString());
        return Events.burglary(account, Integer.toString(i), T0.plus(Duration.ofMinutes(i))).toBuilder()
                .id(id).category(category).code(CodeSystem.SIA, category == Category.FIRE ? "FA" : "BA").build();
    }

    @BeforeEach
    void fill() {
        dir = tmp.resolve("journal");
        try (Journal j = Journal.open(dir)) {
            fill(j, ids);
        }
    }

    /** The scenario every store's queries are checked on ({@link EventQueriesContractTest}). */
    static void fill(RecordStore j, List<String> ids) {
        j.appendAll(List.of(event(ev(ids, 0, "1001", Category.INTRUSION)), event(ev(ids, 1, "1001", Category.FIRE)),
                event(ev(ids, 2, "2002", Category.INTRUSION)), event(ev(ids, 3, "2002", Category.FIRE)),
                event(ev(ids, 4, "3003", Category.INTRUSION)))).toCompletableFuture().join();
        j.append(new NewRecord(RecordType.AUDIT, 1, T0, "admin", "{}".getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
        j.append(transition("case-a", T0.plusSeconds(1), "{\"state\":\"OPEN\",\"events\":[\"" + ids.get(0)
                + "\",\"" + ids.get(1) + "\"]}")).toCompletableFuture().join();
        j.append(transition("case-b", T0.plusSeconds(2), "{\"state\":\"OPEN\",\"events\":[\"" + ids.get(2)
                + "\"]}")).toCompletableFuture().join();
        j.append(transition("case-b", T0.plusSeconds(3), "{\"state\":\"FORWARDED_TO_POLICE\"}"))
                .toCompletableFuture().join();
        j.append(transition("case-a", T0.plusSeconds(4), "{\"state\":\"CLOSED\"}")).toCompletableFuture().join();
    }

    static List<String> accounts(List<StoredRecord> rs) {
        return rs.stream().map(r -> EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8)).zone())
                .toList();
    }

    static void assertQueries(EventQueries j) {
        assertThat(accounts(j.events(EventQuery.all()))).containsExactly("0", "1", "2", "3", "4");
        assertThat(accounts(j.events(EventQuery.all().withAccount("2002")))).containsExactly("2", "3");
        assertThat(accounts(j.events(EventQuery.all().withCategory(Category.FIRE)))).containsExactly("1", "3");
        assertThat(accounts(j.events(EventQuery.all().between(T0.plus(Duration.ofMinutes(1)),
                T0.plus(Duration.ofMinutes(4)))))).containsExactly("1", "2", "3");
        assertThat(accounts(j.events(EventQuery.all().withAccount("1001").withCategory(Category.FIRE))))
                .containsExactly("1");
        assertThat(accounts(j.events(EventQuery.all().withCaseState("CLOSED")))).containsExactly("0", "1");
        assertThat(accounts(j.events(EventQuery.all().withCaseState("FORWARDED_TO_POLICE")))).containsExactly("2");
        assertThat(accounts(j.events(EventQuery.all().withLimit(2)))).containsExactly("0", "1");
        assertThat(j.events(EventQuery.all().withAccount("nobody"))).isEmpty();
        assertThat(j.casesIn("CLOSED")).singleElement().satisfies(c -> {
            assertThat(c.caseId()).isEqualTo("case-a");
            assertThat(c.police()).isFalse();
            assertThat(c.events()).hasSize(2);
        });
        assertThat(j.caseState("case-b")).hasValueSatisfying(c -> {
            assertThat(c.state()).isEqualTo("FORWARDED_TO_POLICE");
            assertThat(c.police()).isTrue();
            assertThat(c.lastAt()).isEqualTo(T0.plusSeconds(3));
        });
        assertThat(j.casesIn("OPEN")).isEmpty();
    }

    @Test
    void queriesByTimeAccountCategoryAndCaseState() {
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.LOADED);
            assertQueries(j);
        }
    }

    @Test
    void newRecordsAreFoundAtOnce() {
        try (Journal j = Journal.open(dir)) {
            j.append(event(ev(9, "1001", Category.MEDICAL))).toCompletableFuture().join();
            j.append(transition("case-c", T0, "{\"state\":\"OPEN\",\"events\":[\"" + ids.get(ids.size() - 1)
                    + "\"]}")).toCompletableFuture().join();
            assertThat(accounts(j.events(EventQuery.all().withAccount("1001")))).containsExactly("0", "1", "9");
            assertThat(accounts(j.events(EventQuery.all().withCaseState("OPEN")))).containsExactly("9");
        }
    }

    @Test
    void anIndexLoadedInTheBackgroundAnswersEveryQueryOnceLoaded() throws Exception {
        for (boolean missing : new boolean[] {false, true}) {
            if (missing) {
                Files.delete(dir.resolve("index/query.idx"));
            }
            try (Journal j = Journal.builder(dir).indexInBackground(true).open()) {
                assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.LOADING);
                // appends and newest do not wait for the index; queries do, and then see everything
                j.append(new NewRecord(RecordType.CHECKPOINT, 1, T0, "reader", "{\"at\":7}".getBytes(
                        StandardCharsets.UTF_8))).toCompletableFuture().join();
                assertThat(j.newest(RecordType.CHECKPOINT, "reader")).hasValueSatisfying(
                        r -> assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"at\":7}"));
                assertThat(j.newest(RecordType.CHECKPOINT, "nobody")).isEmpty();
                assertQueries(j);
                assertThat(j.indexState()).isEqualTo(missing ? RecoveryReport.IndexState.REBUILT
                        : RecoveryReport.IndexState.LOADED);
            }
        }
    }

    @Test
    void aMissingIndexIsRebuiltFromTheLog() throws Exception {
        Files.delete(dir.resolve("index/query.idx"));
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.REBUILT);
            assertQueries(j);
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.LOADED);
        }
    }

    @Test
    void aCorruptIndexIsRebuiltFromTheLog() throws Exception {
        Path idx = dir.resolve("index/query.idx");
        byte[] data = Files.readAllBytes(idx);
        data[data.length / 2] ^= 0x10;
        Files.write(idx, data);
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.REBUILT);
            assertQueries(j);
        }
    }

    @Test
    void aStaleIndexCatchesUpWithTheLog() throws Exception {
        Path idx = dir.resolve("index/query.idx");
        Path old = tmp.resolve("old.idx");
        Files.copy(idx, old);
        try (Journal j = Journal.open(dir)) {
            j.append(event(ev(7, "1001", Category.FIRE))).toCompletableFuture().join();
        }
        Files.copy(old, idx, StandardCopyOption.REPLACE_EXISTING);
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.CAUGHT_UP);
            assertThat(accounts(j.events(EventQuery.all().withCategory(Category.FIRE)))).containsExactly("1", "3", "7");
        }
    }

    @Test
    void anIndexAheadOfACutLogIsRebuilt() throws Exception {
        Path seg = dir.resolve(String.format("%020d.seg", 1));
        long cleanSize = Files.size(seg);
        try (Journal j = Journal.open(dir)) {
            j.append(event(ev(8, "4004", Category.FIRE))).toCompletableFuture().join();
        }
        // the crash took the last record back (as a torn tail would); the saved index still has it
        byte[] data = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(data, (int) cleanSize + 10));
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().tailCuts()).hasSize(1);
            assertThat(j.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.REBUILT);
            assertThat(j.events(EventQuery.all().withAccount("4004"))).isEmpty();
            assertQueries(j);
        }
    }
}
