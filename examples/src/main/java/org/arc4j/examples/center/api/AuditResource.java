package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditEntry;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.AuditQuery;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.admin.Reports;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/audit} and {@code GET /api/reports/audit.csv}: the audit log (GA 1383 日志管理) filtered by
 * {@code actor}, {@code action} (e.g. {@code configuration-change}), {@code target}, {@code from} and {@code to},
 * newest first, at most {@code limit} entries (default 200, at most 5000). Needs {@code READ_LOGS}; the CSV download
 * is itself audited as {@code DATA_EXPORT}. Thread-safe.
 */
final class AuditResource {
    private static final int DEFAULT_LIMIT = 200;
    private static final int MAX_LIMIT = 5000;

    private final AccessGuard guard;
    private final AuditLog audit;

    AuditResource(AccessGuard guard, AuditLog audit) {
        this.guard = guard;
        this.audit = audit;
    }

    private List<AuditEntry> entries(HttpRequest r) {
        AuditQuery q = AuditQuery.ALL;
        String actor = r.query("actor");
        if (actor != null && !actor.isBlank()) {
            q = q.byActor(actor);
        }
        String action = r.query("action");
        if (action != null && !action.isBlank()) {
            q = q.byAction(Fields.enumOf(AuditAction.class, action, "action"));
        }
        String target = r.query("target");
        if (target != null && !target.isBlank()) {
            q = q.byTarget(target);
        }
        Instant from = Fields.queryInstant(r, "from", null);
        Instant to = Fields.queryInstant(r, "to", null);
        q = q.between(from, to);
        int limit = Fields.queryLimit(r, DEFAULT_LIMIT, MAX_LIMIT);
        List<AuditEntry> all = new ArrayList<>(audit.query(q));
        Collections.reverse(all);
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    HttpResponse query(HttpRequest r) {
        guard.require(r, Permission.READ_LOGS, Resource.centre());
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode a = n.putArray("entries");
        for (AuditEntry e : entries(r)) {
            ObjectNode o = a.addObject();
            o.put("position", e.position());
            o.put("at", e.at().toString());
            o.put("actor", e.actor());
            o.put("origin", e.origin());
            o.put("action", e.action().name());
            o.put("target", e.target());
            ObjectNode d = o.putObject("details");
            e.details().forEach(d::put);
        }
        return HttpResponse.ok(n);
    }

    HttpResponse csv(HttpRequest r) {
        Session s = guard.require(r, Permission.READ_LOGS, Resource.centre());
        List<AuditEntry> entries = entries(r);
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.DATA_EXPORT,
                "report:audit.csv", Map.of("rows", Integer.toString(entries.size()))));
        return ReportResource.download("text/csv; charset=utf-8", "audit.csv",
                Reports.csv(Reports.auditTable(entries)).getBytes(StandardCharsets.UTF_8));
    }
}
