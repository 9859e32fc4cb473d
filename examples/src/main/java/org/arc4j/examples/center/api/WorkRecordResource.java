package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.terminal.CallRecordingSink;
import org.arc4j.examples.center.terminal.CallRecordings;
import org.arc4j.examples.center.terminal.WorkRecords;

/**
 * Operators' work recordings (GA 1383 记录存储与播放) over the API:
 * <ul>
 *   <li>every successful call that shows a case ({@code GET /api/cases/{id}}, {@code GET /api/video/cases/{id}},
 *       {@code POST /api/cases/{id}/displayed}) or acts on it ({@code POST /api/cases/{id}/actions},
 *       {@code POST /api/video/cases/{id}/verify-start}) is recorded with its user by {@link WorkRecords};</li>
 *   <li>{@code POST /api/work/recordings}: starts a screen recording of the caller ({@code VIEW_ALARMS});
 *       {@code PUT /api/work/recordings/{id}/chunks/{seq}?case=ID} with a WebM chunk as the body
 *       ({@code video/webm}): stores it (201), for the case on screen while it was recorded;</li>
 *   <li>{@code GET /api/work/cases/{id}}: a case's work records ({@code READ_LOGS});
 *       {@code GET /api/work/recordings/{id}/chunks/{seq}}: a chunk, to play it ({@code READ_LOGS}, audited as
 *       {@code VIDEO_VIEWED}).</li>
 *   <li>{@code POST /api/work/calls?case=ID&purpose=verification|forward&number=N&startedAt=T&endedAt=T} with the
 *       recording of the caller's phone call as the body ({@code audio/wav}, {@code audio/ogg}, {@code audio/mpeg}
 *       or {@code audio/webm}): kept with the case ({@code VIEW_ALARMS}; 201; 415 for another type, 400 naming a
 *       bad field) — the HTTP side of the call-recording SPI ({@link CallRecordings});
 *       {@code GET /api/work/calls/{id}}: a recording, to play it ({@code READ_LOGS}, audited as
 *       {@code VIDEO_VIEWED}).</li>
 * </ul>
 * Thread-safe.
 */
final class WorkRecordResource {
    private final AccessGuard guard;
    private final WorkRecords records;
    private final AuditLog audit;

    WorkRecordResource(AccessGuard guard, WorkRecords records, AuditLog audit) {
        this.guard = guard;
        this.records = records;
        this.audit = audit;
    }

    void routes(Router router) {
        router.wrap("GET", "/api/cases/{id}", h -> recorded(h, "view"))
                .wrap("POST", "/api/cases/{id}/displayed", h -> recorded(h, "view"))
                .wrap("POST", "/api/cases/{id}/actions", h -> recorded(h, "action"))
                .wrap("GET", "/api/video/cases/{id}", h -> recorded(h, "view"))
                .wrap("POST", "/api/video/cases/{id}/verify-start", h -> recorded(h, "action"))
                .post("/api/work/recordings", this::start)
                .put("/api/work/recordings/{id}/chunks/{seq}", this::chunk)
                .get("/api/work/recordings/{id}/chunks/{seq}", this::play)
                .get("/api/work/cases/{id}", this::ofCase)
                .post("/api/work/calls", this::call)
                .get("/api/work/calls/{id}", this::playCall);
    }

    private Router.Handler recorded(Router.Handler h, String kind) {
        return r -> {
            HttpResponse resp = h.handle(r);
            if (resp.status() < 400) {
                String what = r.method() + " " + r.path();
                if (kind.equals("action")) {
                    String action = r.json().path("action").asText(r.json().path("method").asText(""));
                    what += action.isEmpty() ? "" : " " + action;
                }
                records.record(r.param("id"), guard.session(r).username(), kind, what);
            }
            return resp;
        };
    }

    HttpResponse start(HttpRequest r) {
        Session s = guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        return HttpResponse.json(201, JsonNodeFactory.instance.objectNode().put("id",
                records.startRecording(s.username())));
    }

    HttpResponse chunk(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        String type = String.valueOf(r.headers().get("content-type")).toLowerCase(Locale.ROOT);
        if (!type.startsWith("video/webm")) {
            throw new ApiException(415, "a chunk is video/webm (MediaRecorder's WebM)");
        }
        int seq = seq(r);
        try {
            return HttpResponse.json(201, records.chunk(r.param("id"), s.username(), seq, r.query("case"), r.body()));
        } catch (SecurityException e) {
            throw guard.refused(r, s, Permission.VIEW_ALARMS, Resource.recording(r.param("id"), null, null));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ApiException(m.startsWith("too large") ? 413 : m.startsWith("conflict") ? 409
                    : m.startsWith("no recording") ? 404 : 400, m);
        }
    }

    HttpResponse play(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.READ_LOGS, Resource.centre());
        Path f = records.chunkFile(r.param("id"), seq(r))
                .orElseThrow(() -> ApiException.notFound("no such chunk"));
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.VIDEO_VIEWED,
                "recording:" + r.param("id"), Map.of("chunk", r.param("seq"))));
        return new HttpResponse(200, "video/webm", Files.readAllBytes(f), Map.of("Content-Disposition", "inline"));
    }

    HttpResponse call(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        String type = CallRecordings.accepted(String.valueOf(r.headers().get("content-type")));
        if (type == null) {
            throw new ApiException(415, "a call recording is audio/wav, audio/ogg, audio/mpeg or audio/webm");
        }
        CallRecordingSink.Purpose purpose;
        try {
            purpose = CallRecordingSink.Purpose.valueOf(String.valueOf(r.query("purpose")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("purpose must be verification or forward");
        }
        CallRecordingSink.Call call;
        try {
            call = new CallRecordingSink.Call(r.query("case"), purpose, s.username(), r.query("number"),
                    instant(r, "startedAt"), instant(r, "endedAt"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            return HttpResponse.json(201, records.calls().store(call, type, r.body()));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new ApiException(m.startsWith("too large") ? 413 : m.startsWith("type") ? 415 : 400, m);
        }
    }

    private static java.time.Instant instant(HttpRequest r, String name) {
        try {
            return java.time.Instant.parse(String.valueOf(r.query(name)));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": an ISO-8601 instant");
        }
    }

    HttpResponse playCall(HttpRequest r) throws Exception {
        Session s = guard.require(r, Permission.READ_LOGS, Resource.centre());
        Path f = records.calls().file(r.param("id")).orElseThrow(() -> ApiException.notFound("no such call"));
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.VIDEO_VIEWED,
                "call:" + r.param("id"), Map.of("kind", "call recording")));
        return new HttpResponse(200, CallRecordings.mediaType(f), Files.readAllBytes(f),
                Map.of("Content-Disposition", "inline"));
    }

    HttpResponse ofCase(HttpRequest r) {
        guard.require(r, Permission.READ_LOGS, Resource.centre());
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("caseId", r.param("id"));
        n.set("records", records.ofCase(r.param("id")));
        return HttpResponse.ok(n);
    }

    private static int seq(HttpRequest r) {
        try {
            return Integer.parseInt(r.param("seq"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("seq must be a number");
        }
    }
}
