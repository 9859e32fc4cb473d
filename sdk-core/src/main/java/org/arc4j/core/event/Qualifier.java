package org.arc4j.core.event;

/**
 * Whether an event starts, ends or repeats a condition: the Contact ID qualifier digit (SIA DC-05), which
 * SIA codes express through their alarm/restore pairs (BA/BR, OP/CL).
 */
public enum Qualifier {
    /** A new event, or an opening (disarm). Contact ID qualifier 1. */
    NEW_EVENT(1),
    /** A restore, or a closing (arm). Contact ID qualifier 3. */
    RESTORE(3),
    /** A condition still present that was reported before. Contact ID qualifier 6. */
    PREVIOUSLY_REPORTED(6);

    private final int contactIdDigit;

    Qualifier(int contactIdDigit) {
        this.contactIdDigit = contactIdDigit;
    }

    /**
     * The Contact ID qualifier digit.
     *
     * @return 1, 3 or 6
     */
    public int contactIdDigit() {
        return contactIdDigit;
    }

    /**
     * The qualifier for a Contact ID qualifier digit.
     *
     * @param digit the digit (1, 3 or 6)
     * @return the qualifier
     * @throws IllegalArgumentException for any other digit
     */
    public static Qualifier ofContactIdDigit(int digit) {
        switch (digit) {
            case 1: return NEW_EVENT;
            case 3: return RESTORE;
            case 6: return PREVIOUSLY_REPORTED;
            default: throw new IllegalArgumentException("Contact ID qualifier must be 1, 3 or 6, was " + digit);
        }
    }
}
