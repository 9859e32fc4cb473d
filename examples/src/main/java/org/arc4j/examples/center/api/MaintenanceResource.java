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

    MaintenanceResource(AccessGuard guard, Maintenance maintenance, AuditLog audit) {
        this.guard = guard;
        this.maintenance = maintenance;
        this.audit = audit;
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
        return o;
    }
}
