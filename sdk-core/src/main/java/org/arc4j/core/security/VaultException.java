package org.arc4j.core.security;

import java.util.Objects;

/**
 * A {@link CredentialVault} or {@link KeyEncryptionKey} failure, typed by {@link Reason}. Messages name files and
 * variables, never key material or credentials.
 */
public final class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** The environment variable or file that should hold the key-encryption key is missing. */
        KEK_MISSING,
        /** The key-encryption key is not 32 bytes written as 64 hex digits or Base64. */
        KEK_MALFORMED,
        /** The key-encryption key is weak (all zero, sequential, a repeated pattern). */
        KEK_WEAK,
        /** The key-encryption key file lies inside the data directory, beside what it protects. */
        KEK_INSIDE_DATA_DIRECTORY,
        /** The key-encryption key file can be read by other users. */
        KEK_FILE_EXPOSED,
        /** The vault was encrypted under another key-encryption key. */
        WRONG_KEK,
        /** The vault file is damaged or was tampered with. */
        CORRUPT,
        /** Reading or writing the vault file failed. */
        IO
    }

    private final Reason reason;

    /**
     * An exception.
     *
     * @param reason  what went wrong
     * @param message details (no secrets)
     * @param cause   the cause, or null
     */
    public VaultException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * An exception without a cause.
     *
     * @param reason  what went wrong
     * @param message details (no secrets)
     */
    public VaultException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** @return what went wrong */
    public Reason reason() {
        return reason;
    }
}
