package org.arc4j.core.pipeline.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the store back after a restart: from the pipeline's newest {@link PipelineCheckpoint} (the open cases'
 * transitions it names, then the store after it), else from the start, every {@code CASE_TRANSITION} record is
 * applied to its case in the order written, so that each open case is what it was, and the events that recovery acts on are kept: the
 * openings and closings that rebuild the sites' armed state, and the alarms and restores that never became
 * part of a case (accepted just before the centre stopped).
 *
 * <p>Not thread-safe: called once, under the pipeline's lock.
 */
public final class PipelineRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRecovery.class);

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
     * @param end       the position after the last record read (where the next checkpoint's events start)
     * @param fromCheckpoint whether recovery started from a checkpoint (else it read the whole store)
     */
    public record Replayed(List<AlarmEvent> openClose, List<AlarmEvent> unclaimed, long end,
                           boolean fromCheckpoint) {
    }

    private PipelineRecovery() {
    }

    /**
     * Replays the store into the cases: from the pipeline's newest checkpoint when there is a sound one (the
     * open cases' transitions it names, then the store's tail), else the whole store. A checkpoint is not sound
     * when it is of an unknown version, points beyond the store's end, or names a record that is missing or not
     * a transition of one case starting with its RECEIVED (compaction, a restore of an older backup): then it is
     * ignored, before any case is registered.
     *
     * @param store     the store, read on the calling thread
     * @param cases     the pipeline's cases
     * @param isRestore which events restore an alarm (the pipeline's own rule, see {@link CrossLinkMerger})
     * @return the events recovery still has to act on
     * @throws IllegalArgumentException if a case transition in the store is malformed
     */
    public static Replayed replay(RecordStore store, Cases cases, Predicate<AlarmEvent> isRestore) {
        Optional<PipelineCheckpoint.Read> cp = store.newest(RecordType.CHECKPOINT, PipelineCheckpoint.SUBJECT)
                .flatMap(PipelineCheckpoint::read);
        if (cp.isPresent()) {
            Optional<List<List<StoredRecord>>> named = resolve(store, cp.get());
            if (named.isPresent()) {
                return replay(store, cases, isRestore, cp.get(), named.get());
            }
            LOG.warn("pipeline checkpoint names records that are not there any more; recovering from the whole store");
        }
        return replay(store, cases, isRestore, null, List.of());
    }

    /** Reads the transitions a checkpoint names, or empty when it is stale. */
    private static Optional<List<List<StoredRecord>>> resolve(RecordStore store, PipelineCheckpoint.Read cp) {
        if (cp.from() > store.nextPosition() || cp.eventsFrom() > cp.from() || cp.eventsFrom() < 1) {
            return Optional.empty();
        }
        List<List<StoredRecord>> out = new ArrayList<>();
        for (long[] positions : cp.cases()) {
            List<StoredRecord> records = new ArrayList<>(positions.length);
            for (long p : positions) {
                Optional<StoredRecord> r = p < cp.from() ? store.read(p) : Optional.empty();
                if (r.isEmpty() || r.get().type() != RecordType.CASE_TRANSITION
                        || !records.isEmpty() && !records.get(0).subject().equals(r.get().subject())) {
                    return Optional.empty();
                }
                records.add(r.get());
            }
            if (records.isEmpty()) {
                return Optional.empty();
            }
            out.add(records);
        }
        return Optional.of(out);
    }

    private static Replayed replay(RecordStore store, Cases cases, Predicate<AlarmEvent> isRestore,
                                   PipelineCheckpoint.Read cp, List<List<StoredRecord>> named) {
        List<AlarmEvent> events = new ArrayList<>();
        // the tail's events by position, for the transitions after them that reference them (version 2)
        Map<Long, AlarmEvent> tail = new HashMap<>();
        Set<EventId> claimed = new HashSet<>();
        for (List<StoredRecord> c : named) {
            for (StoredRecord r : c) {
                apply(r, cases, claimed, store, tail);
            }
        }
        long from = cp == null ? 1 : cp.from();
        long end = store.replay(cp == null ? 1 : cp.eventsFrom(), TYPES, (StoredRecord r) -> {
            if (r.type() == RecordType.CASE_TRANSITION) {
                if (r.position() >= from) {
                    apply(r, cases, claimed, store, tail);
                } else {
                    // before the checkpoint: its case is closed or named above; only which event it carries
                    EventId e = TransitionJson.read(r.payload()).eventId();
                    if (e != null) {
                        claimed.add(e);
                    }
                }
            } else if (r.type() == RecordType.EVENT) {
                AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
                // keep only what recovery acts on (arming state, alarms and restores that may not be cases yet):
                // a journal of a million status reports must not have to fit in the heap at once
                if (e.category() == Category.OPEN_CLOSE || e.category().isAlarm() || isRestore.test(e)) {
                    events.add(e);
                    tail.put(r.position(), e);
                }
            }
        });
        List<AlarmEvent> openClose = new ArrayList<>(cp == null ? List.of() : cp.arming());
        List<AlarmEvent> unclaimed = new ArrayList<>();
        for (AlarmEvent e : events) {
            if (e.category() == Category.OPEN_CLOSE) {
                openClose.add(e);
            } else if (!claimed.contains(e.id())) {
                unclaimed.add(e); // kept above, so an alarm or a restore
            }
        }
        return new Replayed(openClose, unclaimed, end, cp != null);
    }

    private static final Set<RecordType> TYPES = Set.of(RecordType.EVENT, RecordType.CASE_TRANSITION);

    /** Stops a replay once it has passed a case's last transition. */
    private static final class Passed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Passed() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads one case back from the store, as it is after its latest transition: a closed case that left the
     * pipeline's memory ({@link ClosedCases}), or an archived one. With a store that answers {@link EventQueries}
     * (the journal, PostgreSQL) only the case transitions between its first event and its latest transition are
     * read: the case id carries the event's intake time, and the index knows the case's latest transition. Any
     * other store is replayed from its start. Reads on the calling thread; thread-safe as the store is.
     *
     * @param store     the store
     * @param caseId    the case id ({@code "C"} and its first event's id)
     * @param policyFor the limits for a customer's event now
     * @return the case, or null when the store holds no RECEIVED transition for it
     * @throws IllegalArgumentException if one of its transitions is malformed
     */
    public static CaseFile readCase(RecordStore store, String caseId, Function<AlarmEvent, SlaPolicy> policyFor) {
        long from = 1;
        long last = Long.MAX_VALUE;
        if (store instanceof EventQueries q) {
            Optional<StoredCaseState> s = q.caseState(caseId);
            if (s.isEmpty()) {
                return null;
            }
            last = s.get().lastPosition();
            from = firstEventFrom(q, caseId);
        }
        List<StoredRecord> records = new ArrayList<>();
        long stop = last;
        try {
            store.replay(from, CASE_ONLY, r -> {
                if (r.position() > stop) {
                    throw new Passed();
                }
                if (r.subject().equals(caseId)) {
                    records.add(r);
                }
            });
        } catch (Passed done) {
            // read far enough
        }
        CaseFile[] one = {null};
        Map<Long, AlarmEvent> none = Map.of();
        Set<EventId> claimed = new HashSet<>();
        Cases single = new Cases() {
            @Override
            public void register(CaseFile c) {
                one[0] = c;
            }

            @Override
            public CaseFile get(String id) {
                return one[0];
            }

            @Override
            public void forget(CaseFile c) {
                // archived: still given back, as it is
            }

            @Override
            public SlaPolicy policyFor(AlarmEvent e) {
                return policyFor.apply(e);
            }
        };
        for (StoredRecord r : records) {
            apply(r, single, claimed, store, none);
        }
        return one[0];
    }

    /**
     * A position at or before a case's first event: the first event recorded within two seconds before the time
     * in the case's id (the intake stamps the id and the record from the same clock), else 1.
     */
    private static long firstEventFrom(EventQueries q, String caseId) {
        try {
            EventId id = EventId.parse(caseId.substring(1));
            Instant t = id.timestamp();
            List<StoredRecord> first = q.events(EventQuery.all().between(t.minusSeconds(2), t.plusMillis(1))
                    .withLimit(1));
            return first.isEmpty() ? 1 : first.get(0).position();
        } catch (IllegalArgumentException | IndexOutOfBoundsException notAnEventId) {
            return 1;
        }
    }

    private static final Set<RecordType> CASE_ONLY = Set.of(RecordType.CASE_TRANSITION);

    /**
     * The event a transition carries: embedded (version 1, or an event the pipeline had no position for), from
     * the tail just replayed, or read from the store at its position.
     *
     * @throws IllegalArgumentException if the referenced record is missing or not that event
     */
    private static AlarmEvent event(TransitionJson.Read read, RecordStore store, Map<Long, AlarmEvent> tail) {
        if (!read.referencesEvent()) {
            return read.event();
        }
        AlarmEvent e = tail.get(read.eventAt());
        if (e == null) {
            StoredRecord r = store.read(read.eventAt()).filter(x -> x.type() == RecordType.EVENT).orElseThrow(
                    () -> new IllegalArgumentException("case " + read.transition().caseId() + " references event "
                            + read.eventId() + " at " + read.eventAt() + ", which is not there"));
            e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
        }
        if (read.eventId() != null && !read.eventId().equals(e.id())) {
            throw new IllegalArgumentException("case " + read.transition().caseId() + " references event "
                    + read.eventId() + " at " + read.eventAt() + ", which holds " + e.id());
        }
        return e;
    }

    private static void apply(StoredRecord r, Cases cases, Set<EventId> claimed, RecordStore store,
                              Map<Long, AlarmEvent> tail) {
        TransitionJson.Read read = TransitionJson.read(r.payload());
        CaseTransition t = read.transition();
        if (read.eventId() != null) {
            claimed.add(read.eventId());
        }
        CaseFile c;
        if (t.action() == CaseAction.RECEIVED) {
            AlarmEvent event = event(read, store, tail);
            c = CaseFile.fromRecord(t, event, cases.policyFor(event));
            cases.register(c);
        } else {
            c = cases.get(t.caseId());
            if (c == null) {
                return;
            }
            c.apply(t, event(read, store, tail));
        }
        c.written(r.position());
        c.recorded(r.position());
        if (t.action() == CaseAction.ARCHIVED) {
            cases.forget(c);
        }
    }
}
