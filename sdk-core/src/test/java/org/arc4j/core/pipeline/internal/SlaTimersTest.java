package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaStep;
import org.junit.jupiter.api.Test;

/** The timers over a stand-in pipeline that applies what they record, on virtual time. */
class SlaTimersTest {
    private final Fixtures f = new Fixtures();
    private final SimpleMetrics metrics = new SimpleMetrics();
    private final List<CaseTransition> recorded = new ArrayList<>();
    private final List<PipelineEvent> published = new ArrayList<>();
    private CaseFile inMemory;
    private SlaTimers timers;

    SlaTimersTest() {
        timers = new SlaTimers(f.scheduler, Duration.ofSeconds(30), metrics, new SlaTimers.Host() {
            @Override
            public void transition(CaseFile c, CaseAction action, Map<String, String> details) {
                recorded.add(f.apply(c, action, CaseActor.SYSTEM, details));
                timers.afterChange(c, action);
            }

            @Override
            public boolean inMemory(CaseFile c) {
                return c == inMemory;
            }

            @Override
            public void publish(PipelineEvent e) {
                published.add(e);
            }
        });
    }

    private CaseFile open() {
        inMemory = f.openCase();
        timers.afterChange(inMemory, CaseAction.RECEIVED);
        return inMemory;
    }

    private void operator(CaseFile c, CaseAction action, Map<String, String> details) {
        recorded.add(f.apply(c, action, CaseActor.operator("op1"), details));
        timers.afterChange(c, action);
    }

    private List<SlaBreach> breaches() {
        return published.stream().filter(e -> e instanceof PipelineEvent.Breached)
                .map(e -> ((PipelineEvent.Breached) e).breach()).toList();
    }

    @Test
    void aStepIsMetAtItsLimitAndBreachedOneTickAfter() {
        CaseFile c = open();
        f.scheduler.advance(Duration.ofSeconds(20));
        assertThat(breaches()).isEmpty();
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(breaches()).singleElement().satisfies(b -> {
            assertThat(b.step()).isEqualTo(SlaStep.RESPONSE);
            assertThat(b.measured()).isEqualTo(Duration.ofMillis(20_001));
            assertThat(b.duringOutage()).isFalse();
        });
        assertThat(metrics.counter("pipeline.breaches", "step", "RESPONSE").count()).isEqualTo(1);
        // written for every case nobody presents in time, so only what is evidence: no clock that is the step's
        // own, no outage flag when there was none
        assertThat(recorded).filteredOn(t -> t.action() == CaseAction.SLA_BREACH).singleElement()
                .satisfies(t -> assertThat(t.details()).containsOnlyKeys("step", "startedAt", "limit", "measured")
                        .containsEntry("measured", "PT20.001S").containsEntry("limit", "PT20S"));
        // completing late does not breach twice, and the step is timed
        operator(c, CaseAction.PRESENTED, Map.of());
        assertThat(breaches()).hasSize(1);
        assertThat(metrics.timer("pipeline.step", "step", "RESPONSE").maxNanos())
                .isEqualTo(Duration.ofMillis(20_001).toNanos());
    }

    @Test
    void aStepCompletedInTimeIsTimedAndNeverBreached() {
        CaseFile c = open();
        f.scheduler.advance(Duration.ofSeconds(20));
        operator(c, CaseAction.PRESENTED, Map.of());
        operator(c, CaseAction.TAKEN, Map.of());
        f.scheduler.advance(Duration.ofHours(1));
        assertThat(breaches()).isEmpty();
        assertThat(metrics.timer("pipeline.step", "step", "RESPONSE").count()).isEqualTo(1);
    }

    @Test
    void aPresentedCaseNobodyTakesIsEscalatedAgainAndAgain() {
        CaseFile c = open();
        operator(c, CaseAction.PRESENTED, Map.of());
        f.scheduler.advance(Duration.ofSeconds(30));
        f.scheduler.advance(Duration.ofSeconds(30));
        assertThat(recorded).filteredOn(t -> t.action() == CaseAction.ESCALATED)
                .extracting(t -> t.details().get("level")).containsExactly("1", "2");
        operator(c, CaseAction.TAKEN, Map.of());
        f.scheduler.advance(Duration.ofMinutes(5));
        assertThat(recorded).filteredOn(t -> t.action() == CaseAction.ESCALATED).hasSize(2);
    }

    @Test
    void aClosedOrForgottenCaseFiresNothing() {
        CaseFile c = open();
        operator(c, CaseAction.PRESENTED, Map.of());
        operator(c, CaseAction.TAKEN, Map.of());
        operator(c, CaseAction.DISPATCH_ORDERED, Map.of("guard", "g7", "limit", "PT2M"));
        inMemory = null; // archived elsewhere: its timers must not act on it
        f.scheduler.advance(Duration.ofMinutes(3));
        assertThat(breaches()).isEmpty();
        inMemory = c;
        operator(c, CaseAction.CLOSED, Map.of());
        f.scheduler.advance(Duration.ofMinutes(3));
        assertThat(breaches()).isEmpty();
    }

    @Test
    void aDeadlineThatFellDueDuringTheOutageIsABreachMarkedSo() {
        CaseFile c = open();
        f.scheduler.advance(Duration.ofSeconds(5));
        // as after a restart: the case read back, the deadline already past
        CaseFile read = CaseFile.fromRecord(c.lastTransition(), c.event(), c.policy);
        inMemory = read;
        f.scheduler.advance(Duration.ofMinutes(1));
        timers.recoveredAt(f.scheduler.now());
        timers.resume(read);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(breaches()).filteredOn(b -> b.caseId().equals(read.id()) && b.duringOutage()).isNotEmpty();
    }
}
