package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.T0;
import static org.arc4j.core.store.internal.LogFixture.put;
import static org.arc4j.core.store.internal.LogFixture.rec;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.store.CompactionReport;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RetentionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction alone, over a segment log written by hand and the default GA 1383 retention (180 days). */
class CompactorTest {
    static final Instant OLD = T0.minus(Duration.ofDays(200));
    static final Clock NOW = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;
    private SegmentLog log;

    @AfterEach
    void release() {
        log.release();
    }

    private Compactor compactor() {
        return new Compactor(log, new IndexKeeper(log, dir.resolve("index").resolve("query.idx")),
                RetentionPolicy.ga1383());
    }

    private List<String> contents() {
        List<String> out = new ArrayList<>();
        log.replay(1, r -> out.add(r.position() + "=" + LogFixture.text(r)));
        return out;
    }

    @Test
    void aSealedSegmentWithOnlyExpiredRecordsIsDeleted() throws IOException {
        log = LogFixture.open(dir);
        put(log, 1, rec(RecordType.AUDIT, OLD, "u", "old1"));
        put(log, 2, rec(RecordType.AUDIT, OLD, "u", "old2"));
        Path first = log.active().path();
        LogFixture.rotate(log, 3);
        put(log, 3, rec(RecordType.AUDIT, T0, "u", "new"));
        LogFixture.publish(log, 4);

        CompactionReport r = compactor().compact(NOW);
        assertThat(r.segmentsDeleted()).isEqualTo(1);
        assertThat(r.segmentsRewritten()).isZero();
        assertThat(r.recordsRemoved()).isEqualTo(2);
        assertThat(r.at()).isEqualTo(T0);
        assertThat(first).doesNotExist();
        assertThat(contents()).containsExactly("3=new");
        // the index was saved, describing the log without the deleted segment
        assertThat(dir.resolve("index").resolve("query.idx")).exists();
    }

    @Test
    void aSealedSegmentWithSomeKeptRecordsIsRewrittenInPlaceWithTheirPositions() throws IOException {
        log = LogFixture.open(dir);
        put(log, 1, rec(RecordType.AUDIT, OLD, "u", "old"));
        put(log, 2, rec(RecordType.AUDIT, T0, "u", "kept"));
        put(log, 3, rec(RecordType.AUDIT, OLD, "u", "old"));
        Segment first = log.active();
        LogFixture.rotate(log, 4);
        LogFixture.publish(log, 4);
        long before = first.size();

        CompactionReport r = compactor().compact(NOW);
        assertThat(r.segmentsRewritten()).isEqualTo(1);
        assertThat(r.recordsRemoved()).isEqualTo(2);
        assertThat(r.recordsKept()).isEqualTo(1);
        Segment now = log.segment(1);
        assertThat(now).isNotSameAs(first);
        assertThat(now.sealedBefore()).isEqualTo(4);
        assertThat(r.bytesFreed()).isEqualTo(before - now.size());
        assertThat(Files.size(now.path())).isEqualTo(now.size());
        assertThat(contents()).containsExactly("2=kept");
        assertThat(dir.resolve(Segment.name(1) + ".tmp")).doesNotExist();
    }

    @Test
    void theActiveSegmentAndUnpublishedSealedOnesAreLeftAlone() throws IOException {
        log = LogFixture.open(dir);
        put(log, 1, rec(RecordType.AUDIT, OLD, "u", "a"));
        LogFixture.publish(log, 2);
        assertThat(compactor().compact(NOW).recordsRemoved()).isZero();
        LogFixture.rotate(log, 2);
        put(log, 2, rec(RecordType.AUDIT, OLD, "u", "b"));
        LogFixture.rotate(log, 3);
        // segment 2 is sealed but its record is not yet durable: only segment 1 may go
        CompactionReport r = compactor().compact(NOW);
        assertThat(r.segmentsDeleted()).isEqualTo(1);
        assertThat(log.segment(2)).isNotNull();
    }

    @Test
    void theNewestConfigurationOfASubjectIsKeptHoweverOld() throws IOException {
        log = LogFixture.open(dir);
        put(log, 1, rec(RecordType.CONFIG_CHANGE, OLD, "site", "v1"));
        put(log, 2, rec(RecordType.CONFIG_CHANGE, OLD.plusSeconds(1), "site", "v2"));
        put(log, 3, rec(RecordType.CONFIG_CHANGE, OLD, "other", "w1"));
        LogFixture.rotate(log, 4);
        LogFixture.publish(log, 4);

        CompactionReport r = compactor().compact(NOW);
        assertThat(r.recordsRemoved()).isEqualTo(1);
        assertThat(contents()).containsExactly("2=v2", "3=w1");
    }
}
