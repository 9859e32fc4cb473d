package org.arc4j.core.security;

/** Why {@link AccessControl} refused a request. */
public enum DenialReason {
    /** The account is disabled. */
    USER_DISABLED,
    /** None of the user's roles holds the permission. */
    PERMISSION_NOT_GRANTED,
    /** A role holds the permission, but the resource lies outside its reach (another customer's case). */
    OUT_OF_SCOPE,
    /** The user's password has passed its maximum age and must be changed first (GA 1383 安全性、可靠性). */
    PASSWORD_CHANGE_REQUIRED
}
