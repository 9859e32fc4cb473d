package org.arc4j.examples.center.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.arc4j.core.event.EventId;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.examples.center.EventIndex;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/events?limit=N&after=ID}: the newest events first, paged by event id. The journal already holds
 * each event as JSON, so the page is written from the stored bytes without parsing them. Needs
 * {@code VIEW_ALARMS} on the centre. Thread-safe.
 */
final class EventResource {
    /** The most events one call returns. */
    static final int MAX_EVENTS = 100_000;
    private static final int DEFAULT_LIMIT = 100;

    private final AccessGuard guard;
    private final EventIndex index;
    private final RecordStore journal;

    EventResource(AccessGuard guard, EventIndex index, RecordStore journal) {
        this.guard = guard;
        this.index = index;
        this.journal = journal;
    }

    HttpResponse events(HttpRequest r) throws IOException {
        guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        int limit = Fields.queryLimit(r, DEFAULT_LIMIT, MAX_EVENTS);
        EventId after = null;
        if (r.query("after") != null) {
            try {
                after = EventId.parse(r.query("after"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("after must be an event id");
            }
        }
        long[] positions = index.newest(limit, after);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, positions.length * 600));
        out.write("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        String last = null;
        boolean first = true;
        for (long p : positions) {
            Optional<StoredRecord> rec = journal.read(p);
            if (rec.isEmpty()) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            byte[] json = rec.get().payload();
            out.write(json);
            last = lastId(json);
        }
        out.write("],\"count\":".getBytes(StandardCharsets.US_ASCII));
        out.write(Integer.toString(positions.length).getBytes(StandardCharsets.US_ASCII));
        out.write(",\"next\":".getBytes(StandardCharsets.US_ASCII));
        out.write((positions.length == limit && last != null ? "\"" + last + "\"" : "null")
                .getBytes(StandardCharsets.US_ASCII));
        out.write('}');
        return HttpResponse.bytes(200, "application/json; charset=utf-8", out.toByteArray());
    }

    /** The event's id, looked for in the first 64 bytes of its stored JSON. */
    private static String lastId(byte[] json) {
        String head = new String(json, 0, Math.min(json.length, 64), StandardCharsets.US_ASCII);
        int at = head.indexOf("\"id\":\"");
        return at < 0 ? null : head.substring(at + 6, Math.min(head.length(), at + 32));
    }
}
