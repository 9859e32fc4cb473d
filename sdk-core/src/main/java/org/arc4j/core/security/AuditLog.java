package org.arc4j.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The security audit trail (GA 1383 系统管理, 日志管理; 保密安全): each entry is one {@link RecordType#AUDIT} record in
 * a {@link RecordStore}, version 1, subject = the actor's user name, payload JSON
 * {@code {"actor":…,"origin":…,"action":…,"target":…,"details":{…}}}; the record's time is the entry's time.
 *
 * <p>{@link #record} never blocks (the store's append does not); {@link #query} replays the store on the
 * calling thread and belongs on a worker thread. Thread-safe.
 */
public final class AuditLog {
    /** The payload format version. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordStore store;
    private final Clock clock;

    /**
     * An audit log writing to a store.
     *
     * @param store where entries go
     * @param clock the centre's clock (the scheduler's)
     */
    public AuditLog(RecordStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Appends an entry stamped with the clock's current time.
     *
     * @param actor   who, from where
     * @param action  what
     * @param target  on what, or empty
     * @param details further facts (never a secret)
     * @return the entry's position, once durable
     */
    public CompletionStage<Long> record(Actor actor, AuditAction action, String target, Map<String, String> details) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        ObjectNode root = JSON.createObjectNode();
        root.put("actor", actor.username());
        root.put("origin", actor.origin());
        root.put("action", action.name());
        root.put("target", target);
        ObjectNode d = root.putObject("details");
        new TreeMap<>(details).forEach(d::put);
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store.append(new NewRecord(RecordType.AUDIT, VERSION, clock.instant(), actor.username(), payload));
    }

    /**
     * Appends an entry without details.
     *
     * @param actor  who, from where
     * @param action what
     * @param target on what
     * @return the entry's position, once durable
     */
    public CompletionStage<Long> record(Actor actor, AuditAction action, String target) {
        return record(actor, action, target, Map.of());
    }

    /**
     * The entries that match a query, in store order. Replays the whole store: call it off the event loops.
     *
     * @param query the filter
     * @return the matching entries
     */
    public List<AuditEntry> query(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<AuditEntry> out = new ArrayList<>();
        store.replay(1, Set.of(RecordType.AUDIT), r -> {
            if (r.type() == RecordType.AUDIT && r.version() == VERSION) {
                AuditEntry e = decode(r);
                if (query.matches(e)) {
                    out.add(e);
                }
            }
        });
        return out;
    }

    /**
     * Decodes one stored audit record.
     *
     * @param r a record of type {@link RecordType#AUDIT}, version 1
     * @return the entry
     * @throws IllegalArgumentException if it is not a valid audit record
     */
    public static AuditEntry decode(StoredRecord r) {
        if (r.type() != RecordType.AUDIT || r.version() != VERSION) {
            throw new IllegalArgumentException("not an audit record v1: " + r.type() + " v" + r.version());
        }
        try {
            JsonNode root = JSON.readTree(r.payload());
            Map<String, String> details = new TreeMap<>();
            JsonNode d = root.path("details");
            for (Map.Entry<String, JsonNode> f : d.properties()) {
                details.put(f.getKey(), f.getValue().asText());
            }
            return new AuditEntry(r.position(), r.at(), root.path("actor").asText(), root.path("origin").asText(),
                    AuditAction.valueOf(root.path("action").asText()), root.path("target").asText(), details);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed audit record at position " + r.position(), e);
        }
    }
}
