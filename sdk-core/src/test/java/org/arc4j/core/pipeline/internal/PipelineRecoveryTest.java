package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.junit.jupiter.api.Test;

class PipelineRecoveryTest {
    private final Fixtures f = new Fixtures();
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final Map<String, CaseFile> cases = new LinkedHashMap<>();
    private final List<String> forgotten = new ArrayList<>();

    private final PipelineRecovery.Cases sink = new PipelineRecovery.Cases() {
        @Override
        public void register(CaseFile c) {
            cases.put(c.id(), c);
        }

        @Override
        public CaseFile get(String caseId) {
            return cases.get(caseId);
        }

        @Override
        public void forget(CaseFile c) {
            cases.remove(c.id());
            forgotten.add(c.id());
        }

        @Override
        public SlaPolicy policyFor(AlarmEvent e) {
            return SlaPolicy.ga1383();
        }
    };

    private AlarmEvent event(AlarmEvent e) {
        store.append(new NewRecord(RecordType.EVENT, EventJson.VERSION, e.receivedAt(), e.id().toString(),
                EventJson.toJson(e).getBytes(StandardCharsets.UTF_8)));
        return e;
    }

    private void transition(CaseFile c, CaseTransition t, AlarmEvent e) {
        store.append(new NewRecord(RecordType.CASE_TRANSITION, TransitionJson.VERSION, t.at(), c.id(),
                TransitionJson.write(t, c.drill(), false, e)));
    }

    private PipelineRecovery.Replayed replay() {
        return PipelineRecovery.replay(store, sink, e -> e.qualifier() == Qualifier.RESTORE
                && e.category() != Category.OPEN_CLOSE);
    }

    @Test
    void casesAreRebuiltTransitionByTransition() {
        CaseFile c = f.openCase();
        event(c.event());
        transition(c, c.lastTransition(), c.event());
        f.scheduler.advance(Duration.ofSeconds(2));
        transition(c, f.apply(c, CaseAction.PRESENTED, new CaseActor(CaseActor.Kind.CONSOLE, "console-1"), Map.of()),
                null);
        transition(c, f.apply(c, CaseAction.TAKEN, CaseActor.operator("op1"), Map.of()), null);

        PipelineRecovery.Replayed r = replay();

        assertThat(cases).containsOnlyKeys(c.id());
        assertThat(cases.get(c.id()).snapshot()).isEqualTo(c.snapshot());
        assertThat(cases.get(c.id()).state()).isEqualTo(CaseState.TAKEN);
        assertThat(r.unclaimed()).isEmpty(); // its event is the case's
        assertThat(r.openClose()).isEmpty();
    }

    @Test
    void anArchivedCaseLeavesMemory() {
        CaseFile c = f.openCase();
        transition(c, c.lastTransition(), c.event());
        transition(c, f.apply(c, CaseAction.PRESENTED, new CaseActor(CaseActor.Kind.CONSOLE, "c1"), Map.of()), null);
        transition(c, f.apply(c, CaseAction.TAKEN, CaseActor.operator("op1"), Map.of()), null);
        transition(c, f.apply(c, CaseAction.CLOSED, CaseActor.operator("op1"), Map.of()), null);
        transition(c, f.apply(c, CaseAction.ARCHIVED, CaseActor.operator("op1"), Map.of()), null);
        replay();
        assertThat(cases).isEmpty();
        assertThat(forgotten).containsExactly(c.id());
    }

    @Test
    void unclaimedAlarmsAndRestoresAndEveryOpeningOrClosingAreKeptInStoreOrder() {
        AlarmEvent closing = event(f.received(Fixtures.contactId("401", Qualifier.RESTORE, Category.OPEN_CLOSE,
                "003")));
        event(f.received(Fixtures.contactId("602", Qualifier.NEW_EVENT, Category.TEST, "000")));
        AlarmEvent alarm = event(f.received(Fixtures.contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION,
                "001")));
        AlarmEvent restore = event(f.received(Fixtures.contactId("130", Qualifier.RESTORE, Category.INTRUSION,
                "001")));
        AlarmEvent opening = event(f.received(Fixtures.contactId("401", Qualifier.NEW_EVENT,
                Category.OPEN_CLOSE, "003")));

        PipelineRecovery.Replayed r = replay();

        assertThat(r.openClose()).extracting(AlarmEvent::id).containsExactly(closing.id(), opening.id());
        assertThat(r.unclaimed()).extracting(AlarmEvent::id).containsExactly(alarm.id(), restore.id());
        assertThat(cases).isEmpty();
    }

    @Test
    void aMalformedTransitionIsRefused() {
        store.append(new NewRecord(RecordType.CASE_TRANSITION, TransitionJson.VERSION, Fixtures.T0, "C1",
                "{\"v\":99}".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(this::replay).isInstanceOf(IllegalArgumentException.class);
    }
}
