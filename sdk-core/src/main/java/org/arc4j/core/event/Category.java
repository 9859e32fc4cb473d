package org.arc4j.core.event;

/**
 * What an event means to an alarm receiving centre, as GA 1383-2017 sees it (报警接收与处置), in the one
 * default priority order used everywhere in arc4j: the operator queue, the journal's queries and the
 * reference centre's console all sort by {@link #priority()}, lowest number first.
 *
 * <p>The order is fixed: fire before emergencies (panic, hold-up, duress) before medical before intrusion;
 * an unknown code is treated as urgent until a human has looked at it; then tamper, video faults,
 * communication failures, device faults, bypasses, arming and disarming, access control, periodic tests and
 * everything else.
 */
public enum Category {
    /** Fire alarm, fire supervisory, combustible gas and carbon monoxide. */
    FIRE,
    /** Panic, hold-up, duress, silent and police emergencies. */
    EMERGENCY,
    /** Medical and personal emergencies. */
    MEDICAL,
    /** Burglary of any kind: perimeter, interior, entry/exit, 24-hour, confirmed intrusion. */
    INTRUSION,
    /** A code the centre's code tables do not know; the raw code is kept on the event. */
    UNKNOWN_CODE,
    /** Tamper of a device, box, sensor, keypad or cover. */
    TAMPER,
    /** Video loss, masking, camera, encoder or disk faults. */
    VIDEO_FAULT,
    /** Communication failure, path or line trouble, device offline. */
    COMMUNICATION,
    /** Device faults and troubles: AC loss, low battery, sensor, siren or peripheral trouble. */
    DEVICE_FAULT,
    /** Zone or device bypassed, disabled, inhibited or isolated. */
    BYPASS,
    /** Arming and disarming (closing and opening), including early, late and automatic ones. */
    OPEN_CLOSE,
    /** Access control: door forced or propped, access granted or denied. */
    ACCESS,
    /** Periodic, manual and walk tests. */
    TEST,
    /** Everything else: environmental, program changes, log entries. */
    OTHER;

    /**
     * Default priority of this category: 1 is the most urgent. Equal to {@code ordinal() + 1}, stated as
     * a method so that callers do not depend on declaration order.
     *
     * @return the priority, 1 (fire) to 14 (other)
     */
    public int priority() {
        return ordinal() + 1;
    }

    /**
     * Whether an event of this category is an alarm that an operator must handle as a case (as opposed to a
     * status report such as a test, an arming or a bypass).
     *
     * @return true for fire, emergency, medical, intrusion and unknown codes
     */
    public boolean isAlarm() {
        return this.ordinal() <= UNKNOWN_CODE.ordinal();
    }
}
