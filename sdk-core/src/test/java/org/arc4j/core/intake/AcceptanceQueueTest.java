package org.arc4j.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.testsupport.ControllableRecordStore;
import org.arc4j.core.testsupport.Events;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** The bounded hand-off from the intake to a slow consumer: refuse new messages, never drop accepted ones. */
class AcceptanceQueueTest {
    static final Instant T0 = Instant.parse("2026-12-04T06:00:00Z");

    private static Receipt await(java.util.concurrent.CompletionStage<Receipt> s) throws Exception {
        return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aConsumerThatFallsBehindMakesTheIntakeRefuseNewMessagesUntilItCatchesUp() throws Exception {
        ManualClock clock = new ManualClock(T0);
        StoreAlarmIntake intake = StoreAlarmIntake.open(new ControllableRecordStore(), clock,
                new EventIdGenerator(clock), 8, Duration.ofHours(1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstTaken = new CountDownLatch(1);
        List<String> taken = new CopyOnWriteArrayList<>();
        AcceptanceQueue q = AcceptanceQueue.attach(intake, "test-pipeline", 3, a -> {
            firstTaken.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taken.add(a.key().value());
        });

        // the consumer holds the first acceptance; three more fill the queue
        assertThat(await(intake.accept(List.of(Events.burglary("1", "001", T0)), IdempotencyKey.ofValue("k0"))))
                .isInstanceOf(Receipt.Accepted.class);
        assertThat(firstTaken.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 3; i++) {
            assertThat(await(intake.accept(List.of(Events.burglary("1", "00" + i, T0)),
                    IdempotencyKey.ofValue("k" + i)))).isInstanceOf(Receipt.Accepted.class);
        }
        assertThat(q.backlog()).isEqualTo(3);

        Receipt refused = await(intake.accept(List.of(Events.burglary("1", "009", T0)), IdempotencyKey.ofValue("k9")));
        assertThat(refused).isInstanceOfSatisfying(Receipt.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(RefusalReason.BACKPRESSURE);
            assertThat(r.detail()).contains("test-pipeline").contains("3 acceptances behind");
        });
        // a retransmission of what was accepted is still answered: it adds nothing to the queue
        assertThat(await(intake.accept(List.of(Events.burglary("1", "001", T0)), IdempotencyKey.ofValue("k1"))))
                .isInstanceOfSatisfying(Receipt.Accepted.class, a -> assertThat(a.duplicate()).isTrue());

        release.countDown();
        assertThat(q.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(taken).containsExactly("k0", "k1", "k2", "k3");
    }

    @Test
    void aConsumerThatThrowsStillGetsTheNextAcceptance() throws Exception {
        ManualClock clock = new ManualClock(T0);
        StoreAlarmIntake intake = StoreAlarmIntake.open(new ControllableRecordStore(), clock,
                new EventIdGenerator(clock), 8, Duration.ofHours(1));
        List<String> taken = new CopyOnWriteArrayList<>();
        AcceptanceQueue q = AcceptanceQueue.attach(intake, "throwing", 4, a -> {
            taken.add(a.key().value());
            if (taken.size() == 1) {
                throw new IllegalStateException("boom");
            }
        });
        await(intake.accept(List.of(Events.burglary("1", "001", T0)), IdempotencyKey.ofValue("a")));
        await(intake.accept(List.of(Events.burglary("1", "002", T0)), IdempotencyKey.ofValue("b")));
        assertThat(q.drain(Duration.ofSeconds(10))).isTrue();
        assertThat(taken).containsExactly("a", "b");
    }
}
