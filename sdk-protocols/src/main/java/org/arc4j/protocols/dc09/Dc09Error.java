package org.arc4j.protocols.dc09;

/**
 * What was wrong with bytes that did not decode as a DC-09 frame. The receiver's answer depends on it (see the
 * table in the package documentation): framing errors get no reply, undecryptable messages a {@code NAK},
 * frames it cannot understand a {@code DUH}.
 */
public enum Dc09Error {
    /** More bytes than the configured maximum frame size. */
    OVERSIZED(Kind.FRAMING),
    /** No LF where the frame must start. */
    NO_FRAME_START(Kind.FRAMING),
    /** No CR where the frame must end, or the bytes stop early. */
    TRUNCATED(Kind.FRAMING),
    /** The CRC and length fields do not have the form {@code CCCC0LLL} (nor the raw-CRC form). */
    BAD_HEADER(Kind.FRAMING),
    /** The CRC does not match the content (and, when tolerant, no CRC variant matches). */
    BAD_CRC(Kind.FRAMING),
    /** The length field does not match the content and the decoder is strict. */
    BAD_LENGTH(Kind.FRAMING),
    /** Neither the CRC nor the length field match the content. */
    BAD_CRC_AND_LENGTH(Kind.FRAMING),
    /** The id token is not one DC-09 defines. */
    UNKNOWN_TOKEN(Kind.CONTENT),
    /** The sequence number is not four decimal digits. */
    BAD_SEQUENCE(Kind.CONTENT),
    /** The receiver number is not 1–6 hex digits. */
    BAD_RECEIVER(Kind.CONTENT),
    /** The line prefix is not 1–6 hex digits. */
    BAD_LINE(Kind.CONTENT),
    /** The account is not 3–16 hex digits. */
    BAD_ACCOUNT(Kind.CONTENT),
    /** The data, extended data or what follows them is malformed. */
    BAD_BODY(Kind.CONTENT),
    /** A timestamp is present but malformed. */
    BAD_TIMESTAMP(Kind.CONTENT),
    /** The decoder is strict and the frame uses a tolerated {@link Dc09Variant}. */
    VARIANT_REFUSED(Kind.CONTENT),
    /** Encrypted, but no key is configured for the account. */
    NO_KEY(Kind.CRYPTO),
    /** Encrypted, but the key is a known-weak key and the account has no override. */
    WEAK_KEY(Kind.CRYPTO),
    /** Encrypted, but the ciphertext is malformed or does not decrypt to a valid block. */
    DECRYPT_FAILED(Kind.CRYPTO),
    /** Encrypted, but there is no timestamp (DC-09 requires one in encrypted messages). */
    MISSING_TIMESTAMP(Kind.CRYPTO);

    /** The class of an error, which decides the receiver's answer. */
    public enum Kind {
        /** The bytes are not a frame that can be trusted: no reply. */
        FRAMING,
        /** A sound frame whose content is not understood: {@code DUH}. */
        CONTENT,
        /** An encrypted frame that cannot be read: {@code NAK}. */
        CRYPTO
    }

    private final Kind kind;

    Dc09Error(Kind kind) {
        this.kind = kind;
    }

    /** @return the class of this error */
    public Kind kind() {
        return kind;
    }
}
