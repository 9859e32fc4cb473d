package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditEntry;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.AuditQuery;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.examples.center.admin.CaseHistory;
import org.arc4j.examples.center.admin.ComplianceReport;
import org.arc4j.examples.center.admin.SupervisionEvidence;
import org.arc4j.examples.center.admin.WorkEvidence;
import org.arc4j.examples.center.supervise.PromptLog;
import org.arc4j.examples.center.admin.Maintenance;
import org.arc4j.examples.center.admin.Reports;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/compliance}, {@code GET /api/history} and the downloads {@code /api/reports/compliance.csv},
 * {@code compliance.pdf} and {@code cases.csv}: the GA 1383 compliance report ({@link ComplianceReport}) and the
 * cases of a period ({@link CaseHistory}, filtered by {@code customer}, {@code category}, {@code state} and
 * {@code operator}), read from the store on
 * every call. The period is {@code from} to {@code to} (dates or instants; by default the year up to now). Needs
 * {@code READ_REPORTS}; every download is audited as {@code DATA_EXPORT}. Reading replays the journal's case
 * transitions: the calls run on the HTTP workers. Thread-safe.
 */
final class ReportResource {
    private static final Duration DEFAULT_PERIOD = Duration.ofDays(365);

    private final AccessGuard guard;
    private final Clock clock;
    private final RecordStore journal;
    private final Optional<RetentionPolicy> retention;
    private final QualityLedger ledger;
    private final Maintenance maintenance;
    private final AuditLog audit;

    ReportResource(AccessGuard guard, Clock clock, RecordStore journal, Optional<RetentionPolicy> retention,
                   QualityLedger ledger, Maintenance maintenance, AuditLog audit) {
        this.guard = guard;
        this.clock = clock;
        this.journal = journal;
        this.retention = retention;
        this.ledger = ledger;
        this.maintenance = maintenance;
        this.audit = audit;
    }

    private record Period(Instant from, Instant to) {
    }

    private Period period(HttpRequest r) {
        Instant to = Fields.queryInstant(r, "to", clock.instant().plusSeconds(1));
        Instant from = Fields.queryInstant(r, "from", to.minus(DEFAULT_PERIOD));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        return new Period(from, to);
    }

    private ComplianceReport report(Period p) {
        // users re-created from the vault at every start (CenterUsers#restore) set no password
        List<AuditEntry> passwords = audit.query(AuditQuery.ALL.byAction(AuditAction.PASSWORD_CHANGE)
                .between(p.from(), p.to())).stream().filter(e -> !"restore".equals(e.origin())).toList();
        long refused = passwords.stream()
                .filter(e -> UserResource.REJECTED.equals(e.details().get(UserResource.REFUSAL))).count();
        // supervision prompts and inspection runs, journalled by SupervisionDuties
        PromptLog prompts = PromptLog.read(journal);
        return ComplianceReport.build(p.from(), p.to(), CaseHistory.read(journal, p.from(), p.to()),
                ledger.report(p.from(), p.to()), ledger.faults(), maintenance.manifests(), retention)
                .with(ComplianceReport.weakPasswords(refused, passwords.size() - refused))
                .with(SupervisionEvidence.offlineDevices(prompts, p.from(), p.to()))
                .with(SupervisionEvidence.terminalChecks(prompts, p.from(), p.to()))
                .with(SupervisionEvidence.faultStatistics(prompts, p.from(), p.to()))
                .with(WorkEvidence.workRecordings(journal, p.from(), p.to(), retention))
                .with(WorkEvidence.switchover(WorkEvidence.switchovers(journal), p.from(), p.to(), clock.instant()));
    }

    HttpResponse compliance(HttpRequest r) {
        guard.require(r, Permission.READ_REPORTS, Resource.centre());
        return HttpResponse.ok(report(period(r)).toJson());
    }

    private List<CaseHistory.CaseRecord> cases(HttpRequest r, Period p) {
        String customer = r.query("customer");
        String state = r.query("state");
        String category = r.query("category");
        String operator = r.query("operator");
        return CaseHistory.read(journal, p.from(), p.to()).stream()
                .filter(c -> blank(customer) || customer.equals(c.customerId()))
                .filter(c -> blank(state) || state.equalsIgnoreCase(c.state()))
                .filter(c -> blank(category) || category.equalsIgnoreCase(c.category()))
                .filter(c -> blank(operator) || c.operators().contains(operator))
                .toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    HttpResponse history(HttpRequest r) {
        guard.require(r, Permission.READ_REPORTS, Resource.centre());
        Period p = period(r);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("from", p.from().toString());
        n.put("to", p.to().toString());
        ArrayNode a = n.putArray("cases");
        List<List<String>> t = Reports.casesTable(cases(r, p));
        List<String> header = t.get(0);
        for (List<String> row : t.subList(1, t.size())) {
            ObjectNode o = a.addObject();
            for (int i = 0; i < header.size(); i++) {
                o.put(header.get(i), row.get(i));
            }
        }
        return HttpResponse.ok(n);
    }

    HttpResponse complianceCsv(HttpRequest r) {
        Session s = guard.require(r, Permission.READ_REPORTS, Resource.centre());
        ComplianceReport rep = report(period(r));
        exported(r, s, "compliance.csv", rep);
        return download("text/csv; charset=utf-8", "compliance.csv",
                Reports.csv(Reports.table(rep)).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse compliancePdf(HttpRequest r) {
        Session s = guard.require(r, Permission.READ_REPORTS, Resource.centre());
        ComplianceReport rep = report(period(r));
        exported(r, s, "compliance.pdf", rep);
        return download("application/pdf", "compliance.pdf", Reports.pdf("GA 1383-2017 compliance report",
                List.of("Period: " + rep.from() + " to " + rep.to(), "Made " + clock.instant() + " by "
                        + s.username()), Reports.table(rep)));
    }

    HttpResponse casesCsv(HttpRequest r) {
        Session s = guard.require(r, Permission.READ_REPORTS, Resource.centre());
        Period p = period(r);
        List<CaseHistory.CaseRecord> cases = cases(r, p);
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.DATA_EXPORT,
                "report:cases.csv", Map.of("from", p.from().toString(), "to", p.to().toString(),
                        "rows", Integer.toString(cases.size()))));
        return download("text/csv; charset=utf-8", "cases.csv",
                Reports.csv(Reports.casesTable(cases)).getBytes(StandardCharsets.UTF_8));
    }

    private void exported(HttpRequest r, Session s, String name, ComplianceReport rep) {
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.DATA_EXPORT,
                "report:" + name, Map.of("from", rep.from().toString(), "to", rep.to().toString())));
    }

    /**
     * A file download.
     *
     * @param type the content type
     * @param name the file name offered
     * @param body the bytes
     * @return 200 with {@code Content-Disposition: attachment}
     */
    static HttpResponse download(String type, String name, byte[] body) {
        return new HttpResponse(200, type, body, Map.of("Content-Disposition", "attachment; filename=\"" + name
                + "\""));
    }
}
