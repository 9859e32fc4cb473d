package org.arc4j.protocols.dc09;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Dc09Decoder} made of some bytes: a {@link Valid} frame, or an {@link Invalid} result saying what
 * was wrong and carrying the offending bytes. Decoding never throws on bad input.
 */
public sealed interface Dc09DecodeResult permits Dc09DecodeResult.Valid, Dc09DecodeResult.Invalid {

    /**
     * A frame that decoded.
     *
     * @param frame    the frame
     * @param crcStyle how the sender writes its CRC; replies use the same
     * @param variants the tolerated deviations this frame used (empty for a conformant frame)
     * @param key      the key it was decrypted with, or null for a plain frame; replies are encrypted with it
     */
    record Valid(Dc09Frame frame, Dc09CrcStyle crcStyle, Set<Dc09Variant> variants, Dc09Key key)
            implements Dc09DecodeResult {
        /** Copies the variants. */
        public Valid {
            Objects.requireNonNull(frame, "frame");
            Objects.requireNonNull(crcStyle, "crcStyle");
            variants = variants.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(variants));
        }
    }

    /**
     * Bytes that are not a usable frame. The header fields are those read before the error (null when the
     * decoder did not get that far), so that a {@code DUH} or {@code NAK} can echo them.
     *
     * @param error     what was wrong
     * @param detail    a human-readable detail (never key material)
     * @param offending the bytes of the offending field or, for framing errors, of the whole frame
     * @param token     the token, or null
     * @param encrypted whether the token was marked encrypted
     * @param sequence  the sequence number, or null
     * @param receiver  the receiver number, or null
     * @param line      the line prefix, or null
     * @param account   the account, or null
     * @param crcStyle  the sender's CRC style when the framing was sound, else null
     * @param key       the account's key when one was found and usable, else null
     */
    record Invalid(Dc09Error error, String detail, byte[] offending, Dc09Token token, boolean encrypted,
                   String sequence, String receiver, String line, String account, Dc09CrcStyle crcStyle,
                   Dc09Key key) implements Dc09DecodeResult {
        /** Copies the bytes. */
        public Invalid {
            Objects.requireNonNull(error, "error");
            detail = detail == null ? "" : detail;
            offending = offending == null ? new byte[0] : offending.clone();
        }

        /** @return a copy of the offending bytes */
        @Override
        public byte[] offending() {
            return offending.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Invalid i && i.error == error && i.detail.equals(detail)
                    && Arrays.equals(i.offending, offending) && Objects.equals(i.sequence, sequence)
                    && Objects.equals(i.account, account);
        }

        @Override
        public int hashCode() {
            return Objects.hash(error, detail, Arrays.hashCode(offending));
        }

        @Override
        public String toString() {
            return "Invalid[" + error + ": " + detail + "]";
        }
    }
}
