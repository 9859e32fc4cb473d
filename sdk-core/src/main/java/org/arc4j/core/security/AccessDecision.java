package org.arc4j.core.security;

import java.util.Objects;

/**
 * The answer of {@link AccessControl#check}: granted (and by which role) or denied (and why). Immutable.
 */
public sealed interface AccessDecision permits AccessDecision.Granted, AccessDecision.Denied {

    /** @return true if the request may go ahead */
    boolean granted();

    /** @return the permission asked for */
    Permission permission();

    /**
     * The request may go ahead.
     *
     * @param permission the permission asked for
     * @param role       the role that grants it
     */
    record Granted(Permission permission, Role role) implements AccessDecision {
        /** Validates. */
        public Granted {
            Objects.requireNonNull(permission, "permission");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public boolean granted() {
            return true;
        }
    }

    /**
     * The request is refused.
     *
     * @param permission the permission asked for
     * @param reason     why
     */
    record Denied(Permission permission, DenialReason reason) implements AccessDecision {
        /** Validates. */
        public Denied {
            Objects.requireNonNull(permission, "permission");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean granted() {
            return false;
        }
    }
}
