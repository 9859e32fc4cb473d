package org.arc4j.core.store;

import java.util.List;
import java.util.Optional;

/**
 * Queries over a store's events and cases, served by an index that the store keeps beside its log and rebuilds
 * from it when it is missing or stale (GA 1383 记录存储与播放: stored alarm and handling records can be searched
 * and played back). Results reflect every record durable when the call started. Thread-safe; calls may block on
 * I/O.
 */
public interface EventQueries {
    /**
     * Finds events.
     *
     * @param query what to find
     * @return the matching {@link RecordType#EVENT} records in position order, at most {@code query.limit()}
     */
    List<StoredRecord> events(EventQuery query);

    /**
     * Finds the cases whose latest transition names a state.
     *
     * @param state the state, compared exactly
     * @return the cases, ordered by their latest transition's position
     */
    List<StoredCaseState> casesIn(String state);

    /**
     * @param caseId a case id
     * @return the case, or empty if no transition names it
     */
    Optional<StoredCaseState> caseState(String caseId);
}
