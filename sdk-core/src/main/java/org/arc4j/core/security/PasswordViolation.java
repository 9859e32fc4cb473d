package org.arc4j.core.security;

import java.util.Objects;

/**
 * One broken rule. The explanation says what was wrong without repeating the password (it may name the field
 * of personal data that matched, never its value). Immutable.
 *
 * @param rule        the rule
 * @param explanation a short explanation for the user
 */
public record PasswordViolation(PasswordRule rule, String explanation) {
    /** Validates. */
    public PasswordViolation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(explanation, "explanation");
    }
}
