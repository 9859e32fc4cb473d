package org.arc4j.core.customer;

/**
 * How an arming or disarming departs from a site's open/close schedule (GA 1383 业务功能: 布撤防).
 */
public enum ScheduleViolation {
    /** Disarmed (opened) before the scheduled opening minus the tolerance. */
    EARLY_TO_OPEN,
    /** Not armed (closed) by the scheduled closing plus the tolerance, or armed only after it. */
    LATE_TO_CLOSE,
    /** Disarmed on a day without opening hours, or after the closing time. */
    OUT_OF_HOURS
}
