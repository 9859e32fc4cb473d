package org.arc4j.core.security;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.pipeline.CaseTransition;

/**
 * The pipeline's {@link CaseAuthorizer} backed by {@link AccessControl}: every operator action on a case is
 * checked against the acting user's roles and scope (GA 1383 权限管理, 保密安全), so that, for example, a
 * guard can report only on the cases dispatched to them and a customer viewer can touch nothing.
 *
 * <p>Actions map to permissions: presentation to {@link Permission#VIEW_ALARMS}; taking to
 * {@link Permission#TAKE_CASE}; verification to {@link Permission#VERIFY_CASE}; forwarding, its confirmation
 * and the police check to {@link Permission#FORWARD_CASE}; ordering dispatch to
 * {@link Permission#DISPATCH_CASE}; departure, arrival, on-site report and device reset to
 * {@link Permission#REPORT_ON_SITE}; closing, archiving, notifications and false-alarm marking to
 * {@link Permission#CLOSE_CASE}. An unknown user, or an action not listed, is refused.
 *
 * <p>Thread-safe if the user lookup is.
 */
public final class CaseAccess implements CaseAuthorizer {
    private final AccessControl access;
    private final Function<String, Optional<User>> users;

    /**
     * An authorizer.
     *
     * @param access the access control
     * @param users  finds a user by name, e.g. {@code userDirectory::user}
     */
    public CaseAccess(AccessControl access, Function<String, Optional<User>> users) {
        this.access = Objects.requireNonNull(access, "access");
        this.users = Objects.requireNonNull(users, "users");
    }

    /**
     * The permission an action needs.
     *
     * @param action the action
     * @return the permission, or empty for an action no operator may do directly
     */
    public static Optional<Permission> permissionFor(CaseAction action) {
        switch (action) {
            case PRESENTED: return Optional.of(Permission.VIEW_ALARMS);
            case TAKEN: return Optional.of(Permission.TAKE_CASE);
            case VERIFICATION_STARTED:
            case VERIFIED: return Optional.of(Permission.VERIFY_CASE);
            case FORWARDED:
            case FORWARD_DELIVERED:
            case FORWARD_CONFIRMED:
            case POLICE_CHECKED: return Optional.of(Permission.FORWARD_CASE);
            case DISPATCH_ORDERED: return Optional.of(Permission.DISPATCH_CASE);
            case GUARD_DEPARTED:
            case GUARD_ARRIVED:
            case ONSITE_REPORT:
            case DEVICE_RESET: return Optional.of(Permission.REPORT_ON_SITE);
            case FALSE_ALARM_MARKED:
            case CLIENT_NOTIFIED:
            case INSURER_NOTIFIED:
            case CLOSED:
            case ARCHIVED: return Optional.of(Permission.CLOSE_CASE);
            default: return Optional.empty();
        }
    }

    /**
     * The case as a resource for access checks: its customer and site, the guard it was last dispatched to,
     * and whether it went to the police.
     *
     * @param c the case
     * @return the resource
     */
    public static Resource resourceOf(AlarmCase c) {
        Resource r = Resource.alarmCase(c.id(), c.customerId(), c.siteId());
        String guard = null;
        for (CaseTransition t : c.transitions()) {
            if (t.action() == CaseAction.DISPATCH_ORDERED && t.details().get("guard") != null) {
                guard = t.details().get("guard");
            }
        }
        if (guard != null) {
            r = r.dispatchedTo(guard);
        }
        return c.forwardedToPolice() ? r.forwarded() : r;
    }

    @Override
    public boolean permits(String operator, CaseAction action, AlarmCase c) {
        Optional<Permission> p = permissionFor(action);
        Optional<User> user = operator == null ? Optional.empty() : users.apply(operator);
        if (p.isEmpty() || user.isEmpty()) {
            return false;
        }
        return access.check(user.get(), p.get(), resourceOf(c)).granted();
    }
}
