package org.arc4j.protocols.dc09;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A SIA DC-09 message, {@code LF crc 0LLL "id" seq Rrcvr Lpref #acct [data] [x-data…] timestamp CR}
 * (DC-09 §5.5), as an immutable value: everything a frame says, with the CRC, length and (for encrypted
 * frames) the pad and hex encoding stripped away. Identifying fields are kept as text exactly as received
 * (leading zeros, letters), without their {@code R}, {@code L}, {@code #} markers.
 *
 * <p>Thread-safe. Encode it with {@link Dc09Encoder}; decode bytes with {@link Dc09Decoder}.
 *
 * @param token        the message type (DC-09 §5.5.1.4)
 * @param encrypted    whether the frame is (to be) AES-encrypted, written {@code "*TOKEN"} (DC-09 §5.5.1.4)
 * @param sequence     the sequence number, four decimal digits {@code 0000}–{@code 9999} (§5.5.1.5)
 * @param receiver     the receiver number, 1–6 hex digits, or null when absent (§5.5.1.6)
 * @param line         the line prefix, up to 6 hex digits (empty for a bare {@code L}), or null when absent (§5.5.1.6)
 * @param account      the account, 1–16 hex digits (3–16 for reports; a {@code NAK} carries {@code 0}), or null (§5.5.1.6)
 * @param data         the data between {@code [} and {@code ]}, pad removed; empty for {@code []} (message data, §5.5.1.7)
 * @param extendedData the extended data blocks after the data, in order
 * @param timestamp    the sender's timestamp (UTC, whole seconds), or null when absent (DC-09 timestamp field)
 */
public record Dc09Frame(Dc09Token token, boolean encrypted, String sequence, String receiver, String line,
                        String account, String data, List<Dc09ExtendedData> extendedData, Instant timestamp) {

    /** Validates every field against DC-09's character sets and lengths. */
    public Dc09Frame {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(sequence, "sequence");
        if (sequence.length() != 4 || !isDigits(sequence)) {
            throw new IllegalArgumentException("sequence must be four decimal digits: " + sequence);
        }
        if (receiver != null && (receiver.isEmpty() || receiver.length() > 6 || !isHex(receiver))) {
            throw new IllegalArgumentException("receiver must be 1-6 hex digits: " + receiver);
        }
        if (line != null && (line.length() > 6 || !isHex(line))) {
            throw new IllegalArgumentException("line prefix must be up to 6 hex digits: " + line);
        }
        if (account != null && (account.isEmpty() || account.length() > 16 || !isHex(account))) {
            throw new IllegalArgumentException("account must be 1-16 hex digits: " + account);
        }
        data = data == null ? "" : data;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c < 0x20 || c > 0x7E || c == ']' || c == '[') {
                throw new IllegalArgumentException("data has a forbidden character at " + i);
            }
        }
        extendedData = extendedData == null ? List.of() : List.copyOf(extendedData);
        if (timestamp != null && timestamp.getNano() != 0) {
            timestamp = Instant.ofEpochSecond(timestamp.getEpochSecond());
        }
    }

    /**
     * A report or reply without extended data.
     *
     * @param token     the token
     * @param encrypted whether encrypted
     * @param sequence  the sequence number
     * @param receiver  the receiver number or null
     * @param line      the line prefix or null
     * @param account   the account or null
     * @param data      the data
     * @param timestamp the timestamp or null
     * @return the frame
     */
    public static Dc09Frame of(Dc09Token token, boolean encrypted, String sequence, String receiver, String line,
                               String account, String data, Instant timestamp) {
        return new Dc09Frame(token, encrypted, sequence, receiver, line, account, data, List.of(), timestamp);
    }

    /**
     * The first extended data block with a letter.
     *
     * @param id the letter
     * @return its value, or null
     */
    public String extended(char id) {
        for (Dc09ExtendedData x : extendedData) {
            if (x.id() == id) {
                return x.value();
            }
        }
        return null;
    }

    /**
     * This frame with another timestamp (a transmitter correcting its clock after a {@code NAK}).
     *
     * @param at the new timestamp, or null
     * @return the copy
     */
    public Dc09Frame withTimestamp(Instant at) {
        return new Dc09Frame(token, encrypted, sequence, receiver, line, account, data, extendedData, at);
    }

    static boolean isDigits(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isHex(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }
}
