package org.arc4j.core.security;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown when a new password or device credential breaks the {@link PasswordPolicy}; carries the check, whose
 * violations name the rules. The message lists the rules, never the password.
 */
public final class PasswordRejectedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The failed check; transient because checks are not meant to travel. */
    private final transient PasswordCheck check;

    /**
     * An exception for a failed check.
     *
     * @param what  what was rejected ("password of op1", "DC09_KEY R1/L1/#1234")
     * @param check the failed check
     */
    public PasswordRejectedException(String what, PasswordCheck check) {
        super(what + " rejected: " + check.rules().stream().map(Enum::name).collect(Collectors.joining(", ")));
        this.check = Objects.requireNonNull(check, "check");
    }

    /** @return the failed check */
    public PasswordCheck check() {
        return check;
    }
}
