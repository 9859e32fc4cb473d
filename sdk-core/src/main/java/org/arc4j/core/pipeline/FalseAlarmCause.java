package org.arc4j.core.pipeline;

/**
 * Why an alarm forwarded to police turned out false (GA 1383 警情误报: caused by the centre's error or by
 * equipment fault); the false alarm rate counts these.
 */
public enum FalseAlarmCause {
    /** The centre misjudged or mishandled the alarm. */
    CENTRE_ERROR,
    /** A front-end device or system fault produced it. */
    EQUIPMENT_FAULT
}
