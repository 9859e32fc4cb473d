package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.store.Journal;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.examples.center.admin.ComplianceReport.Status;
import org.arc4j.examples.center.config.LinksConfig;
import org.arc4j.examples.center.supervise.Prompt;
import org.arc4j.examples.center.supervise.PromptLog;
import org.arc4j.examples.center.supervise.SupervisionDuties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompts and inspection runs journalled by the supervision duties on a real journal, on virtual time: they survive
 * a restart, and the compliance report's supervision rows are measured from them.
 */
class SupervisionEvidenceTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final LinksConfig.Supervision CONFIG = new LinksConfig.Supervision("24h", "30s", null);

    @TempDir
    Path dir;

    @Test
    void promptsSurviveARestartAndEvidenceTheOfflineAndInspectionRows() {
        DeviceKey panel = DeviceKey.of("account", "1234");
        DeviceKey camera = DeviceKey.of("gb28181", "34020000001320000001");
        String acked;
        Instant restart;
        try (Journal journal = Journal.open(dir.resolve("journal"))) {
            ManualScheduler scheduler = new ManualScheduler(T0);
            JournalledSupervisor supervisor = JournalledSupervisor.open(journal, scheduler);
            SupervisionDuties duties = SupervisionDuties.start(supervisor, scheduler, journal, m -> { }, CONFIG);
            supervisor.expect(panel, Duration.ofSeconds(90));
            supervisor.checkIn(panel, "dc09", scheduler.now());
            supervisor.checkIn(camera, "sip", scheduler.now());
            scheduler.advance(Duration.ofSeconds(91));
            Prompt offline = duties.activePrompts().get(0);
            scheduler.advance(Duration.ofSeconds(40));
            duties.acknowledge(offline.id(), "wang", "10.0.0.7");
            acked = offline.id();
            supervisor.checkIn(panel, "dc09", scheduler.now()); // back: the prompt clears, a fresh deadline
            scheduler.advance(Duration.ofHours(48)); // two inspections; the camera stays silent, the panel too
            supervisor.checkIn(panel, "dc09", scheduler.now()); // heard from just before the shutdown
            restart = scheduler.now();
            duties.close();
        }
        // the centre is down 30 h: the panel's new outage and the inspection gap go unnoticed meanwhile
        try (Journal journal = Journal.open(dir.resolve("journal"))) {
            ManualScheduler scheduler = new ManualScheduler(restart.plus(Duration.ofHours(30)));
            JournalledSupervisor supervisor = JournalledSupervisor.open(journal, scheduler);
            SupervisionDuties duties = SupervisionDuties.start(supervisor, scheduler, journal, m -> { }, CONFIG);
            supervisor.expect(panel, Duration.ofSeconds(90)); // the centre sets its expectations again
            scheduler.runDue();
            // the acknowledged prompt is back, not active; the panel's outage is prompted at start, with a new id
            List<Prompt> active = new ArrayList<>(duties.activePrompts());
            assertThat(active).extracting(Prompt::id).doesNotContain(acked);
            assertThat(active.stream().filter(p -> p.kind().equals("offline")).toList())
                    .singleElement().satisfies(p -> assertThat(p.subject()).isEqualTo(panel.toString()));
            scheduler.advance(Duration.ofHours(24));
            duties.close();
        }
        try (Journal journal = Journal.open(dir.resolve("journal"))) {
            PromptLog log = PromptLog.read(journal);
            PromptLog.Entry first = log.prompts().stream().filter(e -> e.prompt().id().equals(acked)).findFirst()
                    .orElseThrow();
            assertThat(first.prompt().acknowledgedBy()).isEqualTo("wang");
            assertThat(first.acknowledgedAt()).isEqualTo(T0.plusSeconds(131));
            assertThat(first.prompt().clearedAt()).isEqualTo(T0.plusSeconds(131));
            assertThat(log.prompts()).extracting(e -> e.prompt().id()).doesNotHaveDuplicates();

            // before the restart: prompted at once, and checks every 24 h that found both devices silent
            ComplianceReport.Row before = SupervisionEvidence.offlineDevices(log, T0, restart);
            assertThat(before.status()).isEqualTo(Status.MET);
            // the first outage (prompted at 90 s, acknowledged at 131 s) and the second
            assertThat(before.count()).isEqualTo(2);
            assertThat(before.evidence()).contains("acknowledged by an operator, the slowest after PT41S");
            ComplianceReport.Row checks = SupervisionEvidence.terminalChecks(log, T0, restart);
            assertThat(checks.count()).isEqualTo(2);
            assertThat(checks.status()).isEqualTo(Status.BREACHED);
            assertThat(checks.breaches()).contains(camera.toString());
            // the same runs counted the devices: statistics every 24 h, a silent device no breach of that row
            ComplianceReport.Row stats = SupervisionEvidence.faultStatistics(log, T0, restart);
            assertThat(stats.status()).isEqualTo(Status.MET);
            assertThat(stats.count()).isEqualTo(2);
            assertThat(stats.worst()).isEqualTo(Duration.ofHours(24));
            assertThat(stats.evidence()).contains("the last counted 2 devices, 0 heard from, 2 not heard from");
            assertThat(SupervisionEvidence.faultStatistics(log, T0, T0.plusSeconds(60)).status())
                    .isEqualTo(Status.NOT_EVIDENCED);

            // over the whole time: the outage found only at the restart is late, the gap over the downtime a
            // missed check
            Instant end = restart.plus(Duration.ofHours(60));
            ComplianceReport.Row all = SupervisionEvidence.offlineDevices(log, T0, end);
            assertThat(all.status()).isEqualTo(Status.BREACHED);
            assertThat(all.breaches()).containsExactly(panel.toString());
            assertThat(all.worst()).isGreaterThan(Duration.ofHours(24));
            ComplianceReport.Row gaps = SupervisionEvidence.terminalChecks(log, T0, end);
            assertThat(gaps.breaches()).anySatisfy(b -> assertThat(b).startsWith("no check from"));
            // from 24 h before the stop to 24 h after the start
            assertThat(gaps.worst()).isGreaterThan(Duration.ofHours(54));
            ComplianceReport.Row statsGap = SupervisionEvidence.faultStatistics(log, T0, end);
            assertThat(statsGap.status()).isEqualTo(Status.BREACHED);
            assertThat(statsGap.breaches()).singleElement().asString().startsWith("no statistics from");
        }
    }
}
