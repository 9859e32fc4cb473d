package org.arc4j.core.sla;

/**
 * The timed steps of an alarm case, each with a GA 1383-2017 limit (报警接收与处置).
 */
public enum SlaStep {
    /**
     * From the front-end trigger to the centre's response: the sound-and-light prompt with customer, alarm
     * type, zone, location and action plan displayed (GA 1383 报警响应).
     */
    RESPONSE,
    /** From the start of a verification to its result (GA 1383 报警复核: video/audio ≤ 1 min, phone ≤ 5 min). */
    VERIFICATION,
    /** From the decision to forward to the recipient's receipt (GA 1383 警情转发: 4/20/5 s, 2 min by phone). */
    FORWARDING,
    /** From the dispatch order to the guard leaving (GA 1383 现场处置: ≤ 2 min). */
    GUARD_DEPARTURE
}
