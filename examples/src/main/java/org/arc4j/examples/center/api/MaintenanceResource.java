package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.examples.center.admin.Maintenance;
import org.arc4j.examples.center.admin.WorkEvidence;
import org.arc4j.examples.center.admin.AdminValidation;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET} and {@code POST /api/maintenance/backups}: the journal's backups, and a backup taken now with a
 * {@code reason} (GA 1383 数据维护). Restoring one is a start of the centre with {@code ARC4J_RESTORE_FROM} set to
 * its directory and an empty data directory. Needs {@code MANAGE_RULES}; a backup taken is audited. Thread-safe.
 */
final class MaintenanceResource {
    private final AccessGuard guard;
    private final Maintenance maintenance;
    private final AuditLog audit;

    private final org.arc4j.core.store.RecordStore journal;
    private final java.time.Clock clock;

    MaintenanceResource(AccessGuard guard, Maintenance maintenance, AuditLog audit,
                        org.arc4j.core.store.RecordStore journal, java.time.Clock clock) {
        this.guard = guard;
        this.maintenance = maintenance;
        this.audit = audit;
        this.journal = journal;
        this.clock = clock;
    }

    HttpResponse switchovers(HttpRequest r) {
        guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode a = n.putArray("switchovers");
        WorkEvidence.switchovers(journal).forEach(x -> a.add(x.toJson()));
        return HttpResponse.ok(n);
    }

    /**
     * {@code POST /api/maintenance/switchovers} {@code {"from", "to", "tookMs"?, "at"?, "test"?}}: a hot-standby
     * switchover an administrator carried out (GA 1383 双机热备), journalled and audited; {@code at} defaults to now
     * and may not lie in the future.
     */
    HttpResponse recordSwitchover(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        try {
            return switchover(r, s);
        } catch (AdminValidation.FieldError e) {
            return AdminResource.fieldError(e);
        }
    }

    private HttpResponse switchover(HttpRequest r, Session s) {
        JsonNode b = r.json();
        String from = Fields.text(b, "from");
        String to = Fields.text(b, "to");
        if (from == null || !from.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new AdminValidation.FieldError("from", "the node that handed over: 1 to 64 letters, digits or . _ : -");
        }
        if (to == null || !to.matches("[A-Za-z0-9._:-]{1,64}") || to.equals(from)) {
            throw new AdminValidation.FieldError("to", "the node that took over: 1 to 64 letters, digits or . _ : -, not from");
        }
        long took = b.path("tookMs").isMissingNode() ? -1 : b.path("tookMs").asLong(-2);
        if (took < -1 || !b.path("tookMs").isMissingNode() && !b.path("tookMs").isIntegralNumber()) {
            throw new AdminValidation.FieldError("tookMs", "milliseconds without a leader, a whole number >= 0");
        }
        java.time.Instant now = clock.instant();
        java.time.Instant at;
        try {
            at = b.hasNonNull("at") ? java.time.Instant.parse(b.path("at").asText()) : now;
        } catch (java.time.format.DateTimeParseException e) {
            throw new AdminValidation.FieldError("at", "an instant such as 2026-12-01T02:00:00Z");
        }
        if (at.isAfter(now)) {
            throw new AdminValidation.FieldError("at", "a switchover cannot be recorded before it happened");
        }
        WorkEvidence.Switchover x = new WorkEvidence.Switchover(at, from, to, took,
                !b.has("test") || b.path("test").asBoolean(true), s.username());
        AccessGuard.durably(WorkEvidence.recordSwitchover(journal, clock, x));
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE,
                "switchover:" + from + "->" + to, Map.of("at", at.toString(), "test", Boolean.toString(x.test()))));
        return HttpResponse.json(201, x.toJson());
    }

    HttpResponse list(HttpRequest r) {
        guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("directory", maintenance.root().toString());
        ArrayNode a = n.putArray("backups");
        for (Map.Entry<Path, BackupManifest> b : maintenance.backups()) {
            a.add(json(b));
        }
        return HttpResponse.ok(n);
    }

    HttpResponse backup(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        JsonNode body = r.body().length == 0 ? JsonNodeFactory.instance.objectNode() : r.json();
        String reason = Fields.text(body, "reason");
        Map.Entry<Path, BackupManifest> b = maintenance.backup(reason == null ? "manual" : reason);
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.DATA_EXPORT,
                "backup:" + b.getKey().getFileName(), Map.of("reason", b.getValue().reason())));
        return HttpResponse.json(201, json(b));
    }

    private static ObjectNode json(Map.Entry<Path, BackupManifest> b) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("directory", b.getKey().toString());
        o.put("at", b.getValue().at().toString());
        o.put("reason", b.getValue().reason());
        o.put("nextPosition", b.getValue().nextPosition());
        o.put("files", b.getValue().files().size());
        // the vault and its key beside the journal (Maintenance): a restore brings back logins and keys too
        com.fasterxml.jackson.databind.node.ArrayNode v = o.putArray("vault");
        try {
            Maintenance.vaultFilesOf(b.getKey()).forEach(v::add);
        } catch (IllegalArgumentException e) {
            o.put("vaultError", e.getMessage());
        }
        return o;
    }
}
