package org.arc4j.media.rtp;

/**
 * An RFC 4733 telephone-event payload (§2.3): the event code, the end bit, the volume and the duration so far.
 * DTMF events are codes 0–9 for the digits, 10 {@code *}, 11 {@code #} and 12–15 {@code A}–{@code D} (§3.2).
 * Immutable.
 *
 * @param event    the event code, 0..255
 * @param end      true in the packets that end the event (sent three times)
 * @param volume   the power level, 0..63, in −dBm0
 * @param duration the duration so far, in timestamp units (samples at 8 kHz), 0..65535
 */
public record TelephoneEvent(int event, boolean end, int volume, int duration) {
    private static final String KEYS = "0123456789*#ABCD";

    /** Validates the ranges. */
    public TelephoneEvent {
        if (event < 0 || event > 255 || volume < 0 || volume > 63 || duration < 0 || duration > 0xFFFF) {
            throw new IllegalArgumentException("telephone-event field out of range");
        }
    }

    /**
     * The event for a DTMF key.
     *
     * @param key      {@code 0}–{@code 9}, {@code *}, {@code #}, {@code A}–{@code D}
     * @param end      the end bit
     * @param volume   0..63 (−dBm0)
     * @param duration samples so far
     * @return the event
     */
    public static TelephoneEvent dtmf(char key, boolean end, int volume, int duration) {
        int e = KEYS.indexOf(Character.toUpperCase(key));
        if (e < 0) {
            throw new IllegalArgumentException("not a DTMF key: " + key);
        }
        return new TelephoneEvent(e, end, volume, duration);
    }

    /** @return the DTMF key of this event, or 0 for an event that is not a DTMF key */
    public char key() {
        return event < KEYS.length() ? KEYS.charAt(event) : 0;
    }

    /** @return the four payload bytes */
    public byte[] encode() {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | volume), (byte) (duration >> 8), (byte) duration};
    }

    /**
     * Decodes a payload.
     *
     * @param payload the RTP payload
     * @return the event, or null if the payload is not four bytes long
     */
    public static TelephoneEvent decode(byte[] payload) {
        if (payload.length != 4) {
            return null;
        }
        return new TelephoneEvent(payload[0] & 0xFF, (payload[1] & 0x80) != 0, payload[1] & 0x3F,
                ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF));
    }
}
