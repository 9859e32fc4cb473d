package org.arc4j.examples.center.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.examples.center.config.LinksConfig;
import org.junit.jupiter.api.Test;

/** The supervision duties on virtual time: prompts, their kinds and clearing, fault tickets, inspection. */
class SupervisionDutiesTest {
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-01T00:00:00Z"));
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final JournalledSupervisor supervisor = JournalledSupervisor.open(store, scheduler);
    private final List<ObjectNode> pushed = new ArrayList<>();

    private SupervisionDuties duties(String faultAfter) {
        return SupervisionDuties.start(supervisor, scheduler, store, pushed::add,
                new LinksConfig.Supervision("24h", "30s", faultAfter));
    }

    @Test
    void aMissedPollPromptsOfflineAndOpensATicketThatItsReturnCloses() {
        SupervisionDuties d = duties(null);
        DeviceKey panel = DeviceKey.of("account", "1234");
        supervisor.expect(panel, Duration.ofSeconds(90));
        supervisor.checkIn(panel, "dc09", scheduler.now());
        scheduler.advance(Duration.ofSeconds(89));
        assertThat(d.activePrompts()).isEmpty();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(d.activePrompts()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo("offline");
            assertThat(p.subject()).isEqualTo(panel.toString());
            assertThat(p.text()).contains("offline since");
        });
        assertThat(pushed).last().satisfies(m -> assertThat(m.path("type").asText()).isEqualTo("prompt"));
        assertThat(d.openFaults()).containsExactly(panel);

        supervisor.checkIn(panel, "dc09", scheduler.now());
        assertThat(d.activePrompts()).isEmpty();
        assertThat(d.openFaults()).isEmpty();
        assertThat(pushed).last().satisfies(m -> assertThat(m.path("prompt").path("clearedAt").isNull()).isFalse());
    }

    @Test
    void aMissedPeriodicTestIsLateToTestAndATicketWaitsForFaultAfter() {
        SupervisionDuties d = duties("10m");
        DeviceKey panel = DeviceKey.of("account", "5678");
        supervisor.expect(panel, Duration.ofHours(24));
        supervisor.checkIn(panel, "pstn", scheduler.now());
        scheduler.advance(Duration.ofHours(24).plusSeconds(1));
        assertThat(d.activePrompts()).extracting(Prompt::kind).contains("late-to-test");
        assertThat(d.openFaults()).isEmpty();
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(d.openFaults()).containsExactly(panel);
    }

    @Test
    void theDailyInspectionPromptsDevicesNotHeardFromAndAnAcknowledgementIsJournalled() {
        SupervisionDuties d = duties(null);
        DeviceKey quiet = DeviceKey.of("gb28181", "34020000001320000001");
        supervisor.checkIn(quiet, "sip", scheduler.now()); // known but not supervised by a deadline
        scheduler.advance(Duration.ofHours(24).plusSeconds(1));
        // heard from at the start of the first period: not due at its end
        assertThat(d.activePrompts()).isEmpty();
        scheduler.advance(Duration.ofHours(24));
        Prompt p = d.activePrompts().stream().filter(x -> x.kind().equals("inspection")).findFirst().orElseThrow();
        assertThat(p.subject()).isEqualTo(quiet.toString());

        assertThat(d.acknowledge(p.id(), "wang", "10.0.0.7").acknowledgedBy()).isEqualTo("wang");
        assertThat(d.activePrompts()).isEmpty();
        List<String> journalled = new ArrayList<>();
        store.replay(1, Set.of(RecordType.OPERATOR_ACTION), r -> journalled.add(r.subject() + " "
                + new String(r.payload(), StandardCharsets.UTF_8)));
        // raised, then acknowledged: each a record of the prompt (inspection runs have their own subject)
        assertThat(journalled).filteredOn(j -> j.contains("\"event\":\"acknowledged\""))
                .singleElement().satisfies(j -> assertThat(j).startsWith("prompt/" + p.id())
                .contains("\"acknowledgedBy\":\"wang\"").contains("10.0.0.7"));
        assertThat(journalled).filteredOn(j -> j.startsWith("prompt/" + p.id()))
                .extracting(j -> j.replaceAll(".*\"event\":\"([a-z-]+)\".*", "$1"))
                .containsExactly("raised", "acknowledged");
        assertThat(journalled).filteredOn(j -> j.startsWith("inspection ")).hasSize(2);
        assertThat(d.acknowledge("P999", "wang", "10.0.0.7")).isNull();
    }

    @Test
    void devicesOfflineAtStartArePromptedAgain() {
        DeviceKey panel = DeviceKey.of("account", "1234");
        supervisor.expect(panel, Duration.ofSeconds(90));
        supervisor.checkIn(panel, "dc09", scheduler.now());
        scheduler.advance(Duration.ofSeconds(91));
        // the duties start after the device went offline, as after a restart
        SupervisionDuties d = duties(null);
        assertThat(d.activePrompts()).extracting(Prompt::subject).containsExactly(panel.toString());
    }

    @Test
    void cameraClocksAreJudgedAgainstTheSameTolerance() {
        SupervisionDuties d = duties(null);
        d.report("camera cam1", "ONVIF", Duration.ofSeconds(42));
        d.report("camera cam2", "ONVIF", Duration.ofSeconds(-3));
        d.report("camera cam2", "ONVIF", Duration.ofSeconds(-5));
        ObjectNode report = d.clockReport();
        assertThat(report.path("devices")).hasSize(2);
        assertThat(report.path("devices").get(0).path("device").asText()).isEqualTo("camera cam1");
        assertThat(report.path("devices").get(0).path("transport").asText()).isEqualTo("ONVIF");
        assertThat(report.path("devices").get(0).path("skewSeconds").asDouble()).isEqualTo(42.0);
        assertThat(report.path("devices").get(0).path("withinTolerance").asBoolean()).isFalse();
        assertThat(report.path("devices").get(1).path("samples").asLong()).isEqualTo(2);
        assertThat(report.path("devices").get(1).path("worstSkewSeconds").asDouble()).isEqualTo(-5.0);
        assertThat(report.path("devices").get(1).path("withinTolerance").asBoolean()).isTrue();
    }

    @Test
    void aPromptRestoredAfterARestartStandsForTheOutageAndItsTicketIsOpenAgain() {
        DeviceKey panel = DeviceKey.of("account", "1234");
        supervisor.expect(panel, Duration.ofSeconds(90));
        supervisor.checkIn(panel, "dc09", scheduler.now());
        SupervisionDuties before = duties(null);
        scheduler.advance(Duration.ofSeconds(91));
        Prompt p = before.activePrompts().get(0);
        before.close();
        // the duties start again over the same journal, the device still offline
        SupervisionDuties after = duties(null);
        assertThat(after.activePrompts()).containsExactly(p);
        assertThat(after.openFaults()).containsExactly(panel);
        assertThat(after.raise("forward", "forward", "x").id()).isNotEqualTo(p.id());
    }
}
