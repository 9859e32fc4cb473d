package org.arc4j.core.testkit;

import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A {@link CredentialStore} held only in memory, unencrypted: for tests and embedding experiments. It
 * passes the same contract test as the encrypted vault, but a centre must not use it, since it keeps nothing
 * across a restart. Thread-safe.
 */
public final class InMemoryCredentialStore implements CredentialStore {
    private final ConcurrentHashMap<CredentialKey, Credential> map = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryCredentialStore() {
    }

    @Override
    public Optional<Credential> find(CredentialKey key) {
        return Optional.ofNullable(map.get(Objects.requireNonNull(key, "key")));
    }

    @Override
    public void put(CredentialKey key, Credential credential) {
        map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(credential, "credential"));
    }

    @Override
    public boolean remove(CredentialKey key) {
        return map.remove(key) != null;
    }

    @Override
    public Set<CredentialKey> keys(CredentialKind kind) {
        return map.keySet().stream().filter(k -> k.kind() == kind).collect(Collectors.toUnmodifiableSet());
    }
}
