package org.arc4j.examples.center.api;

import static org.arc4j.examples.center.api.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.MonthlyClassification;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.stats.QualityReport;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/stats}, {@code GET /api/stats/faults}, {@code POST /api/faults}, {@code POST /api/satisfaction}
 * and {@code POST /api/missed-alarms}: the GA 1383 quality figures over a period (missed alarms, false alarm rate,
 * repairs within 24 h, satisfaction) and the monthly fault classification (GA 1383 运行维护: faults classified at
 * least every 30 days) from the {@link QualityLedger}, and the hand-entered inputs that feed it: fault tickets,
 * satisfaction scores and missed alarms (警情漏报). An input is answered only once the journal holds it, so the
 * figures survive a crash, and each is audited as {@code STATISTICS_INPUT} with the logged-in user as actor.
 * Statistics, scores and missed alarms need {@code READ_REPORTS}, faults {@code MANAGE_DEVICES}. Thread-safe.
 */
final class StatsResource {
    /** The period when the query gives none: the year up to now. */
    private static final Duration DEFAULT_PERIOD = Duration.ofDays(365);

    private final AccessGuard guard;
    private final QualityLedger ledger;
    private final AuditLog audit;
    private final Clock clock;

    StatsResource(AccessGuard guard, QualityLedger ledger, AuditLog audit, Clock clock) {
        this.guard = guard;
        this.ledger = ledger;
        this.audit = audit;
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

    /**
     * The monthly classification of {@code ?month=YYYY-MM} (default: this month), months counted in UTC like the
     * dates of {@link #stats}: fault tickets by class, false verifications by cause, alarm cases by category.
     */
    HttpResponse monthly(HttpRequest r) {
        guard.require(r, Permission.READ_REPORTS, Resource.centre());
        String m = r.query("month");
        YearMonth month;
        try {
            month = m == null || m.isBlank() ? YearMonth.now(clock.withZone(ZoneOffset.UTC)) : YearMonth.parse(m);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("month must be YYYY-MM");
        }
        MonthlyClassification c = ledger.monthly(month, ZoneOffset.UTC);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("month", month.toString());
        ObjectNode byClass = n.putObject("faultsByClass");
        c.faultsByClass().forEach(byClass::put);
        ObjectNode causes = n.putObject("falseAlarmCauses");
        c.falseAlarmCauses().forEach(causes::put);
        ObjectNode categories = n.putObject("alarmsByCategory");
        c.alarmsByCategory().forEach((k, v) -> categories.put(k.name(), v));
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        var faults = n.putArray("faults");
        ledger.faults().stream().filter(t -> !t.openedAt().isBefore(from) && t.openedAt().isBefore(to))
                .forEach(t -> faults.add(ticket(t)));
        return HttpResponse.ok(n);
    }

    /** Records a missed alarm (警情漏报) {@code {"description", "at"?}}: 201 once durable. */
    HttpResponse missedAlarm(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.READ_REPORTS, Resource.centre());
        String description = text(b, "description");
        if (description == null) {
            throw ApiException.badRequest("description is required: what alarm was missed");
        }
        Instant at = b.has("at") ? Fields.instant(b, "at") : clock.instant();
        await(ledger.recordMissedAlarm(at, description));
        audited(r, s, "missed-alarm:" + at, Map.of("kind", "missedAlarm", "at", at.toString(),
                "description", description));
        return HttpResponse.json(201, Map.of("at", at.toString(), "description", description));
    }

    /** Opens a fault ticket, or closes a known one when {@code closedAt} is given: 201 for a new ticket. */
    HttpResponse fault(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_DEVICES, Resource.centre());
        Instant now = clock.instant();
        String id = text(b, "id") == null ? "F" + now.toEpochMilli() : text(b, "id");
        Instant opened = b.has("openedAt") ? Fields.instant(b, "openedAt") : now;
        boolean known = ledger.faults().stream().anyMatch(f -> f.id().equals(id));
        if (!known) {
            String cls = text(b, "classification");
            if (cls == null) {
                throw ApiException.badRequest("classification is required for a new fault");
            }
            boolean platform = b.path("platform").asBoolean(false);
            try {
                await(ledger.openFault(id, opened, cls, platform));
            } catch (IllegalArgumentException e) {
                throw new ApiException(409, e.getMessage()); // opened by a concurrent request
            }
            audited(r, s, "fault:" + id, Map.of("kind", "faultOpened", "openedAt", opened.toString(),
                    "classification", cls, "platform", Boolean.toString(platform)));
        }
        if (b.has("closedAt")) {
            Instant closed = Fields.instant(b, "closedAt");
            try {
                await(ledger.closeFault(id, closed));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ApiException(409, e.getMessage());
            }
            audited(r, s, "fault:" + id, Map.of("kind", "faultClosed", "closedAt", closed.toString()));
        }
        FaultTicket t = ledger.faults().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
        return HttpResponse.json(known ? 200 : 201, ticket(t));
    }

    private static ObjectNode ticket(FaultTicket t) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", t.id());
        n.put("classification", t.classification());
        n.put("platform", t.platform());
        n.put("openedAt", t.openedAt().toString());
        n.put("closedAt", t.closedAt() == null ? null : t.closedAt().toString());
        n.put("repairedWithin24h", t.repairedWithin24h());
        return n;
    }

    HttpResponse satisfaction(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.READ_REPORTS, Resource.centre());
        String customer = text(b, "customerId");
        if (customer == null || !b.path("score").isNumber()) {
            throw ApiException.badRequest("customerId and a numeric score (0 to 100) are required");
        }
        double score = b.path("score").asDouble();
        if (score < 0 || score > 100) {
            throw ApiException.badRequest("score must be from 0 to 100");
        }
        Instant at = b.has("at") ? Fields.instant(b, "at") : clock.instant();
        await(ledger.recordSatisfaction(customer, score, at));
        audited(r, s, "satisfaction:" + customer, Map.of("kind", "satisfaction", "score", Double.toString(score),
                "at", at.toString()));
        return HttpResponse.json(201, Map.of("customerId", customer, "score", score, "at", at.toString()));
    }

    /** Audits a statistics input with the logged-in user who entered it as the actor. */
    private void audited(HttpRequest r, Session s, String target, Map<String, String> details) {
        audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.STATISTICS_INPUT, target,
                details);
    }

    /**
     * Waits until the ledger's input is durable and counted.
     *
     * @throws ApiException 503 when the journal does not confirm within 30 s; a journal failure passes through
     *                      (a 500)
     */
    private static void await(CompletionStage<Void> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new ApiException(503, "the journal did not confirm the input in time");
        }
    }
}
