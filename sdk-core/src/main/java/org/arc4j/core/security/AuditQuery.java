package org.arc4j.core.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A filter over audit entries: by actor, by actions, by target and by a half-open time range
 * {@code [from, to)}. Null parts match everything. Immutable; start from {@link #ALL} and narrow it.
 *
 * @param actor   the actor's user name, or null
 * @param actions the actions, or null for all
 * @param target  the target, or null
 * @param from    the earliest time (inclusive), or null
 * @param to      the latest time (exclusive), or null
 */
public record AuditQuery(String actor, Set<AuditAction> actions, String target, Instant from, Instant to) {
    /** Every entry. */
    public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null);

    /** Copies the actions. */
    public AuditQuery {
        actions = actions == null ? null : Set.copyOf(actions);
    }

    /**
     * Narrows to one actor.
     *
     * @param username the actor
     * @return the narrowed query
     */
    public AuditQuery byActor(String username) {
        return new AuditQuery(username, actions, target, from, to);
    }

    /**
     * Narrows to some actions.
     *
     * @param first  an action
     * @param others more actions
     * @return the narrowed query
     */
    public AuditQuery byAction(AuditAction first, AuditAction... others) {
        return new AuditQuery(actor, EnumSet.of(first, others), target, from, to);
    }

    /**
     * Narrows to one target.
     *
     * @param what the target
     * @return the narrowed query
     */
    public AuditQuery byTarget(String what) {
        return new AuditQuery(actor, actions, what, from, to);
    }

    /**
     * Narrows to a time range.
     *
     * @param fromInclusive the start, or null
     * @param toExclusive   the end, or null
     * @return the narrowed query
     */
    public AuditQuery between(Instant fromInclusive, Instant toExclusive) {
        return new AuditQuery(actor, actions, target, fromInclusive, toExclusive);
    }

    /**
     * Whether an entry passes the filter.
     *
     * @param e the entry
     * @return true if it matches
     */
    public boolean matches(AuditEntry e) {
        return (actor == null || actor.equals(e.actor()))
                && (actions == null || actions.contains(e.action()))
                && (target == null || target.equals(e.target()))
                && (from == null || !e.at().isBefore(from))
                && (to == null || e.at().isBefore(to));
    }
}
