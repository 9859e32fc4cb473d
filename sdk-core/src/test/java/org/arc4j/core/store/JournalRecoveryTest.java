package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arc4j.core.store.internal.Frames;
import org.arc4j.core.store.internal.SegmentScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery on open: torn tails are cut, corruption in the middle is quarantined and the rest stays readable. */
class JournalRecoveryTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    @TempDir
    Path tmp;

    static NewRecord rec(String payload) {
        return new NewRecord(RecordType.EVENT, 1, T0, "acct-1", payload.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> payloads(RecordStore s) {
        List<String> out = new ArrayList<>();
        s.replay(1, r -> out.add(new String(r.payload(), StandardCharsets.UTF_8)));
        return out;
    }

    static void write(Path dir, int n, long segmentBytes) throws Exception {
        try (Journal j = Journal.builder(dir).segmentBytes(segmentBytes).open()) {
            for (int i = 1; i <= n; i++) {
                j.append(rec("record-" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** Frames of a segment file as {offset, length, position}. */
    static List<long[]> frames(Path segment) throws IOException {
        byte[] data = Files.readAllBytes(segment);
        return SegmentScan.scan(data, data.length, 0, true).frames;
    }

    static Path copyOf(Path dir, String name) throws IOException {
        Path to = Files.createDirectories(dir.resolveSibling(name));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".seg")).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    static List<String> expected(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            l.add("record-" + i);
        }
        return l;
    }

    @Test
    void aTruncatedLastRecordIsCutAtEveryOffset() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        write(dir, 5, 1 << 20);
        Path seg = segmentFiles(dir).get(0);
        long[] last = frames(seg).get(4);
        byte[] original = Files.readAllBytes(seg);
        for (int cut = (int) last[0]; cut < last[0] + last[1]; cut++) {
            Path copy = copyOf(dir, "cut-" + cut);
            Files.write(copy.resolve(seg.getFileName()), Arrays.copyOf(original, cut));
            try (Journal j = Journal.open(copy)) {
                assertThat(payloads(j)).as("cut at %d", cut).isEqualTo(expected(4));
                assertThat(j.recoveryReport().quarantined()).isEmpty();
                assertThat(j.recoveryReport().tailCuts()).hasSize(cut > last[0] ? 1 : 0);
                assertThat(j.nextPosition()).isEqualTo(5);
                assertThat(j.append(rec("after")).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(5L);
            }
            try (Journal j = Journal.open(copy)) {
                assertThat(j.recoveryReport().clean()).isTrue();
                assertThat(payloads(j)).hasSize(5).endsWith("after");
            }
        }
    }

    @Test
    void aCorruptByteAnywhereInTheLastRecordCutsItAndNothingCorruptIsRead() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        write(dir, 5, 1 << 20);
        Path seg = segmentFiles(dir).get(0);
        long[] last = frames(seg).get(4);
        byte[] original = Files.readAllBytes(seg);
        for (int at = (int) last[0]; at < last[0] + last[1]; at++) {
            Path copy = copyOf(dir, "flip-" + at);
            byte[] bad = original.clone();
            bad[at] ^= 0x5A;
            Files.write(copy.resolve(seg.getFileName()), bad);
            try (Journal j = Journal.open(copy)) {
                assertThat(payloads(j)).as("byte %d flipped", at).isEqualTo(expected(4));
                assertThat(j.recoveryReport().tailCuts()).singleElement()
                        .satisfies(c -> assertThat(c.offset()).isEqualTo(last[0]));
                assertThat(j.recoveryReport().quarantined()).isEmpty();
                assertThat(j.read(5)).isEmpty();
            }
        }
    }

    @Test
    void anIncompleteAtomicBatchAtTheTailIsCutWhole() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        try (Journal j = Journal.open(dir)) {
            j.append(rec("single")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            j.appendAll(List.of(rec("b1"), rec("b2"), rec("b3"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Path seg = segmentFiles(dir).get(0);
        List<long[]> f = frames(seg);
        byte[] original = Files.readAllBytes(seg);
        long batchStart = f.get(1)[0];
        long end = f.get(3)[0] + f.get(3)[1];
        for (int cut = (int) batchStart; cut < end; cut++) {
            Path copy = copyOf(dir, "batch-" + cut);
            Files.write(copy.resolve(seg.getFileName()), Arrays.copyOf(original, cut));
            try (Journal j = Journal.open(copy)) {
                assertThat(payloads(j)).as("cut at %d", cut).containsExactly("single");
                assertThat(j.nextPosition()).isEqualTo(2);
            }
        }
    }

    @Test
    void zerosAfterTheLastRecordAreCut() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        write(dir, 3, 1 << 20);
        Path seg = segmentFiles(dir).get(0);
        byte[] data = Files.readAllBytes(seg);
        Files.write(seg, Arrays.copyOf(data, data.length + 4096));
        try (Journal j = Journal.open(dir)) {
            assertThat(payloads(j)).isEqualTo(expected(3));
            assertThat(j.recoveryReport().tailCuts()).singleElement()
                    .satisfies(c -> assertThat(c.bytes()).isEqualTo(4096));
        }
        assertThat(Files.size(seg)).isEqualTo(data.length);
    }

    @Test
    void aSegmentWhoseHeaderWasTornIsRemovedAndAppendsContinue() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        write(dir, 3, 1 << 20);
        Path torn = dir.resolve(String.format("%020d.seg", 4));
        Files.write(torn, new byte[] {0x41, 0x52});
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().tailCuts()).singleElement()
                    .satisfies(c -> assertThat(c.segment()).isEqualTo(torn.getFileName().toString()));
            assertThat(payloads(j)).isEqualTo(expected(3));
            assertThat(j.append(rec("record-4")).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(4L);
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(payloads(j)).isEqualTo(expected(4));
        }
    }

    @Test
    void aCorruptRecordInTheMiddleIsQuarantinedAndTheRecordsAfterItStayReadable() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        write(dir, 10, 1 << 20);
        Path seg = segmentFiles(dir).get(0);
        long[] fifth = frames(seg).get(4);
        byte[] original = Files.readAllBytes(seg);
        for (int at = (int) fifth[0]; at < fifth[0] + fifth[1]; at++) {
            Path copy = copyOf(dir, "mid-" + at);
            byte[] bad = original.clone();
            bad[at] ^= (byte) 0xFF;
            Files.write(copy.resolve(seg.getFileName()), bad);
            List<String> want = new ArrayList<>(expected(10));
            want.remove("record-5");
            try (Journal j = Journal.open(copy)) {
                RecoveryReport r = j.recoveryReport();
                assertThat(r.tailCuts()).as("byte %d", at).isEmpty();
                assertThat(r.quarantined()).singleElement().satisfies(q -> {
                    assertThat(q.offset()).isEqualTo(fifth[0]);
                    assertThat(q.length()).isEqualTo(fifth[1]);
                    assertThat(q.firstMissingPosition()).isEqualTo(5);
                    assertThat(q.lastMissingPosition()).isEqualTo(5);
                    assertThat(Files.readAllBytes(q.copy()))
                            .isEqualTo(Arrays.copyOfRange(bad, (int) fifth[0], (int) (fifth[0] + fifth[1])));
                });
                assertThat(payloads(j)).isEqualTo(want);
                assertThat(j.read(5)).isEmpty();
                assertThat(j.read(6)).hasValueSatisfying(x -> assertThat(x.payload()).asString(StandardCharsets.UTF_8)
                        .isEqualTo("record-6"));
                assertThat(j.append(rec("record-11")).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(11L);
            }
            try (Journal j = Journal.open(copy)) {
                assertThat(j.recoveryReport().quarantined()).hasSize(1);
                want.add("record-11");
                assertThat(payloads(j)).isEqualTo(want);
            }
        }
    }

    @Test
    void corruptionAtTheEndOfASealedSegmentIsQuarantinedNotCut() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            for (int i = 1; i <= 200; i++) {
                j.append(rec("record-" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        List<Path> segs = segmentFiles(dir);
        assertThat(segs.size()).isGreaterThan(2);
        Path first = segs.get(0);
        List<long[]> f = frames(first);
        long[] lastOfFirst = f.get(f.size() - 1);
        byte[] bad = Files.readAllBytes(first);
        bad[(int) lastOfFirst[0] + 20] ^= 1;
        Files.write(first, bad);
        List<String> want = new ArrayList<>(expected(200));
        want.remove("record-" + lastOfFirst[2]);
        // sealed segments open from their saved position index, unread: the rotten record is skipped when read
        assertThat(dir.resolve("index").resolve(first.getFileName().toString().replace(".seg", ".frames")))
                .exists();
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().quarantined()).isEmpty();
            assertThat(payloads(j)).isEqualTo(want);
        }
        // without the position index the open scans the segment, finds the damage and quarantines it
        try (var tables = Files.list(dir.resolve("index"))) {
            for (Path t : tables.filter(p -> p.toString().endsWith(".frames")).toList()) {
                Files.delete(t);
            }
        }
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().tailCuts()).isEmpty();
            assertThat(j.recoveryReport().quarantined()).singleElement()
                    .satisfies(q -> assertThat(q.firstMissingPosition()).isEqualTo(lastOfFirst[2]));
            assertThat(payloads(j)).isEqualTo(want);
        }
        assertThat(Files.size(first)).isEqualTo(bad.length);
    }

    @Test
    void aCorruptLengthFieldInTheMiddleIsResynchronised() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        write(dir, 10, 1 << 20);
        Path seg = segmentFiles(dir).get(0);
        long[] third = frames(seg).get(2);
        byte[] bad = Files.readAllBytes(seg);
        bad[(int) third[0]] = 0x7F;
        Files.write(seg, bad);
        try (Journal j = Journal.open(dir)) {
            List<String> want = new ArrayList<>(expected(10));
            want.remove("record-3");
            assertThat(payloads(j)).isEqualTo(want);
            assertThat(j.recoveryReport().quarantined()).hasSize(1);
        }
    }

    @Test
    void aRecordThatRotsWhileOpenIsNeverReturnedAndIsQuarantinedOnTheNextOpen() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        Path seg;
        try (Journal j = Journal.open(dir)) {
            for (int i = 1; i <= 5; i++) {
                j.append(rec("record-" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            seg = segmentFiles(dir).get(0);
            long[] third = frames(seg).get(2);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(seg,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x7E}), third[0] + third[1] - 1);
            }
            assertThat(j.read(3)).isEmpty();
            assertThat(payloads(j)).containsExactly("record-1", "record-2", "record-4", "record-5");
            assertThat(j.append(rec("record-6")).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(6L);
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.recoveryReport().quarantined()).singleElement()
                    .satisfies(q -> assertThat(q.firstMissingPosition()).isEqualTo(3));
            assertThat(payloads(j)).containsExactly("record-1", "record-2", "record-4", "record-5", "record-6");
        }
    }

    @Test
    void aBatchWhoseStartWasLostInATornTailIsCutNotHalfShown() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        try (Journal j = Journal.open(dir)) {
            j.append(rec("single")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            j.appendAll(List.of(rec("b1"), rec("b2"), rec("b3"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Path seg = segmentFiles(dir).get(0);
        List<long[]> f = frames(seg);
        byte[] data = Files.readAllBytes(seg);
        // the page holding the batch's first record never reached the disk; the later ones did
        Arrays.fill(data, (int) f.get(1)[0], (int) (f.get(1)[0] + f.get(1)[1]), (byte) 0);
        Files.write(seg, data);
        try (Journal j = Journal.open(dir)) {
            assertThat(payloads(j)).containsExactly("single");
            assertThat(j.recoveryReport().quarantined()).isEmpty();
            assertThat(j.recoveryReport().tailCuts()).singleElement()
                    .satisfies(c -> assertThat(c.offset()).isEqualTo(f.get(1)[0]));
            assertThat(j.nextPosition()).isEqualTo(2);
        }
    }

    @Test
    void aBatchDamagedInTheMiddleOfTheLogIsQuarantinedWhole() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        try (Journal j = Journal.open(dir)) {
            j.append(rec("before")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            j.appendAll(List.of(rec("b1"), rec("b2"), rec("b3"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            j.append(rec("after")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Path seg = segmentFiles(dir).get(0);
        List<long[]> f = frames(seg);
        byte[] original = Files.readAllBytes(seg);
        for (int damaged = 1; damaged <= 3; damaged++) {
            Path copy = copyOf(dir, "batch-" + damaged);
            byte[] bad = original.clone();
            bad[(int) (f.get(damaged)[0] + f.get(damaged)[1] - 1)] ^= 0x01;
            Files.write(copy.resolve(seg.getFileName()), bad);
            try (Journal j = Journal.open(copy)) {
                assertThat(payloads(j)).as("record %d of the batch damaged", damaged).containsExactly("before", "after");
                assertThat(j.recoveryReport().tailCuts()).isEmpty();
                assertThat(j.recoveryReport().quarantined()).singleElement().satisfies(q -> {
                    assertThat(q.offset()).isEqualTo(f.get(1)[0]);
                    assertThat(q.length()).isEqualTo(f.get(4)[0] - f.get(1)[0]);
                    assertThat(q.firstMissingPosition()).isEqualTo(2);
                    assertThat(q.lastMissingPosition()).isEqualTo(4);
                });
            }
        }
    }

    @Test
    void theFrameLayoutIsTheDocumentedOne() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("orig"));
        try (Journal j = Journal.open(dir)) {
            j.append(new NewRecord(RecordType.CASE_TRANSITION, 3, T0, "case-9", new byte[] {1, 2}))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        byte[] data = Files.readAllBytes(segmentFiles(dir).get(0));
        assertThat(data).hasSize(Frames.HEADER + Frames.FIXED + 6 + 2);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data, Frames.HEADER, data.length - Frames.HEADER).slice();
        assertThat(b.getInt(0)).isEqualTo(data.length - Frames.HEADER - 8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data, Frames.HEADER, 4);
        crc.update(data, Frames.HEADER + 8, data.length - Frames.HEADER - 8);
        assertThat(b.getInt(4)).isEqualTo((int) crc.getValue());
        assertThat(b.get(8)).isEqualTo((byte) 3);
        assertThat(b.getShort(10)).isEqualTo((short) 3);
        assertThat(b.getLong(12)).isEqualTo(1L);
        assertThat(b.getLong(20)).isEqualTo(T0.getEpochSecond());
        assertThat(b.getShort(32)).isEqualTo((short) 6);
    }

    @Test
    void sealedSegmentsOpenFromTheirPositionIndexAndATornOrStaleOneFallsBackToAScan() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("frames"));
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            for (int i = 1; i <= 200; i++) {
                j.append(rec("record-" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        List<Path> segs = segmentFiles(dir);
        assertThat(segs.size()).isGreaterThanOrEqualTo(3);
        List<Path> tables;
        try (var list = Files.list(dir.resolve("index"))) {
            tables = list.filter(p -> p.toString().endsWith(".frames")).sorted().toList();
        }
        assertThat(tables).hasSize(segs.size() - 1); // every sealed one; the active one is scanned on open
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().records()).isEqualTo(200);
            assertThat(payloads(j)).isEqualTo(expected(200));
        }
        // a torn table (a byte flipped: its CRC fails when loaded) and a stale one (another size on record)
        byte[] torn = Files.readAllBytes(tables.get(0));
        torn[torn.length - 10] ^= 1;
        Files.write(tables.get(0), torn);
        byte[] stale = Files.readAllBytes(tables.get(1));
        stale[23] ^= 1; // the segment size field
        Files.write(tables.get(1), stale);
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().records()).isEqualTo(200);
            assertThat(j.recoveryReport().quarantined()).isEmpty();
            assertThat(payloads(j)).isEqualTo(expected(200));
            assertThat(j.read(1)).isPresent();
        }
    }
}
