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
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;

/**
 * {@code /api/admin/devices}: GB/T 28181 devices listed, created or replaced by ID with {@code PUT}
 * ({@code {"customerId","siteId","password"}}), deleted; kept by the {@link DeviceStore}, the password in the vault
 * only. All need {@code MANAGE_DEVICES}. A bad field, an unknown customer or site is 400 with {@code "field"}
 * naming it; a site of another customer 409; an unknown ID to delete 404. Thread-safe.
 */
public final class AdminDeviceResource {
    private final AccessGuard guard;
    private final DeviceStore store;

    private AdminDeviceResource(AccessGuard guard, DeviceStore store) {
        this.guard = guard;
        this.store = store;
    }

    /**
     * Adds the routes.
     *
     * @param router   the API's router
     * @param store    the devices
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    where refusals are audited
     * @return the router
     */
    public static Router routes(Router router, DeviceStore store, SessionManager sessions, AccessControl access,
                                AuditLog audit) {
        AdminDeviceResource r = new AdminDeviceResource(new AccessGuard(sessions, access, audit), store);
        return router
                .get("/api/admin/devices", r::devices)
                .put("/api/admin/devices/{id}", r::put)
                .add("DELETE", "/api/admin/devices/{id}", r::delete);
    }

    private Actor require(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        return Actor.of(s.username(), r.remoteHost());
    }

    HttpResponse devices(HttpRequest r) {
        require(r);
        return HttpResponse.ok(Map.of("devices", store.devices()));
    }

    HttpResponse put(HttpRequest r) {
        Actor by = require(r);
        return AdminResource.handle(() -> HttpResponse.ok(store.putDevice(r.param("id"), r.json(), by)));
    }

    HttpResponse delete(HttpRequest r) {
        Actor by = require(r);
        return AdminResource.handle(() -> {
            store.deleteDevice(r.param("id"), by);
            return HttpResponse.ok(Map.of("deleted", r.param("id")));
        });
    }
}
