package org.arc4j.examples.center.api;

import static org.arc4j.examples.center.api.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.stats.QualityReport;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/stats}, {@code POST /api/faults} and {@code POST /api/satisfaction}: the GA 1383 quality figures
 * over a period (missed alarms, false alarm rate, repairs within 24 h, satisfaction) from the
 * {@link QualityLedger}, and the fault tickets and satisfaction scores that feed it. Statistics and scores need
 * {@code READ_REPORTS}, faults {@code MANAGE_DEVICES}. Thread-safe.
 */
final class StatsResource {
    /** The period when the query gives none: the year up to now. */
    private static final Duration DEFAULT_PERIOD = Duration.ofDays(365);

    private final AccessGuard guard;
    private final QualityLedger ledger;
    private final Clock clock;

    StatsResource(AccessGuard guard, QualityLedger ledger, Clock clock) {
        this.guard = guard;
        this.ledger = ledger;
        this.clock = clock;
    }

    HttpResponse stats(HttpRequest r) {
        guard.require(r, Permission.READ_REPORTS, Resource.centre());
        Instant now = clock.instant();
        Instant to = Fields.queryInstant(r, "to", now.plusSeconds(1));
        Instant from = Fields.queryInstant(r, "from", to.minus(DEFAULT_PERIOD));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        QualityReport q = ledger.report(from, to);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("from", from.toString());
        n.put("to", to.toString());
        n.put("missedAlarms", q.missedAlarms());
        n.put("policeForwards", q.policeForwards());
        n.put("falseAlarms", q.falseAlarms());
        n.put("falseAlarmRatePercent", q.falseAlarmRatePercent());
        n.put("faults", q.faults());
        n.put("repairedIn24h", q.repairedIn24h());
        n.put("repairRate24hPercent", q.repairRate24hPercent());
        if (q.satisfaction().isPresent()) {
            n.put("satisfaction", q.satisfaction().getAsDouble());
        } else {
            n.putNull("satisfaction");
        }
        n.put("surveyed", q.surveyed());
        n.put("meetsGa1383", q.meetsGa1383());
        return HttpResponse.ok(n);
    }

    /** Opens a fault ticket, or closes a known one when {@code closedAt} is given: 201 for a new ticket. */
    HttpResponse fault(HttpRequest r) {
        JsonNode b = r.json();
        guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        Instant now = clock.instant();
        String id = text(b, "id") == null ? "F" + now.toEpochMilli() : text(b, "id");
        Instant opened = b.has("openedAt") ? Fields.instant(b, "openedAt") : now;
        boolean known = ledger.faults().stream().anyMatch(f -> f.id().equals(id));
        if (!known) {
            String cls = text(b, "classification");
            if (cls == null) {
                throw ApiException.badRequest("classification is required for a new fault");
            }
            ledger.openFault(id, opened, cls, b.path("platform").asBoolean(false));
        }
        if (b.has("closedAt")) {
            try {
                ledger.closeFault(id, Fields.instant(b, "closedAt"));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ApiException(409, e.getMessage());
            }
        }
        FaultTicket t = ledger.faults().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", t.id());
        n.put("classification", t.classification());
        n.put("platform", t.platform());
        n.put("openedAt", t.openedAt().toString());
        n.put("closedAt", t.closedAt() == null ? null : t.closedAt().toString());
        return HttpResponse.json(known ? 200 : 201, n);
    }

    HttpResponse satisfaction(HttpRequest r) {
        JsonNode b = r.json();
        guard.require(r, Permission.READ_REPORTS, Resource.centre());
        String customer = text(b, "customerId");
        if (customer == null || !b.path("score").isNumber()) {
            throw ApiException.badRequest("customerId and a numeric score (0 to 100) are required");
        }
        double score = b.path("score").asDouble();
        if (score < 0 || score > 100) {
            throw ApiException.badRequest("score must be from 0 to 100");
        }
        Instant at = b.has("at") ? Fields.instant(b, "at") : clock.instant();
        ledger.recordSatisfaction(customer, score, at);
        return HttpResponse.json(201, Map.of("customerId", customer, "score", score, "at", at.toString()));
    }
}
