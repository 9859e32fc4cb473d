package org.arc4j.protocols.serial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.arc4j.core.event.Qualifier;

/**
 * Frames and decodes the byte stream of a hardware receiver's automation output: Sur-Gard records ended by DC4
 * and Ademco 685 records between LF and CR (see {@link ReceiverRecord}). Bounded: a record longer than
 * {@link #MAX_RECORD} bytes is reported as {@link RecordError#TOO_LONG} and skipped up to its terminator. Never
 * throws on bad input.
 *
 * <p>Not thread-safe: one decoder per link.
 */
public final class ReceiverRecordDecoder {
    /** The longest record accepted, terminator excluded. */
    public static final int MAX_RECORD = 64;

    /** Where the framer is. */
    private enum State { IDLE, SURGARD, ADEMCO_685, DISCARD }

    private final Consumer<RecordResult> sink;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(MAX_RECORD + 2);
    private State state = State.IDLE;

    /**
     * A decoder.
     *
     * @param sink receives each record or error as its terminator arrives
     */
    public ReceiverRecordDecoder(Consumer<RecordResult> sink) {
        this.sink = sink;
    }

    /**
     * Takes bytes from the link.
     *
     * @param data the bytes
     * @param off  first byte
     * @param len  number of bytes
     */
    public void offer(byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = data[i];
            switch (state) {
                case IDLE:
                    if (b == '\n') {
                        buf.reset();
                        buf.write(b);
                        state = State.ADEMCO_685;
                    } else if (b == ReceiverRecord.DC4) {
                        sink.accept(new RecordResult.Invalid(RecordError.EMPTY, new byte[] {b}, "DC4 alone"));
                    } else if (b != '\r' && b != 0) {
                        buf.reset();
                        buf.write(b);
                        state = State.SURGARD;
                    }
                    break;
                case SURGARD:
                    if (b == '\n') {
                        // a record header in the middle of a record: report what we have and resynchronise
                        sink.accept(new RecordResult.Invalid(RecordError.BAD_LENGTH, buf.toByteArray(),
                                "record cut short by LF"));
                        buf.reset();
                        buf.write(b);
                        state = State.ADEMCO_685;
                        break;
                    }
                    buf.write(b);
                    if (b == ReceiverRecord.DC4) {
                        sink.accept(surGard(buf.toByteArray()));
                        state = State.IDLE;
                    } else if (buf.size() > MAX_RECORD) {
                        tooLong();
                    }
                    break;
                case ADEMCO_685:
                    buf.write(b);
                    if (b == '\r') {
                        sink.accept(ademco685(buf.toByteArray()));
                        state = State.IDLE;
                    } else if (b == ReceiverRecord.DC4) {
                        // a Sur-Gard terminator: the LF was noise; resynchronise on it
                        sink.accept(new RecordResult.Invalid(RecordError.BAD_LAYOUT, buf.toByteArray(),
                                "DC4 inside an Ademco 685 record"));
                        state = State.IDLE;
                    } else if (buf.size() > MAX_RECORD) {
                        tooLong();
                    }
                    break;
                case DISCARD:
                    if (b == ReceiverRecord.DC4 || b == '\r') {
                        state = State.IDLE;
                    }
                    break;
                default:
                    throw new IllegalStateException(state.name());
            }
        }
    }

    private void tooLong() {
        sink.accept(new RecordResult.Invalid(RecordError.TOO_LONG, buf.toByteArray(),
                "no terminator within " + MAX_RECORD + " bytes"));
        state = State.DISCARD;
    }

    static RecordResult surGard(byte[] raw) {
        String s = new String(raw, 0, raw.length - 1, StandardCharsets.ISO_8859_1);
        if (s.length() != 20) {
            char type = s.isEmpty() ? '?' : s.charAt(0);
            if (type != '1' && type != '3' && type != '5') {
                return new RecordResult.Invalid(RecordError.UNKNOWN_TYPE, raw, "protocol '" + type + "'");
            }
            return new RecordResult.Invalid(RecordError.BAD_LENGTH, raw, s.length() + " characters, 20 expected");
        }
        String receiver = s.substring(1, 3);
        String line = s.substring(3, 4);
        if (!digits(receiver + line)) {
            return new RecordResult.Invalid(RecordError.BAD_FIELD, raw, "receiver and line must be digits");
        }
        try {
            switch (s.charAt(0)) {
                case '1':
                    if (!s.substring(4, 15).isBlank() || s.charAt(15) != '@' || !s.substring(16).isBlank()) {
                        return new RecordResult.Invalid(RecordError.BAD_LAYOUT, raw, "heartbeat layout");
                    }
                    return new RecordResult.Decoded(new ReceiverRecord.Heartbeat(receiver, line), raw);
                case '5': {
                    if (s.charAt(4) != ' ' || !s.startsWith("18", 5)) {
                        return new RecordResult.Invalid(RecordError.BAD_LAYOUT, raw, "expected ' 18' after RRL");
                    }
                    Qualifier q = ReceiverRecord.qualifierOf(s.charAt(11));
                    if (q == null) {
                        return new RecordResult.Invalid(RecordError.BAD_QUALIFIER, raw, "'" + s.charAt(11) + "'");
                    }
                    String account = s.substring(7, 11);
                    String rest = s.substring(12);
                    if (!hex(account) || !hex(rest)) {
                        return new RecordResult.Invalid(RecordError.BAD_FIELD, raw, "account, event, group, zone");
                    }
                    return new RecordResult.Decoded(new ReceiverRecord.SurGardContactId(receiver, line, account, q,
                            rest.substring(0, 3), rest.substring(3, 5), rest.substring(5, 8)), raw);
                }
                case '3': {
                    if (!s.substring(4, 8).isBlank()) {
                        return new RecordResult.Invalid(RecordError.BAD_LAYOUT, raw, "expected four spaces after RRL");
                    }
                    String account = s.substring(8, 14).stripLeading();
                    String code = s.substring(14, 16);
                    String zone = s.substring(16, 20);
                    if (account.isEmpty() || account.contains(" ") || !code.chars().allMatch(Character::isLetter)
                            || zone.contains(" ")) {
                        return new RecordResult.Invalid(RecordError.BAD_FIELD, raw, "account, code, zone");
                    }
                    return new RecordResult.Decoded(new ReceiverRecord.SurGardSia(receiver, line, account, code, zone),
                            raw);
                }
                default:
                    return new RecordResult.Invalid(RecordError.UNKNOWN_TYPE, raw, "protocol '" + s.charAt(0) + "'");
            }
        } catch (IllegalArgumentException e) {
            return new RecordResult.Invalid(RecordError.BAD_FIELD, raw, e.getMessage());
        }
    }

    static RecordResult ademco685(byte[] raw) {
        String s = new String(raw, 1, raw.length - 2, StandardCharsets.ISO_8859_1);
        if (s.length() != 23) {
            return new RecordResult.Invalid(RecordError.BAD_LENGTH, raw, s.length() + " characters, 23 expected");
        }
        if (s.charAt(2) != ' ' || s.charAt(7) != ' ' || !s.startsWith("18 ", 8) || s.charAt(15) != ' '
                || s.charAt(18) != ' ' || (s.charAt(19) != 'C' && s.charAt(19) != 'U')) {
            return new RecordResult.Invalid(RecordError.BAD_LAYOUT, raw, "Ademco 685 Contact ID layout");
        }
        Qualifier q = ReceiverRecord.qualifierOf(s.charAt(11));
        if (q == null) {
            return new RecordResult.Invalid(RecordError.BAD_QUALIFIER, raw, "'" + s.charAt(11) + "'");
        }
        String account = s.substring(3, 7);
        String event = s.substring(12, 15);
        String group = s.substring(16, 18);
        String zone = s.substring(20, 23);
        if (!digits(s.substring(0, 2)) || !hex(account) || !hex(event + group + zone)) {
            return new RecordResult.Invalid(RecordError.BAD_FIELD, raw, "receiver, account, event, group, zone");
        }
        return new RecordResult.Decoded(new ReceiverRecord.Ademco685ContactId(s.substring(0, 1), s.substring(1, 2),
                account, q, event, group, s.charAt(19) == 'U', zone), raw);
    }

    private static boolean digits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean hex(String s) {
        return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'B' && c <= 'F'));
    }
}
