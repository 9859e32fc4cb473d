package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.sla.SlaStep;
import org.junit.jupiter.api.Test;

class CaseFileTest {
    private final Fixtures f = new Fixtures();

    @Test
    void presentationEndsTheResponseClockAndKeepsBothResponseTimes() {
        CaseFile c = f.openCase();
        assertThat(c.state()).isEqualTo(CaseState.RECEIVED);
        assertThat(c.clock("RESPONSE").limit).isEqualTo(Duration.ofSeconds(20)); // no transport known: the longest
        f.scheduler.advance(Duration.ofSeconds(3));
        f.apply(c, CaseAction.PRESENTED, new CaseActor(CaseActor.Kind.CONSOLE, "console-1"), Map.of());

        AlarmCase a = c.snapshot();
        assertThat(a.state()).isEqualTo(CaseState.PRESENTED);
        assertThat(a.responseFromReceipt()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.stepDurations()).containsEntry(SlaStep.RESPONSE, Duration.ofSeconds(3));
        assertThat(c.clock("RESPONSE").done).isTrue();
        assertThat(c.presentedAt()).isEqualTo(Fixtures.T0.plusSeconds(3));
    }

    @Test
    void aCompletionBeforeTheStartIsClampedToZero() {
        assertThat(CaseFile.elapsed(Fixtures.T0, Fixtures.T0.minusSeconds(5))).isEqualTo(Duration.ZERO);
        assertThat(CaseFile.elapsed(Fixtures.T0, Fixtures.T0.plusMillis(1))).isEqualTo(Duration.ofMillis(1));
        // a corrected trigger time 10 s after receipt, presented at receipt
        CaseFile c = new CaseOpener(null, org.arc4j.core.sla.SlaPolicy.ga1383(), org.arc4j.core.pipeline.Rules.NONE)
                .open(f.received(Fixtures.contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION, "001")
                        .triggeredAt(Fixtures.T0).clockSkew(Duration.ofSeconds(-10))), f.scheduler.now());
        f.apply(c, CaseAction.PRESENTED, new CaseActor(CaseActor.Kind.CONSOLE, "console-1"), Map.of());
        assertThat(c.snapshot().responseFromDevice()).isZero();
        assertThat(c.snapshot().stepDurations()).containsEntry(SlaStep.RESPONSE, Duration.ZERO);
    }

    @Test
    void aNewVerificationRestartsItsClockAndForwardsHaveOneClockEach() {
        CaseFile c = f.openCase();
        f.apply(c, CaseAction.VERIFICATION_STARTED, CaseActor.operator("op1"),
                Map.of("method", "PHONE", "limit", "PT5M"));
        StepClock first = c.clock("VERIFICATION");
        f.scheduler.advance(Duration.ofMinutes(2));
        f.apply(c, CaseAction.VERIFICATION_STARTED, CaseActor.operator("op1"),
                Map.of("method", "VIDEO", "limit", "PT1M"));
        StepClock second = c.clock("VERIFICATION");
        assertThat(second).isNotSameAs(first);
        assertThat(second.startedAt).isEqualTo(Fixtures.T0.plus(Duration.ofMinutes(2)));
        assertThat(second.limit).isEqualTo(Duration.ofMinutes(1));

        for (String r : new String[] {"police-110", "fire-119"}) {
            f.apply(c, CaseAction.FORWARDED, CaseActor.operator("op1"), Map.of("recipient", r, "channel", "IP",
                    "police", Boolean.toString(r.startsWith("police")), "automatic", "false", "limit", "PT4S"));
        }
        assertThat(c.clock("FORWARDING:police-110")).isNotNull();
        assertThat(c.clock("FORWARDING:fire-119")).isNotNull();
        assertThat(c.forward("police-110").police()).isTrue();
        f.scheduler.advance(Duration.ofSeconds(2));
        f.apply(c, CaseAction.FORWARD_DELIVERED, new CaseActor(CaseActor.Kind.EXTERNAL, "gw"),
                Map.of("recipient", "police-110"));
        assertThat(c.forward("police-110").deliveredAt()).isEqualTo(f.scheduler.now());
        assertThat(c.clock("FORWARDING:police-110").measured).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.clock("FORWARDING:fire-119").done).isFalse();
    }

    @Test
    void aBreachIsKeptOnTheCaseAndMarksItsClock() {
        CaseFile c = f.openCase();
        f.apply(c, CaseAction.SLA_BREACH, CaseActor.SYSTEM, Map.of("step", "RESPONSE", "clock", "RESPONSE",
                "startedAt", Fixtures.T0.toString(), "limit", "PT20S", "measured", "PT20.001S",
                "duringOutage", "false"));
        assertThat(c.clock("RESPONSE").breached).isTrue();
        assertThat(c.snapshot().breaches()).singleElement().satisfies(b -> {
            assertThat(b.step()).isEqualTo(SlaStep.RESPONSE);
            assertThat(b.measured()).isEqualTo(Duration.ofMillis(20_001));
            assertThat(b.caseId()).isEqualTo(c.id());
        });
    }

    @Test
    void aCompactBreachNamesItsStepsOwnClockAndNoOutage() {
        CaseFile c = f.openCase();
        f.apply(c, CaseAction.SLA_BREACH, CaseActor.SYSTEM, Map.of("step", "RESPONSE",
                "startedAt", Fixtures.T0.toString(), "limit", "PT20S", "measured", "PT20.001S"));
        assertThat(c.clock("RESPONSE").breached).isTrue();
        assertThat(c.snapshot().breaches()).singleElement().satisfies(b -> {
            assertThat(b.duringOutage()).isFalse();
            assertThat(b.limit()).isEqualTo(Duration.ofSeconds(20));
            assertThat(b.startedAt()).isEqualTo(Fixtures.T0);
        });
    }

    @Test
    void aCaseReadBackFromItsRecordIsTheCaseThatWasOpened() {
        CaseFile opened = f.openCase();
        CaseFile read = CaseFile.fromRecord(opened.lastTransition(), opened.event(),
                org.arc4j.core.sla.SlaPolicy.ga1383());
        assertThat(read.snapshot()).isEqualTo(opened.snapshot());
        assertThat(read.queueEntry()).isEqualTo(opened.queueEntry());
        assertThat(read.clock("RESPONSE").startedAt).isEqualTo(Fixtures.T0);
    }

    @Test
    void laterArrivalsFollowTheFirst() {
        CaseFile c = f.openCase();
        f.scheduler.advance(Duration.ofSeconds(1));
        var second = f.received(Fixtures.contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION, "001")
                .link("link-b"));
        c.apply(new org.arc4j.core.pipeline.CaseTransition(c.id(), CaseAction.ARRIVAL, c.state(), f.scheduler.now(),
                CaseActor.SYSTEM, Map.of("eventId", second.id().toString(), "link", "link-b")), second);
        assertThat(c.snapshot().arrivals()).extracting(a -> a.link()).containsExactly("link-a", "link-b");
        assertThat(c.snapshot().arrivals().get(1).receivedAt()).isEqualTo(Instant.parse("2026-11-24T09:00:01Z"));
    }
}
