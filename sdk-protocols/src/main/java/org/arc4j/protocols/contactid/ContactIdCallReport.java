package org.arc4j.protocols.contactid;

import java.util.List;
import java.util.Objects;

/**
 * What happened on one Contact ID call (SIA DC-05) a {@link ContactIdReceiverSession} answered: the messages
 * kissed off, the attempts it ignored, receipts refused, handshakes sent, and how the call ended. Times are
 * sample indices of the session's input stream at 8 kHz (divide by 8 for milliseconds). Immutable.
 *
 * @param startSample the first sample of the call
 * @param endSample   the sample at which the call ended (or the latest sample, for a call still running)
 * @param handshakes  handshakes sent
 * @param messages    messages received, accepted by the intake and kissed off, in order
 * @param rejected    messages ignored (bad checksum, too short, …) so that the panel repeated them
 * @param refusals    valid messages whose receipt was refused or did not come in time, so no kissoff was sent
 * @param ending      how the call ended, or null while it runs
 */
public record ContactIdCallReport(long startSample, long endSample, int handshakes, List<Delivery> messages,
                                  List<ContactIdDecodeResult.Invalid> rejected, int refusals, Ending ending) {
    /** Copies the lists. */
    public ContactIdCallReport {
        messages = List.copyOf(messages);
        rejected = List.copyOf(rejected);
    }

    /** @return attempts that did not end in a kissoff: rejected messages and refused receipts */
    public int retries() {
        return rejected.size() + refusals;
    }

    /**
     * One message that was kissed off.
     *
     * @param message          the message
     * @param firstDigitSample where its first digit began
     * @param lastDigitSample  where its last digit ended
     * @param receiptSample    when the intake's receipt was seen
     * @param kissoffSample    where the kissoff tone began
     */
    public record Delivery(ContactIdMessage message, long firstDigitSample, long lastDigitSample, long receiptSample,
                           long kissoffSample) {
        /** Validates the message is present. */
        public Delivery {
            Objects.requireNonNull(message, "message");
        }
    }

    /** How a call ended. */
    public enum Ending {
        /** No digit followed the last kissoff within the timeout: the panel had nothing more to send. */
        COMPLETED,
        /** No valid message after every handshake attempt. */
        NO_MESSAGE,
        /** The caller hung up the session (line dropped or call too long). */
        HUNG_UP,
        /** The call reached its maximum duration. */
        TOO_LONG
    }
}
