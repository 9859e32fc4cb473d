package org.arc4j.core.security;

/**
 * How far a role's permissions reach: the scope rule that {@link AccessControl} applies to the {@link Resource}
 * of a request (GA 1383 保密安全: customer, alarm and video information is seen only by those who should see it).
 */
public enum Reach {
    /** Every resource of the centre. */
    CENTRE,
    /**
     * Only resources of the customers or sites in the user's {@link Scope}; a resource that belongs to no customer
     * (the centre itself) is out of reach.
     */
    OWN_SITES,
    /** Only resources dispatched to the user (a guard's cases, named by {@link Resource#dispatchedTo()}). */
    DISPATCHED_CASES,
    /** Only resources forwarded to the police ({@link Resource#forwardedToPolice()}). */
    FORWARDED_CASES
}
