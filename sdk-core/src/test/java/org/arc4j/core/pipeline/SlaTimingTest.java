package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Transport;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.sla.VerificationMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every GA 1383 limit, met exactly at the limit and breached by one tick (1 ms), on virtual time. */
class SlaTimingTest {
    private static final Duration TICK = Duration.ofMillis(1);

    /**
     * A step: how to bring a case to the start of the step, and how to complete it.
     */
    record Scenario(String name, AccountKey account, SlaStep step, Duration limit,
                    BiConsumer<Centre, String> begin, BiConsumer<Centre, String> end) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static void presentAndTake(Centre c, String id) {
        c.pipeline.present(id, "console-1");
        c.pipeline.take(id, "op1");
    }

    private static Scenario response(Transport t, AccountKey k, long seconds) {
        return new Scenario("response " + t, k, SlaStep.RESPONSE, Duration.ofSeconds(seconds), (c, id) -> {
        }, (c, id) -> c.pipeline.present(id, "console-1"));
    }

    private static Scenario verification(VerificationMethod m, Duration limit) {
        return new Scenario("verification " + m, Centre.SHOP_IP, SlaStep.VERIFICATION, limit, (c, id) -> {
            presentAndTake(c, id);
            c.pipeline.startVerification(id, "op1", m);
        }, (c, id) -> c.pipeline.verify(id, "op1", VerificationResult.REAL, null));
    }

    private static Scenario forwarding(ForwardChannel ch, Duration limit) {
        return new Scenario("forwarding " + ch, Centre.SHOP_IP, SlaStep.FORWARDING, limit, (c, id) -> {
            presentAndTake(c, id);
            c.pipeline.forward(id, "op1", "police-110", ch, true);
        }, (c, id) -> c.pipeline.forwardDelivered(id, "police-110",
                new CaseActor(CaseActor.Kind.EXTERNAL, "police-gw")));
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                response(Transport.IP, Centre.SHOP_IP, 4),
                response(Transport.PSTN, Centre.SHOP_PSTN, 20),
                response(Transport.WIRELESS, Centre.SHOP_WIRELESS, 5),
                verification(VerificationMethod.VIDEO, Duration.ofMinutes(1)),
                verification(VerificationMethod.AUDIO, Duration.ofMinutes(1)),
                verification(VerificationMethod.PHONE, Duration.ofMinutes(5)),
                forwarding(ForwardChannel.IP, Duration.ofSeconds(4)),
                forwarding(ForwardChannel.PSTN, Duration.ofSeconds(20)),
                forwarding(ForwardChannel.WIRELESS, Duration.ofSeconds(5)),
                forwarding(ForwardChannel.PHONE, Duration.ofMinutes(2)),
                new Scenario("verification restarted by video after 2 min of phone", Centre.SHOP_IP,
                        SlaStep.VERIFICATION, Duration.ofMinutes(1), (c, id) -> {
                            presentAndTake(c, id);
                            c.pipeline.startVerification(id, "op1", VerificationMethod.PHONE);
                            c.scheduler.advance(Duration.ofMinutes(2));
                            c.pipeline.startVerification(id, "op1", VerificationMethod.VIDEO);
                        }, (c, id) -> c.pipeline.verify(id, "op1", VerificationResult.REAL, null)),
                new Scenario("a second forwarding, 1 s after the first was delivered", Centre.SHOP_IP,
                        SlaStep.FORWARDING, Duration.ofSeconds(20), (c, id) -> {
                            presentAndTake(c, id);
                            c.pipeline.forward(id, "op1", "police-110", ForwardChannel.IP, true);
                            c.pipeline.forwardDelivered(id, "police-110", new CaseActor(CaseActor.Kind.EXTERNAL, "gw"));
                            c.scheduler.advance(Duration.ofSeconds(1));
                            c.pipeline.forward(id, "op1", "fire-119", ForwardChannel.PSTN, false);
                        }, (c, id) -> c.pipeline.forwardDelivered(id, "fire-119",
                                new CaseActor(CaseActor.Kind.EXTERNAL, "gw"))),
                new Scenario("guard departure", Centre.SHOP_IP, SlaStep.GUARD_DEPARTURE, Duration.ofMinutes(2),
                        (c, id) -> {
                            presentAndTake(c, id);
                            c.pipeline.dispatch(id, "op1", "patrol-7");
                        },
                        (c, id) -> c.pipeline.guardReport(id, "patrol-7", CaseAction.GUARD_DEPARTED, null))
        ).map(Arguments::of);
    }

    private static String open(Centre c, AccountKey k) {
        return "C" + c.ingest(Centre.alarm(k, Category.INTRUSION, "130", "001")).id();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void metExactlyAtTheLimit(Scenario s) {
        Centre c = new Centre().start();
        String id = open(c, s.account());
        s.begin().accept(c, id);
        c.scheduler.advance(s.limit());
        s.end().accept(c, id);
        c.scheduler.advance(Duration.ofHours(1));
        assertThat(c.breaches()).isEmpty();
        assertThat(c.get(id).stepDurations()).containsEntry(s.step(), s.limit());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void breachedByOneTick(Scenario s) {
        SimpleMetrics metrics = new SimpleMetrics();
        Centre c = new Centre().start(b -> b.metrics(metrics));
        String id = open(c, s.account());
        s.begin().accept(c, id);
        c.scheduler.advance(s.limit());
        assertThat(c.breaches()).isEmpty();
        c.scheduler.advance(TICK);
        assertThat(c.breaches()).singleElement().satisfies(b -> {
            assertThat(b.caseId()).isEqualTo(id);
            assertThat(b.step()).isEqualTo(s.step());
            assertThat(b.limit()).isEqualTo(s.limit());
            assertThat(b.measured()).isEqualTo(s.limit().plus(TICK));
            assertThat(b.duringOutage()).isFalse();
        });
        c.scheduler.advance(Duration.ofSeconds(3));
        s.end().accept(c, id);
        assertThat(c.breaches()).hasSize(1); // completing late does not breach twice
        AlarmCase a = c.get(id);
        assertThat(a.stepDurations()).containsEntry(s.step(), s.limit().plus(TICK).plusSeconds(3));
        assertThat(a.breaches()).hasSize(1);
        assertThat(a.transitions()).extracting(CaseTransition::action).contains(CaseAction.SLA_BREACH);
        assertThat(metrics.counter("pipeline.breaches", "step", s.step().name()).count()).isEqualTo(1);
        assertThat(metrics.timer("pipeline.step", "step", s.step().name()).maxNanos())
                .isEqualTo(s.limit().plus(TICK).plusSeconds(3).toNanos());
        assertThat(metrics.counter("pipeline.cases").count()).isEqualTo(1);
    }

    @Test
    void responseRunsFromTheSkewCorrectedDeviceTimeAndBothTimesAreKept() {
        Centre c = new Centre().start();
        // the device's clock is 1 s ahead; it says the alarm happened 3 s before we received it → 4 s before
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .triggeredAt(Centre.T0.minusSeconds(3)).clockSkew(Duration.ofSeconds(1))).id();
        AlarmCase received = c.get(id);
        assertThat(received.responseStart()).isEqualTo(Centre.T0.minusSeconds(4));
        c.pipeline.present(id, "console-1");
        AlarmCase a = c.get(id);
        assertThat(a.responseFromReceipt()).isZero();
        assertThat(a.responseFromDevice()).isEqualTo(Duration.ofSeconds(4));
        assertThat(a.stepDurations()).containsEntry(SlaStep.RESPONSE, Duration.ofSeconds(4));
        c.scheduler.advance(Duration.ofMinutes(1));
        assertThat(c.breaches()).isEmpty();
    }

    @Test
    void withoutAKnownSkewTheResponseRunsFromReceipt() {
        Centre c = new Centre().start();
        String id = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .triggeredAt(Centre.T0.minusSeconds(30))).id();
        assertThat(c.get(id).responseStart()).isEqualTo(Centre.T0);
        c.scheduler.advance(Duration.ofSeconds(2));
        c.pipeline.present(id, "console-1");
        assertThat(c.get(id).responseFromReceipt()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(id).responseFromDevice()).isEqualTo(Duration.ofSeconds(32));
        assertThat(c.breaches()).isEmpty();
    }

    @Test
    void aContractTightensTheLimitsAndCannotLoosenThem() {
        SlaPolicy contract = SlaPolicy.ga1383().withResponse(Transport.IP, Duration.ofSeconds(2));
        Centre c = new Centre(new org.arc4j.core.testkit.ManualScheduler(Centre.T0),
                new org.arc4j.core.testkit.InMemoryRecordStore(), contract).start();
        String id = open(c, Centre.BANK);
        c.scheduler.advance(Duration.ofSeconds(2).plus(TICK));
        assertThat(c.breaches()).singleElement().extracting(SlaBreach::limit).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(id).keyCustomer()).isTrue();

        assertThatThrownBy(() -> SlaPolicy.ga1383().withResponse(Transport.PSTN, Duration.ofSeconds(21)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loosen");
        assertThat(SlaPolicy.ga1383().withGuardDeparture(Duration.ofSeconds(90)).guardDeparture())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(SlaPolicy.ga1383().response(Transport.UNKNOWN)).isEqualTo(Duration.ofSeconds(20));
        assertThat(SlaPolicy.ga1383().verification(VerificationMethod.GUARD)).isEmpty();
    }
}
