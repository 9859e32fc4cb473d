package org.arc4j.core.security;

/**
 * What an audit entry records (GA 1383 系统管理, 日志管理: "记录操作人员主要操作情况"; 保密安全: viewing, calling up and
 * copying of pictures is traceable).
 */
public enum AuditAction {
    /** A successful login. */
    LOGIN,
    /** A failed login (bad password, unknown user, locked account). */
    LOGIN_FAILED,
    /** An account was locked after repeated failures. */
    LOCKOUT,
    /** A session ended by logout or revocation. */
    LOGOUT,
    /** A user was created, disabled, or had roles or scope changed. */
    PERMISSION_CHANGE,
    /** A user's password was set or changed. */
    PASSWORD_CHANGE,
    /** A device credential was stored, replaced or removed. */
    CREDENTIAL_CHANGE,
    /** The vault's key-encryption key or data key was rotated. */
    KEY_ROTATION,
    /** Live or recorded video was viewed. */
    VIDEO_VIEWED,
    /** Recorded video was exported. */
    VIDEO_EXPORTED,
    /** Data (customers, cases, reports) was exported. */
    DATA_EXPORT,
    /** A policy was overridden explicitly, e.g. a known-weak key of an installed panel accepted. */
    OVERRIDE,
    /**
     * A device's request failed authentication: a wrong digest answer, or a request from an address the device
     * never authenticated from that did not authenticate (a suspected spoof, GA 1383 §安全性、可靠性). The actor
     * is the identity the request claimed, the origin where it came from.
     */
    DEVICE_AUTH_FAILED,
    /** A permission check was denied. */
    ACCESS_DENIED,
    /**
     * A quality statistics input was entered by hand (GA 1383 服务质量): a fault ticket opened or closed, a
     * satisfaction score, a missed alarm. The actor is the user who entered it.
     */
    STATISTICS_INPUT,
    /**
     * The centre's configuration was changed through an administration interface (GA 1383 系统管理): a customer,
     * site, account, rule or action plan created, changed or deleted. The target names what changed, the details
     * the operation; the change itself is in the store beside the entry.
     */
    CONFIGURATION_CHANGE,
    /**
     * A drill alarm was injected by a user (GA 1383 演练): it is handled end to end as a drill, never forwarded to
     * the police and kept out of the quality statistics. The target names the account.
     */
    DRILL,
    /**
     * A command was sent to a device from the centre (GA 1383 远程控制): arming or disarming, a linkage output
     * (light, siren, lock, intercom). The target names the device, the details the command and, in a second entry,
     * the device's answer or the timeout.
     */
    REMOTE_CONTROL
}
