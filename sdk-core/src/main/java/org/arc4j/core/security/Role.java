package org.arc4j.core.security;

/**
 * The kinds of people who use a centre (GA 1383 系统管理, 权限管理: "操作人员的类别定义"). What each role may do and how
 * far it reaches is decided by an {@link AccessPolicy}; {@link AccessPolicy#defaults()} gives the table
 * documented on each constant.
 */
public enum Role {
    /** On-duty operator (值机员): takes, verifies, forwards, dispatches and closes cases for the whole centre. */
    OPERATOR,
    /** Maintenance engineer (维护员): devices, linkage and live video for tests, the logs. */
    MAINTENANCE,
    /** Field guard (现场处置员): sees only the cases dispatched to them. */
    GUARD,
    /** Shift supervisor: everything an operator does, plus exports, rules, customers, logs and reports. */
    SUPERVISOR,
    /** Administrator: customers, devices, rules, users, logs and reports; no video (separation of duties). */
    ADMINISTRATOR,
    /** Police viewer (公安接警终端): the cases forwarded to the police and their video. */
    POLICE_VIEWER,
    /** Customer viewer (客户终端): the alarms, video and arming of its own sites only. */
    CUSTOMER_VIEWER
}
