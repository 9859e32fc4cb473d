package org.arc4j.core.pipeline.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * Reads the store back after a restart: every {@code CASE_TRANSITION} record is applied to its case in the
 * order written, so that each open case is what it was, and the events that recovery acts on are kept: the
 * openings and closings that rebuild the sites' armed state, and the alarms and restores that never became
 * part of a case (accepted just before the centre stopped).
 *
 * <p>Not thread-safe: called once, under the pipeline's lock.
 */
public final class PipelineRecovery {
    /** The pipeline's cases, as recovery rebuilds them. */
    public interface Cases {
        /** @param c a case read back from its RECEIVED record; to be indexed */
        void register(CaseFile c);

        /**
         * @param caseId a case id
         * @return the case in memory, or null (archived, or received before the store's first record)
         */
        CaseFile get(String caseId);

        /** @param c a case archived: to leave memory */
        void forget(CaseFile c);

        /**
         * @param e the case's first event
         * @return the limits for its customer now
         */
        SlaPolicy policyFor(AlarmEvent e);
    }

    /**
     * What the store held besides the cases.
     *
     * @param openClose the openings and closings, in store order
     * @param unclaimed the alarms and restores that no case transition carries, in store order
     */
    public record Replayed(List<AlarmEvent> openClose, List<AlarmEvent> unclaimed) {
    }

    private PipelineRecovery() {
    }

    /**
     * Replays the store into the cases.
     *
     * @param store     the store, read on the calling thread
     * @param cases     the pipeline's cases
     * @param isRestore which events restore an alarm (the pipeline's own rule, see {@link CrossLinkMerger})
     * @return the events recovery still has to act on
     * @throws IllegalArgumentException if a case transition in the store is malformed
     */
    public static Replayed replay(RecordStore store, Cases cases, Predicate<AlarmEvent> isRestore) {
        List<AlarmEvent> events = new ArrayList<>();
        Set<EventId> claimed = new HashSet<>();
        store.replay(1, (StoredRecord r) -> {
            if (r.type() == RecordType.CASE_TRANSITION) {
                TransitionJson.Read read = TransitionJson.read(r.payload());
                CaseTransition t = read.transition();
                if (read.event() != null) {
                    claimed.add(read.event().id());
                }
                if (t.action() == CaseAction.RECEIVED) {
                    cases.register(CaseFile.fromRecord(t, read.event(), cases.policyFor(read.event())));
                } else {
                    CaseFile c = cases.get(t.caseId());
                    if (c != null) {
                        c.apply(t, read.event());
                        if (t.action() == CaseAction.ARCHIVED) {
                            cases.forget(c);
                        }
                    }
                }
            } else if (r.type() == RecordType.EVENT) {
                AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
                // keep only what recovery acts on (arming state, alarms and restores that may not be cases yet):
                // a journal of a million status reports must not have to fit in the heap at once
                if (e.category() == Category.OPEN_CLOSE || e.category().isAlarm() || isRestore.test(e)) {
                    events.add(e);
                }
            }
        });
        List<AlarmEvent> openClose = new ArrayList<>();
        List<AlarmEvent> unclaimed = new ArrayList<>();
        for (AlarmEvent e : events) {
            if (e.category() == Category.OPEN_CLOSE) {
                openClose.add(e);
            } else if (!claimed.contains(e.id())) {
                unclaimed.add(e); // kept above, so an alarm or a restore
            }
        }
        return new Replayed(openClose, unclaimed);
    }
}
