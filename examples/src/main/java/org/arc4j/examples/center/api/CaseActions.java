package org.arc4j.examples.center.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.CaseViews;

/**
 * The console's case actions ({@code take}, {@code verify}, … as {@code POST /api/cases/{id}/actions} names them):
 * the permission each needs, and which of them a case offers a user now.
 *
 * <p>Two tables here repeat what the SDK knows in its own terms. The permissions differ from
 * {@link CaseAccess#permissionFor} (a guard's steps need {@code DISPATCH_CASE} here or being the dispatched guard,
 * {@code REPORT_ON_SITE} there; notifying the client {@code TAKE_CASE} here, {@code CLOSE_CASE} there); the pipeline
 * is built with an allow-all authorizer and only this table decides. The state rules in {@link #allowed} mirror
 * the preconditions the pipeline checks inside each action method, which it does not expose. Both are kept as
 * they were so that the API behaves exactly as documented until the centre is moved onto {@code CaseAccess}.
 * Thread-safe.
 */
final class CaseActions {
    /** The console's actions, with the permission each needs. */
    private static final Map<String, Permission> PERMISSIONS = Map.ofEntries(
            Map.entry("take", Permission.TAKE_CASE),
            Map.entry("verify", Permission.VERIFY_CASE),
            Map.entry("forward", Permission.FORWARD_CASE),
            Map.entry("confirm-forward", Permission.FORWARD_CASE),
            Map.entry("dispatch", Permission.DISPATCH_CASE),
            Map.entry("depart", Permission.DISPATCH_CASE),
            Map.entry("arrive", Permission.DISPATCH_CASE),
            Map.entry("report", Permission.DISPATCH_CASE),
            Map.entry("reset-device", Permission.DISPATCH_CASE),
            Map.entry("notify-client", Permission.TAKE_CASE),
            Map.entry("close", Permission.CLOSE_CASE),
            Map.entry("archive", Permission.CLOSE_CASE),
            Map.entry("mark-false-alarm", Permission.CLOSE_CASE));

    /** The order the console shows them in. */
    static final List<String> ORDER = List.of("take", "verify", "forward", "confirm-forward", "dispatch",
            "depart", "arrive", "report", "reset-device", "notify-client", "close", "archive", "mark-false-alarm");

    private static final Set<String> GUARD_STEPS = Set.of("depart", "arrive", "report", "reset-device");

    private final AccessGuard guard;

    CaseActions(AccessGuard guard) {
        this.guard = guard;
    }

    /**
     * @param action an action name
     * @return whether the API knows it
     */
    static boolean known(String action) {
        return PERMISSIONS.containsKey(action);
    }

    /**
     * @param action a known action
     * @return the permission it needs
     */
    static Permission permission(String action) {
        return PERMISSIONS.get(action);
    }

    /**
     * @param action an action name
     * @return whether the dispatched guard reports it ({@code depart}, {@code arrive}, {@code report},
     *         {@code reset-device})
     */
    static boolean isGuardStep(String action) {
        return GUARD_STEPS.contains(action);
    }

    /**
     * @param k a case
     * @return the guard it was dispatched to, or null
     */
    static String dispatchedGuard(AlarmCase k) {
        return CaseAccess.resourceOf(k).dispatchedTo();
    }

    /**
     * May this user do this action on this case? The permission on the case, or, for a guard's step, being the
     * guard the case was dispatched to and seeing the case.
     *
     * @param s      the session
     * @param action a known action
     * @param k      the case
     * @return true if permitted
     */
    boolean permitted(Session s, String action, AlarmCase k) {
        if (guard.granted(s, PERMISSIONS.get(action), CaseAccess.resourceOf(k))) {
            return true;
        }
        return isGuardStep(action) && s.user().roles().contains(Role.GUARD)
                && s.username().equals(dispatchedGuard(k))
                && guard.granted(s, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k));
    }

    /**
     * The actions the case's state allows now and the user may take, in {@link #ORDER}.
     *
     * @param s the session
     * @param k the case
     * @return the action names
     */
    List<String> allowed(Session s, AlarmCase k) {
        Set<String> ok = new HashSet<>();
        boolean open = !k.state().isFinal();
        boolean presented = CaseViews.happened(k, CaseAction.PRESENTED);
        boolean dispatched = CaseViews.happened(k, CaseAction.DISPATCH_ORDERED);
        if (open && presented && k.takenBy() == null) {
            ok.add("take");
        }
        if (open && k.takenBy() != null) {
            ok.add("verify");
            ok.add("forward");
            ok.add("notify-client");
            ok.add("close");
            if (!dispatched) {
                ok.add("dispatch");
            }
        }
        if (open && !k.forwards().isEmpty()) {
            ok.add("confirm-forward");
        }
        if (open && dispatched) {
            if (!CaseViews.happened(k, CaseAction.GUARD_DEPARTED)) {
                ok.add("depart");
            } else if (!CaseViews.happened(k, CaseAction.GUARD_ARRIVED)) {
                ok.add("arrive");
            } else {
                ok.add("report");
                ok.add("reset-device");
            }
        }
        if (k.state() == CaseState.CLOSED) {
            ok.add("archive");
        }
        if (k.forwardedToPolice() && k.falseAlarmCause() == null) {
            ok.add("mark-false-alarm");
        }
        List<String> out = new ArrayList<>();
        for (String a : ORDER) {
            if (ok.contains(a) && permitted(s, a, k)) {
                out.add(a);
            }
        }
        return out;
    }
}
