package org.arc4j.core.security;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How people change device credentials: every new DC-09 key, SIP or ONVIF password goes through the
 * {@link PasswordPolicy} (GA 1383 安全性、可靠性: "技术系统运行的密钥或编码不应是弱口令"), and every change is audited. A weak
 * credential is refused unless it carries {@link Credential#OPTION_WEAK_KEY_ACCEPTED} = {@code true} — the explicit
 * override for an installed panel whose key cannot be changed on site — and that override is itself an audit
 * entry naming the broken rules. Adapters keep reading the underlying {@link CredentialStore} directly.
 *
 * <p>Thread-safe if the store is.
 */
public final class DeviceCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceCredentials.class);

    private final CredentialStore store;
    private final PasswordPolicy policy;
    private final AuditLog audit;

    /**
     * Guarded access to a store.
     *
     * @param store  the store (usually a {@link CredentialVault})
     * @param policy the rules for weak keys and passwords
     * @param audit  the audit trail
     */
    public DeviceCredentials(CredentialStore store, PasswordPolicy policy, AuditLog audit) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Stores a credential after checking it.
     *
     * @param by         who, from where
     * @param key        what it belongs to
     * @param credential the credential
     * @return the check: accepted, or the broken rules that the override accepted
     * @throws PasswordRejectedException if weak and not explicitly overridden (nothing is stored)
     */
    public PasswordCheck put(Actor by, CredentialKey key, Credential credential) {
        PasswordCheck check = policy.checkDevice(key.kind(), credential);
        String target = target(key);
        boolean override = credential.flag(Credential.OPTION_WEAK_KEY_ACCEPTED);
        if (!check.accepted() && !override) {
            LOG.warn("weak {} for {} refused: {}", key.kind(), key.scope(), check.rules());
            audit(by, AuditAction.CREDENTIAL_CHANGE, target, Map.of("change", "rejected",
                    "rules", check.rules().toString()));
            throw new PasswordRejectedException(target, check);
        }
        boolean existed = store.find(key).isPresent();
        store.put(key, credential);
        if (!check.accepted()) {
            LOG.warn("weak {} for {} accepted by explicit override of {}: {}", key.kind(), key.scope(),
                    by.username(), check.rules());
            audit(by, AuditAction.OVERRIDE, target, Map.of("override", Credential.OPTION_WEAK_KEY_ACCEPTED,
                    "rules", check.rules().toString()));
        }
        Map<String, String> details = new TreeMap<>();
        details.put("change", existed ? "replaced" : "stored");
        if (credential.username() != null) {
            details.put("username", credential.username());
        }
        audit(by, AuditAction.CREDENTIAL_CHANGE, target, details);
        return check;
    }

    /**
     * Removes a credential.
     *
     * @param by  who, from where
     * @param key what it belongs to
     * @return true if one was removed
     */
    public boolean remove(Actor by, CredentialKey key) {
        boolean removed = store.remove(key);
        if (removed) {
            audit(by, AuditAction.CREDENTIAL_CHANGE, target(key), Map.of("change", "removed"));
        }
        return removed;
    }

    /**
     * Looks a credential up (pass-through to the store, not audited: adapters read on every message).
     *
     * @param key what it belongs to
     * @return the credential, or empty
     */
    public Optional<Credential> find(CredentialKey key) {
        return store.find(key);
    }

    private static String target(CredentialKey key) {
        return key.kind() + " " + key.scope();
    }

    private void audit(Actor by, AuditAction action, String target, Map<String, String> details) {
        audit.record(by, action, target, details).whenComplete((pos, e) -> {
            if (e != null) {
                LOG.error("audit entry {} on {} could not be stored", action, target, e);
            }
        });
    }
}
