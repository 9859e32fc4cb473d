package org.arc4j.core.security;

import java.util.Objects;

/**
 * The one permission check an integrator puts in front of any action (GA 1383 安全性、可靠性: 访问控制; 保密安全:
 * information is seen only by those entitled to it). A request is granted when the user is enabled and one of
 * the user's roles holds the permission and reaches the resource:
 *
 * <ul>
 *   <li>{@link Reach#CENTRE}: any resource;</li>
 *   <li>{@link Reach#OWN_SITES}: resources whose customer or site is in the user's {@link Scope};</li>
 *   <li>{@link Reach#DISPATCHED_CASES}: resources dispatched to this user;</li>
 *   <li>{@link Reach#FORWARDED_CASES}: resources forwarded to the police.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; a check allocates at most the decision and touches no I/O, so it may run on
 * an event loop.
 */
public final class AccessControl {
    private final AccessPolicy policy;

    /**
     * Access control over a policy.
     *
     * @param policy the role table
     */
    public AccessControl(AccessPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** @return access control over {@link AccessPolicy#defaults()} */
    public static AccessControl defaults() {
        return new AccessControl(AccessPolicy.defaults());
    }

    /** @return the policy */
    public AccessPolicy policy() {
        return policy;
    }

    /**
     * Decides whether a user may act on a resource.
     *
     * @param user       who asks
     * @param permission what for
     * @param resource   on what ({@link Resource#centre()} for centre-wide actions)
     * @return the decision
     */
    public AccessDecision check(User user, Permission permission, Resource resource) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(resource, "resource");
        if (!user.enabled()) {
            return new AccessDecision.Denied(permission, DenialReason.USER_DISABLED);
        }
        boolean held = false;
        for (Role role : user.roles()) {
            if (!policy.permissions(role).contains(permission)) {
                continue;
            }
            held = true;
            if (reaches(policy.reach(role), user, resource)) {
                return new AccessDecision.Granted(permission, role);
            }
        }
        return new AccessDecision.Denied(permission,
                held ? DenialReason.OUT_OF_SCOPE : DenialReason.PERMISSION_NOT_GRANTED);
    }

    /**
     * Decides whether the user of a session may act on a resource. A session whose password must be changed is
     * denied everything ({@link DenialReason#PASSWORD_CHANGE_REQUIRED}).
     *
     * @param session    the caller's session
     * @param permission what for
     * @param resource   on what
     * @return the decision
     */
    public AccessDecision check(Session session, Permission permission, Resource resource) {
        if (session.passwordChangeRequired()) {
            return new AccessDecision.Denied(permission, DenialReason.PASSWORD_CHANGE_REQUIRED);
        }
        return check(session.user(), permission, resource);
    }

    /**
     * Like {@link #check(User, Permission, Resource)}, but throws when denied.
     *
     * @param user       who asks
     * @param permission what for
     * @param resource   on what
     * @return the grant
     * @throws AccessDeniedException if denied
     */
    public AccessDecision.Granted require(User user, Permission permission, Resource resource) {
        AccessDecision d = check(user, permission, resource);
        if (d instanceof AccessDecision.Denied denied) {
            throw new AccessDeniedException(user.username(), denied);
        }
        return (AccessDecision.Granted) d;
    }

    private static boolean reaches(Reach reach, User user, Resource resource) {
        return switch (reach) {
            case CENTRE -> true;
            case OWN_SITES -> user.scope().covers(resource);
            case DISPATCHED_CASES -> user.username().equals(resource.dispatchedTo());
            case FORWARDED_CASES -> resource.forwardedToPolice();
        };
    }
}
