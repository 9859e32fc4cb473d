package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.admin.AdminStore;
import org.arc4j.examples.center.admin.AdminValidation;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code /api/admin/customers} and {@code /api/admin/sites}: create, read, update and delete, kept by the
 * {@link AdminStore} as records in the store and audited (GA 1383 系统管理). All need {@code MANAGE_CUSTOMERS}.
 * A bad field is 400 with {@code "field"} naming it; an existing id 409; deleting a customer with open cases 409;
 * an unknown id 404. Thread-safe.
 */
final class AdminResource {
    private final AccessGuard guard;
    private final AdminStore store;

    AdminResource(AccessGuard guard, AdminStore store) {
        this.guard = guard;
        this.store = store;
    }

    private Session require(HttpRequest r) {
        return guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
    }

    private static Actor actor(Session s, HttpRequest r) {
        return Actor.of(s.username(), r.remoteHost());
    }

    HttpResponse customers(HttpRequest r) {
        require(r);
        return HttpResponse.ok(Map.of("customers", store.customers()));
    }

    HttpResponse customer(HttpRequest r) {
        require(r);
        return HttpResponse.ok(store.customer(r.param("id"))
                .orElseThrow(() -> ApiException.notFound("no customer " + r.param("id"))));
    }

    HttpResponse createCustomer(HttpRequest r) {
        Session s = require(r);
        JsonNode b = r.json();
        return handle(() -> HttpResponse.json(201, store.putCustomer(
                AdminValidation.optional(b, "id"), b, true, actor(s, r))));
    }

    HttpResponse updateCustomer(HttpRequest r) {
        Session s = require(r);
        JsonNode b = r.json();
        return handle(() -> HttpResponse.ok(store.putCustomer(r.param("id"), b, false, actor(s, r))));
    }

    HttpResponse deleteCustomer(HttpRequest r) {
        Session s = require(r);
        return handle(() -> {
            store.deleteCustomer(r.param("id"), actor(s, r));
            return HttpResponse.ok(Map.of("deleted", r.param("id")));
        });
    }

    HttpResponse sites(HttpRequest r) {
        require(r);
        return HttpResponse.ok(Map.of("sites", store.sites()));
    }

    HttpResponse putSite(HttpRequest r) {
        Session s = require(r);
        JsonNode b = r.json();
        return handle(() -> HttpResponse.ok(store.putSite(r.param("id"), b, actor(s, r))));
    }

    HttpResponse deleteSite(HttpRequest r) {
        Session s = require(r);
        return handle(() -> {
            store.deleteSite(r.param("id"), actor(s, r));
            return HttpResponse.ok(Map.of("deleted", r.param("id")));
        });
    }

    /** The store's typed refusals as statuses; a field error names its field. */
    static HttpResponse handle(Supplier<HttpResponse> action) {
        try {
            return action.get();
        } catch (AdminValidation.FieldError e) {
            return fieldError(e);
        } catch (AdminStore.Conflict e) {
            throw new ApiException(409, e.getMessage());
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }

    /**
     * @param e a refused field
     * @return 400 {@code {"error", "field", "status"}}
     */
    static HttpResponse fieldError(AdminValidation.FieldError e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("error", e.getMessage());
        n.put("field", e.field());
        n.put("status", 400);
        return HttpResponse.json(400, n);
    }
}
