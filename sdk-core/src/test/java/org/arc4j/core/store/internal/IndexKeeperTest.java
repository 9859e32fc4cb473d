package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.T0;
import static org.arc4j.core.store.internal.LogFixture.put;
import static org.arc4j.core.store.internal.LogFixture.rec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RecoveryReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query index's life beside the log: rebuilt, loaded, caught up, refused when the log changed under it. */
class IndexKeeperTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("index").resolve("query.idx");
    }

    private static void transition(SegmentLog log, long position, String caseId, String state) {
        put(log, position, rec(RecordType.CASE_TRANSITION, T0, caseId, "{\"state\":\"" + state + "\"}"));
        LogFixture.publish(log, position + 1);
    }

    @Test
    void withoutASavedIndexItIsRebuiltFromTheLog() {
        SegmentLog log = LogFixture.open(dir);
        transition(log, 1, "c1", "RECEIVED");
        IndexKeeper k = new IndexKeeper(log, file());
        assertThat(k.state()).isEqualTo(RecoveryReport.IndexState.REBUILT);
        assertThat(k.behind()).isFalse();
        assertThat(k.caseState("c1")).hasValueSatisfying(c -> assertThat(c.state()).isEqualTo("RECEIVED"));
        log.release();
    }

    @Test
    void aSavedIndexIsLoadedWhenTheLogIsUnchangedAndCaughtUpWhenItGrew() {
        SegmentLog log = LogFixture.open(dir);
        transition(log, 1, "c1", "RECEIVED");
        new IndexKeeper(log, file()).save();
        log.release();

        log = LogFixture.open(dir);
        assertThat(new IndexKeeper(log, file()).state()).isEqualTo(RecoveryReport.IndexState.LOADED);
        transition(log, 2, "c1", "CLOSED");
        log.release();

        log = LogFixture.open(dir);
        IndexKeeper k = new IndexKeeper(log, file());
        assertThat(k.state()).isEqualTo(RecoveryReport.IndexState.CAUGHT_UP);
        assertThat(k.caseState("c1")).hasValueSatisfying(c -> assertThat(c.state()).isEqualTo("CLOSED"));
        log.release();
    }

    @Test
    void aSavedIndexIsRebuiltWhenASegmentItDescribesChanged() throws java.io.IOException {
        SegmentLog log = LogFixture.open(dir);
        transition(log, 1, "c1", "RECEIVED");
        LogFixture.rotate(log, 2);
        transition(log, 2, "c2", "RECEIVED");
        new IndexKeeper(log, file()).save();
        Segment first = log.segment(1);
        log.remove(first);
        java.nio.file.Files.delete(first.path());
        log.release();

        log = LogFixture.open(dir);
        IndexKeeper k = new IndexKeeper(log, file());
        assertThat(k.state()).isEqualTo(RecoveryReport.IndexState.REBUILT);
        assertThat(k.caseState("c1")).isEmpty();
        assertThat(k.caseState("c2")).isPresent();
        log.release();
    }

    @Test
    void theBackgroundSavesTheIndexOnceEnoughWasIndexedSoACrashCostsOnlyTheTail() {
        SegmentLog log = LogFixture.open(dir);
        IndexKeeper k = new IndexKeeper(log, file(), 10);
        for (int p = 1; p <= 9; p++) {
            transition(log, p, "c" + p, "RECEIVED");
        }
        assertThat(k.behind()).isTrue();
        k.catchUp(); // the dispatcher's background turn
        assertThat(k.behind()).isFalse();
        assertThat(file()).doesNotExist(); // 9 records: not due yet
        for (int p = 10; p <= 12; p++) {
            transition(log, p, "c" + p, "RECEIVED");
        }
        k.catchUp();
        assertThat(file()).exists();
        transition(log, 13, "c13", "RECEIVED");
        k.catchUp();
        log.release(); // a crash: no save on close

        log = LogFixture.open(dir);
        IndexKeeper again = new IndexKeeper(log, file(), 10);
        assertThat(again.state()).isEqualTo(RecoveryReport.IndexState.CAUGHT_UP);
        assertThat(again.casesIn("RECEIVED")).hasSize(13);
        log.release();
    }

    @Test
    void aTornSavedIndexIsDetectedAndRebuilt() throws java.io.IOException {
        SegmentLog log = LogFixture.open(dir);
        for (int p = 1; p <= 3; p++) {
            transition(log, p, "c" + p, "RECEIVED");
        }
        new IndexKeeper(log, file()).save();
        log.release();
        byte[] saved = java.nio.file.Files.readAllBytes(file());
        java.nio.file.Files.write(file(), java.util.Arrays.copyOf(saved, saved.length / 2));

        log = LogFixture.open(dir);
        IndexKeeper k = new IndexKeeper(log, file());
        assertThat(k.state()).isEqualTo(RecoveryReport.IndexState.REBUILT);
        assertThat(k.casesIn("RECEIVED")).hasSize(3);
        log.release();
    }

    @Test
    void itFallsBehindWhenRecordsArePublishedAndCatchesUpOnDemand() {
        SegmentLog log = LogFixture.open(dir);
        IndexKeeper k = new IndexKeeper(log, file());
        assertThat(k.behind()).isFalse();
        transition(log, 1, "c1", "RECEIVED");
        assertThat(k.behind()).isTrue();
        k.catchUp();
        assertThat(k.behind()).isFalse();
        assertThat(k.casesIn("RECEIVED")).extracting(c -> c.caseId()).containsExactly("c1");
        log.release();
    }
}
