package org.arc4j.core.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A user of the centre as access control sees it: the user name, roles, scope and whether the account is
 * enabled. Passwords and personal data are kept by {@link UserDirectory}, not here. Immutable.
 *
 * @param username the user name (unique, compared exactly)
 * @param roles    the roles, at least one
 * @param scope    the customers and sites the user is bound to ({@link Scope#NONE} for centre staff)
 * @param enabled  false for a disabled account, which is denied everything
 */
public record User(String username, Set<Role> roles, Scope scope, boolean enabled) {
    /** Validates and copies. */
    public User {
        Objects.requireNonNull(username, "username");
        if (username.isBlank()) {
            throw new IllegalArgumentException("user name is blank");
        }
        Objects.requireNonNull(roles, "roles");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a user needs at least one role");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * An enabled user with one role.
     *
     * @param username the user name
     * @param role     the role
     * @param scope    the scope
     * @return the user
     */
    public static User of(String username, Role role, Scope scope) {
        return new User(username, Set.of(role), scope, true);
    }

    /**
     * A copy with other roles and scope.
     *
     * @param newRoles the roles
     * @param newScope the scope
     * @return the copy
     */
    public User withRoles(Set<Role> newRoles, Scope newScope) {
        return new User(username, newRoles, newScope, enabled);
    }

    /**
     * A copy enabled or disabled.
     *
     * @param on whether enabled
     * @return the copy
     */
    public User withEnabled(boolean on) {
        return new User(username, roles, scope, on);
    }
}
