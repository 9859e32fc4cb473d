package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.supervision.DeviceStatus;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/devices}: every supervised device (DC-09 accounts, GB/T 28181 devices) with its last contact
 * and whether it is online (GA 1383 设备巡检). Needs {@code VIEW_ALARMS}. Thread-safe.
 */
final class DeviceResource {
    private final AccessGuard guard;
    private final Supervisor supervisor;

    DeviceResource(AccessGuard guard, Supervisor supervisor) {
        this.guard = guard;
        this.supervisor = supervisor;
    }

    HttpResponse devices(HttpRequest r) {
        guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        List<DeviceStatus> all = new ArrayList<>(supervisor.all());
        all.sort(Comparator.comparing(d -> d.device().toString()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (DeviceStatus d : all) {
            out.add(json(d));
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("devices", out);
        return HttpResponse.ok(n);
    }

    private static ObjectNode json(DeviceStatus d) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("device", d.device().toString());
        n.put("namespace", d.device().namespace());
        n.put("id", d.device().id());
        n.put("online", d.online());
        n.put("lastContact", d.lastCheckIn() == null ? null : d.lastCheckIn().toString());
        n.put("link", d.lastLink());
        n.put("maxSilenceSeconds", d.maxSilence() == null ? null : d.maxSilence().toSeconds());
        n.put("deadline", d.deadline() == null ? null : d.deadline().toString());
        return n;
    }
}
