package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.arc4j.core.event.Category;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's checkpoint of its open cases: recovery reads the open cases' transitions and the store's tail,
 * never the closed cases, and falls back to the whole store when the checkpoint is torn or stale.
 */
class PipelineCheckpointTest {
    /** A store that remembers where each typed replay of case transitions started. */
    static final class Spy implements RecordStore {
        final InMemoryRecordStore inner = new InMemoryRecordStore();
        final List<Long> transitionReplaysFrom = new ArrayList<>();
        final List<Long> reads = new ArrayList<>();

        @Override
        public CompletionStage<Long> append(NewRecord record) {
            return inner.append(record);
        }

        @Override
        public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
            return inner.appendAll(records);
        }

        @Override
        public Optional<StoredRecord> read(long position) {
            reads.add(position);
            return inner.read(position);
        }

        @Override
        public long replay(long fromPosition, Consumer<StoredRecord> sink) {
            if (fromPosition <= 1) {
                transitionReplaysFrom.add(fromPosition);
            }
            return inner.replay(fromPosition, sink);
        }

        @Override
        public long replay(long fromPosition, Set<RecordType> types, Consumer<StoredRecord> sink) {
            if (types.contains(RecordType.CASE_TRANSITION)) {
                transitionReplaysFrom.add(fromPosition);
            }
            return inner.replay(fromPosition, types, sink);
        }

        @Override
        public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
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

    private static Centre centre(Spy store, int secondsAfterT0, long checkpointEvery) {
        return new Centre(new ManualScheduler(Centre.T0.plusSeconds(secondsAfterT0)), store, SlaPolicy.ga1383())
                .start(b -> b.checkpointEvery(checkpointEvery));
    }

    /**
     * Twenty cases opened and closed (the first nineteen archived), then one left open and one taken: the history
     * a checkpoint cuts short.
     */
    private static List<String> history(Centre c) {
        for (int i = 0; i < 20; i++) {
            String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "1" + i)).id();
            c.pipeline.present(id, "console-1");
            c.pipeline.take(id, "op1");
            c.pipeline.close(id, "op1", "handled");
            if (i < 19) {
                c.pipeline.archive(id, "op1");
            }
        }
        String waiting = "C" + c.ingest(Centre.alarm(Centre.SHOP_PSTN, Category.INTRUSION, "130", "001")).id();
        String taken = "C" + c.ingest(Centre.alarm(Centre.BANK, Category.FIRE, "110", "001")).id();
        c.pipeline.present(taken, "console-1");
        c.pipeline.take(taken, "op1");
        return List.of(waiting, taken);
    }

    @Test
    void onCleanCloseRecoveryReadsTheOpenCasesAndTheTailNotTheClosedCases() {
        Spy store = new Spy();
        Centre before = centre(store, 0, 1_000_000);
        List<String> open = history(before);
        String closedId = before.pipeline.caseIds().stream().filter(id -> !open.contains(id)).findFirst().orElseThrow();
        // a periodic checkpoint, then the one on close: events before the first were all taken up by the second
        before.pipeline.checkpoint();
        before.pipeline.close();
        long checkpointAt = store.nextPosition() - 1;
        assertThat(store.inner.read(checkpointAt)).hasValueSatisfying(r -> {
            assertThat(r.type()).isEqualTo(RecordType.CHECKPOINT);
            assertThat(new String(r.payload(), StandardCharsets.UTF_8)).contains("\"cases\":[[");
        });

        Centre after = centre(store, 1, 1_000_000);
        store.transitionReplaysFrom.clear();
        assertThat(after.pipeline.recover()).isEqualTo(2);
        assertThat(after.pipeline.openCases()).extracting(AlarmCase::id).containsExactlyInAnyOrderElementsOf(open);
        assertThat(after.get(open.get(1)).takenBy()).isEqualTo("op1");
        assertThat(after.pipeline.caseIds()).as("a closed case is not read back").doesNotContain(closedId);
        assertThat(store.transitionReplaysFrom).singleElement().satisfies(from ->
                assertThat(from).isGreaterThan(checkpointAt - 10));
        // work goes on, and the next restart finds the same
        after.pipeline.close(open.get(1), "op1", "done");
        after.pipeline.close();
        Centre third = centre(store, 2, 1_000_000);
        assertThat(third.pipeline.recover()).isEqualTo(1);
        assertThat(third.pipeline.openCases()).extracting(AlarmCase::id).containsExactly(open.get(0));
    }

    @Test
    void afterACrashRecoveryStartsFromThePeriodicCheckpointAndReadsTheTail() {
        Spy store = new Spy();
        Centre before = centre(store, 0, 10);
        List<String> open = history(before);
        String late = "C" + before.ingest(Centre.alarm(Centre.SHOP_WIRELESS, Category.INTRUSION, "130", "001")).id();
        // no close: the centre is killed
        Centre after = centre(store, 1, 10);
        store.transitionReplaysFrom.clear();
        assertThat(after.pipeline.recover()).isEqualTo(3);
        assertThat(after.pipeline.openCases()).extracting(AlarmCase::id)
                .containsExactlyInAnyOrder(open.get(0), open.get(1), late);
        assertThat(store.transitionReplaysFrom).singleElement().satisfies(from -> assertThat(from).isGreaterThan(40));
    }

    @Test
    void aTornCheckpointIsIgnoredAndTheWholeStoreIsRead() {
        Spy store = new Spy();
        Centre before = centre(store, 0, 1_000_000);
        List<String> open = history(before);
        before.pipeline.close();
        store.append(new NewRecord(RecordType.CHECKPOINT, 1, Instant.now(), "pipeline/open-cases",
                "{\"v\":1,\"from\":".getBytes(StandardCharsets.UTF_8)));

        Centre after = centre(store, 1, 1_000_000);
        store.transitionReplaysFrom.clear();
        assertThat(after.pipeline.recover()).isEqualTo(2);
        assertThat(after.pipeline.openCases()).extracting(AlarmCase::id).containsExactlyInAnyOrderElementsOf(open);
        assertThat(store.transitionReplaysFrom).containsExactly(1L);
    }

    @Test
    void aStaleCheckpointNamingRecordsThatAreNotTransitionsIsIgnoredBeforeAnyCaseIsRegistered() {
        Spy store = new Spy();
        Centre before = centre(store, 0, 1_000_000);
        List<String> open = history(before);
        before.pipeline.close();
        // as if compaction or an older backup left positions that now hold something else
        long notATransition = store.nextPosition();
        store.append(new NewRecord(RecordType.AUDIT, 1, Instant.now(), "x", new byte[0]));
        store.append(new NewRecord(RecordType.CHECKPOINT, 1, Instant.now(), "pipeline/open-cases",
                ("{\"v\":1,\"from\":" + (notATransition + 1) + ",\"eventsFrom\":1,\"cases\":[[" + notATransition
                        + "]],\"arming\":[]}").getBytes(StandardCharsets.UTF_8)));

        Centre after = centre(store, 1, 1_000_000);
        store.transitionReplaysFrom.clear();
        assertThat(after.pipeline.recover()).isEqualTo(2);
        assertThat(after.pipeline.openCases()).extracting(AlarmCase::id).containsExactlyInAnyOrderElementsOf(open);
        assertThat(store.transitionReplaysFrom).containsExactly(1L);
    }

    @Test
    void aCheckpointBeyondTheStoresEndIsStale() {
        Spy store = new Spy();
        Centre before = centre(store, 0, 1_000_000);
        List<String> open = history(before);
        store.append(new NewRecord(RecordType.CHECKPOINT, 1, Instant.now(), "pipeline/open-cases",
                "{\"v\":1,\"from\":999999,\"eventsFrom\":1,\"cases\":[],\"arming\":[]}"
                        .getBytes(StandardCharsets.UTF_8)));
        Centre after = centre(store, 1, 1_000_000);
        store.transitionReplaysFrom.clear();
        assertThat(after.pipeline.recover()).isEqualTo(2);
        assertThat(after.pipeline.openCases()).extracting(AlarmCase::id).containsExactlyInAnyOrderElementsOf(open);
        assertThat(store.transitionReplaysFrom).containsExactly(1L);
    }
}
