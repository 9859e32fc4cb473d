package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arc4j.core.customer.Contact;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.Site;
import org.arc4j.core.customer.Zone;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.Forward;
import org.arc4j.core.sla.SlaBreach;

/**
 * The JSON of cases as the console and the API show them: a summary for the queue and the WebSocket, and the
 * detail with every step's time, the GA 1383 clocks (limit, measured or deadline, status), breaches, the action
 * plan, the site with its plan image and the zone's position. Stateless; thread-safe.
 */
public final class CaseViews {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One GA 1383 clock of a case. */
    record Clock(String step, Instant startedAt, Duration limit, Duration measured, boolean breached) {
        Instant deadline() {
            return limit == null ? null : startedAt.plus(limit);
        }

        String status() {
            if (breached) {
                return "breached";
            }
            return measured != null ? "met" : "running";
        }
    }

    private final CenterModel model;

    CaseViews(CenterModel model) {
        this.model = model;
    }

    /**
     * The queue row of a case.
     *
     * @param c the case
     * @return its summary
     */
    public ObjectNode summary(AlarmCase c) {
        ObjectNode n = F.objectNode();
        n.put("id", c.id());
        n.put("state", c.state().name());
        n.put("priority", c.priority());
        n.put("category", c.category().name());
        n.put("keyCustomer", c.keyCustomer());
        n.put("drill", c.drill());
        Optional<Customer> cu = c.customerId() == null ? Optional.empty() : model.directory().customer(c.customerId());
        n.put("customer", cu.map(Customer::name).orElse(null));
        n.put("customerId", c.customerId());
        n.put("siteId", c.siteId());
        n.put("account", c.account().account());
        n.put("receiver", c.account().receiver());
        n.put("line", c.account().line());
        n.put("zone", c.event().zone());
        n.put("zoneName", zone(c).map(Zone::name).orElse(null));
        n.put("code", c.event().code());
        n.put("description", c.event().description());
        n.put("transport", c.transport().name());
        n.put("receivedAt", c.receivedAt().toString());
        n.put("presentedAt", at(c, CaseAction.PRESENTED));
        n.put("takenBy", c.takenBy());
        String flag = c.event().extended().get(AccountCheckingIntake.FLAG);
        if (flag != null) {
            n.put("flag", flag);
        }
        List<Clock> clocks = clocks(c);
        Clock current = null;
        for (Clock k : clocks) {
            if (k.breached() && (current == null || !current.breached())) {
                current = k;
            } else if (current == null && k.measured() == null && k.limit() != null && !c.state().isFinal()) {
                current = k;
            }
        }
        if (current != null) {
            ObjectNode s = n.putObject("sla");
            s.put("step", current.step());
            s.put("deadline", String.valueOf(current.deadline()));
            s.put("breached", current.breached());
        } else {
            n.putNull("sla");
        }
        return n;
    }

    /**
     * @param siteId a site's id
     * @return the customer it belongs to now (the configuration's or the administration API's), or null
     */
    public String customerOfSite(String siteId) {
        return siteId == null ? null : model.directory().site(siteId).map(s -> s.customerId()).orElse(null);
    }

    /**
     * The detail of a case.
     *
     * @param c       the case
     * @param allowed the actions the asking user may take now
     * @return its detail
     */
    public ObjectNode detail(AlarmCase c, List<String> allowed) {
        ObjectNode n = summary(c);
        n.remove("sla");
        n.remove("customer");
        Optional<Customer> cu = c.customerId() == null ? Optional.empty() : model.directory().customer(c.customerId());
        if (cu.isPresent()) {
            ObjectNode o = n.putObject("customer");
            o.put("id", cu.get().id());
            o.put("name", cu.get().name());
            o.put("type", cu.get().type().name());
            o.put("address", cu.get().address());
            ArrayNode contacts = o.putArray("contacts");
            for (Contact k : cu.get().contacts()) {
                contacts.addObject().put("name", k.name()).put("phone", k.phone()).put("role", k.role());
            }
        } else {
            n.putNull("customer");
        }
        Optional<Site> site = c.siteId() == null ? Optional.empty() : model.directory().site(c.siteId());
        if (site.isPresent()) {
            ObjectNode s = n.putObject("site");
            s.put("id", site.get().id());
            s.put("name", site.get().name());
            s.put("address", site.get().address());
            if (site.get().location() != null) {
                s.put("latitude", site.get().location().latitude());
                s.put("longitude", site.get().location().longitude());
            }
            s.put("planImage", model.planImage(c.siteId()));
        } else {
            n.putNull("site");
        }
        CenterModel.Position p = model.position(c.siteId(), c.event().zone());
        if (p != null) {
            n.putObject("zonePosition").put("x", p.x()).put("y", p.y());
        } else {
            n.putNull("zonePosition");
        }
        n.put("partition", c.event().partition());
        n.put("eventId", c.event().id() == null ? null : c.event().id().toString());
        n.put("triggeredAt", c.event().triggeredAt() == null ? null : c.event().triggeredAt().toString());
        n.put("responseStart", c.responseStart().toString());
        n.put("actionPlanName", c.actionPlan());
        ArrayNode plan = n.putArray("actionPlan");
        model.planSteps(c.actionPlan()).forEach(plan::add);
        ArrayNode steps = n.putArray("steps");
        for (CaseTransition t : c.transitions()) {
            ObjectNode s = steps.addObject();
            s.put("step", t.action().name());
            s.put("state", t.state().name());
            s.put("at", t.at().toString());
            s.put("by", t.actor().kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + t.actor().id());
            ObjectNode d = s.putObject("details");
            new java.util.TreeMap<>(t.details()).forEach(d::put);
        }
        ArrayNode sla = n.putArray("sla");
        for (Clock k : clocks(c)) {
            ObjectNode s = sla.addObject();
            s.put("step", k.step());
            s.put("startedAt", k.startedAt().toString());
            if (k.limit() != null) {
                s.put("limitSeconds", k.limit().toMillis() / 1000.0);
                s.put("deadline", k.deadline().toString());
            }
            if (k.measured() != null) {
                s.put("measuredSeconds", k.measured().toMillis() / 1000.0);
            }
            s.put("status", k.status());
        }
        ArrayNode breaches = n.putArray("breaches");
        for (SlaBreach b : c.breaches()) {
            breaches.addObject().put("step", b.step().name()).put("startedAt", b.startedAt().toString())
                    .put("limitSeconds", b.limit().toMillis() / 1000.0)
                    .put("measuredSeconds", b.measured().toMillis() / 1000.0)
                    .put("detectedAt", b.detectedAt().toString()).put("duringOutage", b.duringOutage());
        }
        ArrayNode forwards = n.putArray("forwards");
        for (Forward f : c.forwards()) {
            forwards.addObject().put("recipient", f.recipient()).put("channel", f.channel().name())
                    .put("police", f.police()).put("automatic", f.automatic())
                    .put("startedAt", String.valueOf(f.startedAt()))
                    .put("deliveredAt", f.deliveredAt() == null ? null : f.deliveredAt().toString())
                    .put("confirmedAt", f.confirmedAt() == null ? null : f.confirmedAt().toString());
        }
        n.put("verificationMethod", c.verificationMethod() == null ? null : c.verificationMethod().name());
        n.put("verificationResult", c.verificationResult() == null ? null : c.verificationResult().name());
        n.put("restoredAt", c.restoredAt() == null ? null : c.restoredAt().toString());
        ArrayNode arrivals = n.putArray("arrivals");
        c.arrivals().forEach(a -> arrivals.addObject().put("eventId", String.valueOf(a.eventId()))
                .put("link", a.link()).put("receivedAt", a.receivedAt().toString()));
        ArrayNode acts = n.putArray("allowedActions");
        allowed.forEach(acts::add);
        return n;
    }

    private Optional<Zone> zone(AlarmCase c) {
        if (c.siteId() == null || c.event().zone() == null) {
            return Optional.empty();
        }
        return model.directory().site(c.siteId()).flatMap(s -> s.zone(c.event().zone()));
    }

    private static String at(AlarmCase c, CaseAction action) {
        for (CaseTransition t : c.transitions()) {
            if (t.action() == action) {
                return t.at().toString();
            }
        }
        return null;
    }

    /**
     * @param c      a case
     * @param action an action
     * @return whether the case went through it
     */
    public static boolean happened(AlarmCase c, CaseAction action) {
        return c.transitions().stream().anyMatch(t -> t.action() == action);
    }

    /**
     * The GA 1383 clocks of a case, from its transitions.
     *
     * @param c the case
     * @return its clocks in the order they started
     */
    static List<Clock> clocks(AlarmCase c) {
        Map<String, Clock> clocks = new LinkedHashMap<>();
        for (CaseTransition t : c.transitions()) {
            Map<String, String> d = t.details();
            switch (t.action()) {
                case RECEIVED -> clocks.put("RESPONSE", new Clock("RESPONSE", c.responseStart(),
                        d.containsKey("responseLimit") ? Duration.parse(d.get("responseLimit")) : null, null, false));
                case PRESENTED -> finish(clocks, "RESPONSE", t.at());
                case VERIFICATION_STARTED -> clocks.put("VERIFICATION", new Clock("VERIFICATION", t.at(),
                        d.containsKey("limit") ? Duration.parse(d.get("limit")) : null, null, false));
                case VERIFIED -> finish(clocks, "VERIFICATION", t.at());
                case FORWARDED -> clocks.put("FORWARDING:" + d.get("recipient"), new Clock("FORWARDING "
                        + d.get("recipient"), t.at(), Duration.parse(d.get("limit")), null, false));
                case FORWARD_DELIVERED -> finish(clocks, "FORWARDING:" + d.get("recipient"), t.at());
                case DISPATCH_ORDERED -> clocks.put("GUARD_DEPARTURE", new Clock("GUARD_DEPARTURE", t.at(),
                        Duration.parse(d.get("limit")), null, false));
                case GUARD_DEPARTED -> finish(clocks, "GUARD_DEPARTURE", t.at());
                case SLA_BREACH -> {
                    Clock k = clocks.get(d.get("clock"));
                    if (k != null) {
                        clocks.put(d.get("clock"), new Clock(k.step(), k.startedAt(), k.limit(), k.measured(), true));
                    }
                }
                default -> {
                }
            }
        }
        // a clock measured over its limit is a breach even before the breach record is read back
        List<Clock> out = new ArrayList<>();
        for (Clock k : clocks.values()) {
            boolean over = k.measured() != null && k.limit() != null && k.measured().compareTo(k.limit()) > 0;
            out.add(over && !k.breached() ? new Clock(k.step(), k.startedAt(), k.limit(), k.measured(), true) : k);
        }
        return out;
    }

    private static void finish(Map<String, Clock> clocks, String key, Instant at) {
        Clock k = clocks.get(key);
        if (k != null && k.measured() == null) {
            clocks.put(key, new Clock(k.step(), k.startedAt(), k.limit(), Duration.between(k.startedAt(), at),
                    k.breached()));
        }
    }

    /**
     * @param c a case
     * @return whether it is closed or archived
     */
    static boolean isFinal(AlarmCase c) {
        return c.state() == CaseState.CLOSED || c.state() == CaseState.ARCHIVED;
    }
}
