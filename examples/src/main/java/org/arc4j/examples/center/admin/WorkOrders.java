package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * Maintenance work orders (GA 1383 §硬件设备维护): a repair of a front-end device (to be done within 24 h) or of
 * the platform (within 12 h), opened and closed with a note, and the quality sampling checks — at least 20 % of
 * the front-end devices installed or repaired, at least 10 % of the items of a large maintenance or settings change.
 *
 * <p>A repair order opens a fault ticket in the SDK's {@link QualityLedger} under the order's id and closes it with
 * the order, so the compliance report's rows "24 h repair rate" and "platform repairs within 12 h" are evidenced by
 * the orders. A sampling order draws its sample from its population reproducibly: the population sorted, shuffled
 * by {@link Random} seeded with the CRC-32 of the order id, the first {@code ceil(rate × size)} taken; the order
 * keeps population, seed and sample, so anyone can draw it again. A sampling order of basis {@code repairs} samples
 * the closed front-end repair orders not sampled before; one of basis {@code change} samples the items given.
 *
 * <p>Record format: type {@code CONFIG_CHANGE}, version 1, subject {@code center/work-order/<id>}, payload
 * {@code {"op":"open"|"close", "id", "by", "at", …}}; an open carries the whole order. Every change is audited as
 * {@code CONFIGURATION_CHANGE} and answered once durable. Caveat: the order's record is written before the ledger's
 * ticket; a crash between the two leaves an order without its ticket. Thread-safe (changes are serialised).
 */
public final class WorkOrders {
    /** The subject prefix of the records. */
    public static final String SUBJECT = "center/work-order/";
    /** The limit of a front-end repair. */
    public static final Duration FRONT_END_LIMIT = Duration.ofHours(24);
    /** The limit of a platform repair. */
    public static final Duration PLATFORM_LIMIT = Duration.ofHours(12);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private final RecordStore store;
    private final QualityLedger ledger;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, ObjectNode> orders = new LinkedHashMap<>();

    private WorkOrders(RecordStore store, QualityLedger ledger, AuditLog audit, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Opens the work orders: replays their records.
     *
     * @param store  the centre's store
     * @param ledger the quality ledger the repairs are counted in
     * @param audit  the audit log
     * @param clock  the centre's clock
     * @return the orders
     */
    public static WorkOrders open(RecordStore store, QualityLedger ledger, AuditLog audit, Clock clock) {
        WorkOrders w = new WorkOrders(store, ledger, audit, clock);
        store.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> {
            if (r.subject().startsWith(SUBJECT) && r.version() == VERSION) {
                w.apply(read(r));
            }
        });
        return w;
    }

    private static JsonNode read(StoredRecord r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new IllegalStateException("work order record at " + r.position() + " is not JSON", e);
        }
    }

    /**
     * @param now the time to judge against
     * @return every order, in the order opened, each with {@code overdue} set for an open repair past its limit
     */
    public synchronized List<ObjectNode> list(Instant now) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : orders.values()) {
            ObjectNode c = o.deepCopy();
            c.put("overdue", overdue(o, now));
            out.add(c);
        }
        return out;
    }

    /**
     * @param now the time to judge against
     * @return the ids of the open repair orders past their limit (24 h front-end, 12 h platform)
     */
    public synchronized List<String> overdue(Instant now) {
        return orders.values().stream().filter(o -> overdue(o, now)).map(o -> o.path("id").asText()).toList();
    }

    private static boolean overdue(JsonNode o, Instant now) {
        Duration limit = limit(o.path("kind").asText());
        return limit != null && o.path("closedAt").isMissingNode()
                && Duration.between(Instant.parse(o.path("reportedAt").asText()), now).compareTo(limit) > 0;
    }

    private static Duration limit(String kind) {
        return switch (kind) {
            case "front-end" -> FRONT_END_LIMIT;
            case "platform" -> PLATFORM_LIMIT;
            default -> null;
        };
    }

    /**
     * Opens an order.
     *
     * @param body {@code kind}: {@code front-end} or {@code platform} (a repair: {@code device} required,
     *             {@code description}, {@code classification}, {@code reportedAt} — an instant, not in the future,
     *             by default now) or {@code sampling} ({@code basis}: {@code repairs} — 20 % of the closed front-end
     *             repairs not sampled before — or {@code change} — 10 % of {@code items}, a list of what was changed;
     *             {@code description})
     * @param by   who
     * @return the order
     * @throws AdminValidation.FieldError for a bad field, or a sampling with nothing to sample
     */
    public synchronized ObjectNode open(JsonNode body, Actor by) {
        String kind = AdminValidation.required(body, "kind");
        Instant now = clock.instant();
        ObjectNode o = JSON.createObjectNode();
        // the next free number: a fault ticket entered by hand (POST /api/faults) may hold one already
        Set<String> tickets = new HashSet<>();
        ledger.faults().forEach(f -> tickets.add(f.id()));
        int n = orders.size() + 1;
        while (orders.containsKey("WO-" + n) || tickets.contains("WO-" + n)) {
            n++;
        }
        String id = "WO-" + n;
        o.put("id", id);
        o.put("kind", kind);
        o.put("openedAt", now.toString());
        o.put("openedBy", by.username());
        o.put("description", AdminValidation.optional(body, "description"));
        if (limit(kind) != null) {
            o.put("device", AdminValidation.required(body, "device"));
            String cls = AdminValidation.optional(body, "classification");
            o.put("classification", cls == null ? kind + " fault" : cls);
            Instant reported = instant(body, "reportedAt", now);
            if (reported.isAfter(now)) {
                throw new AdminValidation.FieldError("reportedAt", "must not be in the future");
            }
            o.put("reportedAt", reported.toString());
            o.put("limitHours", limit(kind).toHours());
        } else if ("sampling".equals(kind)) {
            sample(o, body, id);
        } else {
            throw new AdminValidation.FieldError("kind", "must be front-end, platform or sampling");
        }
        ObjectNode rec = JSON.createObjectNode().put("op", "open").put("id", id).put("by", by.username())
                .put("at", now.toString());
        rec.set("order", o);
        write(rec, by);
        if (limit(kind) != null) {
            AdminStore.durable(ledger.openFault(id, Instant.parse(o.path("reportedAt").asText()),
                    o.path("classification").asText(), "platform".equals(kind)));
        }
        return o.deepCopy();
    }

    private void sample(ObjectNode o, JsonNode body, String id) {
        String basis = AdminValidation.required(body, "basis");
        List<String> population = new ArrayList<>();
        double rate;
        if ("repairs".equals(basis)) {
            rate = 0.20;
            Set<String> sampled = new HashSet<>();
            orders.values().stream().filter(x -> "repairs".equals(x.path("basis").asText()))
                    .forEach(x -> x.path("population").forEach(p -> sampled.add(p.asText())));
            orders.values().stream().filter(x -> "front-end".equals(x.path("kind").asText())
                            && !x.path("closedAt").isMissingNode() && !sampled.contains(x.path("id").asText()))
                    .forEach(x -> population.add(x.path("id").asText()));
            if (population.isEmpty()) {
                throw new AdminValidation.FieldError("basis", "no closed front-end repair is left to sample");
            }
        } else if ("change".equals(basis)) {
            rate = 0.10;
            JsonNode items = body.path("items");
            if (!items.isArray() || items.isEmpty()) {
                throw new AdminValidation.FieldError("items", "must list what the change touched");
            }
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < items.size(); i++) {
                String item = AdminValidation.id(items.get(i).isTextual() ? items.get(i).asText() : null,
                        "items[" + i + "]");
                if (!seen.add(item)) {
                    throw new AdminValidation.FieldError("items[" + i + "]", item + " is listed twice");
                }
            }
            population.addAll(seen);
        } else {
            throw new AdminValidation.FieldError("basis", "must be repairs (20 %) or change (10 %)");
        }
        long seed = seed(id);
        o.put("basis", basis);
        o.put("rate", rate);
        o.put("seed", seed);
        ArrayNode pop = o.putArray("population");
        population.forEach(pop::add);
        ArrayNode s = o.putArray("sample");
        draw(population, rate, seed).forEach(s::add);
    }

    /**
     * The seed of an order's sample.
     *
     * @param id the order id
     * @return the CRC-32 of its UTF-8 bytes
     */
    public static long seed(String id) {
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    /**
     * Draws a sample reproducibly: the population sorted, shuffled by {@link Random} with the seed (Fisher–Yates,
     * from the last element down), the first {@code ceil(rate × size)} kept, then sorted.
     *
     * @param population what to sample from
     * @param rate       the share to draw, 0 to 1
     * @param seed       the seed
     * @return the sample, sorted
     */
    public static List<String> draw(List<String> population, double rate, long seed) {
        List<String> all = new ArrayList<>(new TreeSet<>(population));
        Random random = new Random(seed);
        for (int i = all.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        int n = (int) Math.ceil(rate * all.size() - 1e-9);
        return all.subList(0, n).stream().sorted().toList();
    }

    /**
     * Closes an order.
     *
     * @param id   the order
     * @param body {@code note} (required: what was done or found), {@code repairedAt} (an instant between the
     *             report and now, by default now)
     * @param by   who
     * @return the closed order
     * @throws NoSuchElementException     if there is no such order
     * @throws AdminStore.Conflict        if it is closed already
     * @throws AdminValidation.FieldError for a bad field
     */
    public synchronized ObjectNode close(String id, JsonNode body, Actor by) {
        ObjectNode o = orders.get(id);
        if (o == null) {
            throw new NoSuchElementException("no work order " + id);
        }
        if (!o.path("closedAt").isMissingNode()) {
            throw new AdminStore.Conflict("work order " + id + " is closed");
        }
        String note = AdminValidation.required(body, "note");
        Instant now = clock.instant();
        Instant done = instant(body, "repairedAt", now);
        Instant from = Instant.parse(o.path(o.has("reportedAt") ? "reportedAt" : "openedAt").asText());
        if (done.isAfter(now) || done.isBefore(from)) {
            throw new AdminValidation.FieldError("repairedAt", "must be between " + from + " and now");
        }
        ObjectNode rec = JSON.createObjectNode().put("op", "close").put("id", id).put("by", by.username())
                .put("at", done.toString()).put("note", note);
        write(rec, by);
        if (limit(o.path("kind").asText()) != null) {
            AdminStore.durable(ledger.closeFault(id, done));
        }
        return orders.get(id).deepCopy();
    }

    private void write(ObjectNode rec, Actor by) {
        String id = rec.path("id").asText();
        long position;
        try {
            position = AdminStore.durable(store.append(new NewRecord(RecordType.CONFIG_CHANGE, VERSION,
                    clock.instant(), SUBJECT + id, JSON.writeValueAsBytes(rec))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apply(rec);
        AdminStore.durable(audit.record(by, AuditAction.CONFIGURATION_CHANGE, "work-order:" + id,
                Map.of("op", rec.path("op").asText(), "position", Long.toString(position))));
    }

    private void apply(JsonNode rec) {
        String id = rec.path("id").asText();
        if ("open".equals(rec.path("op").asText())) {
            orders.put(id, ((ObjectNode) rec.path("order")).deepCopy());
        } else if ("close".equals(rec.path("op").asText()) && orders.containsKey(id)) {
            ObjectNode o = orders.get(id);
            o.put("closedAt", rec.path("at").asText());
            o.put("closedBy", rec.path("by").asText());
            o.put("note", rec.path("note").asText());
            Duration limit = limit(o.path("kind").asText());
            if (limit != null) {
                Duration took = Duration.between(Instant.parse(o.path("reportedAt").asText()),
                        Instant.parse(rec.path("at").asText()));
                o.put("repairSeconds", took.toSeconds());
                o.put("withinLimit", took.compareTo(limit) <= 0);
            }
        }
    }

    private static Instant instant(JsonNode body, String field, Instant dflt) {
        String t = AdminValidation.optional(body, field);
        if (t == null) {
            return dflt;
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new AdminValidation.FieldError(field, "must be an instant such as 2026-01-31T08:00:00Z");
        }
    }
}
