package org.arc4j.core.security;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One audit record: who ({@code actor}, from {@code origin}), what ({@code action} on {@code target}, with
 * {@code details}) and when. Details never hold a secret: callers put names, kinds and rule names there, not
 * values. Immutable.
 *
 * @param position its position in the record store (0 before it is stored)
 * @param at       when, on the centre's clock
 * @param actor    who
 * @param origin   from where, or empty
 * @param action   what
 * @param target   on what (a user name, a credential key, a recording id), or empty
 * @param details  further facts, sorted by key
 */
public record AuditEntry(long position, Instant at, String actor, String origin, AuditAction action,
                         String target, Map<String, String> details) {
    /** Validates and copies. */
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        details = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(details, "details")));
    }
}
