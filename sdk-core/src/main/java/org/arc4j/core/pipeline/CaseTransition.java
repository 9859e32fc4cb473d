package org.arc4j.core.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.arc4j.core.internal.SmallMap;

/**
 * One timestamped, attributed step of a case, as written to the store: a {@code CASE_TRANSITION} record with
 * subject = case id and a JSON payload holding at least {@code "state"} (the state after the step),
 * {@code "action"}, {@code "at"} and {@code "actor"}, {@code "police": true} (the journal's
 * retention convention) on the transition that forwards to police (those cases are kept forever,
 * GA 1383 服务平台: 存储), and {@code "events": [id]} on the transitions that bring an event into the case.
 *
 * @param caseId  the case
 * @param action  what happened
 * @param state   the case's state after it
 * @param at      when, on the centre's clock
 * @param actor   who did it
 * @param details what else the step carries (recipient, channel, method, result, cause, …), immutable, in the
 *                order they were given
 */
public record CaseTransition(String caseId, CaseAction action, CaseState state, Instant at, CaseActor actor,
                             Map<String, String> details) {
    /** Validates the parts and copies the details, keeping their order. */
    public CaseTransition {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        details = SmallMap.copyOf(details);
    }
}
