package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.QualityReport;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RetentionPolicy;

/**
 * The GA 1383-2017 compliance report of a period: one row per requirement, each {@link Status#MET},
 * {@link Status#BREACHED} (with the cases that breached it) or {@link Status#NOT_EVIDENCED}, with its evidence
 * from the store. The time limits (报警响应, 报警复核, 警情转发, 现场处置) are counted from the cases' transitions
 * ({@link CaseHistory}): how many cases had the step, how many within the limit, the worst time and the breaching
 * cases; drills are left out. The yearly quality figures (服务质量) and platform repairs come from the SDK's
 * quality ledger and its fault tickets, backups from
 * the backups taken in the period, retention from the journal's policy. The figures are rebuilt from the store on
 * every call, so they are the same before and after a restart. Immutable.
 *
 * @param from the start of the period, inclusive
 * @param to   the end, exclusive
 * @param rows the rows, in the order GA 1383 lists the requirements
 */
public record ComplianceReport(Instant from, Instant to, List<Row> rows) {
    /** A row's verdict. */
    public enum Status {
        /** The evidence shows the requirement met. */
        MET,
        /** The evidence shows it breached; the row names the cases. */
        BREACHED,
        /** The store holds no evidence either way (nothing happened, or the centre does not record it yet). */
        NOT_EVIDENCED
    }

    /**
     * One requirement.
     *
     * @param id          a stable key, e.g. {@code response-ip}
     * @param requirement what GA 1383 asks, in words
     * @param status      the verdict
     * @param count       how many measured instances (cases with the step), 0 for figures
     * @param withinLimit how many of them were within the limit
     * @param worst       the longest measured time, or null
     * @param breaches    the cases that breached it
     * @param evidence    the figures or facts the verdict rests on
     */
    public record Row(String id, String requirement, Status status, long count, long withinLimit, Duration worst,
                      List<String> breaches, String evidence) {
        /** Copies the list. */
        public Row {
            breaches = List.copyOf(breaches);
        }
    }

    /** Copies the list. */
    public ComplianceReport {
        rows = List.copyOf(rows);
    }

    /** A timed requirement: its row id, its words and GA 1383's limit. */
    private record Limit(String id, String requirement, Duration limit) {
    }

    private static final List<Limit> LIMITS = List.of(
            new Limit("response-ip", "Response to an alarm over IP within 4 s (报警响应)", Duration.ofSeconds(4)),
            new Limit("response-pstn", "Response to an alarm over PSTN within 20 s (报警响应)", Duration.ofSeconds(20)),
            new Limit("response-wireless", "Response to an alarm over wireless within 5 s (报警响应)",
                    Duration.ofSeconds(5)),
            new Limit("verification-video-audio", "Video or audio verification within 1 min (报警复核)",
                    Duration.ofMinutes(1)),
            new Limit("verification-phone", "Phone verification within 5 min (报警复核)", Duration.ofMinutes(5)),
            new Limit("forwarding-ip", "Forwarding over IP within 4 s (警情转发)", Duration.ofSeconds(4)),
            new Limit("forwarding-pstn", "Forwarding over PSTN within 20 s (警情转发)", Duration.ofSeconds(20)),
            new Limit("forwarding-wireless", "Forwarding over wireless within 5 s (警情转发)", Duration.ofSeconds(5)),
            new Limit("forwarding-phone", "Forwarding by phone within 2 min (警情转发)", Duration.ofMinutes(2)),
            new Limit("guard-departure", "Guard leaves within 2 min of the dispatch order (现场处置)",
                    Duration.ofMinutes(2)));

    /**
     * Builds the report.
     *
     * @param from      the start, inclusive
     * @param to        the end, exclusive
     * @param cases     the cases opened in the period ({@link CaseHistory#read})
     * @param quality   the quality ledger's figures for the period
     * @param faults    the fault tickets (all; the platform tickets opened in the period count)
     * @param backups   the backups taken (all; those in the period count)
     * @param retention the journal's retention policy, or empty when unknown
     * @return the report
     */
    public static ComplianceReport build(Instant from, Instant to, List<CaseHistory.CaseRecord> cases,
                                         QualityReport quality, List<FaultTicket> faults,
                                         List<BackupManifest> backups,
                                         Optional<RetentionPolicy> retention) {
        List<Row> rows = new ArrayList<>();
        for (Limit l : LIMITS) {
            rows.add(timed(l, cases));
        }
        rows.add(figure("missed-alarms", "No missed alarm in the period (警情漏报 = 0)", quality.missedAlarms() == 0,
                quality.missedAlarms() + " missed alarms recorded", true));
        rows.add(figure("false-alarm-rate", "False alarms at most 1 % of police forwards (误报率 ≤ 1 %)",
                quality.falseAlarmRatePercent() <= 1.0, quality.falseAlarms() + " false of "
                        + quality.policeForwards() + " police forwards = "
                        + String.format(Locale.ROOT, "%.2f", quality.falseAlarmRatePercent()) + " %",
                quality.policeForwards() > 0));
        rows.add(figure("repair-24h", "Every front-end fault repaired within 24 h (24 h 修复率 = 100 %)",
                quality.repairedIn24h() == quality.faults(), quality.repairedIn24h() + " of " + quality.faults()
                        + " faults repaired within 24 h", quality.faults() > 0));
        // in the order: platform repairs before satisfaction
        rows.add(platformRepairs(from, to, faults));
        rows.add(figure("satisfaction", "Customer satisfaction at least 80 (满意度 ≥ 80)",
                quality.satisfaction().orElse(100) >= 80, quality.satisfaction().isPresent()
                        ? String.format(Locale.ROOT, "%.1f", quality.satisfaction().getAsDouble()) + " from "
                        + quality.surveyed() + " surveyed" : "no survey recorded", quality.satisfaction().isPresent()));
        rows.add(notEvidenced("offline-devices", "Offline devices prompted at once (设备离线提示)",
                "supervision records offline devices; the report does not yet measure the prompt"));
        rows.add(notEvidenced("terminal-checks-24h", "Communication check with every terminal within 24 h (巡检)",
                "not yet measured from the supervision records"));
        rows.add(notEvidenced("fault-statistics-24h", "Fault statistics at least every 24 h (故障统计)",
                "no statistics run journalled (SupervisionEvidence.faultStatistics gives this row)"));
        rows.add(retention(retention));
        long inPeriod = backups.stream().filter(b -> !b.at().isBefore(from) && b.at().isBefore(to)).count();
        rows.add(figure("backups", "Data backed up (数据维护: daily, and around configuration changes)", inPeriod > 0,
                inPeriod + " backups taken in the period", inPeriod > 0));
        rows.add(notEvidenced("hot-standby-30d", "Hot-standby switchover tested at least every 30 days (双机热备)",
                "one machine on the embedded journal: no standby to switch to"));
        rows.add(notEvidenced("weak-passwords", "Weak passwords refused (口令安全)",
                "the password policy refuses them; refusals are not recorded in the store"));
        rows.add(notEvidenced("work-recordings", "Operators' work recordings kept (值机录音录像)",
                "the centre does not record operator work yet"));
        return new ComplianceReport(from, to, rows);
    }

    /**
     * The same report with one row replaced by another evidence (a row of the same id).
     *
     * @param row the new row
     * @return the new report
     * @throws IllegalArgumentException if the report has no row of that id
     */
    public ComplianceReport with(Row row) {
        List<Row> out = new ArrayList<>(rows);
        int i = 0;
        while (i < out.size() && !out.get(i).id().equals(row.id())) {
            i++;
        }
        if (i == out.size()) {
            throw new IllegalArgumentException("no row " + row.id());
        }
        out.set(i, row);
        return new ComplianceReport(from, to, out);
    }

    /**
     * The row "weak passwords refused" from the audit log: met when the period's audit holds password refusals
     * by the centre's policy, not evidenced when nobody offered a weak password (the policy cannot be shown to
     * have worked). No breach can be shown: a weak password accepted would not be recognisable in the audit.
     *
     * @param refused  the refusals audited in the period
     * @param accepted the passwords set or changed in the period
     * @return the row {@code weak-passwords}
     */
    public static Row weakPasswords(long refused, long accepted) {
        String evidence = refused + " weak passwords refused and " + accepted
                + " passwords accepted by the password policy in the period (audit log)";
        return new Row("weak-passwords", "Weak passwords refused (口令安全)",
                refused > 0 ? Status.MET : Status.NOT_EVIDENCED, refused + accepted, refused, null, List.of(),
                evidence);
    }

    private static Row timed(Limit l, List<CaseHistory.CaseRecord> cases) {
        long count = 0;
        long within = 0;
        Duration worst = null;
        Set<String> breaches = new LinkedHashSet<>();
        for (CaseHistory.CaseRecord c : cases) {
            if (c.drill()) {
                continue;
            }
            for (CaseHistory.Timing t : c.timings()) {
                if (!t.row().equals(l.id())) {
                    continue;
                }
                count++;
                // a contract may tighten a limit (the one recorded on the case), never loosen GA 1383's
                Duration limit = t.limit() == null || t.limit().compareTo(l.limit()) > 0 ? l.limit() : t.limit();
                boolean breached = t.breached() || (t.measured() != null && t.measured().compareTo(limit) > 0);
                if (breached) {
                    breaches.add(c.id());
                } else if (t.measured() != null) {
                    within++;
                }
                if (t.measured() != null && (worst == null || t.measured().compareTo(worst) > 0)) {
                    worst = t.measured();
                }
            }
        }
        Status s = count == 0 ? Status.NOT_EVIDENCED : breaches.isEmpty() && within == count ? Status.MET
                : breaches.isEmpty() ? Status.NOT_EVIDENCED : Status.BREACHED;
        String evidence = count == 0 ? "no case had this step in the period"
                : within + " of " + count + " within " + l.limit() + (worst == null ? "" : ", worst " + worst)
                + (count - within - breaches.size() > 0 ? ", " + (count - within - breaches.size())
                + " not completed" : "");
        return new Row(l.id(), l.requirement(), s, count, within, worst, List.copyOf(breaches), evidence);
    }

    /** Platform fault tickets opened in the period: closed within 12 h, or still open past it (a breach). */
    private static Row platformRepairs(Instant from, Instant to, List<FaultTicket> faults) {
        Duration limit = Duration.ofHours(12);
        long count = 0;
        long within = 0;
        Duration worst = null;
        List<String> late = new ArrayList<>();
        for (FaultTicket f : faults) {
            if (!f.platform() || f.openedAt().isBefore(from) || !f.openedAt().isBefore(to)) {
                continue;
            }
            count++;
            Duration took = Duration.between(f.openedAt(), f.closedAt() != null ? f.closedAt() : to);
            if (took.compareTo(limit) > 0) {
                late.add(f.id());
            } else if (f.closedAt() != null) {
                within++;
            }
            if (f.closedAt() != null && (worst == null || took.compareTo(worst) > 0)) {
                worst = took;
            }
        }
        Status s = count == 0 ? Status.NOT_EVIDENCED : !late.isEmpty() ? Status.BREACHED
                : within == count ? Status.MET : Status.NOT_EVIDENCED;
        String evidence = count == 0 ? "no platform fault ticket in the period"
                : within + " of " + count + " platform faults repaired within " + limit
                + (worst == null ? "" : ", worst " + worst);
        return new Row("platform-repair-12h", "Platform repairs within 12 h (运行维护)", s, count, within, worst, late,
                evidence);
    }

    private static Row figure(String id, String requirement, boolean met, String evidence, boolean evidenced) {
        Status s = !met ? Status.BREACHED : evidenced ? Status.MET : Status.NOT_EVIDENCED;
        return new Row(id, requirement, s, 0, 0, null, List.of(), evidence);
    }

    private static Row notEvidenced(String id, String requirement, String why) {
        return new Row(id, requirement, Status.NOT_EVIDENCED, 0, 0, null, List.of(), why);
    }

    private static Row retention(Optional<RetentionPolicy> policy) {
        String id = "retention";
        String req = "Alarm records kept 180 d, alarm video 30 d, police alarms forever (存储)";
        if (policy.isEmpty()) {
            return notEvidenced(id, req, "the store has no retention policy to show");
        }
        RetentionPolicy p = policy.get();
        Duration events = p.retention(RecordType.EVENT).orElse(null);
        Duration cases = p.retention(RecordType.CASE_TRANSITION).orElse(null);
        Duration clips = p.retention(RecordType.CLIP).orElse(null);
        boolean met = atLeast(events, RetentionPolicy.ALARM_RECORDS) && atLeast(cases, RetentionPolicy.ALARM_RECORDS)
                && atLeast(clips, RetentionPolicy.ALARM_VIDEO);
        return figure(id, req, met, "events " + days(events) + ", cases " + days(cases) + ", clips " + days(clips)
                + ", cases forwarded to police forever", true);
    }

    private static boolean atLeast(Duration kept, Duration floor) {
        return kept == null || kept.compareTo(floor) >= 0;
    }

    private static String days(Duration d) {
        return d == null ? "forever" : d.toDays() + " d";
    }

    /** @return the report as JSON: {@code from}, {@code to} and {@code rows} with lower-case statuses */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("from", from.toString());
        n.put("to", to.toString());
        ArrayNode a = n.putArray("rows");
        for (Row r : rows) {
            ObjectNode o = a.addObject();
            o.put("id", r.id());
            o.put("requirement", r.requirement());
            o.put("status", statusName(r.status()));
            o.put("count", r.count());
            o.put("withinLimit", r.withinLimit());
            if (r.worst() == null) {
                o.putNull("worstMs");
            } else {
                o.put("worstMs", r.worst().toMillis());
            }
            ArrayNode b = o.putArray("breaches");
            r.breaches().forEach(b::add);
            o.put("evidence", r.evidence());
        }
        return n;
    }

    /**
     * @param s a status
     * @return its name in the API, CSV and PDF: {@code met}, {@code breached}, {@code not-evidenced}
     */
    public static String statusName(Status s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
