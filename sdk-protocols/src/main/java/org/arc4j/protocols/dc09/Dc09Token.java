package org.arc4j.protocols.dc09;

/**
 * The message type ("ID token") of a DC-09 frame, DC-09 §5.5.1.4 (table 5.5.1.4). The encrypted form of each
 * is written with a leading {@code *}; whether a frame is encrypted is kept on the {@link Dc09Frame}, not here.
 */
public enum Dc09Token {
    /** SIA DC-03/DC-04 event data. */
    SIA_DCS("SIA-DCS"),
    /** Ademco Contact ID data. */
    ADM_CID("ADM-CID"),
    /** Link test (supervision poll); carries no event. */
    NULL("NULL"),
    /** Positive acknowledgement. */
    ACK("ACK"),
    /** Negative acknowledgement: the timestamp was refused or the message could not be decrypted. */
    NAK("NAK"),
    /** The receiver did not understand the message. */
    DUH("DUH"),
    /** Response carrying data (answers a request the receiver made). */
    RSP("RSP");

    private final String wire;

    Dc09Token(String wire) {
        this.wire = wire;
    }

    /** @return the token as written on the wire, without quotes or {@code *} */
    public String wire() {
        return wire;
    }

    /** @return true for tokens that a panel sends to report something (not replies) */
    public boolean isReport() {
        return this == SIA_DCS || this == ADM_CID || this == NULL;
    }

    private static final Dc09Token[] VALUES = values();

    /**
     * The token written in a byte range, without making a string (receive path).
     *
     * @param b   the bytes
     * @param off where the token starts (after any {@code *})
     * @param len its length
     * @return the token, or null if there is none of that name
     */
    public static Dc09Token ofWire(byte[] b, int off, int len) {
        for (Dc09Token t : VALUES) {
            String w = t.wire;
            if (w.length() != len) {
                continue;
            }
            int i = 0;
            while (i < len && b[off + i] == w.charAt(i)) {
                i++;
            }
            if (i == len) {
                return t;
            }
        }
        return null;
    }

    /**
     * The token for its wire text.
     *
     * @param text the text between the quotes, without {@code *}
     * @return the token, or null if there is none of that name
     */
    public static Dc09Token ofWire(String text) {
        for (Dc09Token t : VALUES) {
            if (t.wire.equals(text)) {
                return t;
            }
        }
        return null;
    }
}
