package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.customer.ScheduleViolation;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.supervision.Supervisor;
import org.junit.jupiter.api.Test;

/** A case's life on virtual time: lifecycle, merging, restores, schedules, queue, escalation, rules, drills. */
class CaseWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> transitions(Centre c, String caseId) {
        List<JsonNode> out = new ArrayList<>();
        c.store.replay(1, (StoredRecord r) -> {
            if (r.type() == RecordType.CASE_TRANSITION && r.subject().equals(caseId)) {
                try {
                    out.add(JSON.readTree(r.payload()));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        });
        return out;
    }

    @Test
    void aCaseWalksTheWholeLifecycleAndEveryStepIsTimestampedAttributedAndStored() {
        Centre c = new Centre().start();
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        AlarmCase received = c.get(id);
        assertThat(received.customerId()).isEqualTo("shop");
        assertThat(received.siteId()).isEqualTo("shop-1");
        assertThat(received.handOff()).isZero();
        assertThat(c.pipeline.queue().contains(id)).isTrue();

        c.scheduler.advance(Duration.ofSeconds(1));
        c.pipeline.present(id, "console-1");
        c.scheduler.advance(Duration.ofSeconds(2));
        c.pipeline.take(id, "op1");
        assertThat(c.pipeline.queue().contains(id)).isFalse();
        c.pipeline.startVerification(id, "op1", VerificationMethod.VIDEO);
        c.scheduler.advance(Duration.ofSeconds(20));
        c.pipeline.verify(id, "op1", VerificationResult.REAL, null);
        c.pipeline.forward(id, "op1", "police-110", ForwardChannel.IP, true);
        c.scheduler.advance(Duration.ofSeconds(1));
        c.pipeline.forwardDelivered(id, "police-110", new CaseActor(CaseActor.Kind.EXTERNAL, "police-gw"));
        c.pipeline.confirmForward(id, "op1", "police-110");
        c.pipeline.dispatch(id, "op1", "patrol-7");
        c.scheduler.advance(Duration.ofSeconds(60));
        c.pipeline.guardReport(id, "patrol-7", CaseAction.GUARD_DEPARTED, null);
        c.scheduler.advance(Duration.ofMinutes(8));
        c.pipeline.guardReport(id, "patrol-7", CaseAction.GUARD_ARRIVED, null);
        c.pipeline.guardReport(id, "patrol-7", CaseAction.ONSITE_REPORT, "window broken, nobody inside");
        c.pipeline.guardReport(id, "patrol-7", CaseAction.DEVICE_RESET, "detector realigned");
        c.pipeline.notified(id, "op1", false, "phone");
        c.pipeline.notified(id, "op1", true, "email");
        c.pipeline.close(id, "op1", "real intrusion, police attended");
        c.pipeline.archive(id, "op1");

        assertThat(c.pipeline.caseIds()).doesNotContain(id); // archived cases leave memory
        assertThat(c.pipeline.get(id)).map(AlarmCase::state).contains(CaseState.ARCHIVED); // the store has it
        List<JsonNode> stored = transitions(c, id);
        assertThat(stored).extracting(n -> n.path("action").asText()).containsExactly("RECEIVED", "PRESENTED",
                "TAKEN", "VERIFICATION_STARTED", "VERIFIED", "FORWARDED", "FORWARD_DELIVERED", "POLICE_CHECKED",
                "DISPATCH_ORDERED", "GUARD_DEPARTED", "GUARD_ARRIVED", "ONSITE_REPORT", "DEVICE_RESET",
                "CLIENT_NOTIFIED", "INSURER_NOTIFIED", "CLOSED", "ARCHIVED");
        assertThat(stored).extracting(n -> n.path("state").asText()).containsExactly("RECEIVED", "PRESENTED",
                "TAKEN", "VERIFYING", "VERIFIED", "FORWARDED", "FORWARDED", "FORWARDED", "DISPATCHED", "DISPATCHED",
                "DISPATCHED", "DISPATCHED", "DISPATCHED", "DISPATCHED", "DISPATCHED", "CLOSED", "ARCHIVED");
        assertThat(stored).allSatisfy(n -> {
            assertThat(n.path("at").asText()).isNotEmpty();
            assertThat(n.path("actor").path("id").asText()).isNotEmpty();
        });
        assertThat(stored.get(2).path("actor").path("id").asText()).isEqualTo("op1");
        assertThat(stored.get(5).path("police").asBoolean()).isTrue();
        assertThat(stored.get(5).path("police").asBoolean()).isTrue();
        assertThat(stored.get(0).path("events").get(0).asText()).isEqualTo(id.substring(1));
        assertThat(stored).filteredOn(n -> n.has("police")).hasSize(1);
        assertThat(stored.get(12).path("details").path("cause").asText()).isEqualTo("detector realigned");
        assertThat(stored.get(0).path("event").path("code").asText()).isEqualTo("130");
        assertThat(c.breaches()).isEmpty();
    }

    @Test
    void aPipelineSizedForFewOpenCasesGrowsAndOneSizedForZeroIsRefused() {
        Centre c = new Centre().start(b -> b.expectedOpenCases(1));
        for (int zone = 1; zone <= 3000; zone++) {
            c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", String.format("%04d", zone)));
        }
        assertThat(c.pipeline.openCases()).hasSize(3000);
        assertThat(c.pipeline.queue().size()).isEqualTo(3000);
        assertThat(c.pipeline.queue().snapshot()).isSortedAccordingTo(OperatorQueue.ORDER);
        assertThatThrownBy(() -> AlarmPipeline.builder(c.store, c.scheduler).expectedOpenCases(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameAlarmOverTwoLinksIsOneCaseWithBothArrivals() {
        Centre c = new Centre().start();
        Instant device = Centre.T0.minusSeconds(1);
        AlarmEvent first = c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .triggeredAt(device).link("ip-link"));
        c.scheduler.advance(Duration.ofSeconds(7));
        AlarmEvent second = c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .triggeredAt(device).link("gprs-link"));
        AlarmCase a = c.only();
        assertThat(a.arrivals()).extracting(Arrival::link).containsExactly("ip-link", "gprs-link");
        assertThat(a.arrivals()).extracting(Arrival::receivedAt).containsExactly(Centre.T0, Centre.T0.plusSeconds(7));
        assertThat(a.arrivals()).extracting(Arrival::eventId).containsExactly(first.id(), second.id());

        // another zone, or the same alarm far outside the window, is another case
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "002").link("ip-link"));
        c.scheduler.advance(Duration.ofMinutes(10));
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001").link("ip-link")
                .triggeredAt(Centre.T0.plusSeconds(600)));
        assertThat(c.pipeline.openCases()).hasSize(3);
    }

    @Test
    void restoresPairWithTheirAlarmByContactIdQualifierAndBySiaPairs() {
        String sia = "code\tcategory\taddress\tkind\tpair\tdescription\n"
                + "BA\tINTRUSION\tZONE\tALARM\tBR\tBurglary alarm\n"
                + "BR\tINTRUSION\tZONE\tRESTORE\tBA\tBurglary restore\n";
        CodeTable table = CodeTable.load(CodeSystem.SIA, new ByteArrayInputStream(sia.getBytes(StandardCharsets.UTF_8)));
        Centre c = new Centre().start(b -> b.siaCodes(table));
        String cid = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        String siaCase = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "BA", "005")
                .code(CodeSystem.SIA, "BA")).id();
        c.scheduler.advance(Duration.ofSeconds(30));
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001").qualifier(Qualifier.RESTORE));
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "BR", "005").code(CodeSystem.SIA, "BR"));
        assertThat(c.get(cid).restoredAt()).isEqualTo(Centre.T0.plusSeconds(30));
        assertThat(c.get(siaCase).restoredAt()).isEqualTo(Centre.T0.plusSeconds(30));
        assertThat(c.pipeline.openCases()).hasSize(2); // a restore opens no case
        // a restore of a zone that never alarmed is a status report
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "009").qualifier(Qualifier.RESTORE));
        assertThat(c.seen).filteredOn(e -> e instanceof PipelineEvent.StatusReported).hasSize(1);
    }

    @Test
    void armingAndDisarmingAreCheckedAgainstTheSchedule() {
        Centre c = new Centre();
        c.scheduler.manualClock().set(Instant.parse("2026-11-24T07:30:00Z")); // Tuesday, before 08:00 - 15 min
        c.start();
        AlarmEvent.Builder open = Centre.alarm(Centre.SHOP_IP, Category.OPEN_CLOSE, "401", "003");
        AlarmEvent.Builder close = Centre.alarm(Centre.SHOP_IP, Category.OPEN_CLOSE, "401", "003")
                .qualifier(Qualifier.RESTORE);
        c.ingest(open);
        assertThat(c.pipeline.armed("shop-1")).contains(false);
        c.scheduler.advance(Duration.ofHours(10).plusMinutes(45)); // 18:15, the tolerance's edge
        assertThat(violations(c)).containsExactly(ScheduleViolation.EARLY_TO_OPEN);
        c.scheduler.advance(Duration.ofMillis(1));
        assertThat(violations(c)).containsExactly(ScheduleViolation.EARLY_TO_OPEN, ScheduleViolation.LATE_TO_CLOSE);
        c.scheduler.advance(Duration.ofMinutes(30));
        c.ingest(close); // armed late: already reported, not twice
        assertThat(c.pipeline.armed("shop-1")).contains(true);
        assertThat(violations(c)).hasSize(2);
        c.scheduler.advance(Duration.ofHours(2)); // 20:45: disarmed out of hours
        c.ingest(open);
        assertThat(violations(c)).last().isEqualTo(ScheduleViolation.OUT_OF_HOURS);
        c.scheduler.advance(Duration.ofMinutes(1));
        c.ingest(close);
        // Saturday: any opening is out of hours
        c.scheduler.manualClock().set(Instant.parse("2026-11-28T10:00:00Z"));
        c.ingest(open);
        assertThat(violations(c)).hasSize(4).last().isEqualTo(ScheduleViolation.OUT_OF_HOURS);
        assertThat(c.pipeline.openCases()).isEmpty();
    }

    private static List<ScheduleViolation> violations(Centre c) {
        return c.seen.stream().filter(e -> e instanceof PipelineEvent.ScheduleViolated)
                .map(e -> ((PipelineEvent.ScheduleViolated) e).violation()).toList();
    }

    @Test
    void theQueueOrdersByPriorityThenKeyCustomersThenAge() {
        Centre c = new Centre().start();
        String shopIntrusion = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        c.scheduler.advance(Duration.ofSeconds(1));
        String shopIntrusion2 = "C" + c.ingest(Centre.alarm(Centre.SHOP_PSTN, Category.INTRUSION, "130", "001")).id();
        c.scheduler.advance(Duration.ofSeconds(1));
        String bankIntrusion = "C" + c.ingest(Centre.alarm(Centre.BANK, Category.INTRUSION, "130", "001")).id();
        c.scheduler.advance(Duration.ofSeconds(1));
        String shopFire = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "001")).id();
        String unknown = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.UNKNOWN_CODE, "999", "001")).id();
        assertThat(c.pipeline.queue().snapshot()).extracting(OperatorQueue.Entry::caseId)
                .containsExactly(shopFire, bankIntrusion, shopIntrusion, shopIntrusion2, unknown);
        assertThat(c.pipeline.queue().peek()).get().extracting(OperatorQueue.Entry::caseId).isEqualTo(shopFire);
    }

    @Test
    void aPresentedCaseNotTakenInTimeIsEscalatedAgainAndAgainUntilTaken() {
        Centre c = new Centre().start(b -> b.escalateAfter(Duration.ofSeconds(30)));
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        c.pipeline.present(id, "console-1");
        c.scheduler.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(escalations(c, id)).isEmpty();
        c.scheduler.advance(Duration.ofMillis(1));
        assertThat(escalations(c, id)).containsExactly("1");
        c.scheduler.advance(Duration.ofSeconds(30));
        assertThat(escalations(c, id)).containsExactly("1", "2");
        c.pipeline.take(id, "op1");
        c.scheduler.advance(Duration.ofMinutes(5));
        assertThat(escalations(c, id)).containsExactly("1", "2");
    }

    private static List<String> escalations(Centre c, String id) {
        return c.get(id).transitions().stream().filter(t -> t.action() == CaseAction.ESCALATED)
                .map(t -> t.details().get("level")).toList();
    }

    @Test
    void keyCustomersAreVerifiedByVideoAndOperatorActionsAreChecked() {
        Centre c = new Centre().start(b -> b.authorizer((op, action, a) -> !op.equals("trainee")
                || action != CaseAction.FORWARDED));
        String id = "C" + c.ingest(Centre.alarm(Centre.BANK, Category.INTRUSION, "130", "001")).id();
        assertThatThrownBy(() -> c.pipeline.take(id, "op1")).isInstanceOfSatisfying(CaseException.class,
                e -> assertThat(e.reason()).isEqualTo(CaseException.Reason.ILLEGAL_STATE)); // not presented yet
        c.pipeline.present(id, "console-1");
        c.pipeline.take(id, "trainee");
        assertThatThrownBy(() -> c.pipeline.startVerification(id, "trainee", VerificationMethod.PHONE))
                .isInstanceOfSatisfying(CaseException.class,
                        e -> assertThat(e.reason()).isEqualTo(CaseException.Reason.VIDEO_REQUIRED));
        c.pipeline.startVerification(id, "trainee", VerificationMethod.VIDEO);
        c.pipeline.verify(id, "trainee", VerificationResult.UNKNOWN, null);
        c.pipeline.startVerification(id, "trainee", VerificationMethod.PHONE); // after video, phone is fine
        c.pipeline.verify(id, "trainee", VerificationResult.REAL, null);
        assertThatThrownBy(() -> c.pipeline.forward(id, "trainee", "police-110", ForwardChannel.PHONE, true))
                .isInstanceOfSatisfying(CaseException.class,
                        e -> assertThat(e.reason()).isEqualTo(CaseException.Reason.DENIED));
        assertThat(c.get(id).forwards()).isEmpty();
        assertThatThrownBy(() -> c.pipeline.take("C-none", "op1")).isInstanceOfSatisfying(CaseException.class,
                e -> assertThat(e.reason()).isEqualTo(CaseException.Reason.NOT_FOUND));
    }

    private static Rules rules() {
        return new Rules(
                List.of(new ForwardingRule("fire-to-119", Set.of(Category.FIRE), false, "police-119",
                        ForwardChannel.IP, true)),
                List.of(new LinkageRule("key-intrusion", Set.of(Category.INTRUSION), true,
                        List.of("lights-on", "start-recording"))),
                List.of(new ActionPlan("intrusion-critical", Set.of(Category.INTRUSION), Severity.CRITICAL,
                                List.of("video verify", "call police", "dispatch")),
                        new ActionPlan("intrusion", Set.of(Category.INTRUSION), null,
                                List.of("phone verify", "dispatch"))));
    }

    @Test
    void rulesForwardFireToPoliceAtOnceSwitchOnLightsAtKeyCustomersAndChooseThePlan() {
        Centre c = new Centre().start(b -> b.rules(rules()));
        String fire = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "001")).id();
        AlarmCase f = c.get(fire);
        assertThat(f.forwards()).singleElement().satisfies(fw -> {
            assertThat(fw.recipient()).isEqualTo("police-119");
            assertThat(fw.automatic()).isTrue();
            assertThat(fw.police()).isTrue();
            assertThat(fw.startedAt()).isEqualTo(Centre.T0);
        });
        assertThat(f.state()).isEqualTo(CaseState.FORWARDED);
        assertThat(f.transitions()).filteredOn(t -> t.action() == CaseAction.FORWARDED)
                .singleElement().extracting(t -> t.actor()).isEqualTo(CaseActor.rule("fire-to-119"));
        // a console can still present and take an automatically forwarded case
        c.pipeline.present(fire, "console-1");
        c.pipeline.take(fire, "op1");
        c.pipeline.confirmForward(fire, "op1", "police-119");
        assertThat(c.get(fire).forwards().get(0).checkedAt()).isEqualTo(Centre.T0);

        String bank = "C" + c.ingest(Centre.alarm(Centre.BANK, Category.INTRUSION, "130", "001")).id();
        String shop = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        assertThat(c.seen).filteredOn(e -> e instanceof PipelineEvent.LinkageRequested)
                .extracting(e -> ((PipelineEvent.LinkageRequested) e).action())
                .containsExactly("lights-on", "start-recording");
        assertThat(c.seen).filteredOn(e -> e instanceof PipelineEvent.LinkageRequested)
                .allSatisfy(e -> assertThat(((PipelineEvent.LinkageRequested) e).siteId()).isEqualTo("bank-1"));
        assertThat(c.get(bank).actionPlan()).isEqualTo("intrusion-critical");
        assertThat(c.get(shop).actionPlan()).isEqualTo("intrusion");
        assertThat(c.get(shop).forwards()).isEmpty();
        assertThat(c.get(fire).actionPlan()).isNull();
    }

    @Test
    void replacedRulesApplyToCasesOpenedAfterwardsWhileOpenCasesKeepTheirPlanAndForwards() {
        Centre c = new Centre().start(b -> b.rules(rules()));
        String before = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")).id();
        String fireBefore = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "001")).id();
        c.scheduler.advance(Duration.ofSeconds(5));

        c.pipeline.rules(new Rules(
                List.of(new ForwardingRule("intrusion-to-110", Set.of(Category.INTRUSION), false, "police-110",
                        ForwardChannel.PHONE, true)),
                List.of(),
                List.of(new ActionPlan("intrusion-v2", Set.of(Category.INTRUSION), null, List.of("dispatch")))));
        String after = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "002")).id();
        String fireAfter = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "002")).id();

        assertThat(c.get(after).actionPlan()).isEqualTo("intrusion-v2");
        assertThat(c.get(after).forwards()).singleElement().satisfies(fw -> {
            assertThat(fw.recipient()).isEqualTo("police-110");
            assertThat(fw.automatic()).isTrue();
            assertThat(fw.startedAt()).isEqualTo(Centre.T0.plusSeconds(5));
        });
        assertThat(c.get(fireAfter).forwards()).isEmpty();
        assertThat(c.get(before).actionPlan()).isEqualTo("intrusion");
        assertThat(c.get(before).forwards()).isEmpty();
        assertThat(c.get(fireBefore).forwards()).singleElement()
                .satisfies(fw -> assertThat(fw.recipient()).isEqualTo("police-119"));
        assertThatThrownBy(() -> c.pipeline.rules(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aDrillRunsTheWholeWorkflowIsMarkedEverywhereAndNeverReachesPolice() {
        Centre c = new Centre().start(b -> b.rules(rules()));
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "001").drill(true)).id();
        AlarmCase d = c.get(id);
        assertThat(d.drill()).isTrue();
        assertThat(d.forwards()).isEmpty();
        assertThat(d.transitions()).extracting(CaseTransition::action).contains(CaseAction.FORWARD_SUPPRESSED);
        assertThat(c.pipeline.queue().snapshot()).singleElement().extracting(OperatorQueue.Entry::drill)
                .isEqualTo(true);
        c.pipeline.present(id, "console-1");
        c.pipeline.take(id, "op1");
        assertThatThrownBy(() -> c.pipeline.forward(id, "op1", "police-119", ForwardChannel.PHONE, true))
                .isInstanceOfSatisfying(CaseException.class,
                        e -> assertThat(e.reason()).isEqualTo(CaseException.Reason.DRILL));
        c.pipeline.forward(id, "op1", "drill-coordinator", ForwardChannel.PHONE, false);
        c.pipeline.startVerification(id, "op1", VerificationMethod.PHONE);
        c.scheduler.advance(Duration.ofMinutes(6));
        c.pipeline.verify(id, "op1", VerificationResult.TEST, "annual drill");
        c.pipeline.dispatch(id, "op1", "patrol-7");
        c.pipeline.guardReport(id, "patrol-7", CaseAction.GUARD_DEPARTED, null);
        c.pipeline.close(id, "op1", "drill complete");
        assertThat(c.breaches()).isNotEmpty().allSatisfy(b -> assertThat(b.drill()).isTrue());
        assertThat(transitions(c, id)).allSatisfy(n -> {
            assertThat(n.path("drill").asBoolean()).isTrue();
            assertThat(n.has("police")).isFalse();
        });
    }

    @Test
    void periodicTestsAreCheckInsForTheSupervisor() {
        org.arc4j.core.testkit.ManualScheduler s = new org.arc4j.core.testkit.ManualScheduler(Centre.T0);
        Supervisor sup = new InMemorySupervisor(s);
        Centre c = new Centre(s, new org.arc4j.core.testkit.InMemoryRecordStore(),
                org.arc4j.core.sla.SlaPolicy.ga1383()).start(b -> b.supervisor(sup));
        sup.addListener(c.pipeline::onSupervisionEvent);
        c.pipeline.superviseAccounts();
        c.scheduler.advance(Duration.ofMinutes(30));
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.TEST, "602", "000"));
        assertThat(sup.status(AlarmPipeline.deviceKey(Centre.SHOP_IP)).orElseThrow().deadline())
                .isEqualTo(Centre.T0.plus(Duration.ofMinutes(90)));
        assertThat(sup.status(AlarmPipeline.deviceKey(Centre.SHOP_PSTN)).orElseThrow().maxSilence())
                .isEqualTo(Duration.ofHours(24));
        assertThat(c.pipeline.openCases()).isEmpty();

        // the bank's panel (5 min) was never heard from: the console was prompted at T0 + 5 min, and is again
        // when it is back
        assertThat(c.seen).filteredOn(e -> e instanceof PipelineEvent.DeviceStatusChanged)
                .containsExactly(new PipelineEvent.DeviceStatusChanged(Centre.BANK, "bank-1",
                        org.arc4j.core.event.Transport.IP, false, Centre.T0.plusSeconds(300), null));
        c.ingest(Centre.alarm(Centre.BANK, Category.TEST, "602", "000"));
        assertThat(c.seen).filteredOn(e -> e instanceof PipelineEvent.DeviceStatusChanged).hasSize(2).last()
                .isEqualTo(new PipelineEvent.DeviceStatusChanged(Centre.BANK, "bank-1",
                        org.arc4j.core.event.Transport.IP, true, c.scheduler.now(), Centre.T0.plusSeconds(300)));
    }
}
