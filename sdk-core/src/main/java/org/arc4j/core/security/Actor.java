package org.arc4j.core.security;

import java.util.Objects;

/**
 * Who did something and from where, as audit entries record it. Immutable.
 *
 * @param username the user name, or {@code "system"} for the centre itself
 * @param origin   where from: a remote address, {@code "console"}, or empty when unknown
 */
public record Actor(String username, String origin) {
    /** The centre itself, for actions taken by configuration or schedule. */
    public static final Actor SYSTEM = new Actor("system", "");

    /** Validates. */
    public Actor {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * Shorthand constructor.
     *
     * @param username the user name
     * @param origin   where from
     * @return the actor
     */
    public static Actor of(String username, String origin) {
        return new Actor(username, origin);
    }
}
