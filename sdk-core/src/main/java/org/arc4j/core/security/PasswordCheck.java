package org.arc4j.core.security;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of a {@link PasswordPolicy} check: accepted when no rule is broken, otherwise every broken rule.
 * Immutable.
 *
 * @param violations the broken rules, in the order the policy checks them; empty when accepted
 */
public record PasswordCheck(List<PasswordViolation> violations) {
    /** An accepted outcome. */
    public static final PasswordCheck ACCEPTED = new PasswordCheck(List.of());

    /** Copies the list. */
    public PasswordCheck {
        violations = List.copyOf(violations);
    }

    /** @return true if no rule is broken */
    public boolean accepted() {
        return violations.isEmpty();
    }

    /** @return the broken rules */
    public Set<PasswordRule> rules() {
        Set<PasswordRule> s = EnumSet.noneOf(PasswordRule.class);
        violations.forEach(v -> s.add(v.rule()));
        return s;
    }

    /**
     * Whether a rule is broken.
     *
     * @param rule the rule
     * @return true if it is
     */
    public boolean broke(PasswordRule rule) {
        return violations.stream().anyMatch(v -> v.rule() == rule);
    }
}
