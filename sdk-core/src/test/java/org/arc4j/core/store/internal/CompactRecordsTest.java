package org.arc4j.core.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packed record frames ({@link Packing}, {@link Frames#FLAG_PACKED}): round trips, sizes, corrupt input. */
class CompactRecordsTest {
    private static final String EVENT = "{\"v\":1,\"id\":\"01MB2X7Q3ZK4H5N6P7R8S9T0VW\",\"account\":\"204711\","
            + "\"receiver\":\"R2\",\"line\":\"L3\",\"protocol\":\"DC09_SIA_DCS\",\"transport\":\"IP\",\"ingress\":"
            + "{\"adapter\":\"dc09-tcp\",\"endpoint\":\"0.0.0.0:9000\"},\"link\":\"dc09-tcp@0.0.0.0:9000\","
            + "\"codeSystem\":\"SIA\",\"code\":\"FA\",\"qualifier\":\"NEW_EVENT\",\"category\":\"FIRE\",\"priority\":1,"
            + "\"zone\":\"017\",\"zoneNumber\":17,\"receivedAt\":\"2026-12-05T16:01:02.345Z\",\"drill\":false}";
    private static final String TAKEN = "{\"v\":2,\"case\":\"C01MB2X7Q3ZK4H5N6P7R8S9T0VW\",\"action\":\"TAKEN\","
            + "\"state\":\"TAKEN\",\"at\":\"2026-12-05T16:01:09.001Z\",\"actor\":{\"kind\":\"OPERATOR\",\"id\":\"zhang\"},"
            + "\"drill\":false}";

    @Test
    void typicalRecordsShrinkToLessThanHalfAndComeBackExactly() {
        for (String s : List.of("R2/L3/204711\0" + EVENT, "C01MB2X7Q3ZK4H5N6P7R8S9T0VW\0" + TAKEN)) {
            byte[] raw = s.getBytes(StandardCharsets.UTF_8);
            byte[] packed = Packing.pack(raw, raw.length);
            assertTrue(packed.length * 2 < raw.length, packed.length + " of " + raw.length);
            assertArrayEquals(raw, Packing.unpack(packed, 0, packed.length));
        }
    }

    @Test
    void randomAndMixedInputsRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(15);
        byte[] dict = Packing.DICTIONARY;
        for (int n = 0; n < 3000; n++) {
            int len = rnd.nextInt(0, n % 100 == 0 ? Packing.MAX_RAW + 1 : 1500);
            byte[] raw = new byte[len];
            int i = 0;
            while (i < len) {
                int run = Math.min(len - i, rnd.nextInt(1, 200));
                switch (rnd.nextInt(3)) {
                    case 0: // random bytes
                        for (int k = 0; k < run; k++) {
                            raw[i + k] = (byte) rnd.nextInt(256);
                        }
                        break;
                    case 1: // a piece of the dictionary
                        int from = rnd.nextInt(dict.length - run > 0 ? dict.length - run : 1);
                        System.arraycopy(dict, from, raw, i, Math.min(run, dict.length - from));
                        break;
                    default: // a repeat of what came before (possibly overlapping), or one byte repeated
                        for (int k = 0; k < run; k++) {
                            raw[i + k] = i == 0 ? 7 : raw[rnd.nextInt(i + k > 0 ? i + k : 1)];
                        }
                }
                i += run;
            }
            byte[] packed = Packing.pack(raw, len);
            assertArrayEquals(raw, Packing.unpack(packed, 0, packed.length), "case " + n);
        }
    }

    @Test
    void corruptPackingIsRefusedNeverReturnedAsData() {
        byte[] raw = ("C01MB2X7Q3ZK4H5N6P7R8S9T0VW\0" + TAKEN).getBytes(StandardCharsets.UTF_8);
        byte[] packed = Packing.pack(raw, raw.length);
        assertThrows(IllegalArgumentException.class,
                () -> Packing.unpack(packed, 0, packed.length - 1)); // cut: fewer bytes than the length says
        byte[] far = {5, (byte) 0x81, (byte) 0xFF, (byte) 0xFF}; // copy from before the dictionary
        assertThrows(IllegalArgumentException.class, () -> Packing.unpack(far, 0, far.length));
        byte[] zero = {5, (byte) 0x81, 0, 0}; // distance 0
        assertThrows(IllegalArgumentException.class, () -> Packing.unpack(zero, 0, zero.length));
        byte[] longer = {2, 3, 1, 2, 3, 4}; // literal run past the stated length
        assertThrows(IllegalArgumentException.class, () -> Packing.unpack(longer, 0, longer.length));
    }

    @Test
    void framesPackWhenSmallerAndStayPlainOtherwise() {
        NewRecord big = new NewRecord(RecordType.EVENT, 1, Instant.parse("2026-12-05T16:01:02.345678901Z"),
                "R2/L3/204711", EVENT.getBytes(StandardCharsets.UTF_8));
        NewRecord tiny = new NewRecord(RecordType.AUDIT, 1, Instant.EPOCH, "", new byte[] {1, 2, 3});
        ByteBuffer b = ByteBuffer.allocate(4096);
        Frames.encode(b, big, "R2/L3/204711".getBytes(StandardCharsets.UTF_8), 42, true, false);
        int first = b.position();
        Frames.encode(b, tiny, new byte[0], 43, true, false);
        byte[] data = Arrays.copyOf(b.array(), b.position());
        assertTrue(first < Frames.frameSize("R2/L3/204711".getBytes(StandardCharsets.UTF_8), EVENT.length()) / 2);
        assertEquals(first, Frames.validFrame(data, 0, data.length));
        assertTrue((data[9] & Frames.FLAG_PACKED) != 0);
        assertTrue((data[first + 9] & Frames.FLAG_PACKED) == 0);
        StoredRecord r = Frames.decode(data, 0);
        assertEquals(42, r.position());
        assertEquals(big.at(), r.at());
        assertEquals("R2/L3/204711", r.subject());
        assertArrayEquals(big.payload(), r.payload());
        assertArrayEquals(tiny.payload(), Frames.decode(data, first).payload());
        data[20]++; // a flipped bit inside the packed frame: the CRC refuses it
        assertEquals(-1, Frames.validFrame(data, 0, data.length));
    }

    @Test
    void aJournalStoresPackedRecordsAndReadsThemBackAfterReopening(@TempDir Path dir) throws Exception {
        List<NewRecord> written = new ArrayList<>();
        long raw = 0;
        try (Journal j = Journal.builder(dir).durability(Durability.OS_BUFFERED).open()) {
            for (int i = 0; i < 200; i++) {
                String id = String.format("C01MB2X7Q3ZK4H5N6P7R8S9%04d", i);
                NewRecord r = new NewRecord(RecordType.CASE_TRANSITION, 2, Instant.parse("2026-12-05T16:00:00Z")
                        .plusMillis(i), id, TAKEN.replace("C01MB2X7Q3ZK4H5N6P7R8S9T0VW", id).getBytes(
                        StandardCharsets.UTF_8));
                written.add(r);
                raw += Frames.frameSize(id.getBytes(StandardCharsets.UTF_8), r.payload().length);
                j.append(r).toCompletableFuture().join();
            }
        }
        long onDisk;
        try (Stream<Path> s = Files.list(dir)) {
            onDisk = s.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(onDisk * 2 < raw, onDisk + " bytes on disk for " + raw + " unpacked");
        try (Journal j = Journal.open(dir)) {
            List<StoredRecord> read = new ArrayList<>();
            j.replay(1, read::add);
            assertEquals(written.size(), read.size());
            for (int i = 0; i < written.size(); i++) {
                assertEquals(written.get(i).subject(), read.get(i).subject());
                assertEquals(written.get(i).at(), read.get(i).at());
                assertArrayEquals(written.get(i).payload(), read.get(i).payload());
            }
            assertEquals(written.get(7).subject(), j.caseState(written.get(7).subject()).orElseThrow().caseId());
        }
    }
}
