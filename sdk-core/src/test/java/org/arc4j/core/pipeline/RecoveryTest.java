package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.arc4j.core.event.Category;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

/** After a restart the open cases and their timers come back from the store. */
class RecoveryTest {

    @Test
    void openCasesAndTimersAreRebuiltAndADeadlineMissedWhileDownIsABreachMarkedAsSuch() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        Centre before = new Centre(new ManualScheduler(Centre.T0), store, SlaPolicy.ga1383()).start();
        String waiting = "C" + before.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        String verifying = "C" + before.ingest(Centre.alarm(Centre.SHOP_PSTN, Category.INTRUSION, "130", "001")).id();
        String done = "C" + before.ingest(Centre.alarm(Centre.BANK, Category.FIRE, "110", "001")).id();
        before.scheduler.advance(Duration.ofSeconds(1));
        before.pipeline.present(verifying, "console-1");
        before.pipeline.take(verifying, "op1");
        before.pipeline.startVerification(verifying, "op1", VerificationMethod.PHONE);
        before.pipeline.present(done, "console-1");
        before.pipeline.take(done, "op1");
        before.pipeline.close(done, "op1", "handled");
        before.pipeline.close(); // the centre goes down at T0 + 1 s

        // back at T0 + 10 s: the IP response deadline (T0 + 4 s) fell due while down
        Centre after = new Centre(new ManualScheduler(Centre.T0.plusSeconds(10)), store, SlaPolicy.ga1383()).start();
        assertThat(after.pipeline.recover()).isEqualTo(2);
        assertThat(after.pipeline.openCases()).extracting(AlarmCase::id).containsExactlyInAnyOrder(waiting, verifying);
        assertThat(after.pipeline.queue().snapshot()).extracting(OperatorQueue.Entry::caseId).containsExactly(waiting);
        AlarmCase v = after.get(verifying);
        assertThat(v.state()).isEqualTo(CaseState.VERIFYING);
        assertThat(v.takenBy()).isEqualTo("op1");
        assertThat(v.stepDurations()).containsEntry(SlaStep.RESPONSE, Duration.ofSeconds(1));

        after.scheduler.runDue();
        assertThat(after.breaches()).singleElement().satisfies(b -> {
            assertThat(b.caseId()).isEqualTo(waiting);
            assertThat(b.step()).isEqualTo(SlaStep.RESPONSE);
            assertThat(b.duringOutage()).isTrue();
            assertThat(b.measured()).isEqualTo(Duration.ofSeconds(10));
        });
        // the phone verification timer runs on: due at T0 + 1 s + 5 min, after the restart
        after.scheduler.advance(Duration.ofMinutes(5).minusSeconds(9));
        assertThat(after.breaches()).hasSize(1);
        after.scheduler.advance(Duration.ofMillis(1));
        assertThat(after.breaches()).hasSize(2).last().satisfies(b -> {
            assertThat(b.caseId()).isEqualTo(verifying);
            assertThat(b.step()).isEqualTo(SlaStep.VERIFICATION);
            assertThat(b.duringOutage()).isFalse();
        });

        // the work goes on where it stopped
        after.pipeline.verify(verifying, "op1", VerificationResult.FALSE, "cat");
        after.pipeline.close(verifying, "op1", "false alarm");
        assertThat(after.get(verifying).verificationResult()).isEqualTo(VerificationResult.FALSE);

        // and a second restart does not breach the same steps again
        after.pipeline.close();
        Centre again = new Centre(new ManualScheduler(Centre.T0.plusSeconds(700)), store, SlaPolicy.ga1383()).start();
        assertThat(again.pipeline.recover()).isEqualTo(1);
        again.scheduler.runDue();
        assertThat(again.breaches()).isEmpty();
        assertThat(again.get(waiting).breaches()).extracting(SlaBreach::duringOutage).containsExactly(true);
    }

    @Test
    void anAcceptedAlarmThatNeverBecameACaseIsTakenUpOnRecovery() throws Exception {
        InMemoryRecordStore store = new InMemoryRecordStore();
        ManualScheduler s = new ManualScheduler(Centre.T0);
        StoreAlarmIntake intake = StoreAlarmIntake.open(store, s.clock(), new org.arc4j.core.event.EventIdGenerator(
                s.clock()), 16, Duration.ofHours(1));
        // acknowledged to the panel, then the centre died before the pipeline saw it
        intake.accept(List.of(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001").receivedAt(Centre.T0)
                .build()), IdempotencyKey.of("t", "1")).toCompletableFuture().get();

        Centre after = new Centre(new ManualScheduler(Centre.T0.plusSeconds(2)), store, SlaPolicy.ga1383()).start();
        after.pipeline.recover();
        AlarmCase c = after.only();
        assertThat(c.receivedAt()).isEqualTo(Centre.T0);
        assertThat(c.handOff()).isEqualTo(Duration.ofSeconds(2));
        after.pipeline.present(c.id(), "console-1");
        assertThat(after.get(c.id()).stepDurations()).containsEntry(SlaStep.RESPONSE, Duration.ofSeconds(2));
        // once recovered, a second recovery does not make it twice
        after.pipeline.close();
        Centre third = new Centre(new ManualScheduler(Centre.T0.plusSeconds(3)), store, SlaPolicy.ga1383()).start();
        third.pipeline.recover();
        assertThat(third.pipeline.openCases()).hasSize(1);
    }
}
