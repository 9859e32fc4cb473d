package org.arc4j.examples.center.cluster;

import static org.arc4j.examples.center.cluster.CrossNodeIdempotencyTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoreException;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testsupport.PostgresServer;
import org.arc4j.core.time.SystemScheduler;
import org.junit.jupiter.api.Test;

/**
 * The active/active timer leader ({@link PipelineLeadership}) on a real PostgreSQL server: its pipeline writes
 * through the store fenced by the epoch it was elected in, so once another node holds a newer epoch nothing the old
 * leader's timers do is written; and a leader whose database stops answering (its lease check hangs on a lock)
 * deposes itself after the configured silence and stops its pipeline with its timers, while the check still hangs.
 */
class FencedLeadershipTest {
    private static final long LOCK = 0x4152_4334_4A00_0003L;

    @Test
    void theLeadersPipelineIsFencedByItsEpoch() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        AtomicReference<RecordStore> given = new AtomicReference<>();
        try (SystemScheduler scheduler = new SystemScheduler();
             HikariDataSource pool = server.dataSource(schema, 4, "arc4j-fenced");
             PostgresStore store = PostgresStore.builder(pool).open();
             PipelineLeadership leadership = new PipelineLeadership(store, fenced -> {
                 given.set(fenced);
                 return AlarmPipeline.builder(fenced, scheduler).authorizer(CaseAuthorizer.ALLOW_ALL).build();
             });
             LeaderLease lease = new LeaderLease(pool, LOCK, "a", scheduler, Duration.ofMillis(200), leadership)) {
            await(() -> lease.isLeader() && leadership.pipeline().isPresent());
            RecordStore fenced = given.get();
            fenced.append(record()).toCompletableFuture().get(10, TimeUnit.SECONDS); // written while it leads

            // another node takes the lease (as after a partition): what the old leader's pipeline writes is refused
            try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("UPDATE " + schema + ".arc4j_leader SET epoch = epoch + 1, node = 'b'");
            }
            assertThatThrownBy(() -> fenced.append(record()).toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreException.Fenced.class);
            await(() -> !lease.isLeader() && leadership.pipeline().isEmpty());
        }
    }

    @Test
    void aLeaderTheDatabaseDoesNotAnswerStopsItsTimersAfterTheSilence() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (SystemScheduler scheduler = new SystemScheduler();
             HikariDataSource pool = server.dataSource(schema, 4, "arc4j-silent");
             PostgresStore store = PostgresStore.builder(pool).open();
             PipelineLeadership leadership = new PipelineLeadership(store, fenced -> AlarmPipeline
                     .builder(fenced, scheduler).authorizer(CaseAuthorizer.ALLOW_ALL).build());
             LeaderLease lease = new LeaderLease(pool, LOCK, "a", scheduler, Duration.ofMillis(200),
                     Duration.ofSeconds(1), leadership);
             Connection blocker = DriverManager.getConnection(server.jdbcUrl())) {
            await(() -> lease.isLeader() && leadership.pipeline().isPresent());
            // the leader's check (an UPDATE of the leader row) now waits for this lock: no answer, no error
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("LOCK TABLE " + schema + ".arc4j_leader IN ACCESS EXCLUSIVE MODE");
            }
            await(() -> !lease.isLeader() && leadership.pipeline().isEmpty());
            blocker.rollback();
        }
    }

    private static NewRecord record() {
        return new NewRecord(RecordType.OPERATOR_ACTION, 1, java.time.Instant.now(), "test/fence",
                "{}".getBytes(StandardCharsets.UTF_8));
    }
}
