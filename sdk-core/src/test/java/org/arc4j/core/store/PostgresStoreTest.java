package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What only the PostgreSQL store has beyond the contracts: it refuses a database that would not make an ACK
 * durable, refuses a schema whose migration file changed, two stores (nodes) on one database that append the
 * same idempotency key store it once, and a store fenced by a leader epoch appends only while that epoch leads.
 */
class PostgresStoreTest {
    static NewRecord key(String k) {
        return new NewRecord(RecordType.IDEMPOTENCY_KEY, 1, Instant.EPOCH, "",
                ("{\"key\":\"" + k + "\",\"events\":[]}").getBytes(StandardCharsets.UTF_8));
    }

    static NewRecord event(String text) {
        return new NewRecord(RecordType.EVENT, 1, Instant.EPOCH, "s", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesToOpenWithSynchronousCommitOff() {
        PostgresServer server = PostgresServer.get();
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setUrl(server.jdbcUrl());
        plain.setCurrentSchema(server.freshSchema());
        plain.setOptions("-c synchronous_commit=off");
        assertThatThrownBy(() -> PostgresStore.open(plain)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("synchronous_commit");
        plain.setOptions("-c synchronous_commit=remote_apply");
        PostgresStore.open(plain).close();
    }

    @Test
    void refusesASchemaWhoseMigrationChanged() throws Exception {
        PostgresServer server = PostgresServer.get();
        try (HikariDataSource pool = server.dataSource(server.freshSchema(), 2)) {
            PostgresStore.open(pool).close();
            PostgresStore.open(pool).close(); // applied once: opens again
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE arc4j_schema SET checksum = 'edited' WHERE version = 1");
            }
            assertThatThrownBy(() -> PostgresStore.open(pool)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("V1").hasMessageContaining("checksum");
        }
    }

    @Test
    void twoNodesAppendingTheSameKeyStoreItOnce() {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (HikariDataSource a = server.dataSource(schema, 2); HikariDataSource b = server.dataSource(schema, 2);
             PostgresStore na = PostgresStore.open(a); PostgresStore nb = PostgresStore.open(b)) {
            List<Long> first = na.appendAll(List.of(event("e1"), key("k1"))).toCompletableFuture().join();
            assertThatThrownBy(() -> nb.appendAll(List.of(event("e1 again"), key("k1"))).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(StoreException.Duplicate.class, d -> {
                        assertThat(d.keyPosition()).isEqualTo(first.get(1));
                        assertThat(d.firstPosition()).isEqualTo(first.get(0));
                    });
            // the same key twice in one group commit: the second is the duplicate of the first
            var x = nb.appendAll(List.of(event("e2"), key("k2"))).toCompletableFuture();
            var y = nb.appendAll(List.of(event("e2 again"), key("k2"))).toCompletableFuture();
            List<Long> px = x.join();
            assertThatThrownBy(y::join).cause().isInstanceOf(StoreException.Duplicate.class);
            List<String> events = na.events(EventQuery.all()).stream()
                    .map(r -> new String(r.payload(), StandardCharsets.UTF_8)).toList();
            assertThat(events).containsExactly("e1", "e2");
            assertThat(na.read(px.get(0))).hasValueSatisfying(r -> assertThat(r.type()).isEqualTo(RecordType.EVENT));
            // positions are dense and in commit order: the duplicates took none
            long[] expected = {1};
            na.replay(1, r -> assertThat(r.position()).isEqualTo(expected[0]++));
            assertThat(na.replay(1, r -> { })).isEqualTo(5);
        }
    }

    @Test
    void aFencedStoreAppendsOnlyWhileItsEpochLeads() throws Exception {
        PostgresServer server = PostgresServer.get();
        try (HikariDataSource pool = server.dataSource(server.freshSchema(), 3);
             PostgresStore store = PostgresStore.open(pool)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO arc4j_leader (id, epoch, node, since) VALUES (1, 7, 'a', now())");
            }
            PostgresStore leader = store.fenced(7);
            PostgresStore stale = store.fenced(6);
            assertThat(leader.epoch()).isEqualTo(7);
            long p = leader.appendAll(List.of(event("by 7"), key("k7"))).toCompletableFuture().join().get(0);
            assertThatThrownBy(() -> stale.appendAll(List.of(event("by 6"), key("k6"))).toCompletableFuture().join())
                    .cause().isInstanceOfSatisfying(StoreException.Fenced.class, f -> {
                        assertThat(f.epoch()).isEqualTo(6);
                        assertThat(f.current()).isEqualTo(7);
                    });
            // another node takes the lead: the old leader's next append is refused, and its key was not claimed
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE arc4j_leader SET epoch = 8, node = 'b' WHERE id = 1");
            }
            assertThatThrownBy(() -> leader.appendAll(List.of(event("late"), key("k8"))).toCompletableFuture().join())
                    .cause().isInstanceOf(StoreException.Fenced.class);
            store.fenced(8).appendAll(List.of(event("by 8"), key("k8"))).toCompletableFuture().join();
            // the unfenced store is not affected
            store.append(event("unfenced")).toCompletableFuture().join();
            assertThat(store.events(EventQuery.all())).extracting(r -> new String(r.payload(), StandardCharsets.UTF_8))
                    .containsExactly("by 7", "by 8", "unfenced");
            assertThat(store.read(p)).isPresent();
        }
    }

    @Test
    void wakeTellsSubscriptionsOfAnotherNodesCommitAtOnce() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (HikariDataSource a = server.dataSource(schema, 2); HikariDataSource b = server.dataSource(schema, 2);
             PostgresStore reader = PostgresStore.builder(a).pollInterval(java.time.Duration.ofHours(1)).open();
             PostgresStore writer = PostgresStore.open(b)) {
            java.util.concurrent.BlockingQueue<StoredRecord> got = new java.util.concurrent.LinkedBlockingQueue<>();
            RecordStore.Subscription sub = reader.subscribe(1, got::add);
            try {
                // its first poll found nothing and it waits for a wake or its next poll
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
                while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName()
                        .equals("arc4j-pg-subscription") && t.getState() == Thread.State.TIMED_WAITING)) {
                    assertThat(System.nanoTime()).as("subscription waiting within 20 s").isLessThan(deadline);
                    Thread.sleep(10);
                }
                long p = writer.append(event("from b")).toCompletableFuture().join();
                // the reader polls once an hour: without the wake it would not see b's record in this test
                assertThat(got.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
                reader.wake(p + 1);
                StoredRecord r = got.poll(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r).isNotNull();
                assertThat(r.position()).isEqualTo(p);
            } finally {
                sub.close();
            }
        }
    }
}
