package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.put;
import static org.arc4j.core.store.internal.LogFixture.putAll;
import static org.arc4j.core.store.internal.LogFixture.rec;
import static org.arc4j.core.store.internal.LogFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.store.StoreException;
import org.arc4j.core.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment log alone: creating, writing, rotating, publishing, reading, replacing and releasing segments. */
class SegmentLogTest {
    @TempDir
    Path dir;

    @Test
    void aCreatedSegmentHasAValidHeaderAndJoinsTheLog() throws IOException {
        SegmentLog log = new SegmentLog(dir, org.arc4j.core.testkit.ChannelOpener.DEFAULT);
        Segment s = log.createSegment(7);
        byte[] file = Files.readAllBytes(dir.resolve(Segment.name(7)));
        assertThat(file).hasSize(Frames.HEADER);
        assertThat(Frames.validHeader(file, file.length, 7)).isTrue();
        assertThat(log.segments()).containsExactly(s);
        assertThat(log.segment(7)).isSameAs(s);
        log.release();
    }

    @Test
    void recordsAreReadableOnlyOnceTheDurableEndPassesThem() throws IOException {
        SegmentLog log = LogFixture.open(dir);
        put(log, 1, rec("one"));
        assertThat(log.read(1)).isEmpty();
        assertThat(log.replay(1, r -> { })).isEqualTo(1);
        LogFixture.publish(log, 2);
        assertThat(log.read(1)).map(LogFixture::text).contains("one");
        assertThat(log.read(0)).isEmpty();
        assertThat(log.read(2)).isEmpty();
        log.release();
    }

    @Test
    void rotationSealsTheActiveSegmentAndStartsTheNextAtItsPosition() throws IOException {
        SegmentLog log = LogFixture.open(dir);
        putAll(log, 1, "a", "b", "c");
        Segment first = log.active();
        Segment second = log.rotate(4);
        assertThat(first.sealedBefore()).isEqualTo(4);
        assertThat(second.base()).isEqualTo(4);
        assertThat(log.active()).isSameAs(second);
        assertThat(log.activeEnd()).isEqualTo(Frames.HEADER);
        assertThat(second.sealedBefore()).isZero();
        assertThat(log.segments()).containsExactly(first, second);
        assertThat(log.sizes()).extracting(a -> a[0]).containsExactly(1L, 4L);
        log.release();
    }

    @Test
    void onlySealedSegmentsTheDurableEndHasPassedAreOfferedForCompaction() throws IOException {
        SegmentLog log = LogFixture.open(dir);
        putAll(log, 1, "a", "b");
        Segment first = log.active();
        log.rotate(3);
        assertThat(log.sealedDurable()).containsExactly(first);
        put(log, 3, rec("c"));
        LogFixture.rotate(log, 4);
        // the second segment's record is written but not yet published
        assertThat(log.sealedDurable()).containsExactly(first);
        LogFixture.publish(log, 4);
        assertThat(log.sealedDurable()).hasSize(2).doesNotContain(log.active());
        log.release();
    }

    @Test
    void replayAndNextCrossSegmentsAndSkipGaps() throws IOException {
        SegmentLog log = LogFixture.open(dir);
        putAll(log, 1, "1", "2");
        log.rotate(5);
        putAll(log, 5, "5", "6");
        List<String> seen = new ArrayList<>();
        assertThat(log.replay(0, r -> seen.add(r.position() + "=" + text(r)))).isEqualTo(7);
        assertThat(seen).containsExactly("1=1", "2=2", "5=5", "6=6");
        assertThat(log.next(3, 7)).extracting(StoredRecord::position).isEqualTo(5L);
        assertThat(log.next(3, 5)).isNull();
        assertThat(log.read(3)).isEmpty();
        log.release();
    }

    @Test
    void aRemovedSegmentsRecordsAreGoneAndAReplacementIsReadInstead() throws IOException {
        SegmentLog log = LogFixture.open(dir);
        putAll(log, 1, "a");
        Segment first = log.active();
        log.rotate(2);
        putAll(log, 2, "b");
        Segment second = log.active();
        log.rotate(3);
        log.remove(first);
        assertThat(log.read(1)).isEmpty();
        assertThat(first.channel().isOpen()).isFalse();
        long[] at = second.entries()[0];
        Segment stand = new Segment(second.path(), second.base(),
                java.nio.channels.FileChannel.open(second.path(), java.nio.file.StandardOpenOption.READ),
                second.size());
        stand.add(at[2], at[0], (int) at[1]);
        log.replace(second, stand);
        assertThat(log.segment(2)).isSameAs(stand);
        // the old channel is closed: the record can only have come from the replacement
        assertThat(second.channel().isOpen()).isFalse();
        assertThat(log.read(2)).map(LogFixture::text).contains("b");
        log.release();
    }

    @Test
    void releaseClosesEverySegmentAndReadsThenFail() throws IOException {
        SegmentLog log = LogFixture.open(dir);
        putAll(log, 1, "a");
        Segment s = log.active();
        log.release();
        assertThat(log.released()).isTrue();
        assertThat(s.channel().isOpen()).isFalse();
        assertThatThrownBy(() -> log.read(1)).isInstanceOf(StoreException.Closed.class);
        assertThatThrownBy(() -> log.replay(1, r -> { })).isInstanceOf(StoreException.Closed.class);
    }
}
