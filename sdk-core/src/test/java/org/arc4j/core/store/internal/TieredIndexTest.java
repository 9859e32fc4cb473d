package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.T0;
import static org.arc4j.core.store.internal.LogFixture.put;
import static org.arc4j.core.store.internal.LogFixture.rec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventId;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RecoveryReport;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query index keeps a bounded share in memory however many cases are written, and answers exactly as an index
 * that holds everything: older lookups come from its tiers on disk.
 */
class TieredIndexTest {
    private static final int MAX_EVENTS = 200;
    private static final int MAX_CASES = 50;
    private static final long MAX_LINKS = 150;

    @TempDir
    Path dir;
    @TempDir
    Path other;

    private long next = 1;

    private static String id(int n) {
        return EventId.of((T0.toEpochMilli() + n * 1000L) << 16, n).toString();
    }

    private void record(SegmentLog log, RecordType type, Instant at, String subject, String json) {
        put(log, next, rec(type, at, subject, json));
        next++;
        LogFixture.publish(log, next);
    }

    /** One case's life: its event, RECEIVED naming it, then CLOSED (every fifth forwarded to the police). */
    private void caseLife(SegmentLog log, int n) {
        Instant at = T0.plusSeconds(n);
        String ev = id(n);
        Category cat = Category.values()[n % 3];
        record(log, RecordType.EVENT, at, "e",
                "{\"v\":1,\"id\":\"" + ev + "\",\"account\":\"A" + (n % 7) + "\",\"extended\":{\"x\":[1,{\"id\":\"no\"}]},"
                        + "\"category\":\"" + cat + "\"}");
        record(log, RecordType.CASE_TRANSITION, at, "C" + ev,
                "{\"v\":2,\"state\":\"RECEIVED\",\"events\":[\"" + ev + "\"]}");
        if (n % 4 != 0) {
            record(log, RecordType.CASE_TRANSITION, at, "C" + ev,
                    "{\"v\":2,\"state\":\"CLOSED\"" + (n % 5 == 0 ? ",\"police\":true" : "") + "}");
        }
    }

    private IndexKeeper bounded(SegmentLog log) {
        return new IndexKeeper(log, dir.resolve("index").resolve("query.idx"), 1_000, false, MAX_EVENTS, MAX_CASES,
                MAX_LINKS);
    }

    private void assertWithinBounds(IndexKeeper k) {
        TieredIndex t = k.index();
        assertThat(t.hotEvents()).isLessThanOrEqualTo(MAX_EVENTS);
        assertThat(t.hotCases()).isLessThanOrEqualTo(MAX_CASES);
        assertThat(t.hotLinks()).isLessThanOrEqualTo(MAX_LINKS);
        assertThat(t.tiersLoaded()).isLessThanOrEqualTo(TieredIndex.CACHED);
    }

    private static List<Long> positions(List<StoredRecord> rs) {
        return rs.stream().map(StoredRecord::position).toList();
    }

    /** The same answers as an index that holds everything in memory (bounds too large to be reached). */
    private void assertSameAnswers(IndexKeeper k, IndexKeeper all, int cases) {
        List<EventQuery> queries = List.of(EventQuery.all().withLimit(100_000),
                EventQuery.all().withAccount("A3").withLimit(100_000),
                EventQuery.all().withCategory(Category.values()[1]).withLimit(100_000),
                EventQuery.all().between(T0.plusSeconds(100), T0.plusSeconds(1_234)).withLimit(100_000),
                EventQuery.all().withCaseState("RECEIVED").withLimit(100_000),
                EventQuery.all().withAccount("A5").withCaseState("CLOSED").withLimit(37),
                EventQuery.all().withLimit(250));
        for (EventQuery q : queries) {
            assertThat(positions(k.events(q))).as(q.toString()).isEqualTo(positions(all.events(q)));
        }
        for (String state : List.of("RECEIVED", "CLOSED", "FORWARDED_TO_POLICE")) {
            assertThat(k.casesIn(state)).as(state).isEqualTo(all.casesIn(state));
        }
        for (int n = 1; n <= cases; n += 13) {
            String c = "C" + id(n);
            assertThat(k.caseState(c)).as(c).isEqualTo(all.caseState(c));
        }
        assertWithinBounds(k);
    }

    @Test
    void aFloodOfCasesKeepsTheMemoryWithinItsBoundAndEveryAnswerTheSame() {
        SegmentLog log = LogFixture.open(dir);
        IndexKeeper k = bounded(log);
        int cases = 2_000;
        for (int n = 1; n <= cases; n++) {
            caseLife(log, n);
            if (n % 50 == 0) {
                k.catchUp();
                assertWithinBounds(k);
            }
        }
        IndexKeeper all = new IndexKeeper(log, other.resolve("query.idx"), 1_000_000, false, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Long.MAX_VALUE);
        assertThat(k.index().eventCount()).isEqualTo(cases);
        assertThat(k.index().tierCount()).isGreaterThan(5);
        assertSameAnswers(k, all, cases);

        // an old case comes back: its police flag and events stay with it
        String old = "C" + id(5);
        assertThat(k.caseState(old).orElseThrow().police()).isTrue();
        record(log, RecordType.CASE_TRANSITION, T0.plusSeconds(9_000), old, "{\"state\":\"REOPENED\"}");
        StoredCaseState back = k.caseState(old).orElseThrow();
        assertThat(back.state()).isEqualTo("REOPENED");
        assertThat(back.police()).isTrue();
        assertThat(back.events()).containsExactly(id(5));
        assertSameAnswers(k, all, cases);
        assertThat(k.events(EventQuery.all().withCaseState("REOPENED"))).extracting(StoredRecord::position)
                .hasSize(1);

        // saved and opened again: the tiers it lists are used, nothing is re-indexed
        k.save();
        log.release();
        log = LogFixture.open(dir);
        IndexKeeper again = bounded(log);
        assertThat(again.state()).isEqualTo(RecoveryReport.IndexState.LOADED);
        all = new IndexKeeper(log, other.resolve("query.idx"), 1_000_000, false, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Long.MAX_VALUE);
        assertSameAnswers(again, all, cases);
        log.release();
    }

    @Test
    void afterACrashTheTiersWrittenSinceTheLastSaveAreDroppedAndWrittenAgain() throws Exception {
        SegmentLog log = LogFixture.open(dir);
        IndexKeeper k = bounded(log);
        for (int n = 1; n <= 500; n++) {
            caseLife(log, n);
        }
        k.save();
        int savedTiers = k.index().tierCount();
        for (int n = 501; n <= 1_500; n++) {
            caseLife(log, n);
        }
        k.catchUpIndex();
        assertThat(k.index().tierCount()).isGreaterThan(savedTiers);
        log.release(); // a crash: the tiers written since the save are not listed by the saved file

        log = LogFixture.open(dir);
        IndexKeeper again = bounded(log);
        assertThat(again.state()).isEqualTo(RecoveryReport.IndexState.CAUGHT_UP);
        IndexKeeper all = new IndexKeeper(log, other.resolve("query.idx"), 1_000_000, false, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Long.MAX_VALUE);
        assertSameAnswers(again, all, 1_500);
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("tier-")).count())
                    .isEqualTo(again.index().tierCount());
        }
        log.release();
    }

    @Test
    void compactionRemovesFromColdTiersAndTheRemovalIsSaved() {
        SegmentLog log = LogFixture.open(dir);
        IndexKeeper k = bounded(log);
        for (int n = 1; n <= 1_000; n++) {
            caseLife(log, n);
        }
        k.catchUpIndex();
        StoredRecord firstEvent = k.events(EventQuery.all().withLimit(1)).get(0);
        StoredCaseState firstCase = k.caseState("C" + id(1)).orElseThrow();
        StoredRecord lastTransition = log.read(firstCase.lastPosition()).orElseThrow();
        k.removed(List.of(firstEvent, lastTransition));
        assertThat(positions(k.events(EventQuery.all().withLimit(1)))).doesNotContain(firstEvent.position());
        assertThat(k.caseState("C" + id(1))).isEmpty();
        k.save();
        log.release();

        log = LogFixture.open(dir);
        IndexKeeper again = bounded(log);
        assertThat(again.state()).isEqualTo(RecoveryReport.IndexState.LOADED);
        assertThat(positions(again.events(EventQuery.all().withLimit(1)))).doesNotContain(firstEvent.position());
        assertThat(again.caseState("C" + id(1))).isEmpty();
        assertThat(again.caseState("C" + id(2))).isPresent();
        log.release();
    }
}
