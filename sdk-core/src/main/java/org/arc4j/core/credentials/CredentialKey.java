package org.arc4j.core.credentials;

import java.util.Objects;

/**
 * What a credential belongs to: its kind and a scope within the kind, e.g. ({@link CredentialKind#DC09_KEY},
 * {@code "R1/L1/#1234"}) or ({@link CredentialKind#SIP_PASSWORD}, {@code "34020000001320000001"}).
 * Scopes are compared exactly; adapters document how they form them.
 *
 * @param kind  the kind
 * @param scope the scope
 */
public record CredentialKey(CredentialKind kind, String scope) {
    /** Validates both parts. */
    public CredentialKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * Shorthand constructor.
     *
     * @param kind  the kind
     * @param scope the scope
     * @return the key
     */
    public static CredentialKey of(CredentialKind kind, String scope) {
        return new CredentialKey(kind, scope);
    }
}
