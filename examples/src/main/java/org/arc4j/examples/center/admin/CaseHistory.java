package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;

/**
 * Cases as the store holds them, read back from their {@code CASE_TRANSITION} records (the payload the SDK's
 * {@code CaseTransition} documents) rather than from the pipeline's memory, which forgets closed cases: what a
 * report over a past period, after any number of restarts, is made from. Each case carries its timed steps
 * (GA 1383 报警接收与处置), measured from the transitions that start and end them:
 *
 * <ul>
 *   <li>response: {@code RECEIVED} (its {@code responseStart} and {@code transport}) to {@code PRESENTED};
 *   <li>verification: {@code VERIFICATION_STARTED} (its {@code method}) to {@code VERIFIED};
 *   <li>forwarding: {@code FORWARDED} (its {@code channel} and {@code recipient}) to {@code FORWARD_DELIVERED}
 *       for that recipient (the recipient's receipt, as the pipeline's clock counts it; an operator's later
 *       confirmation does not stop it);
 *   <li>guard departure: {@code DISPATCH_ORDERED} to {@code GUARD_DEPARTED}.
 * </ul>
 *
 * <p>A step the pipeline recorded as {@code SLA_BREACH} counts as breached even if it never completed. Reading
 * replays the store's case transitions: call it on a worker thread. Stateless.
 */
public final class CaseHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaseHistory() {
    }

    /**
     * One timed step of a case.
     *
     * @param row      the compliance row it belongs to, e.g. {@code response-ip}
     * @param measured how long it took, or null when it never completed
     * @param limit    the limit that applied to the case (its contract's, else GA 1383's), or null if not recorded
     * @param breached whether it exceeded its limit or the pipeline recorded a breach
     */
    public record Timing(String row, Duration measured, Duration limit, boolean breached) {
    }

    /**
     * A case as stored.
     *
     * @param id         the case id
     * @param customerId its customer, or null
     * @param siteId     its site, or null
     * @param category   its alarm's category ({@code INTRUSION}, {@code FIRE}, …), or null if the event is gone
     * @param transport  how its alarm arrived ({@code IP}, {@code PSTN}, …), or null
     * @param drill      whether it is a drill (kept out of statistics)
     * @param receivedAt when it was opened
     * @param closedAt   when it was closed, or null
     * @param state      the state after its latest transition
     * @param police     whether it was forwarded to the police
     * @param operators  who acted on it, in order of first action
     * @param timings    its timed steps, in the order they started
     */
    public record CaseRecord(String id, String customerId, String siteId, String category, String transport,
                             boolean drill,
                             Instant receivedAt, Instant closedAt, String state, boolean police,
                             List<String> operators, List<Timing> timings) {
    }

    /** A started step waiting for its end. */
    private static final class Open {
        final String row;
        final Instant start;
        final Duration limit;
        Duration measured;
        boolean breached;

        Open(String row, Instant start, Duration limit) {
            this.row = row;
            this.start = start;
            this.limit = limit;
        }
    }

    /** What is being gathered about one case. */
    private static final class Builder {
        final String id;
        String customerId;
        String siteId;
        String category;
        String transport;
        boolean drill;
        Instant receivedAt;
        Instant closedAt;
        String state;
        boolean police;
        final List<String> operators = new ArrayList<>();
        final List<Open> steps = new ArrayList<>();
        final Map<String, Open> pending = new HashMap<>();

        Builder(String id) {
            this.id = id;
        }

        void start(String key, String row, Instant at, Duration limit) {
            Open o = new Open(row, at, limit);
            steps.add(o);
            pending.put(key, o);
        }

        void end(String key, Instant at) {
            Open o = pending.remove(key);
            if (o != null && o.measured == null) {
                o.measured = Duration.between(o.start, at);
                if (o.limit != null && o.measured.compareTo(o.limit) > 0) {
                    o.breached = true;
                }
            }
        }

        void breach(String step) {
            // the latest started step of that kind is the one the pipeline's timer ran for
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i).row.startsWith(step)) {
                    steps.get(i).breached = true;
                    return;
                }
            }
        }

        CaseRecord build() {
            List<Timing> t = new ArrayList<>();
            for (Open o : steps) {
                t.add(new Timing(o.row, o.measured, o.limit, o.breached));
            }
            return new CaseRecord(id, customerId, siteId, category, transport, drill, receivedAt, closedAt, state, police,
                    List.copyOf(operators), List.copyOf(t));
        }
    }

    /**
     * The cases opened in {@code [from, to)}, drills included (each says whether it is one), in the order they
     * were opened.
     *
     * @param store the centre's store
     * @param from  the start, inclusive
     * @param to    the end, exclusive
     * @return the cases
     */
    public static List<CaseRecord> read(RecordStore store, Instant from, Instant to) {
        Map<String, Builder> cases = new LinkedHashMap<>();
        store.replay(1, Set.of(RecordType.CASE_TRANSITION), r -> {
            JsonNode n;
            try {
                n = JSON.readTree(r.payload());
            } catch (IOException e) {
                return; // not a transition this reader knows; the pipeline's recovery reports those
            }
            String id = n.path("case").asText(r.subject());
            String action = n.path("action").asText();
            Instant at = instant(n.path("at").asText(), r.at());
            JsonNode d = n.path("details");
            Builder b = cases.computeIfAbsent(id, Builder::new);
            b.state = n.path("state").asText(b.state);
            b.drill |= n.path("drill").asBoolean(false);
            b.police |= n.path("police").asBoolean(false);
            JsonNode actor = n.path("actor");
            if ("OPERATOR".equals(actor.path("kind").asText()) && !b.operators.contains(actor.path("id").asText())) {
                b.operators.add(actor.path("id").asText());
            }
            switch (action) {
                case "RECEIVED" -> {
                    b.receivedAt = at;
                    b.customerId = text(d, "customerId");
                    b.siteId = text(d, "siteId");
                    b.transport = text(d, "transport");
                    b.category = category(store, n);
                    b.start("RESPONSE", "response-" + lower(b.transport),
                            instant(text(d, "responseStart"), at), duration(text(d, "responseLimit")));
                }
                case "PRESENTED" -> b.end("RESPONSE", at);
                case "VERIFICATION_STARTED" -> {
                    String method = text(d, "method");
                    String row = "PHONE".equals(method) ? "verification-phone" : "verification-video-audio";
                    b.start("VERIFICATION", row, at, duration(text(d, "limit")));
                }
                case "VERIFIED" -> b.end("VERIFICATION", at);
                case "FORWARDED" -> b.start("FORWARDING/" + text(d, "recipient"),
                        "forwarding-" + lower(text(d, "channel")), at, duration(text(d, "limit")));
                case "FORWARD_DELIVERED" -> b.end("FORWARDING/" + text(d, "recipient"), at);
                case "DISPATCH_ORDERED" -> b.start("GUARD_DEPARTURE", "guard-departure", at,
                        duration(text(d, "limit")));
                case "GUARD_DEPARTED" -> b.end("GUARD_DEPARTURE", at);
                case "SLA_BREACH" -> b.breach(rowPrefix(text(d, "step")));
                case "CLOSED" -> b.closedAt = at;
                default -> {
                }
            }
        });
        List<CaseRecord> out = new ArrayList<>();
        for (Builder b : cases.values()) {
            if (b.receivedAt != null && !b.receivedAt.isBefore(from) && b.receivedAt.isBefore(to)) {
                out.add(b.build());
            }
        }
        return out;
    }

    /** The category of the event a RECEIVED transition carries: embedded, or at the position it references. */
    private static String category(RecordStore store, JsonNode transition) {
        try {
            JsonNode embedded = transition.get("event");
            if (embedded != null) {
                return EventJson.read(embedded).category().name();
            }
            long at = transition.path("eventAt").asLong(0);
            if (at > 0) {
                return store.read(at).map(r -> EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8))
                        .category().name()).orElse(null);
            }
        } catch (RuntimeException e) {
            return null; // an event this reader cannot read; the case is still listed
        }
        return null;
    }

    private static String rowPrefix(String step) {
        if (step == null) {
            return "?";
        }
        return switch (step) {
            case "RESPONSE" -> "response-";
            case "VERIFICATION" -> "verification-";
            case "FORWARDING" -> "forwarding-";
            case "GUARD_DEPARTURE" -> "guard-departure";
            default -> "?";
        };
    }

    private static String lower(String s) {
        return s == null ? "unknown" : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.path(f);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static Instant instant(String s, Instant dflt) {
        try {
            return s == null ? dflt : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return dflt;
        }
    }

    private static Duration duration(String s) {
        try {
            return s == null ? null : Duration.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
