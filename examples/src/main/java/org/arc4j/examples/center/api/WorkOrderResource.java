package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.admin.WorkOrders;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/admin/work-orders}, {@code POST /api/admin/work-orders} and
 * {@code POST /api/admin/work-orders/{id}/close}: maintenance work orders ({@link WorkOrders}, GA 1383 硬件设备维护).
 * Listing needs {@code READ_REPORTS} and answers {@code workOrders} (each with {@code overdue}) and the ids of the
 * {@code overdue} ones; opening and closing need {@code MANAGE_DEVICES}. A bad field is 400 naming it, closing a
 * closed order 409, an unknown order 404. Thread-safe.
 */
final class WorkOrderResource {
    private final AccessGuard guard;
    private final WorkOrders orders;
    private final Clock clock;

    WorkOrderResource(AccessGuard guard, WorkOrders orders, Clock clock) {
        this.guard = guard;
        this.orders = orders;
        this.clock = clock;
    }

    HttpResponse list(HttpRequest r) {
        guard.require(r, Permission.READ_REPORTS, Resource.centre());
        Instant now = clock.instant();
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ArrayNode a = n.putArray("workOrders");
        orders.list(now).forEach(a::add);
        ArrayNode late = n.putArray("overdue");
        orders.overdue(now).forEach(late::add);
        return HttpResponse.ok(n);
    }

    HttpResponse open(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        JsonNode b = r.json();
        return AdminResource.handle(() -> HttpResponse.json(201,
                orders.open(b, Actor.of(s.username(), r.remoteHost()))));
    }

    HttpResponse close(HttpRequest r) {
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        JsonNode b = r.json();
        return AdminResource.handle(() -> HttpResponse.ok(
                orders.close(r.param("id"), b, Actor.of(s.username(), r.remoteHost()))));
    }
}
