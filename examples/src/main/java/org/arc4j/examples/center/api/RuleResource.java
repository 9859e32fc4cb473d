package org.arc4j.examples.center.api;

import java.util.Map;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.admin.DeviceStore;
import org.arc4j.examples.center.admin.RuleStore;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;

/**
 * {@code /api/admin/rules} (forwarding and linkage rules) and {@code /api/admin/action-plans}: listed, created or
 * replaced by name with {@code PUT}, deleted, kept by the {@link RuleStore} as records in the store, audited and
 * applied to the running pipeline at once (GA 1383 事件转发设置, 事件联动设置, 报警处置预案; {@code MANAGE_RULES});
 * {@code /api/admin/devices}: GB/T 28181 devices listed, created or replaced by ID with {@code PUT}
 * ({@code {"customerId","siteId","password"}}), deleted, kept by the {@link DeviceStore}, the password in the vault
 * only ({@code MANAGE_DEVICES}). A bad field, an unknown customer or site is 400 with {@code "field"} naming it; a
 * device's site of another customer 409; an unknown name or ID to delete 404. Thread-safe.
 */
public final class RuleResource {
    private final AccessGuard guard;
    private final RuleStore store;
    private final DeviceStore devices;

    private RuleResource(AccessGuard guard, RuleStore store, DeviceStore devices) {
        this.guard = guard;
        this.store = store;
        this.devices = devices;
    }

    /**
     * Adds the routes.
     *
     * @param router   the API's router
     * @param store    the rules
     * @param devices  the GB/T 28181 devices
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    where refusals are audited
     * @return the router
     */
    public static Router routes(Router router, RuleStore store, DeviceStore devices, SessionManager sessions,
                                AccessControl access, AuditLog audit) {
        RuleResource r = new RuleResource(new AccessGuard(sessions, access, audit), store, devices);
        return router
                .get("/api/admin/rules", r::rules)
                .put("/api/admin/rules/{name}", r::putRule)
                .add("DELETE", "/api/admin/rules/{name}", r::deleteRule)
                .get("/api/admin/action-plans", r::plans)
                .put("/api/admin/action-plans/{name}", r::putPlan)
                .add("DELETE", "/api/admin/action-plans/{name}", r::deletePlan)
                .get("/api/admin/devices", r::devices)
                .put("/api/admin/devices/{id}", r::putDevice)
                .add("DELETE", "/api/admin/devices/{id}", r::deleteDevice);
    }

    private Actor require(HttpRequest r) {
        return require(r, Permission.MANAGE_RULES);
    }

    private Actor require(HttpRequest r, Permission p) {
        Session s = guard.require(r, p, Resource.centre());
        return Actor.of(s.username(), r.remoteHost());
    }

    HttpResponse devices(HttpRequest r) {
        require(r, Permission.MANAGE_DEVICES);
        return HttpResponse.ok(Map.of("devices", devices.devices()));
    }

    HttpResponse putDevice(HttpRequest r) {
        Actor by = require(r, Permission.MANAGE_DEVICES);
        return AdminResource.handle(() -> HttpResponse.ok(devices.putDevice(r.param("id"), r.json(), by)));
    }

    HttpResponse deleteDevice(HttpRequest r) {
        Actor by = require(r, Permission.MANAGE_DEVICES);
        return AdminResource.handle(() -> {
            devices.deleteDevice(r.param("id"), by);
            return HttpResponse.ok(Map.of("deleted", r.param("id")));
        });
    }

    HttpResponse rules(HttpRequest r) {
        require(r);
        return HttpResponse.ok(Map.of("rules", store.rulesJson()));
    }

    HttpResponse plans(HttpRequest r) {
        require(r);
        return HttpResponse.ok(Map.of("actionPlans", store.plansJson()));
    }

    HttpResponse putRule(HttpRequest r) {
        Actor by = require(r);
        return AdminResource.handle(() -> HttpResponse.ok(store.putRule(r.param("name"), r.json(), by)));
    }

    HttpResponse putPlan(HttpRequest r) {
        Actor by = require(r);
        return AdminResource.handle(() -> HttpResponse.ok(store.putPlan(r.param("name"), r.json(), by)));
    }

    HttpResponse deleteRule(HttpRequest r) {
        Actor by = require(r);
        return AdminResource.handle(() -> {
            store.deleteRule(r.param("name"), by);
            return HttpResponse.ok(Map.of("deleted", r.param("name")));
        });
    }

    HttpResponse deletePlan(HttpRequest r) {
        Actor by = require(r);
        return AdminResource.handle(() -> {
            store.deletePlan(r.param("name"), by);
            return HttpResponse.ok(Map.of("deleted", r.param("name")));
        });
    }
}
