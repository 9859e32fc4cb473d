package org.arc4j.protocols.contactid;

import java.util.Objects;
import org.arc4j.core.event.Qualifier;

/**
 * One Ademco Contact ID message (SIA DC-05): {@code ACCT MT Q XYZ GG CCC S}, sixteen digits.
 *
 * <ul>
 *   <li>{@code ACCT} the four-digit account (digits 0–9 and B–F);</li>
 *   <li>{@code MT} the message type, {@code 18} (or {@code 98}, which some receivers also accept);</li>
 *   <li>{@code Q} the qualifier: 1 new event or opening, 3 restore or closing, 6 previously reported;</li>
 *   <li>{@code XYZ} the three-digit event code, {@code GG} the partition (group), {@code CCC} the zone or
 *       user number, kept as sent;</li>
 *   <li>{@code S} the check digit: all sixteen values add up to a multiple of 15 (see {@link ContactIdChecksum}).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. The canonical constructor validates every field and the check digit and throws
 * {@link IllegalArgumentException}; messages from the wire go through {@link ContactIdDecoder}, which never
 * throws. {@link #of} computes the check digit.
 *
 * @param account     four digits in hex notation, e.g. {@code 1234}
 * @param messageType 18 or 98
 * @param qualifier   the qualifier
 * @param eventCode   three hex-notation digits, e.g. {@code 130}
 * @param partition   two hex-notation digits, e.g. {@code 01}
 * @param zone        three hex-notation digits, zone or user number, e.g. {@code 015}
 * @param checksum    the check digit's value, 1 to 15
 */
public record ContactIdMessage(String account, int messageType, Qualifier qualifier, String eventCode,
                               String partition, String zone, int checksum) {
    /** The number of digits in a message. */
    public static final int LENGTH = 16;

    /** Validates every field and the check digit. */
    public ContactIdMessage {
        field("account", account, 4);
        if (messageType != 18 && messageType != 98) {
            throw new IllegalArgumentException("message type must be 18 or 98, was " + messageType);
        }
        Objects.requireNonNull(qualifier, "qualifier");
        field("eventCode", eventCode, 3);
        field("partition", partition, 2);
        field("zone", zone, 3);
        int expected = ContactIdChecksum.INSTANCE.checkDigit(body(account, messageType, qualifier, eventCode,
                partition, zone));
        if (checksum != expected) {
            throw new IllegalArgumentException("check digit must be " + expected + ", was " + checksum);
        }
    }

    /**
     * A message of type 18 with its check digit computed.
     *
     * @param account   four hex-notation digits
     * @param qualifier the qualifier
     * @param eventCode three digits
     * @param partition two digits
     * @param zone      three digits
     * @return the message
     * @throws IllegalArgumentException for a malformed field
     */
    public static ContactIdMessage of(String account, Qualifier qualifier, String eventCode, String partition,
                                      String zone) {
        return of(account, 18, qualifier, eventCode, partition, zone);
    }

    /**
     * A message with its check digit computed.
     *
     * @param account     four hex-notation digits
     * @param messageType 18 or 98
     * @param qualifier   the qualifier
     * @param eventCode   three digits
     * @param partition   two digits
     * @param zone        three digits
     * @return the message
     * @throws IllegalArgumentException for a malformed field
     */
    public static ContactIdMessage of(String account, int messageType, Qualifier qualifier, String eventCode,
                                      String partition, String zone) {
        field("account", account, 4);
        field("eventCode", eventCode, 3);
        field("partition", partition, 2);
        field("zone", zone, 3);
        Objects.requireNonNull(qualifier, "qualifier");
        int check = ContactIdChecksum.INSTANCE.checkDigit(body(account, messageType, qualifier, eventCode,
                partition, zone));
        return new ContactIdMessage(account, messageType, qualifier, eventCode, partition, zone, check);
    }

    /** @return the sixteen digits in hex notation ({@code 0} for ten, {@code B}–{@code F}), e.g. {@code 1234181121010014} */
    public String digits() {
        return normalise(body(account, messageType, qualifier, eventCode, partition, zone))
                + ContactIdDigits.hexChar(checksum);
    }

    /** @return the sixteen digits as the DTMF keys a panel dials, e.g. {@code 777718111000001B} */
    public String dtmf() {
        return ContactIdDigits.hexToKeys(digits());
    }

    /** @return the partition as a number, or -1 when it holds a digit above nine */
    public int partitionNumber() {
        return decimal(partition);
    }

    /** @return the zone or user number as a number, or -1 when it holds a digit above nine */
    public int zoneNumber() {
        return decimal(zone);
    }

    @Override
    public String toString() {
        return account + " " + messageType + " " + qualifier.contactIdDigit() + " " + eventCode + " " + partition
                + " " + zone + " " + ContactIdDigits.hexChar(checksum);
    }

    private static String body(String account, int messageType, Qualifier qualifier, String eventCode,
                               String partition, String zone) {
        return account + messageType + qualifier.contactIdDigit() + eventCode + partition + zone;
    }

    private static String normalise(String hex) {
        StringBuilder sb = new StringBuilder(hex.length());
        for (int i = 0; i < hex.length(); i++) {
            sb.append(ContactIdDigits.hexChar(ContactIdDigits.hexValue(hex.charAt(i))));
        }
        return sb.toString();
    }

    private static int decimal(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static void field(String name, String value, int length) {
        Objects.requireNonNull(value, name);
        if (value.length() != length) {
            throw new IllegalArgumentException(name + " must have " + length + " digits: " + value);
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (ContactIdDigits.hexValue(c) < 0 || (c >= 'a' && c <= 'f') || c == 'A') {
                throw new IllegalArgumentException(name + " must be in hex notation (0-9, B-F): " + value);
            }
        }
    }
}
