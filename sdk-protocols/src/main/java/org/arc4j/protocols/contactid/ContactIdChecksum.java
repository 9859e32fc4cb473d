package org.arc4j.protocols.contactid;

/**
 * The mod-15 checksum of Ademco Contact ID (SIA DC-05) and Ademco Express / High Speed: the values of all digits
 * of a message, its check digit included, add up to a multiple of 15, where {@code 0} counts ten (see
 * {@link ContactIdDigits}). Because no digit is worth zero, a check digit that would be 0 is sent as {@code F}
 * (fifteen) and one worth ten is sent as {@code 0}.
 *
 * <p>Stateless singleton, thread-safe.
 */
public final class ContactIdChecksum {
    /** The instance. */
    public static final ContactIdChecksum INSTANCE = new ContactIdChecksum();

    private ContactIdChecksum() {
    }

    /**
     * The check digit value for digits given in hex notation.
     *
     * @param hexDigits the message without its check digit, in hex notation
     * @return the check digit's value, 1 to 15
     * @throws IllegalArgumentException if a character is not a hex-notation digit
     */
    public int checkDigit(CharSequence hexDigits) {
        int sum = 0;
        for (int i = 0; i < hexDigits.length(); i++) {
            int v = ContactIdDigits.hexValue(hexDigits.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not a hex-notation digit at " + i + ": " + hexDigits.charAt(i));
            }
            sum += v;
        }
        return checkDigitForSum(sum);
    }

    /**
     * The check digit value that completes a sum of digit values to a multiple of 15.
     *
     * @param sum the sum of the values of the other digits, not negative
     * @return 1 to 15
     */
    public int checkDigitForSum(int sum) {
        // a sum already divisible by 15 needs a check digit worth 15 (F): no digit is worth 0
        return 15 - sum % 15;
    }

    /**
     * Whether digits in hex notation, check digit included, satisfy the checksum.
     *
     * @param hexDigits the whole message in hex notation
     * @return true when the values add up to a multiple of 15; false also for a non-digit character
     */
    public boolean isValid(CharSequence hexDigits) {
        if (hexDigits.length() == 0) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < hexDigits.length(); i++) {
            int v = ContactIdDigits.hexValue(hexDigits.charAt(i));
            if (v < 0) {
                return false;
            }
            sum += v;
        }
        return sum % 15 == 0;
    }
}
