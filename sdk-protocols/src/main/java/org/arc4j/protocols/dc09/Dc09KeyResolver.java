package org.arc4j.protocols.dc09;

/**
 * Where a {@link Dc09Decoder} finds the AES key of an encrypted frame, by the identifying fields of its header.
 * {@link Dc09Receiver} resolves keys from the {@code CredentialStore} (see there for the scopes). Called on
 * receive paths: implementations are thread-safe, fast and never block.
 */
public interface Dc09KeyResolver {
    /** A resolver that knows no keys: every encrypted frame is refused with {@link Dc09Error#NO_KEY}. */
    Dc09KeyResolver NONE = (receiver, line, account) -> null;

    /**
     * The key for a sender.
     *
     * @param receiver the receiver number as received, or null
     * @param line     the line prefix as received, or null
     * @param account  the account as received, or null
     * @return the key, or null when there is none
     */
    Dc09Key keyFor(String receiver, String line, String account);

    /**
     * Whether a known-weak key ({@link Dc09Key#isWeak()}) is accepted for this sender by an explicit,
     * audited override. The default accepts none.
     *
     * @param receiver the receiver number as received, or null
     * @param line     the line prefix as received, or null
     * @param account  the account as received, or null
     * @return true to accept the weak key
     */
    default boolean weakKeyAccepted(String receiver, String line, String account) {
        return false;
    }
}
