package org.arc4j.examples.center.cluster;

import com.zaxxer.hikari.HikariDataSource;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testsupport.PostgresServer;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Receiver;

/**
 * One centre node of a cluster test, as the reference centre wires it: a PostgreSQL store on the shared database,
 * the intake, a DC-09 receiver on loopback, and the leader lease that runs the pipeline only on the leader.
 */
final class ClusterNode implements AutoCloseable {
    /** The advisory lock key of the test centre. */
    static final long LOCK = 0x4152_4334_4A00_0001L;

    final String name;
    final SystemScheduler scheduler = new SystemScheduler();
    final HikariDataSource pool;
    final PostgresStore store;
    final StoreAlarmIntake intake;
    final Dc09Receiver receiver;
    final PipelineLeadership leadership;
    LeaderLease lease;

    ClusterNode(String name, PostgresServer server, String schema) throws InterruptedException {
        this.name = name;
        this.pool = server.dataSource(schema, 6, "arc4j-" + name);
        this.store = PostgresStore.builder(pool).pollInterval(Duration.ofMillis(20)).open();
        this.intake = StoreAlarmIntake.open(store, scheduler.clock(), new EventIdGenerator(scheduler.clock()), 1024,
                Duration.ofHours(1));
        this.receiver = Dc09Receiver.builder(intake, new InMemoryCredentialStore(), new InMemorySupervisor(scheduler),
                scheduler).tcp(new InetSocketAddress("127.0.0.1", 0)).threads(1).build().start();
        this.leadership = new PipelineLeadership(store, fenced -> AlarmPipeline.builder(fenced, scheduler)
                .authorizer(org.arc4j.core.pipeline.CaseAuthorizer.ALLOW_ALL).build());
    }

    /** Starts competing for the lease. */
    ClusterNode lead() {
        lease = new LeaderLease(pool, LOCK, name, scheduler, Duration.ofMillis(200), leadership);
        return this;
    }

    InetSocketAddress dc09() {
        return new InetSocketAddress("127.0.0.1", receiver.tcpPort());
    }

    /** Ends every database session of this node, as a crash of its process or its host would. */
    void killSessions(PostgresServer server) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'arc4j-"
                    + name + "'");
        }
    }

    @Override
    public void close() {
        receiver.close();
        if (lease != null) {
            lease.close();
        }
        leadership.close();
        intake.close();
        store.close();
        pool.close();
        scheduler.close();
    }
}
