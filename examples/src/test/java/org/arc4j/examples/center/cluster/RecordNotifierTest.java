package org.arc4j.examples.center.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between two nodes on a real PostgreSQL: node b's commit reaches node a's subscription at once,
 * although a polls only once an hour; without the notifier it would not arrive within the test.
 */
class RecordNotifierTest {
    @Test
    void anotherNodesCommitWakesTheSubscriptions() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (HikariDataSource a = server.dataSource(schema, 3); HikariDataSource b = server.dataSource(schema, 2);
             PostgresStore reader = PostgresStore.builder(a).pollInterval(Duration.ofHours(1)).open();
             PostgresStore writer = PostgresStore.open(b)) {
            RecordNotifier.install(a);
            RecordNotifier.install(a); // again, as every start does
            BlockingQueue<StoredRecord> got = new LinkedBlockingQueue<>();
            RecordStore.Subscription sub = reader.subscribe(1, got::add);
            try (RecordNotifier notifier = new RecordNotifier(a, reader)) {
                CrossNodeIdempotencyTest.await(notifier::listening);
                for (int i = 1; i <= 3; i++) {
                    long p = writer.append(new NewRecord(RecordType.AUDIT, 1, Instant.now(), "from-b",
                            ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))).toCompletableFuture().join();
                    StoredRecord r = got.poll(20, TimeUnit.SECONDS);
                    assertThat(r).as("record %d delivered", i).isNotNull();
                    assertThat(r.position()).isEqualTo(p);
                    assertThat(reader.nextPosition()).isGreaterThan(p);
                }
            } finally {
                sub.close();
            }
        }
    }
}
