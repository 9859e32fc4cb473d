package org.arc4j.core.pipeline.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.internal.IsoInstant;
import org.arc4j.core.internal.JsonBytes;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;

/**
 * The payload of a CASE_TRANSITION record, version 2:
 * {@code {"v":2,"case":..,"action":..,"state":..,"at":..,"actor":{"kind":..,"id":..},"drill":..,
 * "police":true?,"events":["<event id>"]?,"eventAt":<position>?,"details":{..},"event":{EventJson}?}}:
 * {@code "state"} is the case's state after the transition; {@code "police"} marks the transition that forwards
 * to police, which makes the case's records permanent (the journal's retention convention); {@code "events"}
 * links the event the transition carries (RECEIVED, ARRIVAL, RESTORED) to the case.
 *
 * <p>The event itself is referenced, not copied: {@code "eventAt"} is the store position of its EVENT record, which
 * the intake wrote just before. Only an event whose position the pipeline was not told (one given to
 * {@code AlarmPipeline.ingest} directly) is embedded as {@code "event"}. Version 1 always embedded it (about 430 of
 * a RECEIVED transition's 870 bytes); it is still read. Stateless and thread-safe.
 */
public final class TransitionJson {
    /** The payload version. */
    public static final int VERSION = 2;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    // field names encoded once
    private static final SerializedString V = new SerializedString("v");
    private static final SerializedString CASE = new SerializedString("case");
    private static final SerializedString ACTION = new SerializedString("action");
    private static final SerializedString STATE = new SerializedString("state");
    private static final SerializedString AT = new SerializedString("at");
    private static final SerializedString ACTOR = new SerializedString("actor");
    private static final SerializedString KIND = new SerializedString("kind");
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString DRILL = new SerializedString("drill");
    private static final SerializedString POLICE = new SerializedString("police");
    private static final SerializedString EVENTS = new SerializedString("events");
    private static final SerializedString DETAILS = new SerializedString("details");
    private static final SerializedString EVENT = new SerializedString("event");
    private static final SerializedString EVENT_AT = new SerializedString("eventAt");

    private TransitionJson() {
    }

    /**
     * Writes a transition that embeds the event it carries.
     *
     * @param t                 the transition
     * @param drill             whether the case is a drill
     * @param forwardedToPolice true on the transition that forwards to police
     * @param event             the event it carries (RECEIVED, ARRIVAL, RESTORED), or null
     * @return the UTF-8 JSON bytes
     */
    public static byte[] write(CaseTransition t, boolean drill, boolean forwardedToPolice, AlarmEvent event) {
        return write(t, drill, forwardedToPolice, event, 0);
    }

    /**
     * Writes a transition.
     *
     * @param t                 the transition
     * @param drill             whether the case is a drill
     * @param forwardedToPolice true on the transition that forwards to police
     * @param event             the event it carries (RECEIVED, ARRIVAL, RESTORED), or null
     * @param eventAt           the store position of the event's EVENT record, which is then referenced instead of
     *                          embedded; 0 when not known (the event is embedded)
     * @return the UTF-8 JSON bytes
     */
    public static byte[] write(CaseTransition t, boolean drill, boolean forwardedToPolice, AlarmEvent event,
                               long eventAt) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeFieldName(V);
            g.writeNumber(VERSION);
            string(g, CASE, t.caseId());
            string(g, ACTION, t.action().name());
            string(g, STATE, t.state().name());
            IsoInstant.writeField(g, AT, t.at());
            g.writeFieldName(ACTOR);
            g.writeStartObject();
            string(g, KIND, t.actor().kind().name());
            string(g, ID, t.actor().id());
            g.writeEndObject();
            g.writeFieldName(DRILL);
            g.writeBoolean(drill);
            if (forwardedToPolice) {
                g.writeFieldName(POLICE);
                g.writeBoolean(true);
            }
            if (event != null && event.id() != null) {
                // links the event to the case, so the journal keeps it as long as the case (forever for police)
                g.writeFieldName(EVENTS);
                g.writeStartArray();
                g.writeString(event.id().toString());
                g.writeEndArray();
            }
            if (!t.details().isEmpty()) {
                g.writeFieldName(DETAILS);
                g.writeStartObject();
                for (Map.Entry<String, String> d : t.details().entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
            }
            if (event != null && eventAt > 0) {
                g.writeFieldName(EVENT_AT);
                g.writeNumber(eventAt);
            } else if (event != null) {
                g.writeFieldName(EVENT);
                EventJson.write(event, g);
            }
            g.writeEndObject();
        });
    }

    private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    /**
     * A transition read back.
     *
     * @param transition the transition
     * @param drill      whether the case is a drill
     * @param event      the event it embeds, or null (none, or referenced by {@code eventAt})
     * @param eventId    the id of the event it carries, embedded or referenced, or null
     * @param eventAt    the store position of the event it references, or 0
     */
    public record Read(CaseTransition transition, boolean drill, AlarmEvent event, EventId eventId, long eventAt) {
        /** @return true when it carries an event that is referenced and must be read from the store */
        public boolean referencesEvent() {
            return event == null && eventAt > 0;
        }
    }

    /**
     * Reads a transition.
     *
     * @param payload the record's payload
     * @return the transition
     * @throws IllegalArgumentException if it is not a version-1 or version-2 transition
     */
    public static Read read(byte[] payload) {
        JsonNode n;
        try {
            n = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("case transition is not JSON", e);
        }
        int v = n.path("v").asInt(-1);
        if (v != 1 && v != VERSION) {
            throw new IllegalArgumentException("unsupported case transition version " + n.path("v"));
        }
        Map<String, String> details = new LinkedHashMap<>();
        JsonNode d = n.get("details");
        if (d != null) {
            d.properties().forEach(x -> details.put(x.getKey(), x.getValue().asText()));
        }
        CaseTransition t = new CaseTransition(n.path("case").asText(), CaseAction.valueOf(n.path("action").asText()),
                CaseState.valueOf(n.path("state").asText()), IsoInstant.parse(n.path("at").asText()),
                new CaseActor(CaseActor.Kind.valueOf(n.path("actor").path("kind").asText()),
                        n.path("actor").path("id").asText()), details);
        JsonNode e = n.get("event");
        AlarmEvent event = e == null ? null : EventJson.read(e);
        JsonNode ids = n.get("events");
        EventId id = ids != null && ids.size() > 0 ? EventId.parse(ids.get(0).asText())
                : event != null ? event.id() : null;
        return new Read(t, n.path("drill").asBoolean(false), event, id, n.path("eventAt").asLong(0));
    }
}
