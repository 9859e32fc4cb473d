package org.arc4j.core.pipeline;

/**
 * Decides whether an operator may do an action on a case. The security module's permission checks are wired
 * in here by the integration; the pipeline asks before every operator action and refuses with
 * {@link CaseException.Reason#DENIED} when the answer is no.
 *
 * <p>Implementations must be thread-safe and quick (called under the pipeline's lock).
 */
@FunctionalInterface
public interface CaseAuthorizer {
    /**
     * Allows everything: for tests and single-operator experiments only, never for a centre.
     */
    CaseAuthorizer ALLOW_ALL = (operator, action, c) -> true;

    /**
     * May this operator do this action on this case?
     *
     * @param operator the operator's user name
     * @param action   the action
     * @param c        the case as it is before the action
     * @return true to allow
     */
    boolean permits(String operator, CaseAction action, AlarmCase c);
}
