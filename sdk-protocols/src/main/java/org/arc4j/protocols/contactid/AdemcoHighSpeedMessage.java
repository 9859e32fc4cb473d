package org.arc4j.protocols.contactid;

import java.util.Objects;

/**
 * An Ademco High Speed message (also published as "Super Fast"): a four-digit account, eight channel digits and a
 * status digit, thirteen digits in all. Channel values: 1 new event, 2 opening, 3 restore, 4 closing, 5 normal
 * (nothing to report), 6 previously reported; with open/close reports channel 1 carries the user number. The status
 * digit says what the channels report (1 duress plus channels 9–15, 2 opening, 3 bypass, 4 closing, 5 trouble,
 * 6 system status, 7 alarm, …). A panel sends it either twice ("double round", verified by comparing the rounds)
 * or once followed by a mod-15 check digit ("single round with checksum"). Immutable and thread-safe.
 *
 * @param account  four hex-notation digits
 * @param channels eight hex-notation channel digits
 * @param status   the status digit, hex notation
 * @param checksum the check digit value 1..15 for a single round with checksum, or 0 for a double round
 */
public record AdemcoHighSpeedMessage(String account, String channels, char status, int checksum)
        implements AdemcoMessage {

    /** Digits in one round without check digit. */
    public static final int ROUND_LENGTH = 13;

    /** Validates the fields and, when present, the check digit. */
    public AdemcoHighSpeedMessage {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(channels, "channels");
        if (account.length() != 4 || channels.length() != 8 || ContactIdDigits.hexValue(status) < 0) {
            throw new IllegalArgumentException("account 4 digits, channels 8 digits and a status digit required");
        }
        if (checksum != 0) {
            int expected = ContactIdChecksum.INSTANCE.checkDigit(account + channels + status);
            if (checksum != expected) {
                throw new IllegalArgumentException("check digit must be " + expected + ", was " + checksum);
            }
        }
    }

    /**
     * A single-round message with its check digit computed.
     *
     * @param account  four digits
     * @param channels eight channel digits
     * @param status   the status digit
     * @return the message
     */
    public static AdemcoHighSpeedMessage withChecksum(String account, String channels, char status) {
        return new AdemcoHighSpeedMessage(account, channels, status,
                ContactIdChecksum.INSTANCE.checkDigit(account + channels + status));
    }

    /**
     * The state of one channel.
     *
     * @param channel 1 to 8
     * @return the channel digit's value, 1..15
     */
    public int channel(int channel) {
        if (channel < 1 || channel > 8) {
            throw new IllegalArgumentException("channel must be 1..8: " + channel);
        }
        return ContactIdDigits.hexValue(channels.charAt(channel - 1));
    }

    /** @return one round in hex notation, followed by the check digit for a single round with checksum */
    @Override
    public String digits() {
        String round = ContactIdDigits.keysToHex(ContactIdDigits.hexToKeys(account + channels + status));
        return checksum == 0 ? round : round + ContactIdDigits.hexChar(checksum);
    }
}
