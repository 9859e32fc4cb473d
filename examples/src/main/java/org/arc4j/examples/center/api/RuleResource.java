package org.arc4j.examples.center.api;

import java.util.Map;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.admin.RuleStore;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;

/**
 * {@code /api/admin/rules} (forwarding and linkage rules) and {@code /api/admin/action-plans}: listed, created or
 * replaced by name with {@code PUT}, deleted, kept by the {@link RuleStore} as records in the store, audited and
 * applied to the running pipeline at once (GA 1383 事件转发设置, 事件联动设置, 报警处置预案). All need
 * {@code MANAGE_RULES}. A bad field is 400 with {@code "field"} naming it; an unknown name to delete 404.
 * Thread-safe.
 */
public final class RuleResource {
    private final AccessGuard guard;
    private final RuleStore store;

    private RuleResource(AccessGuard guard, RuleStore store) {
        this.guard = guard;
        this.store = store;
    }

    /**
     * Adds the routes.
     *
     * @param router   the API's router
     * @param store    the rules
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    where refusals are audited
     * @return the router
     */
    public static Router routes(Router router, RuleStore store, SessionManager sessions, AccessControl access,
                                AuditLog audit) {
        RuleResource r = new RuleResource(new AccessGuard(sessions, access, audit), store);
        return router
                .get("/api/admin/rules", r::rules)
                .put("/api/admin/rules/{name}", r::putRule)
                .add("DELETE", "/api/admin/rules/{name}", r::deleteRule)
                .get("/api/admin/action-plans", r::plans)
                .put("/api/admin/action-plans/{name}", r::putPlan)
                .add("DELETE", "/api/admin/action-plans/{name}", r::deletePlan);
    }

    private Actor require(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_RULES, Resource.centre());
        return Actor.of(s.username(), r.remoteHost());
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
