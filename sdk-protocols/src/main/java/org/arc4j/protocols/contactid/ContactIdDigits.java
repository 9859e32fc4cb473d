package org.arc4j.protocols.contactid;

/**
 * The digit alphabet of Ademco Contact ID (SIA DC-05) and the Ademco DTMF formats before it: sixteen-level
 * digits whose values run 1 to 15, written in two notations.
 *
 * <ul>
 *   <li><b>Hex notation</b> (receiver printouts, automation records, the SIA DC-09 {@code ADM-CID} body): {@code 1}
 *       to {@code 9}, {@code 0} for ten, {@code B} to {@code F} for eleven to fifteen. {@code A} is accepted as a
 *       second spelling of ten, as the Ademco Express description allows.</li>
 *   <li><b>DTMF keys</b> (what the panel dials, ITU-T Q.23 keys): {@code 0} to {@code 9} as above, {@code *} for
 *       eleven, {@code #} for twelve, {@code A} for thirteen, {@code B} for fourteen and {@code C} for fifteen.
 *       The key {@code D} is not a digit of these formats.</li>
 * </ul>
 *
 * <p>A digit's <em>value</em> is what the mod-15 checksums add: {@code 0} counts ten, so no value is zero.
 * Stateless and thread-safe.
 */
public final class ContactIdDigits {
    private static final String HEX = "?1234567890BCDEF";
    private static final String KEYS = "?1234567890*#ABC";

    private ContactIdDigits() {
    }

    /**
     * The value of a digit in hex notation.
     *
     * @param c the character
     * @return 1 to 15, or -1 if {@code c} is not a hex-notation digit
     */
    public static int hexValue(char c) {
        if (c >= '1' && c <= '9') {
            return c - '0';
        }
        switch (c) {
            case '0': case 'A': case 'a': return 10;
            case 'B': case 'b': return 11;
            case 'C': case 'c': return 12;
            case 'D': case 'd': return 13;
            case 'E': case 'e': return 14;
            case 'F': case 'f': return 15;
            default: return -1;
        }
    }

    /**
     * The value of a DTMF key.
     *
     * @param key the key: {@code 0}–{@code 9}, {@code *}, {@code #}, {@code A}–{@code C}
     * @return 1 to 15, or -1 if the key is not a digit of these formats (including {@code D})
     */
    public static int keyValue(char key) {
        if (key >= '1' && key <= '9') {
            return key - '0';
        }
        switch (key) {
            case '0': return 10;
            case '*': return 11;
            case '#': return 12;
            case 'A': case 'a': return 13;
            case 'B': case 'b': return 14;
            case 'C': case 'c': return 15;
            default: return -1;
        }
    }

    /**
     * The hex-notation character for a value.
     *
     * @param value 1 to 15
     * @return {@code 1}–{@code 9}, {@code 0} for ten, {@code B}–{@code F}
     * @throws IllegalArgumentException for a value outside 1..15
     */
    public static char hexChar(int value) {
        check(value);
        return HEX.charAt(value);
    }

    /**
     * The DTMF key for a value.
     *
     * @param value 1 to 15
     * @return {@code 1}–{@code 9}, {@code 0} for ten, {@code *}, {@code #}, {@code A}–{@code C}
     * @throws IllegalArgumentException for a value outside 1..15
     */
    public static char keyChar(int value) {
        check(value);
        return KEYS.charAt(value);
    }

    /**
     * Converts hex notation to DTMF keys.
     *
     * @param hex digits in hex notation
     * @return the same digits as DTMF keys
     * @throws IllegalArgumentException naming the first character that is not a hex-notation digit
     */
    public static String hexToKeys(CharSequence hex) {
        StringBuilder sb = new StringBuilder(hex.length());
        for (int i = 0; i < hex.length(); i++) {
            int v = hexValue(hex.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not a hex-notation digit at " + i + ": " + hex.charAt(i));
            }
            sb.append(KEYS.charAt(v));
        }
        return sb.toString();
    }

    /**
     * Converts DTMF keys to hex notation.
     *
     * @param keys DTMF keys
     * @return the same digits in hex notation
     * @throws IllegalArgumentException naming the first key that is not a digit of these formats
     */
    public static String keysToHex(CharSequence keys) {
        StringBuilder sb = new StringBuilder(keys.length());
        for (int i = 0; i < keys.length(); i++) {
            int v = keyValue(keys.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not a Contact ID DTMF key at " + i + ": " + keys.charAt(i));
            }
            sb.append(HEX.charAt(v));
        }
        return sb.toString();
    }

    private static void check(int value) {
        if (value < 1 || value > 15) {
            throw new IllegalArgumentException("digit value must be 1..15, was " + value);
        }
    }
}
