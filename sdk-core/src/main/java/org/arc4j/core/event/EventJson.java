package org.arc4j.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.arc4j.core.internal.IsoInstant;

/**
 * The JSON form of an {@link AlarmEvent}, version 1. It is normative: records of police alarms are kept
 * forever, so the format never changes silently (a golden-file test pins it) and every document carries
 * {@code "v": 1}.
 *
 * <pre>{@code
 * {
 *   "v": 1,
 *   "id": "01JDQ5Z3K8M4T6W2Y9A0B1C2D3",
 *   "account": "1234",
 *   "receiver": "R1",
 *   "line": "L1",
 *   "protocol": "DC09_SIA_DCS",
 *   "transport": "IP",
 *   "ingress": {"adapter": "dc09-tcp", "endpoint": "0.0.0.0:9000"},
 *   "link": "dc09-tcp@0.0.0.0:9000",
 *   "codeSystem": "SIA",
 *   "code": "BA",
 *   "qualifier": "NEW_EVENT",
 *   "category": "INTRUSION",
 *   "priority": 4,
 *   "description": "Burglary alarm",
 *   "partition": "1",
 *   "zone": "003",
 *   "zoneNumber": 3,
 *   "triggeredAt": "2026-11-24T06:30:00Z",
 *   "clockSkew": "PT2S",
 *   "receivedAt": "2026-11-24T06:29:58.120Z",
 *   "extended": {"X": "E116.397", "Y": "N39.909"},
 *   "drill": false,
 *   "raw": "CjAwMDAwMDAw..."
 * }
 * }</pre>
 *
 * <p>Rules: instants are ISO-8601 in UTC; the clock skew is an ISO-8601 duration (device minus centre);
 * enums are their stable upper-case names; account, partition and zone are strings exactly as received, and
 * {@code zoneNumber} is present when the zone is all digits; {@code raw} is base64. Absent values are
 * omitted. Readers ignore fields they do not know and refuse a {@code v} they do not support.
 *
 * <p>Thread-safe: all methods are stateless.
 */
public final class EventJson {
    /** The format version written by this class. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(module());

    private EventJson() {
    }

    /**
     * A Jackson module that reads and writes {@link AlarmEvent} in this format, for integrators who use their
     * own {@link ObjectMapper}.
     *
     * @return a new module
     */
    public static Module module() {
        SimpleModule m = new SimpleModule("arc4j-event-json");
        m.addSerializer(AlarmEvent.class, new JsonSerializer<>() {
            @Override
            public void serialize(AlarmEvent e, JsonGenerator g, SerializerProvider p) throws IOException {
                write(e, g);
            }
        });
        m.addDeserializer(AlarmEvent.class, new JsonDeserializer<>() {
            @Override
            public AlarmEvent deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                return read(p.readValueAsTree());
            }
        });
        return m;
    }

    /**
     * Writes the event as one JSON object.
     *
     * @param e the event
     * @param g the generator
     * @throws IOException from the generator
     */
    public static void write(AlarmEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", VERSION);
        if (e.id() != null) {
            g.writeStringField("id", e.id().toString());
        }
        optional(g, "account", e.account());
        optional(g, "receiver", e.receiver());
        optional(g, "line", e.line());
        g.writeStringField("protocol", e.protocol().name());
        g.writeStringField("transport", e.transport().name());
        g.writeObjectFieldStart("ingress");
        g.writeStringField("adapter", e.ingress().adapter());
        g.writeStringField("endpoint", e.ingress().endpoint());
        g.writeEndObject();
        g.writeStringField("link", e.link());
        g.writeStringField("codeSystem", e.codeSystem().name());
        g.writeStringField("code", e.code());
        g.writeStringField("qualifier", e.qualifier().name());
        g.writeStringField("category", e.category().name());
        g.writeNumberField("priority", e.priority());
        optional(g, "description", e.description());
        optional(g, "partition", e.partition());
        optional(g, "zone", e.zone());
        if (e.zoneNumber() >= 0) {
            g.writeNumberField("zoneNumber", e.zoneNumber());
        }
        if (e.triggeredAt() != null) {
            IsoInstant.writeField(g, "triggeredAt", e.triggeredAt());
        }
        if (e.clockSkew() != null) {
            g.writeStringField("clockSkew", e.clockSkew().toString());
        }
        IsoInstant.writeField(g, "receivedAt", e.receivedAt());
        if (!e.extended().isEmpty()) {
            g.writeObjectFieldStart("extended");
            for (Map.Entry<String, String> x : e.extended().entrySet()) {
                g.writeStringField(x.getKey(), x.getValue());
            }
            g.writeEndObject();
        }
        g.writeBooleanField("drill", e.drill());
        if (e.rawLength() > 0) {
            g.writeStringField("raw", Base64.getEncoder().encodeToString(e.raw()));
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * The event as a compact JSON string.
     *
     * @param e the event
     * @return the JSON text
     */
    public static String toJson(AlarmEvent e) {
        try {
            return MAPPER.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads an event from its JSON text.
     *
     * @param json the JSON text
     * @return the event
     * @throws IllegalArgumentException if the text is not a valid version-1 event
     */
    public static AlarmEvent fromJson(String json) {
        try {
            return read(MAPPER.readTree(json));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    /**
     * Reads an event from a parsed JSON tree.
     *
     * @param n the object node
     * @return the event
     * @throws IllegalArgumentException if the tree is not a valid version-1 event
     */
    public static AlarmEvent read(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("an event must be a JSON object");
        }
        int v = n.path("v").asInt(-1);
        if (v != VERSION) {
            throw new IllegalArgumentException("unsupported event JSON version " + n.path("v"));
        }
        try {
            AlarmEvent.Builder b = AlarmEvent.builder()
                    .account(text(n, "account"))
                    .receiver(text(n, "receiver"))
                    .line(text(n, "line"))
                    .protocol(Protocol.valueOf(required(n, "protocol")))
                    .transport(Transport.valueOf(required(n, "transport")))
                    .ingress(new Ingress(required(n.path("ingress"), "adapter"),
                            required(n.path("ingress"), "endpoint")))
                    .link(text(n, "link"))
                    .code(CodeSystem.valueOf(required(n, "codeSystem")), required(n, "code"))
                    .qualifier(Qualifier.valueOf(required(n, "qualifier")))
                    .category(Category.valueOf(required(n, "category")))
                    .description(text(n, "description"))
                    .partition(text(n, "partition"))
                    .zone(text(n, "zone"))
                    .receivedAt(Instant.parse(required(n, "receivedAt")))
                    .drill(n.path("drill").asBoolean(false));
            String id = text(n, "id");
            if (id != null) {
                b.id(EventId.parse(id));
            }
            String t = text(n, "triggeredAt");
            if (t != null) {
                b.triggeredAt(Instant.parse(t));
            }
            String skew = text(n, "clockSkew");
            if (skew != null) {
                b.clockSkew(Duration.parse(skew));
            }
            JsonNode ext = n.get("extended");
            if (ext != null && ext.isObject()) {
                for (Map.Entry<String, JsonNode> x : ext.properties()) {
                    b.extended(x.getKey(), x.getValue().asText());
                }
            }
            String raw = text(n, "raw");
            if (raw != null) {
                b.raw(Base64.getDecoder().decode(raw));
            }
            return b.build();
        } catch (RuntimeException ex) {
            if (ex instanceof IllegalArgumentException && ex.getMessage() != null
                    && ex.getMessage().startsWith("event JSON")) {
                throw ex;
            }
            throw new IllegalArgumentException("event JSON is invalid: " + ex.getMessage(), ex);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode x = n.get(field);
        return x == null || x.isNull() ? null : x.asText();
    }

    private static String required(JsonNode n, String field) {
        String s = text(n, field);
        if (s == null) {
            throw new IllegalArgumentException("event JSON lacks \"" + field + "\"");
        }
        return s;
    }
}
