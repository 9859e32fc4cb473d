package org.arc4j.core.store.postgres.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.store.RecordType;

/**
 * The columns the store derives from a record's payload by the package's record conventions: an event's account,
 * category and id, a transition's state, police flag and event ids, an idempotency key. A payload that does not
 * follow the convention is stored all the same, without them.
 */
public final class Fields {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fields() {
    }

    /** An event's indexed fields, each possibly null. @param account @param category @param id */
    public record EventFields(String account, String category, String id) {
    }

    /** A transition's fields. @param state null if none @param police @param events the event ids it names */
    public record TransitionFields(String state, boolean police, List<String> events) {
    }

    /** @param payload an EVENT payload @return its account, category and id */
    public static EventFields event(byte[] payload) {
        String account = null;
        String category = null;
        String id = null;
        try (JsonParser p = JSON.getFactory().createParser(payload)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    } else if (v == JsonToken.VALUE_STRING) {
                        switch (field) {
                            case "account" -> account = p.getText();
                            case "category" -> category = p.getText();
                            case "id" -> id = p.getText();
                            default -> { }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException notEventJson) {
            // stored and found by time; the payload is the writer's business
        }
        return new EventFields(account, category, id);
    }

    /** @param payload a CASE_TRANSITION payload @return its state, police flag and event ids */
    public static TransitionFields transition(byte[] payload) {
        JsonNode n = parse(payload);
        if (n == null || !n.isObject()) {
            return new TransitionFields(null, false, List.of());
        }
        String state = n.path("state").isTextual() ? n.path("state").asText() : null;
        boolean police = n.path("police").asBoolean(false) || "FORWARDED_TO_POLICE".equals(state);
        List<String> events = new ArrayList<>();
        for (JsonNode id : n.path("events")) {
            if (id.isTextual()) {
                events.add(id.asText());
            }
        }
        return new TransitionFields(state, police, events);
    }

    /** @param payload an IDEMPOTENCY_KEY payload @return its key, or null if it has none */
    public static String key(byte[] payload) {
        JsonNode n = parse(payload);
        return n != null && n.path("key").isTextual() ? n.path("key").asText() : null;
    }

    /** @param type a type @return its code in the {@code type} column (the journal's frame codes) */
    public static short code(RecordType type) {
        return (short) (type.ordinal() + 1);
    }

    /** @param code a {@code type} column value @return its type */
    public static RecordType type(int code) {
        return RecordType.values()[code - 1];
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }
}
