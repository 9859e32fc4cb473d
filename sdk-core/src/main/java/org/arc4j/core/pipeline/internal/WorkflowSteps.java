package org.arc4j.core.pipeline.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseException;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.FalseAlarmCause;
import org.arc4j.core.pipeline.Forward;
import org.arc4j.core.pipeline.VerificationResult;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.VerificationMethod;

/**
 * Which operator, console and guard actions a case allows in its present state, and what each records: GA
 * 1383's order of handling (报警响应 → 报警复核 → 警情转发 → 现场处置). Each method checks a step against a case
 * and answers the {@link Step} to record, or throws {@link CaseException} naming what is wrong; it changes
 * nothing. Who may act at all is the {@code CaseAuthorizer}'s question, asked by the pipeline first.
 *
 * <p>Stateless and thread-safe; the cases it reads are read under the pipeline's lock.
 */
public final class WorkflowSteps {
    /** The one instance. */
    public static final WorkflowSteps INSTANCE = new WorkflowSteps();

    /**
     * A transition to record.
     *
     * @param action  what happens
     * @param actor   who does it
     * @param details its details, as written in the transition record
     */
    public record Step(CaseAction action, CaseActor actor, Map<String, String> details) {
    }

    private WorkflowSteps() {
    }

    /**
     * A console displayed the case (报警响应); only the first presentation counts.
     *
     * @param c         the case
     * @param consoleId the console
     * @return the step, or empty if it was presented already
     * @throws CaseException if it is closed
     */
    public Optional<Step> present(CaseFile c, String consoleId) {
        if (c.presentedAt != null) {
            return Optional.empty();
        }
        requireOpen(c);
        return Optional.of(new Step(CaseAction.PRESENTED, new CaseActor(CaseActor.Kind.CONSOLE, consoleId), Map.of()));
    }

    /**
     * @param c        the case
     * @param operator the operator taking it
     * @return the step
     * @throws CaseException if it is closed, not presented yet, or taken already
     */
    public Step take(CaseFile c, String operator) {
        requireOpen(c);
        if (c.presentedAt == null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "no console has displayed it");
        }
        if (c.takenBy != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "already taken by " + c.takenBy);
        }
        return new Step(CaseAction.TAKEN, CaseActor.operator(operator), Map.of());
    }

    /**
     * Starts a verification (报警复核); key customers are verified by video before any other remote method.
     *
     * @param c        the case
     * @param operator the operator
     * @param method   how
     * @return the step, with the method's limit from the customer's policy
     * @throws CaseException if not taken, closed, or video is required
     */
    public Step startVerification(CaseFile c, String operator, VerificationMethod method) {
        requireTaken(c);
        if (c.keyCustomer && method != VerificationMethod.VIDEO && method != VerificationMethod.GUARD
                && !c.videoTried) {
            throw new CaseException(CaseException.Reason.VIDEO_REQUIRED, c.id,
                    "key customers are verified by video (GA 1383 报警复核)");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("method", method.name());
        c.policy.verification(method).ifPresent(l -> d.put("limit", l.toString()));
        return new Step(CaseAction.VERIFICATION_STARTED, CaseActor.operator(operator), d);
    }

    /**
     * @param c        the case
     * @param operator the operator
     * @param result   the verification's result
     * @param cause    a false alarm's cause, or null
     * @return the step
     * @throws CaseException if closed or no verification is running
     */
    public Step verify(CaseFile c, String operator, VerificationResult result, String cause) {
        requireOpen(c);
        if (c.verificationMethod == null || c.verificationResult != null && !c.verificationRunning) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "no verification is running");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("result", result.name());
        if (cause != null) {
            d.put("cause", cause);
        }
        return new Step(CaseAction.VERIFIED, CaseActor.operator(operator), d);
    }

    /**
     * An operator forwards the case by hand (警情转发).
     *
     * @param c         the case
     * @param operator  the operator
     * @param recipient who receives it
     * @param channel   how
     * @param police    true for the police
     * @return the step
     * @throws CaseException if closed, a drill to the police, or already forwarded to that recipient
     */
    public Step forward(CaseFile c, String operator, String recipient, ForwardChannel channel, boolean police) {
        requireOpen(c);
        if (police && c.drill) {
            throw new CaseException(CaseException.Reason.DRILL, c.id, "drills are never forwarded to police");
        }
        return forward(c, CaseActor.operator(operator), recipient, channel, police, false);
    }

    /**
     * A forwarding rule forwards a new case (drills to the police are suppressed by the caller).
     *
     * @param c         the case
     * @param rule      the rule's name
     * @param recipient who receives it
     * @param channel   how
     * @param police    true for the police
     * @return the step
     * @throws CaseException if already forwarded to that recipient
     */
    public Step forwardByRule(CaseFile c, String rule, String recipient, ForwardChannel channel, boolean police) {
        return forward(c, CaseActor.rule(rule), recipient, channel, police, true);
    }

    private static Step forward(CaseFile c, CaseActor actor, String recipient, ForwardChannel channel, boolean police,
                                boolean automatic) {
        if (c.forward(recipient) != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "already forwarded to " + recipient);
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("recipient", recipient);
        d.put("channel", channel.name());
        d.put("police", Boolean.toString(police));
        d.put("automatic", Boolean.toString(automatic));
        d.put("limit", c.policy.forwarding(channel).toString());
        return new Step(CaseAction.FORWARDED, actor, d);
    }

    /**
     * @param c         the case
     * @param recipient the recipient whose delivery is reported
     * @param by        who reports it
     * @return the step
     * @throws CaseException if there is no pending forward to that recipient
     */
    public Step forwardDelivered(CaseFile c, String recipient, CaseActor by) {
        Forward f = c.forward(recipient);
        if (f == null || f.deliveredAt() != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "no pending forward to " + recipient);
        }
        return new Step(CaseAction.FORWARD_DELIVERED, by, Map.of("recipient", recipient));
    }

    /**
     * An operator confirms a forward by hand; for the police it is also the check that they received it.
     *
     * @param c         the case
     * @param operator  the operator
     * @param recipient the recipient
     * @return the step ({@link CaseAction#POLICE_CHECKED} for the police)
     * @throws CaseException if there is no forward to that recipient
     */
    public Step confirmForward(CaseFile c, String operator, String recipient) {
        Forward f = c.forward(recipient);
        if (f == null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "no forward to " + recipient);
        }
        CaseAction a = f.police() ? CaseAction.POLICE_CHECKED : CaseAction.FORWARD_CONFIRMED;
        return new Step(a, CaseActor.operator(operator), Map.of("recipient", recipient));
    }

    /**
     * @param c        the case
     * @param operator the operator
     * @param guard    the guard sent (现场处置)
     * @return the step, with the guard departure limit
     * @throws CaseException if not taken, closed, or dispatched already
     */
    public Step dispatch(CaseFile c, String operator, String guard) {
        requireTaken(c);
        if (c.dispatchedAt != null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "already dispatched");
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("guard", guard);
        d.put("limit", c.policy.guardDeparture().toString());
        return new Step(CaseAction.DISPATCH_ORDERED, CaseActor.operator(operator), d);
    }

    /**
     * @param step an action
     * @throws IllegalArgumentException if it is not a step a guard reports
     */
    public void requireGuardStep(CaseAction step) {
        if (step != CaseAction.GUARD_DEPARTED && step != CaseAction.GUARD_ARRIVED && step != CaseAction.ONSITE_REPORT
                && step != CaseAction.DEVICE_RESET) {
            throw new IllegalArgumentException("not a guard step: " + step);
        }
    }

    /**
     * A guard's report, in order: departed, arrived, then reports and resets.
     *
     * @param c     the case
     * @param guard the guard
     * @param step  the step
     * @param text  the report or the reset's cause, or null
     * @return the step
     * @throws CaseException if closed or out of order
     * @throws IllegalArgumentException if the step is not a guard's
     */
    public Step guardReport(CaseFile c, String guard, CaseAction step, String text) {
        requireGuardStep(step);
        requireOpen(c);
        boolean ok = switch (step) {
            case GUARD_DEPARTED -> c.dispatchedAt != null && c.departedAt == null;
            case GUARD_ARRIVED -> c.departedAt != null && c.arrivedAt == null;
            case ONSITE_REPORT, DEVICE_RESET -> c.arrivedAt != null;
            default -> throw new IllegalArgumentException("not a guard step: " + step);
        };
        if (!ok) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, step + " out of order");
        }
        Map<String, String> d = new LinkedHashMap<>();
        if (text != null) {
            d.put(step == CaseAction.DEVICE_RESET ? "cause" : "report", text);
        }
        return new Step(step, new CaseActor(CaseActor.Kind.GUARD, guard), d);
    }

    /**
     * @param insurer true for the insurer, false for the client
     * @return the action that records the notification
     */
    public CaseAction notification(boolean insurer) {
        return insurer ? CaseAction.INSURER_NOTIFIED : CaseAction.CLIENT_NOTIFIED;
    }

    /**
     * @param operator the operator
     * @param insurer  true for the insurer, false for the client
     * @param channel  how they were notified
     * @return the step; allowed in any state
     */
    public Step notified(String operator, boolean insurer, String channel) {
        return new Step(notification(insurer), CaseActor.operator(operator), Map.of("channel", channel));
    }

    /**
     * Marks a false alarm (警情误报); only a case forwarded to the police can be one, also after closing.
     *
     * @param c        the case
     * @param operator the operator
     * @param cause    its cause
     * @return the step
     * @throws CaseException if it was not forwarded to the police
     */
    public Step markFalseAlarm(CaseFile c, String operator, FalseAlarmCause cause) {
        if (c.forwards == null || c.forwards.values().stream().noneMatch(Forward::police)) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "not forwarded to police");
        }
        return new Step(CaseAction.FALSE_ALARM_MARKED, CaseActor.operator(operator), Map.of("cause", cause.name()));
    }

    /**
     * @param c        the case
     * @param operator the operator
     * @param summary  the handling result, or null
     * @return the step
     * @throws CaseException if not taken or closed already
     */
    public Step close(CaseFile c, String operator, String summary) {
        requireTaken(c);
        return new Step(CaseAction.CLOSED, CaseActor.operator(operator),
                summary == null ? Map.of() : Map.of("summary", summary));
    }

    /**
     * @param c        the case
     * @param operator the operator
     * @return the step
     * @throws CaseException if not closed
     */
    public Step archive(CaseFile c, String operator) {
        if (c.state != CaseState.CLOSED) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "not closed");
        }
        return new Step(CaseAction.ARCHIVED, CaseActor.operator(operator), Map.of());
    }

    private static void requireOpen(CaseFile c) {
        if (c.state.isFinal()) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "case is " + c.state);
        }
    }

    private static void requireTaken(CaseFile c) {
        requireOpen(c);
        if (c.takenBy == null) {
            throw new CaseException(CaseException.Reason.ILLEGAL_STATE, c.id, "no operator has taken it");
        }
    }
}
