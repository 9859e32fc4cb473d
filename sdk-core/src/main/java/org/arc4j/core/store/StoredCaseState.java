package org.arc4j.core.store;

import java.time.Instant;
import java.util.List;

/**
 * A case as the journal's index knows it from its {@link RecordType#CASE_TRANSITION} records (see the package
 * documentation for their convention). Immutable. The state is the text the latest transition named; the
 * pipeline's own model of a case's state is {@code org.arc4j.core.pipeline.CaseState}, of which the store knows
 * nothing.
 *
 * @param caseId       the case id (the transitions' subject)
 * @param state        the state named by its latest transition
 * @param police       whether any transition said it was forwarded to the police (GA 1383: kept forever)
 * @param lastPosition the position of its latest transition
 * @param lastAt       the time of its latest transition
 * @param events       the ids of the events its transitions named, in the order first named
 */
public record StoredCaseState(String caseId, String state, boolean police, long lastPosition, Instant lastAt,
                        List<String> events) {
    /** Copies the list. */
    public StoredCaseState {
        events = List.copyOf(events);
    }
}
