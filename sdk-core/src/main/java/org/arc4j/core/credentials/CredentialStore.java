package org.arc4j.core.credentials;

import java.util.Optional;
import java.util.Set;

/**
 * Where adapters look up device credentials: DC-09 AES keys, GB/T 28181 SIP passwords, ONVIF logins.
 *
 * <p>Implementations are thread-safe; {@link #find} is called on receive paths (Netty event loops) and must
 * not block on I/O — implementations keep what they serve in memory. They never log, print or put a secret
 * into an exception message.
 */
public interface CredentialStore {
    /**
     * Looks a credential up.
     *
     * @param key what it belongs to
     * @return the credential, or empty if none is stored
     */
    Optional<Credential> find(CredentialKey key);

    /**
     * Stores or replaces a credential.
     *
     * @param key        what it belongs to
     * @param credential the credential
     */
    void put(CredentialKey key, Credential credential);

    /**
     * Removes a credential.
     *
     * @param key what it belongs to
     * @return true if one was removed
     */
    boolean remove(CredentialKey key);

    /**
     * The keys stored for a kind.
     *
     * @param kind the kind
     * @return a snapshot of the keys
     */
    Set<CredentialKey> keys(CredentialKind kind);
}
