package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.terminal.RemoteControl;
import org.arc4j.protocols.onvif.RelayOutput;

/**
 * The remote control calls (GA 1383 远程控制), each checked against the device as a resource of its site (so a
 * customer's user reaches only its own sites' devices) and audited by {@link RemoteControl}:
 * <ul>
 *   <li>{@code GET /api/control/devices}: the devices the caller may command, with what it may do;</li>
 *   <li>{@code POST /api/control/devices/{id}/guard} with {@code {"arm": true|false}}: GB/T 28181 GuardCmd;
 *       {@code ARM_DISARM}; answered 202 with the command, whose state changes when the device answers;</li>
 *   <li>{@code POST /api/control/devices/{id}/reset-alarm}: GB/T 28181 {@code AlarmCmd ResetAlarm};
 *       {@code ARM_DISARM}; 202 with the command. DC-09 panels have no downlink: nothing can be sent to them;</li>
 *   <li>{@code GET /api/control/devices/{id}/relays}: an ONVIF camera's relay outputs; {@code CONTROL_LINKAGE};</li>
 *   <li>{@code POST /api/control/devices/{id}/relays/{token}} with {@code {"active": true|false}}:
 *       {@code SetRelayOutputState}; {@code CONTROL_LINKAGE}; 202 with the command;</li>
 *   <li>{@code GET /api/control/commands/{id}}: a command and its result ({@code SENT}, {@code OK}, {@code ERROR},
 *       {@code TIMEOUT}, {@code FAILED}), for whoever may command its device.</li>
 * </ul>
 * Thread-safe.
 */
final class ControlResource {
    private final AccessGuard guard;
    private final RemoteControl control;
    private final Function<String, String> customerOfSite;

    ControlResource(AccessGuard guard, RemoteControl control, Function<String, String> customerOfSite) {
        this.guard = guard;
        this.control = control;
        this.customerOfSite = customerOfSite;
    }

    void routes(Router router) {
        router.get("/api/control/devices", this::devices)
                .post("/api/control/devices/{id}/guard", this::guard)
                .post("/api/control/devices/{id}/reset-alarm", this::resetAlarm)
                .get("/api/control/devices/{id}/relays", this::relays)
                .post("/api/control/devices/{id}/relays/{token}", this::relay)
                .get("/api/control/commands/{id}", this::command);
    }

    private Resource resource(RemoteControl.Target t) {
        String site = t.siteId();
        return Resource.device(t.id(), site == null ? null : customerOfSite.apply(site), site);
    }

    private static Permission permission(String kind) {
        return kind.equals("gb28181") ? Permission.ARM_DISARM : Permission.CONTROL_LINKAGE;
    }

    private RemoteControl.Target target(HttpRequest r) {
        RemoteControl.Target t = control.target(r.param("id"));
        if (t == null) {
            throw ApiException.notFound("no controllable device " + r.param("id"));
        }
        return t;
    }

    HttpResponse devices(HttpRequest r) {
        Session s = guard.session(r);
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (RemoteControl.Target t : control.targets()) {
            if (guard.granted(s, permission(t.kind()), resource(t))) {
                a.addObject().put("id", t.id()).put("kind", t.kind()).put("name", t.name()).put("site", t.siteId())
                        .put("can", t.kind().equals("gb28181") ? "guard" : "relay")
                        .put("resetAlarm", t.kind().equals("gb28181"));
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("devices", a);
        return HttpResponse.ok(n);
    }

    HttpResponse guard(HttpRequest r) {
        RemoteControl.Target t = target(r);
        if (!t.kind().equals("gb28181")) {
            throw ApiException.badRequest(t.id() + " is not a GB/T 28181 device; arming goes to those only");
        }
        Session s = guard.require(r, Permission.ARM_DISARM, resource(t));
        JsonNode arm = r.json().path("arm");
        if (!arm.isBoolean()) {
            throw ApiException.badRequest("arm must be true or false");
        }
        try {
            return HttpResponse.json(202, json(control.guard(t.id(), arm.asBoolean(), Actor.of(s.username(),
                    r.remoteHost()))));
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    HttpResponse resetAlarm(HttpRequest r) {
        RemoteControl.Target t = target(r);
        if (!t.kind().equals("gb28181")) {
            throw ApiException.badRequest(t.id() + " is not a GB/T 28181 device; alarm reset goes to those only"
                    + " (DC-09 has no downlink)");
        }
        Session s = guard.require(r, Permission.ARM_DISARM, resource(t));
        try {
            return HttpResponse.json(202, json(control.resetAlarm(t.id(), Actor.of(s.username(), r.remoteHost()))));
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    HttpResponse relays(HttpRequest r) throws Exception {
        RemoteControl.Target t = onvifTarget(r);
        guard.require(r, Permission.CONTROL_LINKAGE, resource(t));
        List<RelayOutput> relays;
        try {
            relays = control.relays(t.id()).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new ApiException(502, "the camera refused: " + e.getCause().getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiException(504, "the camera did not answer in time");
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        relays.forEach(x -> a.addObject().put("token", x.token()).put("mode", x.mode())
                .put("delayTime", x.delayTime()).put("idleState", x.idleState()));
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("device", t.id());
        n.set("relays", a);
        return HttpResponse.ok(n);
    }

    HttpResponse relay(HttpRequest r) {
        RemoteControl.Target t = onvifTarget(r);
        Session s = guard.require(r, Permission.CONTROL_LINKAGE, resource(t));
        JsonNode active = r.json().path("active");
        if (!active.isBoolean()) {
            throw ApiException.badRequest("active must be true or false");
        }
        try {
            return HttpResponse.json(202, json(control.relay(t.id(), r.param("token"), active.asBoolean(),
                    Actor.of(s.username(), r.remoteHost()))));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    private RemoteControl.Target onvifTarget(HttpRequest r) {
        RemoteControl.Target t = target(r);
        if (!t.kind().equals("onvif")) {
            throw ApiException.badRequest(t.id() + " has no ONVIF relay outputs");
        }
        return t;
    }

    HttpResponse command(HttpRequest r) {
        RemoteControl.Command c = control.command(r.param("id"));
        RemoteControl.Target t = c == null ? null : control.target(c.device());
        if (c == null || t == null) {
            throw ApiException.notFound("no command " + r.param("id"));
        }
        guard.require(r, permission(t.kind()), resource(t));
        return HttpResponse.ok(json(c));
    }

    static ObjectNode json(RemoteControl.Command c) {
        return JsonNodeFactory.instance.objectNode().put("id", c.id()).put("kind", c.kind()).put("device", c.device())
                .put("command", c.command()).put("by", c.by()).put("sentAt", c.sentAt().toString())
                .put("state", c.state().name()).put("result", c.result())
                .put("answeredAt", c.answeredAt() == null ? null : c.answeredAt().toString());
    }
}
