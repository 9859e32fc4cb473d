package org.arc4j.protocols.dc09.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09KeyResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves DC-09 keys from a {@link CredentialStore}: scope = the account as received, else {@code L<line>}
 * for a key shared by a receiver line. {@link Dc09Key}s (and their cached ciphers) are kept per scope for as
 * long as the store returns the same credential. Thread-safe, never blocks.
 */
public final class CredentialKeyResolver implements Dc09KeyResolver {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialKeyResolver.class);

    private record Cached(Credential credential, Dc09Key key) {
    }

    private final CredentialStore store;
    private final Metrics metrics;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Boolean> weakAudited = new ConcurrentHashMap<>();

    /**
     * @param store   where the keys are
     * @param metrics where weak-key overrides and unusable keys are counted
     */
    public CredentialKeyResolver(CredentialStore store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * The credential that holds the key for a sender, with the scope it was found under.
     *
     * @param line    the line prefix or null
     * @param account the account or null
     * @return the scope and credential, or empty
     */
    public Optional<Map.Entry<String, Credential>> credential(String line, String account) {
        if (account != null) {
            Optional<Credential> c = store.find(CredentialKey.of(CredentialKind.DC09_KEY, account));
            if (c.isPresent()) {
                return Optional.of(Map.entry(account, c.get()));
            }
        }
        if (line != null) {
            String scope = "L" + line;
            Optional<Credential> c = store.find(CredentialKey.of(CredentialKind.DC09_KEY, scope));
            if (c.isPresent()) {
                return Optional.of(Map.entry(scope, c.get()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Dc09Key keyFor(String receiver, String line, String account) {
        Optional<Map.Entry<String, Credential>> found = credential(line, account);
        if (found.isEmpty()) {
            return null;
        }
        String scope = found.get().getKey();
        Credential credential = found.get().getValue();
        Cached c = cache.get(scope);
        if (c != null && c.credential == credential) {
            return c.key;
        }
        try {
            Dc09Key key = Dc09Key.of(credential);
            cache.put(scope, new Cached(credential, key));
            return key;
        } catch (IllegalArgumentException e) {
            metrics.counter("dc09.keys", "outcome", "unusable").increment();
            LOG.error("DC-09 key for scope {} is not a valid key: {}", scope, e.getMessage());
            return null;
        }
    }

    @Override
    public boolean weakKeyAccepted(String receiver, String line, String account) {
        Optional<Map.Entry<String, Credential>> found = credential(line, account);
        boolean accepted = found.isPresent() && found.get().getValue().flag(Credential.OPTION_WEAK_KEY_ACCEPTED);
        if (accepted) {
            String scope = found.get().getKey();
            metrics.counter("dc09.keys", "outcome", "weak-accepted", "scope", scope).increment();
            if (weakAudited.putIfAbsent(scope, Boolean.TRUE) == null) {
                LOG.warn("DC-09 scope {} uses a known-weak key, accepted by its weakKeyAccepted override", scope);
            }
        } else {
            metrics.counter("dc09.keys", "outcome", "weak-refused").increment();
        }
        return accepted;
    }
}
