package org.arc4j.core.security;

/**
 * The actions a centre guards (GA 1383 系统管理, 权限管理; 保密安全 for the video and information ones). An integrator
 * puts {@link AccessControl#check} in front of each of them.
 */
public enum Permission {
    /** See alarms and the cases built from them. */
    VIEW_ALARMS,
    /** Take a presented case (start handling it). */
    TAKE_CASE,
    /** Verify a case (video, audio or phone verification). */
    VERIFY_CASE,
    /** Forward a case to the police. */
    FORWARD_CASE,
    /** Dispatch a guard to a case. */
    DISPATCH_CASE,
    /** Report a dispatched case's on-site steps: departure, arrival, on-site report, device reset. */
    REPORT_ON_SITE,
    /** Close a case. */
    CLOSE_CASE,
    /** Arm or disarm a panel remotely. */
    ARM_DISARM,
    /** Control linkage devices (sirens, lights, locks, outputs). */
    CONTROL_LINKAGE,
    /** Pan, tilt and zoom a camera. */
    PTZ,
    /** View live video or listen to live audio. */
    VIEW_LIVE_VIDEO,
    /** Play back recorded video (调用). */
    VIEW_RECORDED_VIDEO,
    /** Export recorded video out of the centre (复制). */
    EXPORT_RECORDED_VIDEO,
    /** Create, change or delete customers. */
    MANAGE_CUSTOMERS,
    /** Create, change or delete devices and their credentials. */
    MANAGE_DEVICES,
    /** Change alarm handling, forwarding and linkage rules. */
    MANAGE_RULES,
    /** Create users, change their roles, scopes and passwords. */
    MANAGE_USERS,
    /** Read operation and audit logs. */
    READ_LOGS,
    /** Read statistics and reports. */
    READ_REPORTS
}
