package org.arc4j.protocols.serial;

import java.util.Arrays;
import java.util.Objects;

/** What {@link ReceiverRecordDecoder} made of one framed record. */
public sealed interface RecordResult permits RecordResult.Decoded, RecordResult.Invalid {
    /** @return the record's bytes as received, terminator (and Ademco 685 header) included */
    byte[] raw();

    /**
     * A record understood.
     *
     * @param record the record
     * @param raw    its bytes as received
     */
    record Decoded(ReceiverRecord record, byte[] raw) implements RecordResult {
        /** Copies the bytes. */
        public Decoded {
            Objects.requireNonNull(record, "record");
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Decoded d && d.record.equals(record) && Arrays.equals(d.raw, raw);
        }

        @Override
        public int hashCode() {
            return record.hashCode() * 31 + Arrays.hashCode(raw);
        }
    }

    /**
     * A record not understood: answer NAK.
     *
     * @param error  what was wrong
     * @param raw    the bytes as received
     * @param detail a human-readable detail
     */
    record Invalid(RecordError error, byte[] raw, String detail) implements RecordResult {
        /** Copies the bytes. */
        public Invalid {
            Objects.requireNonNull(error, "error");
            raw = raw.clone();
            detail = detail == null ? "" : detail;
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Invalid i && i.error == error && Arrays.equals(i.raw, raw) && i.detail.equals(detail);
        }

        @Override
        public int hashCode() {
            return error.hashCode() * 31 + Arrays.hashCode(raw);
        }
    }
}
