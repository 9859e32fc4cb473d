package org.arc4j.core.store;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.core.event.Category;

/**
 * Which {@link RecordType#EVENT} records to find (GA 1383 记录存储与播放: alarm records retrievable by time, customer
 * and type). Every criterion left null matches everything; results come in position order. Immutable: start from
 * {@link #all()} and narrow with the {@code with…} methods.
 *
 * @param from      the earliest record time, inclusive ({@link NewRecord#at()}, for events the intake's receive
 *                  time), or null
 * @param to        the latest record time, exclusive, or null
 * @param account   the account exactly as received, or null
 * @param category  the event category, or null
 * @param caseState only events of cases whose current state is this (see the package documentation for how events
 *                  belong to cases), or null
 * @param limit     the most records returned, positive
 */
public record EventQuery(Instant from, Instant to, String account, Category category, String caseState,
                         int limit) {
    /** Checks the limit and the range. */
    public EventQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("time range ends before it starts: " + from + " .. " + to);
        }
    }

    /** @return a query matching every event, up to 10,000 of them */
    public static EventQuery all() {
        return new EventQuery(null, null, null, null, null, 10_000);
    }

    /**
     * @param fromInclusive the earliest record time
     * @param toExclusive   the end of the range
     * @return this query limited to the range
     */
    public EventQuery between(Instant fromInclusive, Instant toExclusive) {
        return new EventQuery(Objects.requireNonNull(fromInclusive, "from"), Objects.requireNonNull(toExclusive, "to"),
                account, category, caseState, limit);
    }

    /** @param a the account @return this query limited to it */
    public EventQuery withAccount(String a) {
        return new EventQuery(from, to, Objects.requireNonNull(a, "account"), category, caseState, limit);
    }

    /** @param c the category @return this query limited to it */
    public EventQuery withCategory(Category c) {
        return new EventQuery(from, to, account, Objects.requireNonNull(c, "category"), caseState, limit);
    }

    /** @param s the case state @return this query limited to events of cases in it */
    public EventQuery withCaseState(String s) {
        return new EventQuery(from, to, account, category, Objects.requireNonNull(s, "caseState"), limit);
    }

    /** @param n the most records returned @return this query with that limit */
    public EventQuery withLimit(int n) {
        return new EventQuery(from, to, account, category, caseState, n);
    }
}
