package org.arc4j.examples.center.cluster;

import static org.arc4j.examples.center.cluster.CrossNodeIdempotencyTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.PostgresServer;
import org.arc4j.core.time.SystemScheduler;
import org.junit.jupiter.api.Test;

/**
 * The scheduled switchover test on a real PostgreSQL server, its schedule driven by a manual clock: no test before
 * the configured interval has passed since the leader took over (none recorded yet), and once it has, with a standby
 * connected, the leader hands the lease over naming itself to be handed back to, and is deposed. The interval may not
 * exceed 30 days.
 */
class SwitchoversTest {
    private static final long LOCK = 0x4152_4334_4A00_0004L;

    @Test
    void theScheduledTestHandsOverOnceTheIntervalHasPassed() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        AtomicLong deposed = new AtomicLong();
        ManualScheduler manual = new ManualScheduler(Instant.parse("2026-12-01T00:00:00Z"));
        try (SystemScheduler real = new SystemScheduler();
             HikariDataSource pool = server.dataSource(schema, 4, "arc4j-a");
             HikariDataSource standby = server.dataSource(schema, 1, "arc4j-b");
             PostgresStore store = PostgresStore.builder(pool).open();
             LeaderLease lease = new LeaderLease(pool, LOCK, "a", real, Duration.ofMillis(200),
                     new LeaderLease.Listener() {
                         @Override
                         public void elected(long epoch) {
                         }

                         @Override
                         public void deposed(long epoch) {
                             deposed.set(epoch);
                         }
                     })) {
            await(lease::isLeader);
            try (Connection c = standby.getConnection()) {
                // the standby's session is open (its pool holds it), as a waiting node's is
                assertThat(c.isValid(5)).isTrue();
                try (Switchovers s = new Switchovers(lease, pool, store.fenced(lease.epoch()), manual.clock(), manual,
                        Duration.ofDays(1))) {
                    manual.advance(Duration.ofHours(23));
                    assertThat(s.standbyConnected()).isTrue();
                    assertThat(lease.isLeader()).as("not due yet").isTrue();
                    assertThat(leaderRow(pool)).isEqualTo("a false null");

                    manual.advance(Duration.ofHours(1).plusMinutes(10));
                    await(() -> deposed.get() != 0);
                    assertThat(leaderRow(pool)).isEqualTo("a true a");
                    assertThat(lease.isLeader()).isFalse();
                }
            }
        }
        assertThatThrownBy(() -> Switchovers.checkInterval(Duration.ofDays(31))).hasMessageContaining("30 days");
        assertThatThrownBy(() -> Switchovers.checkInterval(Duration.ZERO)).hasMessageContaining("30 days");
        assertThat(Switchovers.checkInterval(Duration.ofDays(30))).isEqualTo(Duration.ofDays(30));
    }

    private static String leaderRow(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT node, handed_over, hand_back_to FROM arc4j_leader WHERE id = 1")) {
            rs.next();
            return rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getString(3);
        }
    }
}
