package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.QualityReport;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.RetentionPolicy;
import org.junit.jupiter.api.Test;

/**
 * The GA 1383 compliance report's rows, exactly the issue's list in its order, each verdict against figures worked
 * out by hand here: limits met at the boundary, breached just past it, a contract's tighter limit, drills left out,
 * the yearly quality figures (误报率, 24 h 修复率, 满意度, 漏报), platform repairs, backups and retention.
 */
class ComplianceReportTest {
    private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-06-01T00:00:00Z");

    private static CaseHistory.CaseRecord kase(String id, boolean drill, CaseHistory.Timing... t) {
        return new CaseHistory.CaseRecord(id, "C1", "S1", "INTRUSION", "IP", drill, FROM.plusSeconds(60), null,
                "CLOSED", false, List.of("wang"), List.of(t));
    }

    private static CaseHistory.Timing t(String row, Duration measured, Duration limit) {
        return new CaseHistory.Timing(row, measured, limit, false);
    }

    private static Map<String, ComplianceReport.Row> rows(ComplianceReport r) {
        return r.rows().stream().collect(Collectors.toMap(ComplianceReport.Row::id, Function.identity()));
    }

    @Test
    void theRowsAreTheIssuesListAndEachVerdictMatchesTheFiguresWorkedOutByHand() {
        List<CaseHistory.CaseRecord> cases = List.of(
                // response over IP: 3 s and exactly 4 s are within 4 s; 5 s is not; a contract's 3 s makes 3.5 s late
                kase("k1", false, t("response-ip", Duration.ofSeconds(3), null),
                        t("verification-video-audio", Duration.ofSeconds(60), null)),
                kase("k2", false, t("response-ip", Duration.ofSeconds(4), Duration.ofSeconds(4)),
                        t("verification-phone", Duration.ofMinutes(4), null)),
                kase("k3", false, t("response-ip", Duration.ofSeconds(5), null),
                        t("forwarding-phone", Duration.ofMinutes(2), null)),
                kase("k4", false, t("response-ip", Duration.ofMillis(3500), Duration.ofSeconds(3)),
                        new CaseHistory.Timing("guard-departure", null, Duration.ofMinutes(2), true)),
                // a drill far past every limit counts nowhere
                kase("drill", true, t("response-ip", Duration.ofMinutes(9), null),
                        t("forwarding-ip", Duration.ofMinutes(9), null)));
        // 2 false alarms of 200 police forwards = 1.00 % (met); 5 of 5 faults in 24 h; 80.0 from 4 surveyed
        QualityReport quality = new QualityReport(FROM, TO, 0, 200, 2, 5, 5, OptionalDouble.of(80.0), 4);
        List<FaultTicket> faults = List.of(
                new FaultTicket("P1", FROM.plusSeconds(3600), "server", true, FROM.plusSeconds(3600 + 12 * 3600)),
                new FaultTicket("P2", FROM.plusSeconds(7200), "network", true, FROM.plusSeconds(7200 + 11 * 3600)),
                new FaultTicket("F1", FROM.plusSeconds(7200), "panel", false, null),
                new FaultTicket("P0", FROM.minusSeconds(3600), "server", true, null));
        List<BackupManifest> backups = List.of(new BackupManifest(FROM.minusSeconds(60), "daily", 1, List.of()),
                new BackupManifest(FROM.plusSeconds(86_400), "daily", 9, List.of()),
                new BackupManifest(TO, "daily", 12, List.of()));
        ComplianceReport r = ComplianceReport.build(FROM, TO, cases, quality, faults, backups,
                Optional.of(RetentionPolicy.ga1383()));

        assertThat(r.rows()).extracting(ComplianceReport.Row::id).containsExactly(
                "response-ip", "response-pstn", "response-wireless",
                "verification-video-audio", "verification-phone",
                "forwarding-ip", "forwarding-pstn", "forwarding-wireless", "forwarding-phone",
                "guard-departure", "missed-alarms", "false-alarm-rate", "repair-24h", "platform-repair-12h",
                "satisfaction", "offline-devices", "terminal-checks-24h", "fault-statistics-24h",
                "retention", "backups", "hot-standby-30d", "weak-passwords", "work-recordings");
        Map<String, ComplianceReport.Row> rows = rows(r);
        ComplianceReport.Row ip = rows.get("response-ip");
        assertThat(ip.status()).isEqualTo(ComplianceReport.Status.BREACHED);
        assertThat(ip.count()).isEqualTo(4);
        assertThat(ip.withinLimit()).isEqualTo(2);
        assertThat(ip.worst()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ip.breaches()).containsExactly("k3", "k4");
        assertThat(rows.get("response-pstn").status()).isEqualTo(ComplianceReport.Status.NOT_EVIDENCED);
        assertThat(rows.get("verification-video-audio").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("verification-phone").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("forwarding-phone").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("forwarding-ip").count()).as("the drill is left out").isZero();
        ComplianceReport.Row guard = rows.get("guard-departure");
        assertThat(guard.status()).isEqualTo(ComplianceReport.Status.BREACHED);
        assertThat(guard.breaches()).containsExactly("k4");
        assertThat(rows.get("missed-alarms").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("false-alarm-rate").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("false-alarm-rate").evidence()).contains("2 false of 200 police forwards = 1.00 %");
        assertThat(rows.get("repair-24h").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("satisfaction").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("satisfaction").evidence()).isEqualTo("80.0 from 4 surveyed");
        // P1 in exactly 12 h and P2 in 11 h; P0 was opened before the period, F1 is a front-end fault
        ComplianceReport.Row platform = rows.get("platform-repair-12h");
        assertThat(platform.status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(platform.count()).isEqualTo(2);
        assertThat(platform.worst()).isEqualTo(Duration.ofHours(12));
        assertThat(rows.get("retention").status()).isEqualTo(ComplianceReport.Status.MET);
        assertThat(rows.get("retention").evidence()).contains("events 180 d", "clips 30 d");
        // the period is [from, to): one backup in it
        assertThat(rows.get("backups").evidence()).isEqualTo("1 backups taken in the period");
        assertThat(rows.get("backups").status()).isEqualTo(ComplianceReport.Status.MET);

        // just past each figure's limit: 3 of 200 = 1.50 %, 4 of 5 repaired, 79.9, one missed alarm, P2 in 12 h 1 s
        QualityReport worse = new QualityReport(FROM, TO, 1, 200, 3, 5, 4, OptionalDouble.of(79.9), 4);
        ComplianceReport w = ComplianceReport.build(FROM, TO, List.of(), worse, List.of(new FaultTicket("P2",
                FROM.plusSeconds(60), "network", true, FROM.plusSeconds(60 + 12 * 3600 + 1))), List.of(),
                Optional.empty());
        Map<String, ComplianceReport.Row> bad = rows(w);
        for (String id : List.of("missed-alarms", "false-alarm-rate", "repair-24h", "satisfaction",
                "platform-repair-12h")) {
            assertThat(bad.get(id).status()).as(id).isEqualTo(ComplianceReport.Status.BREACHED);
        }
        assertThat(bad.get("false-alarm-rate").evidence()).contains("3 false of 200 police forwards = 1.50 %");
        assertThat(bad.get("platform-repair-12h").breaches()).containsExactly("P2");
        assertThat(bad.get("retention").status()).isEqualTo(ComplianceReport.Status.NOT_EVIDENCED);
        assertThat(bad.get("backups").status()).isEqualTo(ComplianceReport.Status.BREACHED);
        assertThat(w.rows()).extracting(ComplianceReport.Row::id).isEqualTo(r.rows().stream()
                .map(ComplianceReport.Row::id).toList());
    }
}
