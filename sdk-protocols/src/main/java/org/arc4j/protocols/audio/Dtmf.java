package org.arc4j.protocols.audio;

/**
 * The DTMF signalling frequencies of ITU-T Q.23: each key is one low-group (row) and one high-group (column)
 * sine. Keys are {@code 0}–{@code 9}, {@code *}, {@code #} and {@code A}–{@code D}. Stateless.
 */
public final class Dtmf {
    /** The low-group (row) frequencies in Hz, Q.23. */
    public static final double[] ROWS = {697, 770, 852, 941};
    /** The high-group (column) frequencies in Hz, Q.23. */
    public static final double[] COLUMNS = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";

    private Dtmf() {
    }

    /**
     * The key at a row and column.
     *
     * @param row    0..3
     * @param column 0..3
     * @return the key
     */
    public static char key(int row, int column) {
        return KEYS.charAt(row * 4 + column);
    }

    /**
     * The row of a key.
     *
     * @param key the key
     * @return 0..3
     * @throws IllegalArgumentException for a character that is not a DTMF key
     */
    public static int row(char key) {
        return index(key) / 4;
    }

    /**
     * The column of a key.
     *
     * @param key the key
     * @return 0..3
     * @throws IllegalArgumentException for a character that is not a DTMF key
     */
    public static int column(char key) {
        return index(key) % 4;
    }

    /**
     * Whether a character is a DTMF key.
     *
     * @param key the character
     * @return true for {@code 0}–{@code 9}, {@code *}, {@code #}, {@code A}–{@code D}
     */
    public static boolean isKey(char key) {
        return KEYS.indexOf(Character.toUpperCase(key)) >= 0;
    }

    private static int index(char key) {
        int i = KEYS.indexOf(Character.toUpperCase(key));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF key: " + key);
        }
        return i;
    }
}
