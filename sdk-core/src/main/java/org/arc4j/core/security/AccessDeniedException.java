package org.arc4j.core.security;

import java.util.Objects;

/** Thrown by {@link AccessControl#require} when a request is refused; carries the typed decision. */
public final class AccessDeniedException extends SecurityException {
    private static final long serialVersionUID = 1L;

    /** The decision; transient because decisions are not meant to travel. */
    private final transient AccessDecision.Denied decision;

    /**
     * An exception for a refusal.
     *
     * @param username who asked
     * @param decision the refusal
     */
    public AccessDeniedException(String username, AccessDecision.Denied decision) {
        super(username + " may not " + decision.permission() + ": " + decision.reason());
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** @return the refusal */
    public AccessDecision.Denied decision() {
        return decision;
    }
}
