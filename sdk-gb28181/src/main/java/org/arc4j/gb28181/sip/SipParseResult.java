package org.arc4j.gb28181.sip;

import java.util.Set;

/**
 * What {@link SipParser} made of some bytes: a message, a need for more bytes (stream framing only), or a
 * typed error. Parsing never throws on bad input.
 */
public sealed interface SipParseResult permits SipParseResult.Parsed, SipParseResult.Incomplete,
        SipParseResult.Invalid {

    /**
     * A message.
     *
     * @param message     the message
     * @param consumed    the bytes it took (on a stream, the next message starts there)
     * @param tolerances  the deviations tolerated, empty for a conforming message
     */
    record Parsed(SipMessage message, int consumed, Set<SipTolerance> tolerances) implements SipParseResult {
        /** Copies the set. */
        public Parsed {
            tolerances = Set.copyOf(tolerances);
        }
    }

    /** Stream framing: the bytes so far are a valid prefix; read more and parse again from the same start. */
    record Incomplete() implements SipParseResult {
    }

    /**
     * The bytes are not an acceptable SIP message.
     *
     * @param error     what was wrong
     * @param detail    a human-readable detail (the offending header name, the bad value)
     * @param offset    where in the input the problem was found
     * @param offending up to 64 bytes from {@code offset}, for the log
     * @param request   the start line was a Request-Line (a 400 may be sent if the headers allow)
     * @param headers   the headers read before the error, possibly empty, to address a 400
     * @param consumed  bytes to skip on a stream to resynchronise, or the whole input for a datagram
     */
    record Invalid(SipParseError error, String detail, int offset, byte[] offending, boolean request,
                   SipHeaders headers, int consumed) implements SipParseResult {
        /** @return the reason phrase for the 400 answer: the error's reason and the detail */
        public String reason() {
            return detail == null || detail.isEmpty() ? error.reason() : error.reason() + ": " + detail;
        }
    }
}
