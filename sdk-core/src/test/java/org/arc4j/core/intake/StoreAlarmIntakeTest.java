package org.arc4j.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testsupport.ControllableRecordStore;
import org.arc4j.core.testsupport.Events;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** What the durable intake adds to the contract: records, restarts and store failures. */
class StoreAlarmIntakeTest {
    static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    private static Receipt await(CompletionStage<Receipt> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesTheEventsThenTheKeyAsOneBatch() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        Receipt.Accepted a = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "001", T0), Events.burglary("1234", "002", T0)),
                IdempotencyKey.of("t", "1")));
        List<StoredRecord> records = new ArrayList<>();
        store.replay(1, records::add);
        assertThat(records).extracting(StoredRecord::type)
                .containsExactly(RecordType.EVENT, RecordType.EVENT, RecordType.IDEMPOTENCY_KEY);
        assertThat(records.get(0).subject()).isEqualTo("//1234");
        assertThat(new String(records.get(2).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"key\":\"t\\u001F1\",\"events\":[\"" + a.eventIds().get(0) + "\",\""
                        + a.eventIds().get(1) + "\"]}");
    }

    @Test
    void aRetransmissionAfterARestartGetsTheOriginalEvents() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake before = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        IdempotencyKey key = IdempotencyKey.of("dc09", "1234", "0042");
        Receipt.Accepted first = (Receipt.Accepted) await(before.accept(
                List.of(Events.burglary("1234", "003", T0)), key));
        before.close();

        clock.advance(Duration.ofMinutes(59));
        StoreAlarmIntake after = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        Receipt.Accepted again = (Receipt.Accepted) await(after.accept(
                List.of(Events.burglary("1234", "003", clock.instant())), key));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.events()).isEqualTo(first.events());

        // outside the window after another restart the same key is a new message
        clock.advance(Duration.ofMinutes(2));
        StoreAlarmIntake later = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        Receipt.Accepted fresh = (Receipt.Accepted) await(later.accept(
                List.of(Events.burglary("1234", "003", clock.instant())), key));
        assertThat(fresh.duplicate()).isFalse();
    }

    @Test
    void aStoreFailureIsRefusedAndLeavesNothingAndNoKey() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        List<Receipt.Accepted> told = new ArrayList<>();
        intake.addListener(told::add);
        store.failing(true);
        IdempotencyKey key = IdempotencyKey.of("t", "x");
        assertThat(await(intake.accept(List.of(Events.burglary("1234", "001", T0)), key)))
                .isInstanceOfSatisfying(Receipt.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(RefusalReason.STORE_FAILED));
        assertThat(store.nextPosition()).isEqualTo(1);
        assertThat(intake.inFlight()).isZero();
        assertThat(told).isEmpty();
        store.failing(false);
        Receipt.Accepted retry = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "001", T0)), key));
        assertThat(retry.duplicate()).isFalse();
        assertThat(told).containsExactly(retry);
    }

    @Test
    void twoKeysWithTheSameHashAreTwoMessagesEachWithItsOwnRetransmissions() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1), key -> 42L, null);
        IdempotencyKey a = IdempotencyKey.of("dc09", "1234", "0001");
        IdempotencyKey b = IdempotencyKey.of("dc09", "1234", "0002");
        Receipt.Accepted firstA = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "001", T0), Events.burglary("1234", "002", T0)), a));
        Receipt.Accepted firstB = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "003", T0)), b));
        assertThat(firstB.duplicate()).isFalse();
        assertThat(firstB.eventIds()).doesNotContainAnyElementsOf(firstA.eventIds());

        Receipt.Accepted againB = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "003", T0)), b));
        Receipt.Accepted againA = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "001", T0), Events.burglary("1234", "002", T0)), a));
        assertThat(againA.duplicate()).isTrue();
        assertThat(againA.events()).isEqualTo(firstA.events());
        assertThat(againB.duplicate()).isTrue();
        assertThat(againB.events()).isEqualTo(firstB.events());
        assertThat(store.nextPosition()).isEqualTo(6); // 3 events, 2 keys: nothing more
        intake.close();
    }

    @Test
    void aRetransmissionThatCannotBeReadBackIsRefusedSoThePanelRetries() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        IdempotencyKey key = IdempotencyKey.of("dc09", "1234", "0007");
        Receipt.Accepted first = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "001", T0)), key));
        store.failing(true);
        assertThat(await(intake.accept(List.of(Events.burglary("1234", "001", T0)), key)))
                .isInstanceOfSatisfying(Receipt.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(RefusalReason.STORE_FAILED));
        store.failing(false);
        Receipt.Accepted again = (Receipt.Accepted) await(intake.accept(
                List.of(Events.burglary("1234", "001", T0)), key));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.events()).isEqualTo(first.events());
        intake.close();
    }

    @Test
    void everyOneOfManyMessagesIsRecognisedWhenRetransmittedAndForgottenAfterTheWindow() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofMinutes(10));
        int n = 20_000;
        List<Receipt.Accepted> firsts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            firsts.add((Receipt.Accepted) await(intake.accept(List.of(Events.burglary(Integer.toString(i % 500),
                    Integer.toString(i), clock.instant())), IdempotencyKey.of("t", Integer.toString(i)))));
            if (i % 100 == 99) {
                clock.advance(Duration.ofMillis(10));
            }
        }
        for (int i = 0; i < n; i += 7) {
            Receipt.Accepted again = (Receipt.Accepted) await(intake.accept(List.of(Events.burglary(
                    Integer.toString(i % 500), Integer.toString(i), clock.instant())),
                    IdempotencyKey.of("t", Integer.toString(i))));
            assertThat(again.duplicate()).as("message %d", i).isTrue();
            assertThat(again.events()).isEqualTo(firsts.get(i).events());
        }
        long stored = store.nextPosition();
        clock.advance(Duration.ofMinutes(10));
        Receipt.Accepted late = (Receipt.Accepted) await(intake.accept(List.of(Events.burglary("0", "0",
                clock.instant())), IdempotencyKey.of("t", "0")));
        assertThat(late.duplicate()).isFalse();
        assertThat(store.nextPosition()).isEqualTo(stored + 2);
        intake.close();
    }

    /**
     * Copies of the same messages from several threads at once, with real hashes and with every key sharing one
     * hash: each message becomes its events exactly once, and every copy's receipt names those events.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "all keys share one hash: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void concurrentCopiesOfTheSameMessagesMakeEachMessageOnce(boolean collide) throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 10_000,
                Duration.ofHours(1), collide ? key -> 7L : org.arc4j.core.intake.internal.KeyWindow::hash, null);
        int messages = 150;
        int copies = 6;
        java.util.List<Integer> work = new ArrayList<>();
        for (int m = 0; m < messages; m++) {
            for (int c = 0; c < copies; c++) {
                work.add(m);
            }
        }
        java.util.Collections.shuffle(work, new java.util.Random(collide ? 1 : 2));
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.Set<List<org.arc4j.core.event.EventId>>> ids =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int from = t;
                done.add(pool.submit(() -> {
                    for (int i = from; i < work.size(); i += 4) {
                        int m = work.get(i);
                        Receipt r = await(intake.accept(List.of(Events.burglary("1234", Integer.toString(m), T0)),
                                IdempotencyKey.of("t", Integer.toString(m))));
                        ids.computeIfAbsent(m, k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                                .add(((Receipt.Accepted) r).eventIds());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            intake.close();
        }
        assertThat(ids).hasSize(messages);
        ids.forEach((m, receipts) -> assertThat(receipts).as("message %d", m).hasSize(1));
        List<StoredRecord> records = new ArrayList<>();
        store.replay(1, records::add);
        assertThat(records).filteredOn(r -> r.type() == RecordType.EVENT).hasSize(messages);
        assertThat(records).filteredOn(r -> r.type() == RecordType.IDEMPOTENCY_KEY).hasSize(messages);
    }

    /** A store that remembers where each typed replay started. */
    private static final class ReplaySpy implements org.arc4j.core.store.RecordStore {
        final org.arc4j.core.store.RecordStore inner;
        final List<Long> replaysFrom = new ArrayList<>();

        ReplaySpy(org.arc4j.core.store.RecordStore inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<Long> append(org.arc4j.core.store.NewRecord record) {
            return inner.append(record);
        }

        @Override
        public CompletionStage<List<Long>> appendAll(List<org.arc4j.core.store.NewRecord> records) {
            return inner.appendAll(records);
        }

        @Override
        public java.util.Optional<StoredRecord> read(long position) {
            return inner.read(position);
        }

        @Override
        public long replay(long fromPosition, java.util.function.Consumer<StoredRecord> sink) {
            return inner.replay(fromPosition, sink);
        }

        @Override
        public long replay(long fromPosition, java.util.Set<RecordType> types,
                           java.util.function.Consumer<StoredRecord> sink) {
            if (types.contains(RecordType.IDEMPOTENCY_KEY)) {
                replaysFrom.add(fromPosition);
            }
            return inner.replay(fromPosition, types, sink);
        }

        @Override
        public Subscription subscribe(long fromPosition, java.util.function.Consumer<StoredRecord> consumer) {
            return inner.subscribe(fromPosition, consumer);
        }

        @Override
        public long nextPosition() {
            return inner.nextPosition();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void onOpenOnlyTheWindowIsReadBackFromTheCheckpointAndMessagesInFlightAtCloseAreKept() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake before = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            await(before.accept(List.of(Events.burglary("1234", "00" + i, T0)), IdempotencyKey.of("t", "old" + i)));
        }
        clock.advance(Duration.ofHours(2)); // the first five leave the window
        long recent = store.nextPosition();
        await(before.accept(List.of(Events.burglary("1234", "010", clock.instant())), IdempotencyKey.of("t", "new")));
        store.hold();
        CompletionStage<Receipt> inFlight = before.accept(List.of(Events.burglary("1234", "011", clock.instant())),
                IdempotencyKey.of("t", "flying"));
        before.close(); // checkpoint; the message in flight is refused to its sender but becomes durable
        store.release();
        assertThat(await(inFlight)).isInstanceOf(Receipt.Refused.class);
        assertThat(store.delegate().newest(RecordType.CHECKPOINT, StoreAlarmIntake.CHECKPOINT_SUBJECT))
                .hasValueSatisfying(r -> assertThat(new String(r.payload(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"v\":1,\"from\":" + recent + "}"));

        ReplaySpy spy = new ReplaySpy(store);
        StoreAlarmIntake after = StoreAlarmIntake.open(spy, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        assertThat(spy.replaysFrom).containsExactly(recent);
        assertThat(((Receipt.Accepted) await(after.accept(List.of(Events.burglary("1234", "010", clock.instant())),
                IdempotencyKey.of("t", "new")))).duplicate()).isTrue();
        assertThat(((Receipt.Accepted) await(after.accept(List.of(Events.burglary("1234", "011", clock.instant())),
                IdempotencyKey.of("t", "flying")))).duplicate()).isTrue();
        assertThat(((Receipt.Accepted) await(after.accept(List.of(Events.burglary("1234", "000", clock.instant())),
                IdempotencyKey.of("t", "old0")))).duplicate()).isFalse();
    }

    @Test
    void aTornOrStaleCheckpointIsIgnoredAndTheWholeStoreIsRead() throws Exception {
        ManualClock clock = new ManualClock(T0);
        ControllableRecordStore store = new ControllableRecordStore();
        StoreAlarmIntake before = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 8,
                Duration.ofHours(1));
        await(before.accept(List.of(Events.burglary("1234", "001", T0)), IdempotencyKey.of("t", "1")));
        before.close();
        for (String torn : List.of("{\"v\":1,\"fr", "{\"v\":1,\"from\":999999}", "{\"v\":2,\"from\":3}")) {
            store.append(new org.arc4j.core.store.NewRecord(RecordType.CHECKPOINT, 1, clock.instant(),
                    StoreAlarmIntake.CHECKPOINT_SUBJECT, torn.getBytes(StandardCharsets.UTF_8)));
            ReplaySpy spy = new ReplaySpy(store);
            StoreAlarmIntake after = StoreAlarmIntake.open(spy, clock, new EventIdGenerator(clock), 8,
                    Duration.ofHours(1));
            assertThat(spy.replaysFrom).as(torn).containsExactly(1L);
            assertThat(((Receipt.Accepted) await(after.accept(List.of(Events.burglary("1234", "001", T0)),
                    IdempotencyKey.of("t", "1")))).duplicate()).isTrue();
        }
    }
}
