package org.arc4j.core.store;

import org.arc4j.core.testkit.InMemoryRecordStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the {@link RecordStoreContractTest} does not reach in the in-memory store's compact layout: records
 * across chunk boundaries and larger than a chunk, index pages beyond the first array, subjects outside ASCII,
 * and every field of the frame at its extremes.
 */
class InMemoryRecordStoreTest {

    /** The kept corpus (src/test/resources/fuzz/InMemoryRecordStoreTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(InMemoryRecordStoreTest.class, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void manyRecordsAcrossChunksAndIndexPagesReadBackExactly(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            Random random = new Random(seed.value());
            int n = 300_000; // > 16 index pages of 16,384: the page table grows
            List<NewRecord> written = new ArrayList<>(n);
            try (InMemoryRecordStore store = new InMemoryRecordStore()) {
                for (int i = 0; i < n; i++) {
                    byte[] payload = new byte[random.nextInt(i % 1000 == 0 ? 5000 : 200)];
                    random.nextBytes(payload);
                    NewRecord r = new NewRecord(RecordType.values()[i % RecordType.values().length], 1 + i % 65535,
                            Instant.ofEpochSecond(random.nextInt() & 0xFFFFFFFFL, random.nextInt(1_000_000_000)),
                            "S" + i, payload);
                    written.add(r);
                    assertThat(store.append(r).toCompletableFuture().join()).isEqualTo(i + 1L);
                }
                assertThat(store.nextPosition()).isEqualTo(n + 1L);
                long[] count = {0};
                store.replay(1, s -> {
                    NewRecord w = written.get((int) (s.position() - 1));
                    assertSame(w, s);
                    count[0]++;
                });
                assertThat(count[0]).isEqualTo(n);
                assertSame(written.get(123_456), store.read(123_457).orElseThrow());
            }
        });
    }

    @Test
    void aRecordLargerThanAChunkAndRecordsAroundItKeepTheirBytes() {
        byte[] big = new byte[5 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        try (InMemoryRecordStore store = new InMemoryRecordStore()) {
            NewRecord before = new NewRecord(RecordType.EVENT, 1, Instant.EPOCH, "a", new byte[4 * 1024 * 1024 - 200]);
            NewRecord large = new NewRecord(RecordType.AUDIT, 2, Instant.EPOCH, "b", big);
            NewRecord after = new NewRecord(RecordType.CHECKPOINT, 3, Instant.EPOCH, "c", "x".getBytes());
            List<Long> p = store.appendAll(List.of(before, large, after)).toCompletableFuture().join();
            assertThat(p).containsExactly(1L, 2L, 3L);
            assertSame(before, store.read(1).orElseThrow());
            assertSame(large, store.read(2).orElseThrow());
            assertSame(after, store.read(3).orElseThrow());
        }
    }

    @Test
    void fieldExtremesAndNonAsciiSubjectsRoundTrip() {
        try (InMemoryRecordStore store = new InMemoryRecordStore()) {
            List<NewRecord> rs = List.of(
                    new NewRecord(RecordType.CONFIG_CHANGE, 65535, Instant.MIN, "客户/站点 ☎ 𝄞", new byte[0]),
                    new NewRecord(RecordType.EVENT, 1, Instant.MAX, "", new byte[] {0, -1, 127, -128}),
                    new NewRecord(RecordType.SUPERVISION, 1, Instant.ofEpochSecond(-1, 999_999_999), "ä",
                            "{}".getBytes(StandardCharsets.UTF_8)));
            store.appendAll(rs).toCompletableFuture().join();
            for (int i = 0; i < rs.size(); i++) {
                assertSame(rs.get(i), store.read(i + 1).orElseThrow());
            }
            assertThat(store.read(0)).isEmpty();
            assertThat(store.read(4)).isEmpty();
        }
    }

    @Test
    void readsHandOutCopiesThatDoNotChangeTheStore() {
        try (InMemoryRecordStore store = new InMemoryRecordStore()) {
            store.append(new NewRecord(RecordType.EVENT, 1, Instant.EPOCH, "s", new byte[] {1, 2, 3}))
                    .toCompletableFuture().join();
            store.read(1).orElseThrow().payload()[0] = 9;
            store.replay(1, r -> r.payload()[1] = 9);
            assertThat(store.read(1).orElseThrow().payload()).containsExactly(1, 2, 3);
        }
    }

    private static void assertSame(NewRecord w, StoredRecord s) {
        assertThat(s.type()).isEqualTo(w.type());
        assertThat(s.version()).isEqualTo(w.version());
        assertThat(s.at()).isEqualTo(w.at());
        assertThat(s.subject()).isEqualTo(w.subject());
        assertThat(s.payload()).isEqualTo(w.payload());
    }
}
