package org.arc4j.core.pipeline.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.internal.IsoInstant;
import org.arc4j.core.internal.JsonBytes;
import org.arc4j.core.pipeline.Actor;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;

/**
 * The payload of a CASE_TRANSITION record, version 1:
 * {@code {"v":1,"case":..,"action":..,"state":..,"at":..,"actor":{"kind":..,"id":..},"drill":..,
 * "police":true?,"events":["<event id>"]?,"details":{..},"event":{EventJson}?}}:
 * {@code "state"} is the case's state after the transition; {@code "police"} marks the transition that forwards
 * to police, which makes the case's records permanent (the journal's retention convention); {@code "events"} links the event the transition carries (RECEIVED,
 * ARRIVAL, RESTORED) to the case. Stateless and thread-safe.
 */
public final class TransitionJson {
    /** The payload version. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TransitionJson() {
    }

    /**
     * Writes a transition.
     *
     * @param t                 the transition
     * @param drill             whether the case is a drill
     * @param forwardedToPolice true on the transition that forwards to police
     * @param event             the event it carries (RECEIVED, ARRIVAL, RESTORED), or null
     * @return the UTF-8 JSON bytes
     */
    public static byte[] write(CaseTransition t, boolean drill, boolean forwardedToPolice, AlarmEvent event) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("case", t.caseId());
            g.writeStringField("action", t.action().name());
            g.writeStringField("state", t.state().name());
            IsoInstant.writeField(g, "at", t.at());
            g.writeObjectFieldStart("actor");
            g.writeStringField("kind", t.actor().kind().name());
            g.writeStringField("id", t.actor().id());
            g.writeEndObject();
            g.writeBooleanField("drill", drill);
            if (forwardedToPolice) {
                g.writeBooleanField("police", true);
            }
            if (event != null && event.id() != null) {
                // links the event to the case, so the journal keeps it as long as the case (forever for police)
                g.writeArrayFieldStart("events");
                g.writeString(event.id().toString());
                g.writeEndArray();
            }
            if (!t.details().isEmpty()) {
                g.writeObjectFieldStart("details");
                for (Map.Entry<String, String> d : t.details().entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
            }
            if (event != null) {
                g.writeFieldName("event");
                EventJson.write(event, g);
            }
            g.writeEndObject();
        });
    }

    /**
     * A transition read back.
     *
     * @param transition the transition
     * @param drill      whether the case is a drill
     * @param event      the event it carries, or null
     */
    public record Read(CaseTransition transition, boolean drill, AlarmEvent event) {
    }

    /**
     * Reads a transition.
     *
     * @param payload the record's payload
     * @return the transition
     * @throws IllegalArgumentException if it is not a version-1 transition
     */
    public static Read read(byte[] payload) {
        JsonNode n;
        try {
            n = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("case transition is not JSON", e);
        }
        if (n.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("unsupported case transition version " + n.path("v"));
        }
        Map<String, String> details = new LinkedHashMap<>();
        JsonNode d = n.get("details");
        if (d != null) {
            d.properties().forEach(x -> details.put(x.getKey(), x.getValue().asText()));
        }
        CaseTransition t = new CaseTransition(n.path("case").asText(), CaseAction.valueOf(n.path("action").asText()),
                CaseState.valueOf(n.path("state").asText()), Instant.parse(n.path("at").asText()),
                new Actor(Actor.Kind.valueOf(n.path("actor").path("kind").asText()),
                        n.path("actor").path("id").asText()), details);
        JsonNode e = n.get("event");
        return new Read(t, n.path("drill").asBoolean(false), e == null ? null : EventJson.read(e));
    }
}
