package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;

/**
 * Writes one administration change the way {@link AdminStore} does: a {@code CONFIG_CHANGE} record (subject
 * {@code center/admin/<kind>/<id>}, payload {@code {"op","kind","id","by","value"?}}) waited for until durable, then
 * a {@code CONFIGURATION_CHANGE} audit entry naming its position. Stateless.
 */
final class ConfigRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigRecords() {
    }

    /** @return the payload of a change; {@code value} is left out when null (a delete) */
    static ObjectNode record(String op, String kind, String id, Actor by, ObjectNode value) {
        ObjectNode rec = JSON.createObjectNode();
        rec.put("op", op).put("kind", kind).put("id", id).put("by", by.username());
        if (value != null) {
            rec.set("value", value);
        }
        return rec;
    }

    /** Appends the record and waits for it. @return its position */
    static long append(RecordStore store, Clock clock, ObjectNode rec) {
        try {
            return AdminStore.durable(store.append(new NewRecord(RecordType.CONFIG_CHANGE, AdminStore.VERSION,
                    clock.instant(), AdminStore.SUBJECT + rec.path("kind").asText() + "/" + rec.path("id").asText(),
                    JSON.writeValueAsBytes(rec))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Audits, as done by {@code by}, the change stored at a position and waits for the entry. */
    static void audit(AuditLog audit, Actor by, ObjectNode rec, long position) {
        AdminStore.durable(audit.record(by, AuditAction.CONFIGURATION_CHANGE,
                rec.path("kind").asText() + ":" + rec.path("id").asText(),
                Map.of("op", rec.path("op").asText(), "position", Long.toString(position))));
    }
}
