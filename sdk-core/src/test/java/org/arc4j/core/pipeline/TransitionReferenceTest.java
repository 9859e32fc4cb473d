package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.Events;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testkit.Await;

/** Version 2 of the case transition: RECEIVED references its event's record instead of embedding it. */
class TransitionReferenceTest {
    private static final Instant T0 = Instant.parse("2026-12-04T09:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "pipeline closed cleanly: {0}")
    @ValueSource(booleans = {true, false})
    void recoveryReadsTheReferencedEventBack(boolean cleanClose) throws Exception {
        ManualScheduler s = new ManualScheduler(T0);
        AlarmEvent sent = Events.burglary("2001", "004", T0);
        String caseId;
        long eventAt;
        try (Journal j = Journal.builder(dir).durability(Durability.OS_BUFFERED).open()) {
            StoreAlarmIntake intake = StoreAlarmIntake.open(j, s.clock(), new EventIdGenerator(s.clock()), 10,
                    Duration.ofHours(1));
            AlarmPipeline p = AlarmPipeline.builder(j, s).authorizer(CaseAuthorizer.ALLOW_ALL).build();
            intake.addListener(p::onAccepted);
            Receipt.Accepted a = (Receipt.Accepted) intake.accept(List.of(sent), IdempotencyKey.of("dc09", "2001", "1"))
                    .toCompletableFuture().join();
            eventAt = a.position(0);
            assertThat(j.read(eventAt).orElseThrow().type()).isEqualTo(RecordType.EVENT);
            caseId = "C" + a.events().get(0).id();
            String id = caseId;
            Await.until(Duration.ofSeconds(10), () -> p.get(id).isPresent(), () -> "case " + id + " opened");
            p.present(caseId, "console-1").toCompletableFuture().join();
            p.take(caseId, "op1").toCompletableFuture().join();
            List<StoredRecord> transitions = new ArrayList<>();
            j.replay(1, java.util.Set.of(RecordType.CASE_TRANSITION), transitions::add);
            String received = new String(transitions.get(0).payload(), StandardCharsets.UTF_8);
            assertThat(received).contains("\"v\":2").contains("\"eventAt\":" + eventAt).doesNotContain("\"event\":{");
            intake.close();
            if (cleanClose) {
                p.close(); // a checkpoint naming the case's transitions: the event is read at its position
            } // else: no pipeline checkpoint, the event is found in the replayed tail
        }
        try (Journal j = Journal.builder(dir).durability(Durability.OS_BUFFERED).open()) {
            AlarmPipeline p = AlarmPipeline.builder(j, s).authorizer(CaseAuthorizer.ALLOW_ALL).build();
            assertThat(p.recover()).isEqualTo(1);
            AlarmCase c = p.get(caseId).orElseThrow();
            assertThat(c.state()).isEqualTo(CaseState.TAKEN);
            assertThat(c.event().account()).isEqualTo("2001");
            assertThat(c.event().zone()).isEqualTo("004");
        }
    }
}
