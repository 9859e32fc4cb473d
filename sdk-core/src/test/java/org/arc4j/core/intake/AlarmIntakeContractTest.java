package org.arc4j.core.intake;

import org.arc4j.core.testkit.InMemoryAlarmIntake;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testsupport.ControllableRecordStore;
import org.arc4j.core.testsupport.Events;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link AlarmIntake} contract, run over every implementation. An implementation joins by adding a
 * {@link Fixture} factory to {@link #implementations()}.
 */
class AlarmIntakeContractTest {

    /** What the contract needs to drive an implementation. */
    interface Fixture extends AutoCloseable {
        AlarmIntake intake();

        /** Keeps receipts from completing (as a slow disk would) until {@link #release()}. */
        void hold();

        void release();

        /** Every event made durable, in order. */
        List<AlarmEvent> stored();

        ManualClock clock();

        @Override
        void close();
    }

    static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    /** Fixtures over a manual clock; capacity 4 messages in flight, one-hour dedupe window. */
    static Stream<Arguments> implementations() {
        Supplier<Fixture> inMemory = () -> {
            ManualClock clock = new ManualClock(T0);
            InMemoryAlarmIntake intake = new InMemoryAlarmIntake(clock, new EventIdGenerator(clock), 4,
                    Duration.ofHours(1));
            return new Fixture() {
                public AlarmIntake intake() {
                    return intake;
                }

                public void hold() {
                    intake.hold();
                }

                public void release() {
                    intake.release();
                }

                public List<AlarmEvent> stored() {
                    return intake.events();
                }

                public ManualClock clock() {
                    return clock;
                }

                public void close() {
                    intake.close();
                }
            };
        };
        Supplier<Fixture> durable = () -> {
            ManualClock clock = new ManualClock(T0);
            ControllableRecordStore store = new ControllableRecordStore();
            StoreAlarmIntake intake = StoreAlarmIntake.open(store, clock, new EventIdGenerator(clock), 4,
                    Duration.ofHours(1));
            return new Fixture() {
                public AlarmIntake intake() {
                    return intake;
                }

                public void hold() {
                    store.hold();
                }

                public void release() {
                    store.release();
                }

                public List<AlarmEvent> stored() {
                    List<AlarmEvent> out = new ArrayList<>();
                    store.replay(1, r -> {
                        if (r.type() == RecordType.EVENT) {
                            out.add(EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8)));
                        }
                    });
                    return out;
                }

                public ManualClock clock() {
                    return clock;
                }

                public void close() {
                    intake.close();
                }
            };
        };
        return Stream.of(Arguments.of("in-memory", inMemory), Arguments.of("store", durable));
    }

    private static Receipt await(CompletionStage<Receipt> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<AlarmEvent> message(Instant at, String... zones) {
        List<AlarmEvent> out = new ArrayList<>();
        for (String z : zones) {
            out.add(Events.burglary("1234", z, at));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void acceptsAllEventsOfAMessageWithIncreasingIds(String name, Supplier<Fixture> factory) throws Exception {
        try (Fixture f = factory.get()) {
            Receipt r = await(f.intake().accept(message(T0, "001", "002", "003"), IdempotencyKey.of("t", "1")));
            assertThat(r).isInstanceOf(Receipt.Accepted.class);
            Receipt.Accepted a = (Receipt.Accepted) r;
            assertThat(a.duplicate()).isFalse();
            assertThat(a.duplicateOf()).isNull();
            assertThat(a.events()).extracting(AlarmEvent::zone).containsExactly("001", "002", "003");
            assertThat(a.eventIds()).doesNotContainNull().isSorted().doesNotHaveDuplicates();
            assertThat(f.stored()).extracting(AlarmEvent::id).containsExactlyElementsOf(a.eventIds());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aRetransmissionGetsTheOriginalReceiptAndNoNewEvent(String name, Supplier<Fixture> factory)
            throws Exception {
        try (Fixture f = factory.get()) {
            IdempotencyKey key = IdempotencyKey.of("dc09", "1234", "0007", "Nri1/BA003");
            Receipt.Accepted first = (Receipt.Accepted) await(f.intake().accept(message(T0, "003"), key));
            f.clock().advance(Duration.ofSeconds(30));
            Receipt.Accepted again = (Receipt.Accepted) await(f.intake().accept(
                    message(T0.plusSeconds(30), "003"), IdempotencyKey.of("dc09", "1234", "0007", "Nri1/BA003")));
            assertThat(again.duplicate()).isTrue();
            assertThat(again.eventIds()).isEqualTo(first.eventIds());
            assertThat(again.duplicateOf()).isEqualTo(first.eventIds().get(0));
            assertThat(f.stored()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void aKeyIsForgottenAfterTheDedupeWindowSoAWrappedSequenceIsANewMessage(String name,
                                                                           Supplier<Fixture> factory)
            throws Exception {
        try (Fixture f = factory.get()) {
            IdempotencyKey key = IdempotencyKey.of("dc09", "1234", "0001");
            await(f.intake().accept(message(T0, "001"), key));
            f.clock().advance(Duration.ofHours(2));
            Receipt.Accepted later = (Receipt.Accepted) await(f.intake().accept(message(f.clock().instant(), "001"),
                    key));
            assertThat(later.duplicate()).isFalse();
            assertThat(f.stored()).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void receiptWaitsForDurabilityAndBackpressureRefusesWhenFull(String name, Supplier<Fixture> factory)
            throws Exception {
        try (Fixture f = factory.get()) {
            f.hold();
            List<CompletableFuture<Receipt>> pending = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pending.add(f.intake().accept(message(T0, "00" + i), IdempotencyKey.of("t", "m" + i))
                        .toCompletableFuture());
            }
            // nothing is durable yet, so no receipt may have completed: an adapter would not ACK
            assertThat(pending).noneMatch(CompletableFuture::isDone);
            Receipt refused = await(f.intake().accept(message(T0, "009"), IdempotencyKey.of("t", "m9")));
            assertThat(refused).isInstanceOfSatisfying(Receipt.Refused.class,
                    r -> assertThat(r.reason()).isEqualTo(RefusalReason.BACKPRESSURE));
            f.release();
            for (CompletableFuture<Receipt> p : pending) {
                assertThat(await(p)).isInstanceOf(Receipt.Accepted.class);
            }
            assertThat(f.stored()).hasSize(4).extracting(AlarmEvent::zone).doesNotContain("009");
            // room again: the refused message is accepted when the panel retries
            assertThat(await(f.intake().accept(message(T0, "009"), IdempotencyKey.of("t", "m9"))).isAccepted())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void theSameMessageTwiceInFlightIsStoredOnce(String name, Supplier<Fixture> factory) throws Exception {
        try (Fixture f = factory.get()) {
            f.hold();
            IdempotencyKey key = IdempotencyKey.of("t", "same");
            CompletableFuture<Receipt> a = f.intake().accept(message(T0, "001"), key).toCompletableFuture();
            CompletableFuture<Receipt> b = f.intake().accept(message(T0, "001"), key).toCompletableFuture();
            f.release();
            List<EventId> idsA = ((Receipt.Accepted) await(a)).eventIds();
            Receipt.Accepted rb = (Receipt.Accepted) await(b);
            assertThat(rb.eventIds()).isEqualTo(idsA);
            assertThat(rb.duplicate()).isTrue();
            assertThat(f.stored()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void refusesAnEmptyMessageAndEverythingAfterClose(String name, Supplier<Fixture> factory) throws Exception {
        Fixture f = factory.get();
        assertThat(await(f.intake().accept(List.of(), IdempotencyKey.of("t", "empty"))))
                .isInstanceOfSatisfying(Receipt.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(RefusalReason.INVALID));
        f.close();
        assertThat(await(f.intake().accept(message(T0, "001"), IdempotencyKey.of("t", "late"))))
                .isInstanceOfSatisfying(Receipt.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(RefusalReason.CLOSED));
        assertThat(f.stored()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void idempotencyKeyPartsCannotRunTogether(String name, Supplier<Fixture> factory) throws Exception {
        try (Fixture f = factory.get()) {
            await(f.intake().accept(message(T0, "001"), IdempotencyKey.of("t", "ab", "c")));
            Receipt.Accepted second = (Receipt.Accepted) await(f.intake().accept(message(T0, "002"),
                    IdempotencyKey.of("t", "a", "bc")));
            assertThat(second.duplicate()).isFalse();
            assertThat(f.stored()).hasSize(2);
        }
    }
}
