package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.Category;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.arc4j.core.testkit.Await;

/**
 * Closed cases leave the pipeline's memory (issue 15 item 5): at most so many are held, each for at most so long
 * on virtual time; the store still answers for them, and an operator can still archive them. Run over the
 * in-memory store (read back by a whole replay) and the journal (read back from its index's stretch).
 */
class ClosedCasesTest {
    @TempDir
    Path dir;

    private RecordStore store(String kind) {
        return "journal".equals(kind) ? Journal.builder(dir).durability(Durability.OS_BUFFERED).open()
                : new InMemoryRecordStore();
    }

    /** Opens a case per zone through the durable intake, then presents, takes and closes each. */
    private static List<AlarmCase> closeCases(Centre c, int n) throws Exception {
        StoreAlarmIntake intake = StoreAlarmIntake.open(c.store, c.scheduler.clock(), c.ids, 64, Duration.ofHours(1));
        intake.addListener(c.pipeline::onAccepted);
        List<AlarmCase> closed = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String zone = String.format("%03d", i);
            Receipt r = intake.accept(List.of(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", zone)
                            .receivedAt(c.scheduler.now()).build()), IdempotencyKey.of("t", zone))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            String id = "C" + ((Receipt.Accepted) r).eventIds().get(0);
            awaitCase(c, id);
            c.scheduler.advance(Duration.ofSeconds(1));
            c.pipeline.present(id, "console-1").toCompletableFuture().get(10, TimeUnit.SECONDS);
            c.pipeline.take(id, "op1").toCompletableFuture().get(10, TimeUnit.SECONDS);
            c.scheduler.advance(Duration.ofSeconds(30));
            closed.add(c.pipeline.close(id, "op1", "zone " + zone + " checked")
                    .toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        return closed;
    }

    /** The intake hands accepted events to the pipeline on the store's thread, after the receipt completes. */
    private static void awaitCase(Centre c, String id) {
        Await.until(Duration.ofSeconds(10), () -> c.pipeline.caseIds().contains(id), () -> "case " + id + " opened");
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "journal"})
    void beyondTheCountTheOldestClosedCasesLeaveMemoryAndTheStoreStillAnswersForThem(String kind) throws Exception {
        RecordStore store = store(kind);
        try {
            Centre c = new Centre(new ManualScheduler(Centre.T0), store, SlaPolicy.ga1383())
                    .start(b -> b.closedCasesHeld(3));
            List<AlarmCase> closed = closeCases(c, 6);

            assertThat(c.pipeline.closedCasesHeld()).isEqualTo(3);
            assertThat(c.pipeline.caseIds()).containsExactlyInAnyOrder(closed.get(3).id(), closed.get(4).id(),
                    closed.get(5).id());
            // the first case, read back from the store, is what it was when it closed
            AlarmCase first = closed.get(0);
            assertThat(c.pipeline.get(first.id())).contains(first);
            assertThat(c.pipeline.caseIds()).doesNotContain(first.id()); // a query does not bring it back

            // an operator archives it: read back, held for the step, then gone with its archiving
            AlarmCase archived = c.pipeline.archive(first.id(), "op1").toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(archived.state()).isEqualTo(CaseState.ARCHIVED);
            assertThat(archived.transitions()).hasSize(first.transitions().size() + 1);
            assertThat(c.pipeline.caseIds()).hasSize(3).doesNotContain(first.id());
            assertThat(c.pipeline.get(first.id())).map(AlarmCase::state).contains(CaseState.ARCHIVED);
            assertThatThrownBy(() -> c.pipeline.archive(first.id(), "op1")).isInstanceOfSatisfying(
                    CaseException.class, e -> assertThat(e.reason()).isEqualTo(CaseException.Reason.NOT_FOUND));

            // a step on the second one brings it back as the newest held, and the oldest held leaves for it
            c.pipeline.notified(closed.get(1).id(), "op1", false, "phone").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(c.pipeline.caseIds()).containsExactlyInAnyOrder(closed.get(4).id(), closed.get(5).id(),
                    closed.get(1).id());
            assertThat(c.pipeline.get("C01JDQ5Z3K8M4T6W2Y9A0B1C2D3")).isEmpty();
            assertThat(c.pipeline.get("C-not-an-event-id")).isEmpty();
        } finally {
            store.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "journal"})
    void recoveryFromTheWholeStoreHoldsOnlyTheNewestClosedCases(String kind) throws Exception {
        RecordStore store = store(kind);
        try {
            ManualScheduler scheduler = new ManualScheduler(Centre.T0);
            Centre before = new Centre(scheduler, store, SlaPolicy.ga1383()).start();
            List<AlarmCase> closed = closeCases(before, 4);
            // no checkpoint (a crash): the next pipeline replays the whole store and meets every closed case
            Centre after = new Centre(scheduler, store, SlaPolicy.ga1383()).start(b -> b.closedCasesHeld(2));
            assertThat(after.pipeline.recover()).isZero();
            assertThat(after.pipeline.caseIds()).containsExactlyInAnyOrder(closed.get(2).id(), closed.get(3).id());
            assertThat(after.pipeline.get(closed.get(0).id())).contains(closed.get(0));
        } finally {
            store.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "journal"})
    void aClosedCaseLeavesMemoryADayAfterClosingOnVirtualTime(String kind) throws Exception {
        RecordStore store = store(kind);
        try {
            Centre c = new Centre(new ManualScheduler(Centre.T0), store, SlaPolicy.ga1383()).start();
            AlarmCase closed = closeCases(c, 1).get(0);
            String open = "C" + c.ingest(Centre.alarm(Centre.BANK, Category.INTRUSION, "130", "001")).id();

            c.scheduler.advance(Duration.ofHours(24).minusSeconds(1));
            assertThat(c.pipeline.caseIds()).containsExactlyInAnyOrder(closed.id(), open);
            c.scheduler.advance(Duration.ofSeconds(1));
            assertThat(c.pipeline.caseIds()).containsExactly(open); // open cases stay whatever their age
            assertThat(c.pipeline.closedCasesHeld()).isZero();
            assertThat(c.pipeline.get(closed.id())).contains(closed);
        } finally {
            store.close();
        }
    }
}
