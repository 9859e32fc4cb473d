package org.arc4j.examples.center.api;

import static org.arc4j.examples.center.api.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.PasswordCheck;
import org.arc4j.core.security.PasswordPolicy;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.CenterModel;
import org.arc4j.examples.center.admin.AdminStore;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code PUT /api/accounts/{account}}: creates or changes a panel account (customer, site, receiver, line,
 * transport, poll interval; needs {@code MANAGE_CUSTOMERS}) and sets its DC-09 key (DC-09 §5.5.1.9 encryption;
 * also needs {@code MANAGE_DEVICES}). The account change is journalled by the {@link CenterModel}; the key goes
 * to the encrypted vault, never to the journal, and its change is audited. Thread-safe.
 */
final class AccountResource {
    private final AccessGuard guard;
    private final CenterModel model;
    private final CredentialVault vault;
    private final PasswordPolicy policy;
    private final AuditLog audit;

    AccountResource(AccessGuard guard, CenterModel model, CredentialVault vault, PasswordPolicy policy,
                    AuditLog audit) {
        this.guard = guard;
        this.model = model;
        this.vault = vault;
        this.policy = policy;
        this.audit = audit;
    }

    HttpResponse put(HttpRequest r) {
        String account = r.param("account");
        if (!account.matches("[0-9A-Fa-f]{3,16}")) {
            throw ApiException.badRequest("the account must be 3 to 16 hex digits");
        }
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
        String key = text(b, "dc09Key");
        if (key != null) {
            guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        }
        ObjectNode change = ((ObjectNode) b).deepCopy();
        change.remove("dc09Key");
        change.remove("keyFormat");
        Credential cred = null;
        if (key != null) {
            boolean textKey = "text".equalsIgnoreCase(text(b, "keyFormat"));
            if (!textKey && !key.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64}")) {
                throw ApiException.badRequest("dc09Key must be an AES-128, -192 or -256 key: 32, 48 or 64 hex digits");
            }
            Secret secret = textKey ? Secret.ofUtf8(key) : Secret.ofHex(key);
            PasswordCheck check = policy.checkDeviceKey(secret);
            if (!check.accepted()) {
                throw ApiException.badRequest("dc09Key refused: " + Fields.brokenRules(check));
            }
            cred = new Credential(null, secret, Map.of(Credential.OPTION_KEY_FORMAT, textKey ? "text" : "hex",
                    "source", "api"));
        }
        Credential key2 = cred;
        // customer data and a key are configuration: backed up before and after (GA 1383 数据维护)
        model.backups().around("put account " + account, () -> {
            if (change.size() > 0 || key == null) {
                try {
                    // a journal failure or a 30 s stall is a 500 here (the case actions answer a stall with 503)
                    AdminStore.durable(model.changeAccount(account, change, s.username()));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(e.getMessage());
                }
            }
            if (key2 != null) {
                vault.put(CredentialKey.of(CredentialKind.DC09_KEY, account), key2);
                AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()),
                        AuditAction.CREDENTIAL_CHANGE, "dc09:" + account, Map.of("kind", "DC09_KEY")));
            }
            return account;
        });
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("account", account);
        n.put("dc09Key", vault.find(CredentialKey.of(CredentialKind.DC09_KEY, account)).isPresent() ? "set" : "none");
        return HttpResponse.ok(n);
    }
}
