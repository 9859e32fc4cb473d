package org.arc4j.protocols.contactid;

import java.util.Objects;

/**
 * Decodes the Ademco DTMF formats before Contact ID from the keys a panel dialled: Express 4+1 / 4+2 and
 * High Speed (Super Fast). Never throws on bad input.
 *
 * <p>Stateless singleton, thread-safe.
 */
public final class AdemcoDecoder {
    /** The instance. */
    public static final AdemcoDecoder INSTANCE = new AdemcoDecoder();

    private AdemcoDecoder() {
    }

    /**
     * What a legacy message decoded to.
     */
    public sealed interface Result permits Valid, Invalid {
        /** @return true for {@link Valid} */
        default boolean isValid() {
            return this instanceof Valid;
        }
    }

    /**
     * A verified message.
     *
     * @param message the message
     */
    public record Valid(AdemcoMessage message) implements Result {
        /** Validates the message is present. */
        public Valid {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A message that was not accepted.
     *
     * @param error    what was wrong
     * @param position the offending index, or -1
     * @param input    the keys as received
     * @param detail   a human-readable detail
     */
    public record Invalid(ContactIdError error, int position, String input, String detail) implements Result {
        /** Validates the parts. */
        public Invalid {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * Decodes an Express message ({@code AAAA 17 E C} or {@code AAAA 27 EE C}); the identifier selects the format.
     *
     * @param keys the DTMF keys
     * @return the message or why it is invalid
     */
    public Result decodeExpress(CharSequence keys) {
        String input = keys == null ? "" : keys.toString();
        Object hex = toHex(input);
        if (hex instanceof Invalid) {
            return (Invalid) hex;
        }
        String h = (String) hex;
        if (h.length() < 8) {
            return new Invalid(ContactIdError.TOO_SHORT, -1, input, h.length() + " digits, 8 or 9 expected");
        }
        AdemcoExpressMessage.Format format;
        String id = h.substring(4, 6);
        if (id.equals("17")) {
            format = AdemcoExpressMessage.Format.FOUR_PLUS_ONE;
        } else if (id.equals("27")) {
            format = AdemcoExpressMessage.Format.FOUR_PLUS_TWO;
        } else {
            return new Invalid(ContactIdError.UNKNOWN_MESSAGE_TYPE, 4, input, "format identifier " + id);
        }
        if (h.length() < format.length()) {
            return new Invalid(ContactIdError.TOO_SHORT, -1, input, h.length() + " digits, " + format.length()
                    + " expected");
        }
        if (h.length() > format.length()) {
            return new Invalid(ContactIdError.TOO_LONG, -1, input, h.length() + " digits, " + format.length()
                    + " expected");
        }
        if (!ContactIdChecksum.INSTANCE.isValid(h)) {
            return new Invalid(ContactIdError.BAD_CHECKSUM, -1, input, "digit sum is not a multiple of 15");
        }
        return new Valid(new AdemcoExpressMessage(format, h.substring(0, 4), h.substring(6, 6 + format.eventDigits()),
                ContactIdDigits.hexValue(h.charAt(h.length() - 1))));
    }

    /**
     * Decodes a High Speed message: one round and a check digit (14 keys) or two identical rounds (26 keys).
     *
     * @param keys the DTMF keys
     * @return the message or why it is invalid
     */
    public Result decodeHighSpeed(CharSequence keys) {
        String input = keys == null ? "" : keys.toString();
        Object hex = toHex(input);
        if (hex instanceof Invalid) {
            return (Invalid) hex;
        }
        String h = (String) hex;
        int round = AdemcoHighSpeedMessage.ROUND_LENGTH;
        if (h.length() == round + 1) {
            if (!ContactIdChecksum.INSTANCE.isValid(h)) {
                return new Invalid(ContactIdError.BAD_CHECKSUM, -1, input, "digit sum is not a multiple of 15");
            }
            return new Valid(new AdemcoHighSpeedMessage(h.substring(0, 4), h.substring(4, 12), h.charAt(12),
                    ContactIdDigits.hexValue(h.charAt(13))));
        }
        if (h.length() == 2 * round) {
            for (int i = 0; i < round; i++) {
                if (h.charAt(i) != h.charAt(i + round)) {
                    return new Invalid(ContactIdError.ROUNDS_DIFFER, i + round, input, "rounds differ at digit " + i);
                }
            }
            return new Valid(new AdemcoHighSpeedMessage(h.substring(0, 4), h.substring(4, 12), h.charAt(12), 0));
        }
        return new Invalid(h.length() < round + 1 ? ContactIdError.TOO_SHORT : ContactIdError.TOO_LONG, -1, input,
                h.length() + " digits, 14 or 26 expected");
    }

    private static Object toHex(String input) {
        if (input.isEmpty()) {
            return new Invalid(ContactIdError.EMPTY, -1, input, "no digits");
        }
        if (input.length() > 64) {
            return new Invalid(ContactIdError.TOO_LONG, -1, input, input.length() + " digits");
        }
        StringBuilder sb = new StringBuilder(input.length());
        for (int i = 0; i < input.length(); i++) {
            int v = ContactIdDigits.keyValue(input.charAt(i));
            if (v < 0) {
                return new Invalid(ContactIdError.INVALID_CHARACTER, i, input, "'" + input.charAt(i) + "'");
            }
            sb.append(ContactIdDigits.hexChar(v));
        }
        return sb.toString();
    }
}
