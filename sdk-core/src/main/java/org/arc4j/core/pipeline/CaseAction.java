package org.arc4j.core.pipeline;

/**
 * What happened to a case: each transition written to the store has one. Actions that move the case forward
 * name the {@link #target() state} they reach; the others record a fact without moving it.
 */
public enum CaseAction {
    /** The first event arrived and the case was opened. */
    RECEIVED(CaseState.RECEIVED),
    /** The same alarm arrived again over another receive link (GA 1383: two or more links); merged. */
    ARRIVAL(null),
    /** A console confirmed it displayed the prompt: GA 1383's response. */
    PRESENTED(CaseState.PRESENTED),
    /** An operator took the case. */
    TAKEN(CaseState.TAKEN),
    /** A presented case was not taken in time and was escalated. */
    ESCALATED(null),
    /** A verification started (method in the details). */
    VERIFICATION_STARTED(CaseState.VERIFYING),
    /** The verification has a result (result and cause in the details). */
    VERIFIED(CaseState.VERIFIED),
    /** Forwarding started, automatically by rule or by an operator (recipient and channel in the details). */
    FORWARDED(CaseState.FORWARDED),
    /** The recipient's system accepted the forward; ends the forwarding step. */
    FORWARD_DELIVERED(null),
    /** An operator confirmed the recipient received it (GA 1383: 应立即通过人工方式确认接收方已收到). */
    FORWARD_CONFIRMED(null),
    /** An operator checked by hand that police received an emergency alarm sent straight to them. */
    POLICE_CHECKED(null),
    /** A rule would have forwarded a drill to police; drills never reach police. */
    FORWARD_SUPPRESSED(null),
    /** A linkage rule asked for an action at the site (lights on, start recording). */
    LINKAGE(null),
    /** A guard was ordered to the site. */
    DISPATCH_ORDERED(CaseState.DISPATCHED),
    /** The guard left. */
    GUARD_DEPARTED(null),
    /** The guard arrived on site. */
    GUARD_ARRIVED(null),
    /** The guard reported from the site. */
    ONSITE_REPORT(null),
    /** The device was reset on site (cause in the details). */
    DEVICE_RESET(null),
    /** The alarm's restore arrived. */
    RESTORED(null),
    /** A step missed its limit. */
    SLA_BREACH(null),
    /** The forwarded alarm was marked as a false alarm (警情误报) with its cause. */
    FALSE_ALARM_MARKED(null),
    /** The client was notified. */
    CLIENT_NOTIFIED(null),
    /** The insurer was notified. */
    INSURER_NOTIFIED(null),
    /** The case was closed. */
    CLOSED(CaseState.CLOSED),
    /** The case was archived. */
    ARCHIVED(CaseState.ARCHIVED);

    private final CaseState target;

    CaseAction(CaseState target) {
        this.target = target;
    }

    /** @return the state this action moves the case to, or null when it records a fact only */
    public CaseState target() {
        return target;
    }
}
