package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.Site;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AccessDecision;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.DenialReason;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.CaseViews;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.video.VideoConfig;
import org.arc4j.examples.center.video.VideoService;

/**
 * The video calls of the console (GA 1383 报警复核, 视频监控, 电子地图):
 * <ul>
 *   <li>{@code GET /api/video/cameras}: every camera with its health (frame rate, fault, clock error, buffered
 *       pre-alarm seconds, area, category, device and channel); {@code VIEW_LIVE_VIDEO}; a customer user gets the
 *       cameras of the sites in their scope, a police user those of the sites of open cases forwarded to the
 *       police;</li>
 *   <li>{@code PUT /api/video/cameras/{id}} (the fields of a camera in the configuration's {@code video:} section)
 *       and {@code DELETE /api/video/cameras/{id}}; {@code MANAGE_DEVICES}, audited;</li>
 *   <li>{@code POST /api/video/cameras/{id}/ptz} with {@code pan}, {@code tilt}, {@code zoom} speeds (all 0 stops)
 *       or a {@code preset}; {@code PTZ};</li>
 *   <li>{@code GET /api/video/cameras/{id}/snapshot}: a JPEG from the camera (ONVIF {@code GetSnapshotUri}), for a
 *       camera whose video the browser cannot play; {@code VIEW_LIVE_VIDEO} on the camera's site;</li>
 *   <li>{@code GET /api/video/cameras/{id}/presets}: the camera's PTZ presets (token, name); {@code PTZ};</li>
 *   <li>{@code POST /api/video/cameras/{id}/clock}: sets the camera's clock to the centre's; {@code MANAGE_DEVICES};</li>
 *   <li>{@code GET /api/video/cases/{id}}: the case's cameras, its trigger time and its clips; {@code VIEW_ALARMS}
 *       on the case;</li>
 *   <li>{@code POST /api/video/cases/{id}/verify-start} with a {@code method} ({@code video}, {@code picture},
 *       {@code audio}, {@code phone}): starts the verification clock of the pipeline's SLA step;</li>
 *   <li>{@code GET /api/video/emap}: the sites' plans with zone and camera markers; {@code VIEW_ALARMS}.</li>
 * </ul>
 * The video itself goes over the WebSocket {@code /ws/video} ({@link VideoService#openStream}). Thread-safe.
 */
public final class VideoResource {
    private final AccessGuard guard;
    private final AuditLog audit;
    private final AlarmPipeline pipeline;
    private final CaseViews views;
    private final VideoService video;
    private final Supplier<ObjectNode> emap;
    private final CustomerDirectory directory;

    private VideoResource(VideoService video, Supplier<ObjectNode> emap, SessionManager sessions,
                          AccessControl access, AuditLog audit, AlarmPipeline pipeline, CaseViews views,
                          CustomerDirectory directory) {
        this.directory = directory;
        this.guard = new AccessGuard(sessions, access, audit);
        this.audit = audit;
        this.pipeline = pipeline;
        this.views = views;
        this.video = video;
        this.emap = emap;
    }

    /**
     * Adds the video routes.
     *
     * @param router   the API's router
     * @param video    the video plane
     * @param emap     the sites' plans, zones and cameras as JSON ({@code sites}: id, name, planImage, zones, cameras)
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    the audit log
     * @param pipeline the alarm pipeline ({@code verify-start})
     * @param views    the JSON of cases
     * @param directory finds the customer of a camera's site (a scoped user sees the cameras of their sites)
     */
    public static void routes(Router router, VideoService video, Supplier<ObjectNode> emap, SessionManager sessions,
                              AccessControl access, AuditLog audit, AlarmPipeline pipeline, CaseViews views,
                              CustomerDirectory directory) {
        VideoResource v = new VideoResource(video, emap, sessions, access, audit, pipeline, views, directory);
        router.get("/api/video/cameras", CenterApi.caseErrors(v::cameras))
                .put("/api/video/cameras/{id}", CenterApi.caseErrors(v::put))
                .add("DELETE", "/api/video/cameras/{id}", CenterApi.caseErrors(v::delete))
                .post("/api/video/cameras/{id}/ptz", CenterApi.caseErrors(v::ptz))
                .get("/api/video/cameras/{id}/presets", CenterApi.caseErrors(v::presets))
                .post("/api/video/cameras/{id}/clock", CenterApi.caseErrors(v::clock))
                .get("/api/video/cameras/{id}/snapshot", CenterApi.caseErrors(v::snapshot))
                .get("/api/video/cases/{id}", CenterApi.caseErrors(v::caseVideo))
                .post("/api/video/cases/{id}/verify-start", CenterApi.caseErrors(v::verifyStart))
                .get("/api/video/emap", CenterApi.caseErrors(v::emap));
    }

    /**
     * The {@code /ws/video} WebSocket's gate: the token's session must hold {@code VIEW_LIVE_VIDEO} (live) or
     * {@code VIEW_RECORDED_VIDEO} (from the pre-alarm buffer, with {@code from}) on the camera's site; each stream
     * opened is audited as {@code VIDEO_VIEWED} with the camera and the chosen point, each refusal as
     * {@code ACCESS_DENIED}, and answered with close code 1008.
     *
     * @param video     the video plane
     * @param sessions  resolves the {@code token} parameter
     * @param access    the permission check
     * @param audit     the audit log
     * @param directory finds the customer of a camera's site
     * @return the opener for {@code HttpServer.socket("/ws/video", …)}
     */
    public static HttpServer.SocketOpener streams(VideoService video, SessionManager sessions, AccessControl access,
                                                  AuditLog audit, CustomerDirectory directory) {
        return streams(video, sessions, access, audit, directory, null);
    }

    /**
     * The {@code /ws/video} WebSocket's gate as {@link #streams(VideoService, SessionManager, AccessControl, AuditLog,
     * CustomerDirectory)}, where a user whose scope is cases rather than sites (police: the cases forwarded to them)
     * may also watch the cameras of the sites of the open cases they may see.
     *
     * @param video     the video plane
     * @param sessions  resolves the {@code token} parameter
     * @param access    the permission check
     * @param audit     the audit log
     * @param directory finds the customer of a camera's site
     * @param pipeline  the open cases, or null
     * @return the opener for {@code HttpServer.socket("/ws/video", …)}
     */
    public static HttpServer.SocketOpener streams(VideoService video, SessionManager sessions, AccessControl access,
                                                  AuditLog audit, CustomerDirectory directory,
                                                  AlarmPipeline pipeline) {
        return (channel, params) -> {
            String token = first(params, "token");
            String camera = first(params, "camera");
            Session s = token == null ? null : sessions.resolve(Secret.ofUtf8(token)).orElse(null);
            VideoConfig.Camera c = camera == null ? null : video.configs().get(camera);
            if (s == null || c == null) {
                refuse(channel, s == null ? "log in first" : "no such camera");
                return;
            }
            boolean recorded = first(params, "from") != null;
            Permission p = recorded ? Permission.VIEW_RECORDED_VIDEO : Permission.VIEW_LIVE_VIDEO;
            String customer = directory.site(c.site()).map(Site::customerId).orElse(null);
            Actor actor = Actor.of(s.username(), String.valueOf(channel.remoteAddress()));
            if (access.check(s, p, Resource.site(customer, c.site())) instanceof AccessDecision.Denied d
                    && !(d.reason() == DenialReason.OUT_OF_SCOPE && pipeline != null
                    && caseAt(pipeline, c.site(), k -> access.check(s, p, CaseAccess.resourceOf(k)).granted()))) {
                audit.record(actor, AuditAction.ACCESS_DENIED, "camera:" + camera,
                        Map.of("permission", p.name(), "reason", d.reason().name()));
                refuse(channel, "not permitted: " + p.name().toLowerCase(Locale.ROOT));
                return;
            }
            audit.record(actor, AuditAction.VIDEO_VIEWED, "camera:" + camera,
                    Map.of("from", recorded ? first(params, "from") : "live"));
            video.openStream(channel, params);
        };
    }

    /** @return whether an open case at the site passes the check */
    private static boolean caseAt(AlarmPipeline pipeline, String site, java.util.function.Predicate<AlarmCase> ok) {
        for (AlarmCase k : pipeline.openCases()) {
            if (site.equals(k.siteId()) && ok.test(k)) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(Channel channel, String why) {
        channel.writeAndFlush(new CloseWebSocketFrame(1008, why));
        channel.close();
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    HttpResponse cameras(HttpRequest r) {
        Session s = guard.session(r);
        ArrayNode all = video.cameras();
        ArrayNode seen = all;
        if (guard.check(s, Permission.VIEW_LIVE_VIDEO, Resource.centre())
                instanceof AccessDecision.Denied d && d.reason() == DenialReason.OUT_OF_SCOPE) {
            // a customer or police user: the cameras of the sites in their scope
            seen = JsonNodeFactory.instance.arrayNode();
            for (JsonNode c : all) {
                String site = c.path("site").asText();
                String customer = directory.site(site).map(Site::customerId).orElse(null);
                // police: the sites of the open cases forwarded to them, and no others
                if (guard.granted(s, Permission.VIEW_LIVE_VIDEO, Resource.site(customer, site))
                        || caseAt(pipeline, site, k -> guard.granted(s, Permission.VIEW_LIVE_VIDEO,
                        CaseAccess.resourceOf(k)))) {
                    seen.add(c);
                }
            }
        } else {
            guard.require(r, Permission.VIEW_LIVE_VIDEO, Resource.centre());
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("cameras", seen);
        return HttpResponse.ok(n);
    }

    HttpResponse put(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        String id = r.param("id");
        VideoConfig.Camera c = new VideoConfig.Camera(id, text(b, "name"), text(b, "site"), text(b, "zone"),
                text(b, "rtsp"), text(b, "onvif"), text(b, "username"), text(b, "password"), text(b, "preAlarm"),
                number(b, "x"), number(b, "y"), text(b, "gb28181"), text(b, "area"), text(b, "category"));
        try {
            video.put(c, s.username()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CREDENTIAL_CHANGE, "camera:" + id,
                Map.of("site", c.site(), "source", c.source()));
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("id", id));
    }

    HttpResponse delete(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        String id = r.param("id");
        video.remove(id, s.username()).orElseThrow(() -> ApiException.notFound("no camera " + id))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CREDENTIAL_CHANGE, "camera:" + id,
                Map.of("removed", "true"));
        return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("id", id).put("removed", true));
    }

    HttpResponse ptz(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        guard.require(r, Permission.PTZ, Resource.centre());
        return camera(r.param("id"), () -> {
            String preset = text(b, "preset");
            if (preset != null) {
                video.gotoPreset(r.param("id"), preset);
            } else {
                video.ptz(r.param("id"), speed(b, "pan"), speed(b, "tilt"), speed(b, "zoom"));
            }
        });
    }

    HttpResponse snapshot(HttpRequest r) throws Exception {
        String id = r.param("id");
        VideoConfig.Camera c = video.configs().get(id);
        if (c == null) {
            throw ApiException.notFound("no camera " + id);
        }
        String customer = directory.site(c.site()).map(Site::customerId).orElse(null);
        guard.require(r, Permission.VIEW_LIVE_VIDEO, Resource.site(customer, c.site()));
        byte[][] jpeg = new byte[1][];
        camera(id, () -> jpeg[0] = video.snapshot(id));
        return new HttpResponse(200, "image/jpeg", jpeg[0], Map.of("Cache-Control", "no-store"));
    }

    HttpResponse presets(HttpRequest r) throws Exception {
        guard.require(r, Permission.PTZ, Resource.centre());
        ArrayNode[] a = new ArrayNode[1];
        camera(r.param("id"), () -> a[0] = video.presets(r.param("id")));
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("id", r.param("id"));
        n.set("presets", a[0]);
        return HttpResponse.ok(n);
    }

    HttpResponse clock(HttpRequest r) throws Exception {
        guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        return camera(r.param("id"), () -> video.syncClock(r.param("id")));
    }

    private interface CameraCall {
        void run() throws Exception;
    }

    private HttpResponse camera(String id, CameraCall call) throws Exception {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("no camera") ? ApiException.notFound(e.getMessage())
                    : ApiException.badRequest(e.getMessage());
        } catch (ExecutionException e) {
            throw new ApiException(502, "the camera refused: " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiException(504, "the camera did not answer in time");
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("id", id);
        return HttpResponse.ok(n);
    }

    HttpResponse caseVideo(HttpRequest r) {
        AlarmCase k = pipeline.get(r.param("id"))
                .orElseThrow(() -> ApiException.notFound("no case " + r.param("id")));
        guard.require(r, Permission.VIEW_ALARMS, Resource.alarmCase(k.id(), k.customerId(), k.siteId()));
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("caseId", k.id());
        n.put("siteId", k.siteId());
        n.put("triggerAt", k.receivedAt().toString());
        n.put("state", k.state().name());
        n.set("cameras", k.siteId() == null ? JsonNodeFactory.instance.arrayNode() : video.cameras(k.siteId()));
        n.set("clips", video.clips(k.id()));
        return HttpResponse.ok(n);
    }

    HttpResponse verifyStart(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        Session s = guard.session(r);
        String m = text(b, "method");
        VerificationMethod method;
        try {
            method = VerificationMethod.valueOf((m == null ? "video" : m).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("method must be video, picture, audio or phone");
        }
        AlarmCase k;
        try {
            k = pipeline.startVerification(r.param("id"), s.username(), method).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
        return HttpResponse.ok(views.summary(k));
    }

    HttpResponse emap(HttpRequest r) {
        guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        return HttpResponse.ok(emap.get());
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double number(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiException.badRequest(field + " must be a number");
        }
        return v.asDouble();
    }

    private static double speed(JsonNode b, String field) {
        Double d = number(b, field);
        if (d == null) {
            return 0;
        }
        if (d < -1 || d > 1) {
            throw ApiException.badRequest(field + " must be a speed from -1 to 1");
        }
        return d;
    }
}
