package org.arc4j.protocols.serial;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.arc4j.core.event.Qualifier;

/**
 * One record of a hardware alarm receiver's automation output, as central-station software reads it from the
 * receiver's RS-232 port: the Sur-Gard MLR2 / System 5 records (ended by DC4, 0x14) and the Ademco 685 Contact ID
 * record (LF … CR), laid out as the receivers' installation manuals describe them.
 *
 * <ul>
 *   <li>{@link Heartbeat}: {@code 1RRL} + 11 spaces + {@code @} + 4 spaces, DC4 (e.g. {@code 1011␣…@␣␣␣␣});</li>
 *   <li>{@link SurGardContactId}: {@code 5RRL␣18AAAAQXYZGGCCC} DC4 with Q {@code E} new event / opening,
 *       {@code R} restore / closing, {@code P} previously reported;</li>
 *   <li>{@link SurGardSia}: {@code 3RRL␣␣␣␣AAAAAAXXYYYY} DC4, the account right-aligned in six characters;</li>
 *   <li>{@link Ademco685ContactId}: LF {@code RG␣AAAA␣18␣QXYZ␣GG␣TCCC} CR with R the receiver and G the group
 *       digit, T {@code C} for a zone or {@code U} for a user.</li>
 * </ul>
 *
 * <p>Immutable values; {@link #encode()} gives the bytes on the wire including terminator.
 */
public sealed interface ReceiverRecord permits ReceiverRecord.Heartbeat, ReceiverRecord.SurGardContactId,
        ReceiverRecord.SurGardSia, ReceiverRecord.Ademco685ContactId {
    /** The Sur-Gard record terminator, DC4. */
    byte DC4 = 0x14;
    /** Acknowledgement, ACK. */
    byte ACK = 0x06;
    /** Negative acknowledgement, NAK. */
    byte NAK = 0x15;

    /** @return the bytes on the wire, terminator included */
    byte[] encode();

    /** @return the receiver number as received */
    String receiver();

    /** @return the line (or, for the Ademco 685, group) number as received */
    String line();

    /**
     * The Sur-Gard letter for a qualifier.
     *
     * @param q the qualifier
     * @return {@code E}, {@code R} or {@code P}
     */
    static char qualifierLetter(Qualifier q) {
        switch (q) {
            case NEW_EVENT: return 'E';
            case RESTORE: return 'R';
            default: return 'P';
        }
    }

    /**
     * The qualifier for a Sur-Gard / Ademco 685 letter.
     *
     * @param c the letter
     * @return the qualifier, or null for another character
     */
    static Qualifier qualifierOf(char c) {
        switch (c) {
            case 'E': return Qualifier.NEW_EVENT;
            case 'R': return Qualifier.RESTORE;
            case 'P': return Qualifier.PREVIOUSLY_REPORTED;
            default: return null;
        }
    }

    /**
     * The receiver's heartbeat, sent while it is idle so that the automation software knows the link is up.
     *
     * @param receiver two digits
     * @param line     one digit
     */
    record Heartbeat(String receiver, String line) implements ReceiverRecord {
        /** Validates the field widths. */
        public Heartbeat {
            width("receiver", receiver, 2);
            width("line", line, 1);
        }

        @Override
        public byte[] encode() {
            return ascii("1" + receiver + line + "           @    ", true);
        }
    }

    /**
     * A Contact ID event as a Sur-Gard receiver passes it on.
     *
     * @param receiver  two digits
     * @param line      one digit
     * @param account   four characters
     * @param qualifier the qualifier
     * @param event     three digits
     * @param group     two digits (partition)
     * @param zone      three digits (zone or user)
     */
    record SurGardContactId(String receiver, String line, String account, Qualifier qualifier, String event,
                            String group, String zone) implements ReceiverRecord {
        /** Validates the field widths. */
        public SurGardContactId {
            width("receiver", receiver, 2);
            width("line", line, 1);
            width("account", account, 4);
            Objects.requireNonNull(qualifier, "qualifier");
            width("event", event, 3);
            width("group", group, 2);
            width("zone", zone, 3);
        }

        @Override
        public byte[] encode() {
            return ascii("5" + receiver + line + " 18" + account + qualifierLetter(qualifier) + event + group + zone,
                    true);
        }
    }

    /**
     * A SIA event as a Sur-Gard receiver passes it on.
     *
     * @param receiver two digits
     * @param line     one digit
     * @param account  one to six characters (right-aligned in six on the wire)
     * @param code     the two-letter SIA event code
     * @param zone     four characters (zone, user or area)
     */
    record SurGardSia(String receiver, String line, String account, String code, String zone)
            implements ReceiverRecord {
        /** Validates the field widths. */
        public SurGardSia {
            width("receiver", receiver, 2);
            width("line", line, 1);
            Objects.requireNonNull(account, "account");
            if (account.isEmpty() || account.length() > 6 || account.contains(" ")) {
                throw new IllegalArgumentException("account must have 1 to 6 characters: " + account);
            }
            width("code", code, 2);
            width("zone", zone, 4);
        }

        @Override
        public byte[] encode() {
            return ascii("3" + receiver + line + "    " + " ".repeat(6 - account.length()) + account + code + zone,
                    true);
        }
    }

    /**
     * A Contact ID event in the Ademco 685 receiver's computer format.
     *
     * @param receiver  one digit
     * @param line      one digit, the receiver group
     * @param account   four characters
     * @param qualifier the qualifier
     * @param event     three digits
     * @param group     two digits (partition)
     * @param user      true when the last field is a user ({@code U}), false for a zone ({@code C})
     * @param zone      three digits
     */
    record Ademco685ContactId(String receiver, String line, String account, Qualifier qualifier, String event,
                              String group, boolean user, String zone) implements ReceiverRecord {
        /** Validates the field widths. */
        public Ademco685ContactId {
            width("receiver", receiver, 1);
            width("line", line, 1);
            width("account", account, 4);
            Objects.requireNonNull(qualifier, "qualifier");
            width("event", event, 3);
            width("group", group, 2);
            width("zone", zone, 3);
        }

        @Override
        public byte[] encode() {
            String body = "\n" + receiver + line + " " + account + " 18 " + qualifierLetter(qualifier) + event + " "
                    + group + " " + (user ? 'U' : 'C') + zone + "\r";
            return body.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static void width(String name, String v, int n) {
        Objects.requireNonNull(v, name);
        if (v.length() != n) {
            throw new IllegalArgumentException(name + " must have " + n + " characters: '" + v + "'");
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(name + " must be printable ASCII: '" + v + "'");
            }
        }
    }

    private static byte[] ascii(String s, boolean dc4) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (!dc4) {
            return b;
        }
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        out[b.length] = DC4;
        return out;
    }
}
