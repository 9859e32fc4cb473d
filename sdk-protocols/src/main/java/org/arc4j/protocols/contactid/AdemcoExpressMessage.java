package org.arc4j.protocols.contactid;

import java.util.Objects;

/**
 * An Ademco Express message: {@code AAAA 17 E C} (4+1) or {@code AAAA 27 EE C} (4+2), sent in DTMF with one check
 * digit by the same mod-15 rule as Contact ID ({@link ContactIdChecksum}; {@code 0} counts ten, no digit is zero).
 * Immutable and thread-safe.
 *
 * @param format   4+1 or 4+2
 * @param account  four hex-notation digits
 * @param event    the event code, one digit (4+1) or two (4+2), hex notation
 * @param checksum the check digit value, 1 to 15
 */
public record AdemcoExpressMessage(Format format, String account, String event, int checksum) implements AdemcoMessage {

    /** The two Express formats, named by their format identifier digits. */
    public enum Format {
        /** 4+1: four-digit account, identifier {@code 17}, one event digit, check digit (8 digits). */
        FOUR_PLUS_ONE("17", 1),
        /** 4+2: four-digit account, identifier {@code 27}, two event digits, check digit (9 digits). */
        FOUR_PLUS_TWO("27", 2);

        private final String identifier;
        private final int eventDigits;

        Format(String identifier, int eventDigits) {
            this.identifier = identifier;
            this.eventDigits = eventDigits;
        }

        /** @return the format identifier sent after the account */
        public String identifier() {
            return identifier;
        }

        /** @return how many event digits the format carries */
        public int eventDigits() {
            return eventDigits;
        }

        /** @return the length of a whole message, check digit included */
        public int length() {
            return 4 + 2 + eventDigits + 1;
        }
    }

    /** Validates fields and check digit. */
    public AdemcoExpressMessage {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(event, "event");
        if (account.length() != 4 || event.length() != format.eventDigits()) {
            throw new IllegalArgumentException("account must have 4 digits and event " + format.eventDigits());
        }
        int expected = ContactIdChecksum.INSTANCE.checkDigit(account + format.identifier() + event);
        if (checksum != expected) {
            throw new IllegalArgumentException("check digit must be " + expected + ", was " + checksum);
        }
    }

    /**
     * A message with its check digit computed.
     *
     * @param format  the format
     * @param account four hex-notation digits
     * @param event   the event digits
     * @return the message
     */
    public static AdemcoExpressMessage of(Format format, String account, String event) {
        return new AdemcoExpressMessage(format, account, event,
                ContactIdChecksum.INSTANCE.checkDigit(account + format.identifier() + event));
    }

    @Override
    public String digits() {
        return ContactIdDigits.keysToHex(ContactIdDigits.hexToKeys(account + format.identifier() + event))
                + ContactIdDigits.hexChar(checksum);
    }
}
