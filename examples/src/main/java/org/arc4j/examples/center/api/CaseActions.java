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
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.CaseViews;

/**
 * The console's case actions ({@code take}, {@code verify}, … as {@code POST /api/cases/{id}/actions} names them):
 * the pipeline step each records, and which of them a case offers a user now.
 *
 * <p>No permission table lives here: whether a user may take a step is {@link CaseAccess}'s decision, the same
 * object the pipeline is built with as its authorizer, so the actions offered are the ones the pipeline will
 * accept. The state rules in {@link #allowed} mirror the preconditions the pipeline checks inside each action
 * method, which it does not expose; the pipeline remains the judge. Thread-safe.
 */
final class CaseActions {
    /** The console's actions, with the pipeline step each records (whose permission {@link CaseAccess} knows). */
    private static final Map<String, CaseAction> STEPS = Map.ofEntries(
            Map.entry("take", CaseAction.TAKEN),
            Map.entry("verify-start", CaseAction.VERIFICATION_STARTED),
            Map.entry("verify", CaseAction.VERIFIED),
            Map.entry("forward", CaseAction.FORWARDED),
            Map.entry("confirm-forward", CaseAction.FORWARD_CONFIRMED),
            Map.entry("dispatch", CaseAction.DISPATCH_ORDERED),
            Map.entry("depart", CaseAction.GUARD_DEPARTED),
            Map.entry("arrive", CaseAction.GUARD_ARRIVED),
            Map.entry("report", CaseAction.ONSITE_REPORT),
            Map.entry("reset-device", CaseAction.DEVICE_RESET),
            Map.entry("notify-client", CaseAction.CLIENT_NOTIFIED),
            Map.entry("close", CaseAction.CLOSED),
            Map.entry("archive", CaseAction.ARCHIVED),
            Map.entry("mark-false-alarm", CaseAction.FALSE_ALARM_MARKED));

    /** The order the console shows them in. */
    static final List<String> ORDER = List.of("take", "verify-start", "verify", "forward", "confirm-forward", "dispatch",
            "depart", "arrive", "report", "reset-device", "notify-client", "close", "archive", "mark-false-alarm");

    private final CaseAccess access;

    CaseActions(CaseAccess access) {
        this.access = access;
    }

    /**
     * @param action an action name
     * @return whether the API knows it
     */
    static boolean known(String action) {
        return STEPS.containsKey(action);
    }

    /**
     * @param action a known action
     * @return the pipeline step it records
     */
    static CaseAction step(String action) {
        return STEPS.get(action);
    }

    /**
     * @param k a case
     * @return the guard it was dispatched to, or null
     */
    static String dispatchedGuard(AlarmCase k) {
        return CaseAccess.resourceOf(k).dispatchedTo();
    }

    /**
     * May this user take this action on this case? {@link CaseAccess}'s answer for the step the action records;
     * nothing while the session's password must be changed.
     *
     * @param s      the session
     * @param action a known action
     * @param k      the case
     * @return true if permitted
     */
    boolean permitted(Session s, String action, AlarmCase k) {
        return !s.passwordChangeRequired() && access.permits(s.username(), STEPS.get(action), k);
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
            if (k.verificationMethod() == null) {
                // starts the verification step and its GA 1383 clock (video ≤ 1 min) before the result is known
                ok.add("verify-start");
            }
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
