package org.arc4j.examples.center.cluster;

import static org.arc4j.examples.center.cluster.CrossNodeIdempotencyTest.assertAcked;
import static org.arc4j.examples.center.cluster.CrossNodeIdempotencyTest.await;
import static org.arc4j.examples.center.cluster.CrossNodeIdempotencyTest.frame;
import static org.arc4j.examples.center.cluster.CrossNodeIdempotencyTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot standby of the timer leader: the leader's database sessions end (its process or host died), PostgreSQL
 * releases its advisory lock, the standby node takes the lease with a higher epoch, recovers the open case the
 * leader was handling (taken by an operator) and carries it on; alarms received meanwhile by the standby are not
 * lost. The takeover time is logged, not asserted (it is measured in the benchmarks).
 */
class StandbyPromotionTest {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyPromotionTest.class);

    @Test
    void theStandbyTakesTheLeaseAndContinuesTheOpenCases() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (ClusterNode standby = new ClusterNode("standby", server, schema)) {
            ClusterNode leader = new ClusterNode("leader", server, schema).lead();
            try {
                // the lease says leader a moment before the pipeline is built: wait for both
                await(() -> leader.lease.isLeader() && leader.leadership.pipeline().isPresent());
                standby.lead();
                long leaderEpoch = leader.lease.epoch();
                // the alarm arrives at the standby; the leader's pipeline makes the case and an operator takes it
                assertAcked(send(standby.dc09(), frame(7)));
                await(() -> leader.leadership.pipeline().orElseThrow().openCases().size() == 1);
                AlarmPipeline first = leader.leadership.pipeline().orElseThrow();
                String caseId = first.openCases().get(0).id();
                first.present(caseId, "console-1").toCompletableFuture().get(10, TimeUnit.SECONDS);
                first.take(caseId, "op1").toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(standby.lease.isLeader()).isFalse();

                long killed = System.nanoTime();
                leader.killSessions(server);
                await(() -> standby.lease.isLeader() && standby.leadership.pipeline().isPresent());
                LOG.info("takeover after the leader's sessions ended: {} ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                assertThat(standby.lease.epoch()).isGreaterThan(leaderEpoch);
                // and the other way round: not leader a moment before the pipeline is stopped
                await(() -> !leader.lease.isLeader() && leader.leadership.pipeline().isEmpty());
                assertThat(leader.lease.stillLeads(leaderEpoch)).isFalse();
            } finally {
                leader.close();
            }

            AlarmPipeline continued = standby.leadership.pipeline().orElseThrow();
            AlarmCase c = continued.get(caseId(continued)).orElseThrow();
            assertThat(c.state()).isEqualTo(CaseState.TAKEN);
            assertThat(c.takenBy()).isEqualTo("op1");
            // the new leader carries it on, and takes up what arrives now
            continued.close(c.id(), "op1", "handled after the switchover").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(continued.get(c.id()).orElseThrow().state()).isEqualTo(CaseState.CLOSED);
            assertAcked(send(standby.dc09(), frame(8)));
            await(() -> continued.openCases().stream().anyMatch(x -> x.state() != CaseState.CLOSED));
        }
    }

    private static String caseId(AlarmPipeline p) {
        return p.openCases().get(0).id();
    }
}
