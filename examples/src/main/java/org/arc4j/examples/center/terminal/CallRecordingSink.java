package org.arc4j.examples.center.terminal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The call-recording SPI (GA 1383 记录存储与播放): the recordings of operators' phone calls — verifying an alarm with
 * the customer, forwarding it by phone — reach the centre through it. The integrator's telephony adapter (a PBX's
 * call recorder, a SIP recording server) calls {@link #store} when a call has ended; the reference centre's
 * implementation is {@link CallRecordings}, also reachable over HTTP ({@code POST /api/work/calls}).
 */
public interface CallRecordingSink {
    /** What a call was for. */
    enum Purpose {
        /** Verifying the alarm (GA 1383 报警复核: by phone within 5 min). */
        VERIFICATION,
        /** Forwarding it (GA 1383 警情转发: by phone within 2 min). */
        FORWARD
    }

    /**
     * A finished call.
     *
     * @param caseId    the case it was about
     * @param purpose   what for
     * @param operator  the operator who called
     * @param number    the number called
     * @param startedAt when it was set up
     * @param endedAt   when it ended
     */
    record Call(String caseId, Purpose purpose, String operator, String number, Instant startedAt, Instant endedAt) {
        /** Checks the fields. */
        public Call {
            Objects.requireNonNull(purpose, "purpose");
            if (caseId == null || !caseId.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException("case: a case id");
            }
            if (operator == null || operator.isBlank() || operator.length() > 100) {
                throw new IllegalArgumentException("operator: 1 to 100 characters");
            }
            if (number == null || !number.matches("[0-9+*# ()-]{1,40}")) {
                throw new IllegalArgumentException("number: 1 to 40 digits, + * # ( ) - or spaces");
            }
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(endedAt, "endedAt");
            if (endedAt.isBefore(startedAt)) {
                throw new IllegalArgumentException("endedAt: before startedAt");
            }
        }
    }

    /**
     * Keeps a call's recording with its case, durably, before it returns.
     *
     * @param call      the call
     * @param mediaType the audio's type
     * @param audio     the recording
     * @return what was stored ({@code call} is its id)
     * @throws IllegalArgumentException for audio of another type, empty or too large (the message names why)
     * @throws Exception                when it cannot be stored
     */
    ObjectNode store(Call call, String mediaType, byte[] audio) throws Exception;
}
