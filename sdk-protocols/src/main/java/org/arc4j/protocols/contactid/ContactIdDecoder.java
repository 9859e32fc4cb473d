package org.arc4j.protocols.contactid;

import org.arc4j.core.event.Qualifier;

/**
 * Decodes Ademco Contact ID messages (SIA DC-05) from hex notation (receiver printouts, automation records) or
 * from the DTMF keys a panel dialled. Never throws on bad input: every defect is a
 * {@link ContactIdDecodeResult.Invalid} naming a {@link ContactIdError}.
 *
 * <p>Checks run in the order that tells a line fault from a panel fault: characters, length, checksum (a digit
 * corrupted on the line fails here), then the meaning of the fields (a message with a good checksum and a bad
 * field was sent that way). Event code, partition and zone digits above nine are kept as received, so that a
 * message from a panel with a code arc4j does not know is never dropped.
 *
 * <p>Stateless singleton, thread-safe.
 */
public final class ContactIdDecoder {
    /** The instance. */
    public static final ContactIdDecoder INSTANCE = new ContactIdDecoder();

    /** Where the decoder is within the sixteen digits. */
    private enum State { ACCOUNT, MESSAGE_TYPE, QUALIFIER, EVENT_CODE, PARTITION, ZONE, CHECKSUM, DONE }

    /** The notation of the input. */
    private enum Notation { HEX, DTMF }

    private ContactIdDecoder() {
    }

    /**
     * Decodes sixteen digits in hex notation ({@code 0} for ten, {@code B}–{@code F}).
     *
     * @param digits the characters received
     * @return the message or why it is invalid
     */
    public ContactIdDecodeResult decodeDigits(CharSequence digits) {
        return decode(digits, Notation.HEX);
    }

    /**
     * Decodes sixteen DTMF keys ({@code 0}–{@code 9}, {@code *}, {@code #}, {@code A}–{@code C}).
     *
     * @param keys the keys detected
     * @return the message or why it is invalid
     */
    public ContactIdDecodeResult decodeDtmf(CharSequence keys) {
        return decode(keys, Notation.DTMF);
    }

    private ContactIdDecodeResult decode(CharSequence in, Notation notation) {
        String input = in == null ? "" : in.toString();
        if (input.isEmpty()) {
            return new ContactIdDecodeResult.Invalid(ContactIdError.EMPTY, -1, input, "no digits");
        }
        int n = Math.min(input.length(), ContactIdMessage.LENGTH + 1);
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            int v = notation == Notation.HEX ? ContactIdDigits.hexValue(c) : ContactIdDigits.keyValue(c);
            if (v < 0) {
                return new ContactIdDecodeResult.Invalid(ContactIdError.INVALID_CHARACTER, i, input,
                        "'" + c + "' is not a " + (notation == Notation.HEX ? "hex-notation digit" : "Contact ID DTMF key"));
            }
            values[i] = v;
        }
        if (input.length() < ContactIdMessage.LENGTH) {
            return new ContactIdDecodeResult.Invalid(ContactIdError.TOO_SHORT, -1, input,
                    input.length() + " digits, 16 expected");
        }
        if (input.length() > ContactIdMessage.LENGTH) {
            return new ContactIdDecodeResult.Invalid(ContactIdError.TOO_LONG, -1, input,
                    input.length() + " digits, 16 expected");
        }
        int sum = 0;
        for (int v : values) {
            sum += v;
        }
        if (sum % 15 != 0) {
            return new ContactIdDecodeResult.Invalid(ContactIdError.BAD_CHECKSUM, -1, input,
                    "digit sum " + sum + " is not a multiple of 15");
        }
        StringBuilder hex = new StringBuilder(ContactIdMessage.LENGTH);
        for (int v : values) {
            hex.append(ContactIdDigits.hexChar(v));
        }
        String account = null;
        int messageType = 0;
        Qualifier qualifier = null;
        String eventCode = null;
        String partition = null;
        String zone = null;
        int checksum = 0;
        State state = State.ACCOUNT;
        while (state != State.DONE) {
            switch (state) {
                case ACCOUNT:
                    account = hex.substring(0, 4);
                    state = State.MESSAGE_TYPE;
                    break;
                case MESSAGE_TYPE: {
                    String mt = hex.substring(4, 6);
                    if (!mt.equals("18") && !mt.equals("98")) {
                        return new ContactIdDecodeResult.Invalid(ContactIdError.UNKNOWN_MESSAGE_TYPE, 4, input,
                                "message type " + mt + ", 18 or 98 expected");
                    }
                    messageType = Integer.parseInt(mt);
                    state = State.QUALIFIER;
                    break;
                }
                case QUALIFIER: {
                    int q = values[6];
                    if (q != 1 && q != 3 && q != 6) {
                        return new ContactIdDecodeResult.Invalid(ContactIdError.UNKNOWN_QUALIFIER, 6, input,
                                "qualifier " + hex.charAt(6) + ", 1, 3 or 6 expected");
                    }
                    qualifier = Qualifier.ofContactIdDigit(q);
                    state = State.EVENT_CODE;
                    break;
                }
                case EVENT_CODE:
                    eventCode = hex.substring(7, 10);
                    state = State.PARTITION;
                    break;
                case PARTITION:
                    partition = hex.substring(10, 12);
                    state = State.ZONE;
                    break;
                case ZONE:
                    zone = hex.substring(12, 15);
                    state = State.CHECKSUM;
                    break;
                case CHECKSUM:
                    checksum = values[15];
                    state = State.DONE;
                    break;
                default:
                    throw new IllegalStateException(state.name());
            }
        }
        return new ContactIdDecodeResult.Valid(new ContactIdMessage(account, messageType, qualifier, eventCode,
                partition, zone, checksum));
    }
}
