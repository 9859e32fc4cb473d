package org.arc4j.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The index's field scanner reads what a JSON parser reads, for the fields the index needs. */
class IndexFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> TRANSITIONS = List.of(
            "{\"state\":\"RECEIVED\",\"events\":[\"01M8RDA4M0S1MQB5NAJZ6JV6P8\"]}",
            "{\"v\":2,\"details\":{\"state\":\"NOT_THIS\",\"events\":[\"x\"]},\"state\":\"CLOSED\"}",
            "{\"state\":\"A\",\"state\":\"B\"}",
            "{\"state\":5,\"police\":1}",
            "{\"state\":\"S\\u00e9\\\"q\\\\\\n\",\"police\":\"true\",\"events\":[1,\"a\",null,{\"x\":\"]\"},\"b\"]}",
            "{\"state\":\"FORWARDED_TO_POLICE\"}",
            "{\"police\":false,\"events\":{\"k\":\"v\",\"n\":2}}",
            " { \"state\" : \"X\" , \"events\" : [ ] } ",
            "{\"state\":\"中文\",\"at\":\"2026-12-01T09:00:00Z\",\"n\":-1.5e3,\"t\":true,\"z\":null}",
            "[\"state\"]",
            "\"state\"",
            "{\"state\":\"X\"",
            "{\"state\":\"X\",}",
            "{\"state\" \"X\"}",
            "{\"state\":\"X\"} trailing",
            "{\"state\":tru}",
            "not json",
            "");

    /** What the index read with a tree parse: state (textual), police, event ids; null when not an object. */
    private static IndexFields.Transition byTree(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
        if (n == null || !n.isObject()) {
            return null;
        }
        String state = n.path("state").isTextual() ? n.path("state").asText() : null;
        boolean police = n.path("police").asBoolean(false);
        List<String> events = new ArrayList<>();
        for (JsonNode id : n.path("events")) {
            if (id.isTextual()) {
                events.add(id.asText());
            }
        }
        return new IndexFields.Transition(state, police, events);
    }

    @Test
    void transitionsReadAsATreeParserReadsThem() {
        for (String t : TRANSITIONS) {
            assertThat(IndexFields.transition(t.getBytes(StandardCharsets.UTF_8))).as(t).isEqualTo(byTree(t));
        }
    }

    @Test
    void eventsGiveTheirTopLevelAccountCategoryAndId() {
        IndexFields.Event e = IndexFields.event(("{\"v\":1,\"id\":\"01M8RDA4M0S1MQB5NAJZ6JV6P8\",\"ingress\":"
                + "{\"account\":\"inner\",\"id\":\"no\"},\"account\":\"10\\\"00\",\"extended\":{\"a\":[{}]},"
                + "\"category\":\"INTRUSION\",\"priority\":4}").getBytes(StandardCharsets.UTF_8));
        assertThat(e).isEqualTo(new IndexFields.Event("10\"00", "INTRUSION", "01M8RDA4M0S1MQB5NAJZ6JV6P8"));
        assertThat(IndexFields.event("{\"account\":7,\"category\":null}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new IndexFields.Event(null, null, null));
        // what was read before a fault is kept, as with the streaming parser before
        assertThat(IndexFields.event("{\"account\":\"A\",\"id\":".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new IndexFields.Event("A", null, null));
        assertThat(IndexFields.event("[1]".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new IndexFields.Event(null, null, null));
    }
}
