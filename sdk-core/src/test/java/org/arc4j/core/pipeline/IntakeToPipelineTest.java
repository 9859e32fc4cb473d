package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.junit.jupiter.api.Test;

/** The durable intake feeding the pipeline: retransmissions make no second case, concurrent adapters lose none. */
class IntakeToPipelineTest {

    @Test
    void aRetransmissionIsAcknowledgedAgainButMakesNoSecondCase() throws Exception {
        Centre c = new Centre().start();
        StoreAlarmIntake intake = StoreAlarmIntake.open(c.store, c.scheduler.clock(), c.ids, 64, Duration.ofHours(1));
        intake.addListener(c.pipeline::onAccepted);
        IdempotencyKey key = IdempotencyKey.of("dc09", "R1", "L1", "1001", "0042");
        Receipt first = intake.accept(List.of(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .receivedAt(c.scheduler.now()).build()), key).toCompletableFuture().get(5, TimeUnit.SECONDS);
        c.scheduler.advance(Duration.ofSeconds(5));
        Receipt again = intake.accept(List.of(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "001")
                .receivedAt(c.scheduler.now()).build()), key).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(((Receipt.Accepted) again).duplicate()).isTrue();
        AlarmCase only = c.only();
        assertThat(only.id()).isEqualTo("C" + ((Receipt.Accepted) first).eventIds().get(0));
        assertThat(only.arrivals()).hasSize(1);
    }

    @Test
    void concurrentAdaptersLoseNoAlarm() throws Exception {
        Centre c = new Centre().start();
        StoreAlarmIntake intake = StoreAlarmIntake.open(c.store, c.scheduler.clock(),
                new EventIdGenerator(c.scheduler.clock()), 10_000, Duration.ofHours(1));
        intake.addListener(c.pipeline::onAccepted);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Receipt>> receipts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                receipts.add(CompletableFuture.supplyAsync(() -> {
                    Receipt last = null;
                    for (int i = 0; i < 250; i++) {
                        AccountKey k = new AccountKey("R" + thread, "L1", Integer.toString(i));
                        last = intake.accept(List.of(Centre.alarm(k, Category.INTRUSION, "130", "001")
                                .receivedAt(c.scheduler.now()).build()), IdempotencyKey.of("t", k.toString()))
                                .toCompletableFuture().join();
                    }
                    return last;
                }, pool));
            }
            for (CompletableFuture<Receipt> r : receipts) {
                assertThat(r.get(30, TimeUnit.SECONDS).isAccepted()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(c.pipeline.openCases()).hasSize(1000);
        assertThat(c.pipeline.queue().size()).isEqualTo(1000);
    }
}
