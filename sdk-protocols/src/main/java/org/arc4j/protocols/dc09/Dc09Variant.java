package org.arc4j.protocols.dc09;

/**
 * A deviation from DC-09 that real panels send and that the receiver tolerates unless it is configured
 * strict. The decoder tries them per frame in declaration order; each one accepted is counted per account
 * ({@link Dc09Receiver#variantCounts()}), so an integrator can see which panels are not conformant.
 */
public enum Dc09Variant {
    /** The CRC is sent as two raw bytes instead of four hex digits (Lupusec, OPAX). */
    RAW_CRC_BYTES,
    /** The CRC covers the terminating CR as well (Eldes). */
    CRC_INCLUDES_CR,
    /** The length field holds the length in decimal rather than hex (Eldes). */
    DECIMAL_LENGTH,
    /** The length field matches the content in neither hex nor decimal; the frame is bounded by its CR. */
    LENGTH_MISMATCH,
    /** Hex fields (CRC, length, receiver, line, account) are written in lower case. */
    LOWER_CASE_HEX,
    /** The line prefix {@code L} has no digits. */
    EMPTY_LINE_PREFIX,
    /** The header carries no {@code #acct}; the account is taken from the data block. */
    ACCOUNT_IN_DATA_ONLY,
    /** The data block's account lacks its {@code #} ({@code [1234|N…]}). */
    DATA_ACCOUNT_WITHOUT_HASH,
    /** The data block's account is empty ({@code [|N…]}). */
    EMPTY_DATA_ACCOUNT,
    /** A plain {@code NULL} poll without a timestamp. */
    NULL_WITHOUT_TIMESTAMP
}
