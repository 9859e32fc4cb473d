package org.arc4j.protocols.dc09;

/**
 * How a sender writes the CRC of its frames. The standard form is {@link #HEX}; the others are what real panels
 * send (see {@link Dc09Variant}). A receiver answers in the sender's own style so the panel accepts the reply.
 */
public enum Dc09CrcStyle {
    /** Four upper-case hex digits over the bytes from the id token's opening quote up to the CR (DC-09 §5.5.1.2). */
    HEX,
    /** The two CRC bytes themselves, most significant first (Lupusec/OPAX style); they may be LF or CR. */
    RAW_BYTES,
    /** Four hex digits, but computed over the CR as well (Eldes style). */
    HEX_INCLUDING_CR
}
