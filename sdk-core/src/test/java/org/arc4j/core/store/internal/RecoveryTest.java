package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.putAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.testkit.ChannelOpener;
import org.arc4j.core.store.RecoveryReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery alone, on directories written by a {@link SegmentLog} and then damaged by hand. */
class RecoveryTest {
    @TempDir
    Path dir;

    private RecoveryReport reopen(SegmentLog[] out) throws IOException {
        SegmentLog log = new SegmentLog(dir, ChannelOpener.DEFAULT);
        RecoveryReport r = Recovery.recover(log);
        out[0] = log;
        return r;
    }

    private static List<String> payloads(SegmentLog log) {
        List<String> out = new ArrayList<>();
        log.replay(1, r -> out.add(r.position() + "=" + LogFixture.text(r)));
        return out;
    }

    @Test
    void anEmptyDirectoryGetsItsFirstSegmentAndStartsAtPositionOne() throws IOException {
        SegmentLog[] log = new SegmentLog[1];
        RecoveryReport r = reopen(log);
        assertThat(r.segments()).isEqualTo(1);
        assertThat(r.records()).isZero();
        assertThat(r.tailCuts()).isEmpty();
        assertThat(log[0].durableNext()).isEqualTo(1);
        assertThat(log[0].active().base()).isEqualTo(1);
        assertThat(dir.resolve(Segment.name(1))).exists();
        log[0].release();
    }

    @Test
    void recordsOfEverySegmentAreFoundAndAppendsContinueInTheLastOne() throws IOException {
        SegmentLog first = LogFixture.open(dir);
        putAll(first, 1, "a", "b");
        LogFixture.rotate(first, 3);
        putAll(first, 3, "c");
        first.release();

        SegmentLog[] log = new SegmentLog[1];
        RecoveryReport r = reopen(log);
        assertThat(r.segments()).isEqualTo(2);
        assertThat(r.records()).isEqualTo(3);
        assertThat(log[0].durableNext()).isEqualTo(4);
        assertThat(log[0].active().base()).isEqualTo(3);
        assertThat(log[0].segment(1).sealedBefore()).isPositive();
        assertThat(payloads(log[0])).containsExactly("1=a", "2=b", "3=c");
        log[0].release();
    }

    @Test
    void aTornTailOfTheLastSegmentIsCutAndReported() throws IOException {
        SegmentLog first = LogFixture.open(dir);
        putAll(first, 1, "a", "b");
        long end = first.activeEnd();
        first.release();
        Path seg = dir.resolve(Segment.name(1));
        Files.write(seg, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);

        SegmentLog[] log = new SegmentLog[1];
        RecoveryReport r = reopen(log);
        assertThat(r.tailCuts()).containsExactly(new RecoveryReport.TailCut(Segment.name(1), end, 7));
        assertThat(Files.size(seg)).isEqualTo(end);
        assertThat(payloads(log[0])).containsExactly("1=a", "2=b");
        log[0].release();
    }

    @Test
    void aLastSegmentWhoseHeaderWasTornIsRemovedAndTheOneBeforeTakesAppends() throws IOException {
        SegmentLog first = LogFixture.open(dir);
        putAll(first, 1, "a");
        first.release();
        Path torn = dir.resolve(Segment.name(2));
        Files.write(torn, new byte[10]);

        SegmentLog[] log = new SegmentLog[1];
        RecoveryReport r = reopen(log);
        assertThat(torn).doesNotExist();
        assertThat(r.tailCuts()).containsExactly(new RecoveryReport.TailCut(Segment.name(2), 0, 10));
        assertThat(log[0].active().base()).isEqualTo(1);
        assertThat(log[0].durableNext()).isEqualTo(2);
        log[0].release();
    }

    @Test
    void aSealedSegmentWithABadHeaderIsQuarantinedWholeAndTheRestStaysReadable() throws IOException {
        SegmentLog first = LogFixture.open(dir);
        putAll(first, 1, "a", "b");
        LogFixture.rotate(first, 3);
        putAll(first, 3, "c");
        first.release();
        Path seg = dir.resolve(Segment.name(1));
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'X'}), 0);
        }

        SegmentLog[] log = new SegmentLog[1];
        RecoveryReport r = reopen(log);
        assertThat(r.quarantined()).hasSize(1);
        RecoveryReport.Quarantined q = r.quarantined().get(0);
        assertThat(q.segment()).isEqualTo(Segment.name(1));
        assertThat(q.offset()).isZero();
        assertThat(q.length()).isEqualTo(Files.size(seg));
        assertThat(q.copy()).exists().hasSameBinaryContentAs(seg);
        assertThat(payloads(log[0])).containsExactly("3=c");
        log[0].release();
    }

    @Test
    void temporaryFilesOfAnInterruptedCompactionOrRestoreAreDeleted() throws IOException {
        LogFixture.open(dir).release();
        Files.write(dir.resolve(Segment.name(1) + ".tmp"), new byte[] {1, 2, 3});

        SegmentLog[] log = new SegmentLog[1];
        RecoveryReport r = reopen(log);
        assertThat(r.removedTemporaries()).containsExactly(Segment.name(1) + ".tmp");
        assertThat(dir.resolve(Segment.name(1) + ".tmp")).doesNotExist();
        log[0].release();
    }

    @Test
    void anUnfinishedRestoreIsRefused() throws IOException {
        Files.write(dir.resolve(Backups.RESTORING), new byte[0]);
        SegmentLog log = new SegmentLog(dir, ChannelOpener.DEFAULT);
        assertThatThrownBy(() -> Recovery.recover(log)).isInstanceOf(IOException.class)
                .hasMessageContaining("unfinished restore");
        assertThat(log.segments()).isEmpty();
    }
}
