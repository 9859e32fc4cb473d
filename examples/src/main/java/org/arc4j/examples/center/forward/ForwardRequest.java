package org.arc4j.examples.center.forward;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One forward of a case to a recipient, as journalled and as delivered.
 *
 * @param id        the forward's id, stable over retries and restarts ({@code caseId/recipient})
 * @param caseId    the case
 * @param recipient the target's name
 * @param body      the JSON the recipient gets (UTF-8)
 * @param startedAt when the case was forwarded
 */
public record ForwardRequest(String id, String caseId, String recipient, String body, Instant startedAt) {
    /** Validates the parts. */
    public ForwardRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * @param caseId    the case
     * @param recipient the recipient
     * @return the forward's id
     */
    public static String idOf(String caseId, String recipient) {
        return caseId + "/" + recipient;
    }

    /** @return the body's bytes */
    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
