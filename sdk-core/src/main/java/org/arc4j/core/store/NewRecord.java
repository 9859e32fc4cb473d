package org.arc4j.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A record to append. The payload is opaque to the store (usually JSON); the {@code subject} groups records
 * that belong together (a case id, an account, a user name) so that retention can be decided per subject.
 *
 * @param type    what it holds
 * @param version the payload format version, from 1
 * @param at      when it happened, on the centre's clock
 * @param subject what it belongs to, never null (empty when nothing)
 * @param payload the payload bytes (not copied: do not change them after appending)
 */
public record NewRecord(RecordType type, int version, Instant at, String subject, byte[] payload) {
    /** Validates the parts. */
    public NewRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
        if (version < 1 || version > 0xFFFF) {
            throw new IllegalArgumentException("version must be 1..65535: " + version);
        }
    }
}
