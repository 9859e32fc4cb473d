package org.arc4j.examples.center.api;

import static org.arc4j.examples.center.api.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code PUT /api/gb28181/devices/{id}}: sets the SIP digest password a GB/T 28181 device registers with (GB/T
 * 28181-2016 §9.1). Needs {@code MANAGE_DEVICES}; the password is checked by the device password policy, kept in
 * the encrypted vault and its change audited. Thread-safe.
 */
final class Gb28181Resource {
    private final AccessGuard guard;
    private final CredentialVault vault;
    private final PasswordPolicy policy;
    private final AuditLog audit;
    private final org.arc4j.examples.center.admin.ChangeBackups backups;

    Gb28181Resource(AccessGuard guard, CredentialVault vault, PasswordPolicy policy, AuditLog audit,
                    org.arc4j.examples.center.admin.ChangeBackups backups) {
        this.backups = backups;
        this.guard = guard;
        this.vault = vault;
        this.policy = policy;
        this.audit = audit;
    }

    HttpResponse putDevice(HttpRequest r) {
        String id = r.param("id");
        if (!id.matches("[0-9]{18}|[0-9]{20}")) {
            throw ApiException.badRequest("a GB/T 28181 device ID has 20 digits");
        }
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        String password = text(b, "password");
        if (password == null) {
            throw ApiException.badRequest("password is required");
        }
        PasswordCheck check = policy.checkDevicePassword(Secret.ofUtf8(password), id);
        if (!check.accepted()) {
            throw ApiException.badRequest("password refused: " + Fields.brokenRules(check));
        }
        // a device's credential is configuration: backed up before and after (GA 1383 数据维护)
        backups.around("put device-password " + id, () -> {
            vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, id),
                    new Credential(id, Secret.ofUtf8(password), Map.of("source", "api")));
            AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()),
                    AuditAction.CREDENTIAL_CHANGE, "gb28181:" + id, Map.of("kind", "SIP_PASSWORD")));
            return id;
        });
        return HttpResponse.ok(Map.of("device", id, "password", "set"));
    }
}
