package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.Forward;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.CaseViews;
import org.arc4j.examples.center.forward.Forwarder;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.terminal.OnSitePhotos;
import org.arc4j.examples.center.video.VideoService;

/**
 * The terminals' calls (GA 1383 终端部分). Each terminal is for one role, and each call checks both the role and the
 * case with the same access control as the console (a guard reaches the cases dispatched to them, the police the
 * cases forwarded to them, a customer's user its own sites):
 * <ul>
 *   <li>guard ({@code GUARD}): {@code GET /api/terminal/guard/orders} (open dispatch orders with address, plan,
 *       contacts and the departure clock); {@code POST /api/terminal/guard/orders/{id}/depart}, {@code …/arrive},
 *       {@code …/report} ({@code {"text": …}}) as the pipeline's guard steps; {@code POST …/photos} (a JPEG or PNG
 *       as the body, at most {@link OnSitePhotos#MAX_BYTES}) and {@code GET …/photos/{n}};</li>
 *   <li>police ({@code POLICE_VIEWER}): {@code GET /api/terminal/police/alarms} (forwarded alarms with address,
 *       guard and phone); {@code POST /api/terminal/police/alarms/{id}/confirm}: receipt confirmed, which delivers
 *       the forward and so ends the pipeline's forwarding clock;</li>
 *   <li>customer ({@code CUSTOMER_VIEWER}): {@code GET /api/terminal/customer/alarms} (its own sites' alarms);</li>
 *   <li>police and customer: {@code GET /api/terminal/cases/{id}/clips/{n}}: the case's recorded clip
 *       ({@code VIEW_RECORDED_VIDEO}, audited as {@code VIDEO_VIEWED}).</li>
 * </ul>
 * Every response of the server carries {@code Cache-Control: no-store}, media included. Thread-safe.
 */
final class TerminalResource {
    private final AccessGuard guard;
    private final AlarmPipeline pipeline;
    private final CaseViews views;
    private final Forwarder forwarder;
    private final VideoService video;
    private final OnSitePhotos photos;
    private final AuditLog audit;

    TerminalResource(AccessGuard guard, AlarmPipeline pipeline, CaseViews views, Forwarder forwarder,
                     VideoService video, OnSitePhotos photos, AuditLog audit) {
        this.guard = guard;
        this.pipeline = pipeline;
        this.views = views;
        this.forwarder = forwarder;
        this.video = video;
        this.photos = photos;
        this.audit = audit;
    }

    void routes(Router router) {
        router.get("/api/terminal/guard/orders", CenterApi.caseErrors(this::orders))
                .post("/api/terminal/guard/orders/{id}/depart", CenterApi.caseErrors(r -> step(r,
                        CaseAction.GUARD_DEPARTED)))
                .post("/api/terminal/guard/orders/{id}/arrive", CenterApi.caseErrors(r -> step(r,
                        CaseAction.GUARD_ARRIVED)))
                .post("/api/terminal/guard/orders/{id}/report", CenterApi.caseErrors(r -> step(r,
                        CaseAction.ONSITE_REPORT)))
                .post("/api/terminal/guard/orders/{id}/photos", CenterApi.caseErrors(this::addPhoto))
                .get("/api/terminal/guard/orders/{id}/photos/{n}", CenterApi.caseErrors(this::photo))
                .get("/api/terminal/police/alarms", CenterApi.caseErrors(this::policeAlarms))
                .post("/api/terminal/police/alarms/{id}/confirm", CenterApi.caseErrors(this::confirm))
                .get("/api/terminal/customer/alarms", CenterApi.caseErrors(this::customerAlarms))
                .get("/api/terminal/cases/{id}/clips/{n}", CenterApi.caseErrors(this::clip));
    }

    /** The session, if its user holds the terminal's role. */
    private Session terminal(HttpRequest r, Role role) {
        Session s = guard.session(r);
        if (!s.user().roles().contains(role) || s.passwordChangeRequired()) {
            throw guard.refused(r, s, Permission.VIEW_ALARMS, Resource.centre());
        }
        return s;
    }

    private AlarmCase visibleCase(HttpRequest r, Session s) {
        AlarmCase k = pipeline.get(r.param("id")).orElseThrow(() -> ApiException.notFound("no case " + r.param("id")));
        if (!guard.granted(s, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k))) {
            throw guard.refused(r, s, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k));
        }
        return k;
    }

    private ArrayNode visible(Session s, java.util.function.Predicate<AlarmCase> which, boolean detail) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (AlarmCase k : pipeline.openCases()) {
            if (which.test(k) && guard.granted(s, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k))) {
                ObjectNode n = detail ? views.detail(k, List.of()) : views.summary(k);
                n.set("clips", video == null ? JsonNodeFactory.instance.arrayNode() : clipsOf(k));
                a.add(n);
            }
        }
        return a;
    }

    HttpResponse orders(HttpRequest r) {
        Session s = terminal(r, Role.GUARD);
        ArrayNode a = visible(s, k -> s.username().equals(CaseActions.dispatchedGuard(k)), true);
        for (var n : a) {
            ((ObjectNode) n).set("photos", photos.list(n.path("id").asText()));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("orders", a);
        return HttpResponse.ok(out);
    }

    HttpResponse step(HttpRequest r, CaseAction step) throws Exception {
        Session s = terminal(r, Role.GUARD);
        AlarmCase k = visibleCase(r, s);
        String text = null;
        if (step == CaseAction.ONSITE_REPORT) {
            text = r.json().path("text").asText("").strip();
            if (text.isEmpty() || text.length() > 2000) {
                throw ApiException.badRequest("text (the on-site report) must be 1 to 2000 characters");
            }
        }
        return HttpResponse.ok(views.summary(await(pipeline.guardReport(k.id(), s.username(), step, text))));
    }

    HttpResponse addPhoto(HttpRequest r) throws Exception {
        Session s = terminal(r, Role.GUARD);
        AlarmCase k = visibleCase(r, s);
        if (!guard.granted(s, Permission.REPORT_ON_SITE, CaseAccess.resourceOf(k))) {
            throw guard.refused(r, s, Permission.REPORT_ON_SITE, CaseAccess.resourceOf(k));
        }
        try {
            return HttpResponse.json(201, photos.add(k.id(), s.username(), r.headers().get("content-type"),
                    r.body()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(e.getMessage().startsWith("too large") ? 413 : 415, e.getMessage());
        }
    }

    HttpResponse photo(HttpRequest r) throws Exception {
        Session s = terminal(r, Role.GUARD);
        AlarmCase k = visibleCase(r, s);
        OnSitePhotos.Photo p = photos.get(k.id(), r.param("n"))
                .orElseThrow(() -> ApiException.notFound("no photo " + r.param("n")));
        return new HttpResponse(200, p.type(), Files.readAllBytes(p.file()), Map.of("Content-Disposition",
                "inline"));
    }

    HttpResponse policeAlarms(HttpRequest r) {
        Session s = terminal(r, Role.POLICE_VIEWER);
        ArrayNode a = visible(s, AlarmCase::forwardedToPolice, true);
        for (var n : a) {
            ObjectNode o = (ObjectNode) n;
            AlarmCase k = pipeline.get(o.path("id").asText()).orElse(null);
            o.put("guard", k == null ? null : CaseActions.dispatchedGuard(k));
            o.put("receiptConfirmed", k != null && k.forwards().stream().filter(Forward::police)
                    .allMatch(f -> f.deliveredAt() != null));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("alarms", a);
        return HttpResponse.ok(out);
    }

    HttpResponse confirm(HttpRequest r) throws Exception {
        Session s = terminal(r, Role.POLICE_VIEWER);
        AlarmCase k = visibleCase(r, s);
        Forward f = k.forwards().stream().filter(x -> x.police() && x.deliveredAt() == null).findFirst()
                .orElseThrow(() -> new ApiException(409, "no forward of case " + k.id()
                        + " to the police awaits confirmation"));
        String id = org.arc4j.examples.center.forward.ForwardRequest.idOf(k.id(), f.recipient());
        boolean queued = forwarder != null && forwarder.terminal(f.recipient()).map(t -> t.acknowledge(id))
                .orElse(false);
        if (!queued) {
            // no terminal queue holds it: the confirmation itself is the delivery
            await(pipeline.forwardDelivered(k.id(), f.recipient(),
                    new CaseActor(CaseActor.Kind.EXTERNAL, "police:" + s.username())));
        }
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("caseId", k.id())
                .put("recipient", f.recipient()).put("confirmed", true));
    }

    HttpResponse customerAlarms(HttpRequest r) {
        Session s = terminal(r, Role.CUSTOMER_VIEWER);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("alarms", visible(s, k -> true, false));
        return HttpResponse.ok(out);
    }

    private ArrayNode clipsOf(AlarmCase k) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        ArrayNode all = video.clips(k.id());
        for (int i = 0; i < all.size(); i++) {
            var c = all.get(i);
            // where the file is stays on the server
            out.addObject().put("n", i).put("camera", c.path("camera").asText()).put("state",
                    c.path("state").asText()).put("from", c.path("from").asText());
        }
        return out;
    }

    HttpResponse clip(HttpRequest r) throws Exception {
        Session s = guard.session(r);
        AlarmCase k = visibleCase(r, s);
        guard.require(r, Permission.VIEW_RECORDED_VIDEO, CaseAccess.resourceOf(k));
        ArrayNode all = video == null ? JsonNodeFactory.instance.arrayNode() : video.clips(k.id());
        int n;
        try {
            n = Integer.parseInt(r.param("n"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no clip " + r.param("n"));
        }
        if (n < 0 || n >= all.size() || !"recorded".equals(all.get(n).path("state").asText())) {
            throw ApiException.notFound("no recorded clip " + r.param("n") + " of case " + k.id());
        }
        Path file = Path.of(all.get(n).path("file").asText());
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.VIDEO_VIEWED,
                "case:" + k.id(), Map.of("clip", Integer.toString(n), "camera", all.get(n).path("camera").asText())));
        return new HttpResponse(200, "video/mp4", Files.readAllBytes(file), Map.of("Content-Disposition", "inline"));
    }

    private static AlarmCase await(CompletionStage<AlarmCase> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
