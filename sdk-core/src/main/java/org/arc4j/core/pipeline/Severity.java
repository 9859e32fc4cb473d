package org.arc4j.core.pipeline;

import org.arc4j.core.event.Category;

/**
 * How serious a case is, for choosing its action plan (GA 1383 报警处置预案: 按其紧急程度进行分级).
 */
public enum Severity {
    /** Life at risk or a key customer attacked: fire, emergencies, medical, intrusion at a key customer. */
    CRITICAL,
    /** Other alarms: intrusion, unknown codes. */
    HIGH,
    /** Everything else. */
    NORMAL;

    /**
     * The default severity of a category at a customer.
     *
     * @param category    the category
     * @param keyCustomer whether the customer is a key customer
     * @return the severity
     */
    public static Severity of(Category category, boolean keyCustomer) {
        return switch (category) {
            case FIRE, EMERGENCY, MEDICAL -> CRITICAL;
            case INTRUSION -> keyCustomer ? CRITICAL : HIGH;
            case UNKNOWN_CODE -> HIGH;
            default -> NORMAL;
        };
    }
}
