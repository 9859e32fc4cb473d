package org.arc4j.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A record as the store returns it, with its position: a number that increases with every appended record
 * (gaps are allowed, e.g. after compaction) and orders the whole store.
 *
 * @param position its position in the store, from 1
 * @param type     what it holds
 * @param version  the payload format version
 * @param at       when it happened
 * @param subject  what it belongs to
 * @param payload  the payload bytes (a copy the caller owns)
 */
public record StoredRecord(long position, RecordType type, int version, Instant at, String subject,
                           byte[] payload) {
    /** Validates the parts. */
    public StoredRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(payload, "payload");
    }
}
