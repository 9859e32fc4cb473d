package org.arc4j.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
    // field names encoded once: most of an event's JSON is its field names
    private static final SerializedString F_INGRESS = new SerializedString("ingress");
    private static final SerializedString F_EXTENDED = new SerializedString("extended");
    private static final SerializedString F_ACCOUNT = new SerializedString("account");
    private static final SerializedString F_ADAPTER = new SerializedString("adapter");
    private static final SerializedString F_CATEGORY = new SerializedString("category");
    private static final SerializedString F_CLOCK_SKEW = new SerializedString("clockSkew");
    private static final SerializedString F_CODE = new SerializedString("code");
    private static final SerializedString F_CODE_SYSTEM = new SerializedString("codeSystem");
    private static final SerializedString F_DESCRIPTION = new SerializedString("description");
    private static final SerializedString F_DRILL = new SerializedString("drill");
    private static final SerializedString F_ENDPOINT = new SerializedString("endpoint");
    private static final SerializedString F_ID = new SerializedString("id");
    private static final SerializedString F_LINE = new SerializedString("line");
    private static final SerializedString F_LINK = new SerializedString("link");
    private static final SerializedString F_PARTITION = new SerializedString("partition");
    private static final SerializedString F_PRIORITY = new SerializedString("priority");
    private static final SerializedString F_PROTOCOL = new SerializedString("protocol");
    private static final SerializedString F_QUALIFIER = new SerializedString("qualifier");
    private static final SerializedString F_RAW = new SerializedString("raw");
    private static final SerializedString F_RECEIVED_AT = new SerializedString("receivedAt");
    private static final SerializedString F_RECEIVER = new SerializedString("receiver");
    private static final SerializedString F_TRANSPORT = new SerializedString("transport");
    private static final SerializedString F_TRIGGERED_AT = new SerializedString("triggeredAt");
    private static final SerializedString F_V = new SerializedString("v");
    private static final SerializedString F_ZONE = new SerializedString("zone");
    private static final SerializedString F_ZONE_NUMBER = new SerializedString("zoneNumber");

    public static void write(AlarmEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        number(g, F_V, VERSION);
        if (e.id() != null) {
            string(g, F_ID, e.id().toString());
        }
        optional(g, F_ACCOUNT, e.account());
        optional(g, F_RECEIVER, e.receiver());
        optional(g, F_LINE, e.line());
        string(g, F_PROTOCOL, e.protocol().name());
        string(g, F_TRANSPORT, e.transport().name());
        object(g, F_INGRESS);
        string(g, F_ADAPTER, e.ingress().adapter());
        string(g, F_ENDPOINT, e.ingress().endpoint());
        g.writeEndObject();
        string(g, F_LINK, e.link());
        string(g, F_CODE_SYSTEM, e.codeSystem().name());
        string(g, F_CODE, e.code());
        string(g, F_QUALIFIER, e.qualifier().name());
        string(g, F_CATEGORY, e.category().name());
        number(g, F_PRIORITY, e.priority());
        optional(g, F_DESCRIPTION, e.description());
        optional(g, F_PARTITION, e.partition());
        optional(g, F_ZONE, e.zone());
        if (e.zoneNumber() >= 0) {
            number(g, F_ZONE_NUMBER, e.zoneNumber());
        }
        if (e.triggeredAt() != null) {
            IsoInstant.writeField(g, F_TRIGGERED_AT, e.triggeredAt());
        }
        if (e.clockSkew() != null) {
            string(g, F_CLOCK_SKEW, e.clockSkew().toString());
        }
        IsoInstant.writeField(g, F_RECEIVED_AT, e.receivedAt());
        if (!e.extended().isEmpty()) {
            object(g, F_EXTENDED);
            for (Map.Entry<String, String> x : e.extended().entrySet()) {
                g.writeStringField(x.getKey(), x.getValue());
            }
            g.writeEndObject();
        }
        bool(g, F_DRILL, e.drill());
        if (e.rawLength() > 0) {
            // Jackson's default Base64 variant is the JDK's basic encoder: standard alphabet, padded, no line feeds
            g.writeFieldName(F_RAW);
            g.writeBinary(e.raw());
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, SerializedString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    private static void number(JsonGenerator g, SerializedString name, int value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void bool(JsonGenerator g, SerializedString name, boolean value) throws IOException {
        g.writeFieldName(name);
        g.writeBoolean(value);
    }

    private static void object(JsonGenerator g, SerializedString name) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
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
