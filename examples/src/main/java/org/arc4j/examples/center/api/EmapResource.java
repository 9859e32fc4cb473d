package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.video.EmapEdits;

/**
 * The console's e-map editor (GA 1383 电子地图管理), for users who may manage customers' sites
 * ({@code MANAGE_CUSTOMERS}: supervisors, administrators); each change journalled and audited as
 * {@code CONFIGURATION_CHANGE}:
 * <ul>
 *   <li>{@code PUT /api/video/emap/{site}/plan}: the body is the plan image (PNG, JPEG or SVG, at most
 *       {@link EmapEdits#MAX_IMAGE_BYTES}); {@code site} is a site id or {@code overview} (the map of all sites).
 *       A refused image gets 400 naming the limit;</li>
 *   <li>{@code PUT /api/video/emap/{site}/positions} {@code {"markers":{"camera:cam1":{"x":0.6,"y":0.3},…}}}:
 *       where cameras and zones sit on a site's plan, or sites ({@code site:S0001}) on the overview;</li>
 *   <li>{@code PUT /api/video/emap/{site}/annotations/{id}} {@code {"kind":"text|line|area","text":…,
 *       "points":[{"x":…,"y":…},…]}}: draws an annotation, or moves or edits the one of that id; a bad one gets 400
 *       naming what is wrong ({@link EmapEdits.Annotation});</li>
 *   <li>{@code DELETE /api/video/emap/{site}/annotations/{id}}: removes it (404 when there is none).</li>
 * </ul>
 * The e-map itself is {@code GET /api/video/emap} ({@link VideoResource}). Thread-safe.
 */
public final class EmapResource {
    private final AccessGuard guard;
    private final AuditLog audit;
    private final EmapEdits edits;

    private EmapResource(EmapEdits edits, SessionManager sessions, AccessControl access, AuditLog audit) {
        this.guard = new AccessGuard(sessions, access, audit);
        this.audit = audit;
        this.edits = edits;
    }

    /**
     * Adds the editor's routes.
     *
     * @param router   the API's router
     * @param edits    the e-map's changes
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    the audit log
     */
    public static void routes(Router router, EmapEdits edits, SessionManager sessions, AccessControl access,
                              AuditLog audit) {
        EmapResource e = new EmapResource(edits, sessions, access, audit);
        router.put("/api/video/emap/{site}/plan", CenterApi.caseErrors(e::plan))
                .put("/api/video/emap/{site}/positions", CenterApi.caseErrors(e::positions))
                .put("/api/video/emap/{site}/annotations/{id}", CenterApi.caseErrors(e::annotate))
                .add("DELETE", "/api/video/emap/{site}/annotations/{id}", CenterApi.caseErrors(e::removeAnnotation));
    }

    HttpResponse annotate(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
        String site = r.param("site");
        JsonNode b = r.json();
        java.util.List<EmapEdits.Position> points = new java.util.ArrayList<>();
        for (JsonNode p : b.path("points")) {
            if (!p.path("x").isNumber() || !p.path("y").isNumber()) {
                throw ApiException.badRequest("points: x and y must be numbers");
            }
            points.add(new EmapEdits.Position(p.path("x").asDouble(), p.path("y").asDouble()));
        }
        EmapEdits.Annotation a = new EmapEdits.Annotation(r.param("id"), b.path("kind").asText(null),
                b.path("text").asText(""), points);
        try {
            edits.putAnnotation(site, a, s.username()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE, "emap:" + site,
                Map.of("annotation", a.id(), "kind", a.kind(), "text", a.text()));
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("site", site).put("annotation", a.id()));
    }

    HttpResponse removeAnnotation(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
        String site = r.param("site");
        String id = r.param("id");
        boolean removed;
        try {
            removed = edits.removeAnnotation(site, id, s.username()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (!removed) {
            throw ApiException.notFound("no annotation " + id + " on " + site);
        }
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE, "emap:" + site,
                Map.of("removedAnnotation", id));
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("site", site).put("removed", id));
    }

    HttpResponse plan(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
        String site = r.param("site");
        byte[] body = r.body() == null ? new byte[0] : r.body();
        try {
            edits.putPlan(site, body, s.username()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE, "emap:" + site,
                Map.of("plan", Integer.toString(body.length)));
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("site", site).put("bytes", body.length));
    }

    HttpResponse positions(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
        String site = r.param("site");
        JsonNode markers = r.json().path("markers");
        Map<String, EmapEdits.Position> m = new LinkedHashMap<>();
        for (var f : markers.properties()) {
            JsonNode x = f.getValue().get("x");
            JsonNode y = f.getValue().get("y");
            if (x == null || y == null || !x.isNumber() || !y.isNumber()) {
                throw ApiException.badRequest("marker " + f.getKey() + ": x and y must be numbers");
            }
            m.put(f.getKey(), new EmapEdits.Position(x.asDouble(), y.asDouble()));
        }
        try {
            edits.putPositions(site, m, s.username()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE, "emap:" + site,
                Map.of("markers", String.join(",", m.keySet())));
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("site", site).put("markers", m.size()));
    }
}
