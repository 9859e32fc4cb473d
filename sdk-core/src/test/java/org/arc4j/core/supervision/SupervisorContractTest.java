package org.arc4j.core.supervision;

import org.arc4j.core.testkit.InMemorySupervisor;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Supervisor} contract on virtual time; implementations join in {@link #implementations()}. */
class SupervisorContractTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
    static final DeviceKey PANEL = DeviceKey.of("dc09", "R1/L1/#1234");

    static Stream<Arguments> implementations() {
        Function<ManualScheduler, Supervisor> inMemory = InMemorySupervisor::new;
        Function<ManualScheduler, Supervisor> journalled = s -> JournalledSupervisor.open(
                new org.arc4j.core.testkit.InMemoryRecordStore(), s);
        return Stream.of(Arguments.of("in-memory", inMemory), Arguments.of("journalled", journalled));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void offlineExactlyAtTheDeadlineNotOneTickBefore(String name, Function<ManualScheduler, Supervisor> factory) {
        ManualScheduler s = new ManualScheduler(T0);
        Supervisor sup = factory.apply(s);
        List<SupervisionEvent> seen = new CopyOnWriteArrayList<>();
        sup.addListener(seen::add);
        sup.expect(PANEL, Duration.ofSeconds(180));
        sup.checkIn(PANEL, "link-a", T0);

        s.advance(Duration.ofSeconds(180).minusMillis(1));
        assertThat(seen).isEmpty();
        assertThat(sup.status(PANEL)).get().satisfies(st -> {
            assertThat(st.online()).isTrue();
            assertThat(st.deadline()).isEqualTo(T0.plusSeconds(180));
        });

        s.advance(Duration.ofMillis(1));
        assertThat(seen).containsExactly(new SupervisionEvent.Offline(PANEL, T0.plusSeconds(180), T0, "link-a"));
        assertThat(sup.status(PANEL).orElseThrow().online()).isFalse();

        s.advance(Duration.ofHours(1));
        assertThat(seen).hasSize(1); // offline is reported once, not again every period
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void checkInsPushTheDeadlineAndTheNextCheckInIsPairedOnline(String name,
                                                                Function<ManualScheduler, Supervisor> factory) {
        ManualScheduler s = new ManualScheduler(T0);
        Supervisor sup = factory.apply(s);
        List<SupervisionEvent> seen = new CopyOnWriteArrayList<>();
        sup.addListener(seen::add);
        sup.expect(PANEL, Duration.ofSeconds(60));
        for (int i = 1; i <= 10; i++) {
            s.advance(Duration.ofSeconds(50));
            sup.checkIn(PANEL, "link-a", s.now());
        }
        assertThat(seen).isEmpty();
        s.advance(Duration.ofSeconds(60));
        Instant offAt = T0.plusSeconds(560);
        assertThat(seen).containsExactly(new SupervisionEvent.Offline(PANEL, offAt, T0.plusSeconds(500), "link-a"));
        s.advance(Duration.ofSeconds(5));
        sup.checkIn(PANEL, "link-b", s.now());
        assertThat(seen).hasSize(2).last()
                .isEqualTo(new SupervisionEvent.Online(PANEL, offAt.plusSeconds(5), "link-b", offAt));
        assertThat(sup.status(PANEL).orElseThrow().online()).isTrue();
        assertThat(sup.status(PANEL).orElseThrow().lastLink()).isEqualTo("link-b");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aDeviceThatNeverChecksInGoesOfflineFromTheExpectation(String name,
                                                               Function<ManualScheduler, Supervisor> factory) {
        ManualScheduler s = new ManualScheduler(T0);
        Supervisor sup = factory.apply(s);
        List<SupervisionEvent> seen = new CopyOnWriteArrayList<>();
        sup.addListener(seen::add);
        sup.expect(PANEL, Duration.ofMinutes(5));
        s.advance(Duration.ofMinutes(5));
        assertThat(seen).containsExactly(new SupervisionEvent.Offline(PANEL, T0.plusSeconds(300), null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void unsupervisedCheckInsAreRecordedAndForgottenDevicesRaiseNothing(String name,
                                                                        Function<ManualScheduler, Supervisor> factory) {
        ManualScheduler s = new ManualScheduler(T0);
        Supervisor sup = factory.apply(s);
        List<SupervisionEvent> seen = new CopyOnWriteArrayList<>();
        sup.addListener(seen::add);
        DeviceKey camera = DeviceKey.of("gb28181", "34020000001320000001");
        sup.checkIn(camera, "sip-udp", T0);
        assertThat(sup.status(camera)).get().satisfies(st -> {
            assertThat(st.lastCheckIn()).isEqualTo(T0);
            assertThat(st.maxSilence()).isNull();
        });
        sup.expect(PANEL, Duration.ofSeconds(10));
        sup.forget(PANEL);
        s.advance(Duration.ofDays(2));
        assertThat(seen).isEmpty();
        assertThat(sup.all()).extracting(DeviceStatus::device).containsExactly(camera);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aLateReportOfAnOlderCheckInDoesNotMoveTheDeadlineBack(String name,
                                                              Function<ManualScheduler, Supervisor> factory) {
        ManualScheduler s = new ManualScheduler(T0);
        Supervisor sup = factory.apply(s);
        sup.expect(PANEL, Duration.ofSeconds(60));
        sup.checkIn(PANEL, "a", T0.plusSeconds(30));
        sup.checkIn(PANEL, "a", T0.plusSeconds(10));
        assertThat(sup.status(PANEL).orElseThrow().deadline()).isEqualTo(T0.plusSeconds(90));
    }
}
