package org.arc4j.gb28181.manscdp;

/** What {@link ManscdpDecoder} made of a body: a document, or a typed error. Decoding never throws. */
public sealed interface ManscdpResult permits ManscdpResult.Decoded, ManscdpResult.Invalid {
    /**
     * A document.
     *
     * @param document the document
     */
    record Decoded(ManscdpDocument document) implements ManscdpResult {
    }

    /**
     * A refused body.
     *
     * @param error  what was wrong
     * @param detail the offending value or parser message
     */
    record Invalid(ManscdpError error, String detail) implements ManscdpResult {
        /** @return a reason phrase for a 400 */
        public String reason() {
            return "MANSCDP " + error.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (detail == null || detail.isEmpty() ? "" : ": " + detail);
        }
    }
}
