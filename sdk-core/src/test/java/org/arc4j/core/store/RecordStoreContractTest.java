package org.arc4j.core.store;

import org.arc4j.core.testkit.InMemoryRecordStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.arc4j.core.testkit.Await;

/** The {@link RecordStore} contract; implementations join in {@link #implementations()}. */
class RecordStoreContractTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    static Stream<Arguments> implementations() {
        Supplier<RecordStore> inMemory = InMemoryRecordStore::new;
        Supplier<RecordStore> journal = () -> Journal.open(tempDirectory());
        Supplier<RecordStore> buffered = () -> Journal.builder(tempDirectory()).durability(Durability.OS_BUFFERED)
                .open();
        Supplier<RecordStore> small = () -> Journal.builder(tempDirectory()).segmentBytes(4096).open();
        Supplier<RecordStore> postgres = PostgresStores::open;
        return Stream.of(Arguments.of("in-memory", inMemory), Arguments.of("journal", journal),
                Arguments.of("journal OS_BUFFERED", buffered), Arguments.of("journal 4 KiB segments", small),
                Arguments.of("PostgreSQL", postgres));
    }

    private static final List<Path> DIRECTORIES = new CopyOnWriteArrayList<>();

    @AfterAll
    static void deleteDirectories() throws IOException {
        PostgresStores.closePools();
        for (Path d : DIRECTORIES) {
            try (Stream<Path> files = Files.walk(d)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path tempDirectory() {
        try {
            Path d = Files.createTempDirectory("arc4j-journal-contract");
            DIRECTORIES.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NewRecord rec(RecordType type, String subject, String payload) {
        return new NewRecord(type, 1, T0, subject, payload.getBytes(StandardCharsets.UTF_8));
    }

    static String text(StoredRecord r) {
        return new String(r.payload(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void appendsReadsAndReplaysInOrder(String name, Supplier<RecordStore> factory) throws Exception {
        try (RecordStore store = factory.get()) {
            long first = store.nextPosition();
            long p1 = store.append(rec(RecordType.EVENT, "1234", "a")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<Long> ps = store.appendAll(List.of(rec(RecordType.EVENT, "1234", "b"),
                    rec(RecordType.IDEMPOTENCY_KEY, "1234", "k"))).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(p1).isEqualTo(first);
            assertThat(ps).hasSize(2).isSorted();
            assertThat(ps.get(0)).isGreaterThan(p1);
            assertThat(store.nextPosition()).isGreaterThan(ps.get(1));

            StoredRecord r = store.read(ps.get(1)).orElseThrow();
            assertThat(r.type()).isEqualTo(RecordType.IDEMPOTENCY_KEY);
            assertThat(text(r)).isEqualTo("k");
            assertThat(r.subject()).isEqualTo("1234");
            assertThat(r.at()).isEqualTo(T0);
            assertThat(store.read(store.nextPosition())).isEmpty();

            List<String> seen = new ArrayList<>();
            long end = store.replay(1, x -> seen.add(text(x)));
            assertThat(seen).containsExactly("a", "b", "k");
            assertThat(end).isEqualTo(store.nextPosition());
            seen.clear();
            store.replay(ps.get(0), x -> seen.add(text(x)));
            assertThat(seen).containsExactly("b", "k");
            seen.clear();
            long typedEnd = store.replay(1, java.util.Set.of(RecordType.IDEMPOTENCY_KEY), x -> seen.add(text(x)));
            assertThat(seen).containsExactly("k");
            assertThat(typedEnd).isEqualTo(store.nextPosition());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aSubscriberCatchesUpThenFollowsAndResumesFromItsCheckpoint(String name, Supplier<RecordStore> factory)
            throws Exception {
        try (RecordStore store = factory.get()) {
            for (int i = 0; i < 5; i++) {
                store.append(rec(RecordType.EVENT, "s", "e" + i)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            List<StoredRecord> got = new CopyOnWriteArrayList<>();
            RecordStore.Subscription sub = store.subscribe(1, got::add);
            store.append(rec(RecordType.EVENT, "s", "e5")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            awaitSize(got, 6);
            sub.close();
            long checkpoint = got.get(got.size() - 1).position() + 1;
            store.append(rec(RecordType.EVENT, "s", "e6")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(got).hasSize(6);

            List<StoredRecord> resumed = new CopyOnWriteArrayList<>();
            RecordStore.Subscription again = store.subscribe(checkpoint, resumed::add);
            awaitSize(resumed, 1);
            assertThat(resumed).extracting(RecordStoreContractTest::text).containsExactly("e6");
            again.close();
        }
    }

    private static void awaitSize(List<?> list, int n) {
        Await.until(Duration.ofSeconds(10), () -> list.size() >= n, () -> n + " records, got " + list);
        assertThat(list).hasSize(n);
    }
}
