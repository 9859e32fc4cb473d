package org.arc4j.examples.center.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.admin.WorkEvidence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switchover evidence of an active/standby pair on PostgreSQL (GA 1383 安全性、可靠性: hot standby with a
 * switchover test at least every 30 days), recorded by the nodes themselves through
 * {@link WorkEvidence#recordSwitchover}, so that the compliance report's {@code hot-standby-30d} row needs no manual
 * entry:
 * <ul>
 *   <li><b>every takeover is recorded</b> by the node that took over, once its centre answers again
 *       ({@link #recordTakeover}): from the previous leader, to this node, the time the centre had no leader (from
 *       when the previous leader was last seen holding the lease to when this node's centre was started) and whether
 *       it was a test (the previous leader handed over on purpose) or a real failure;</li>
 *   <li><b>a switchover test</b> ({@link #test}, on demand through {@code POST /api/maintenance/switchovers/test},
 *       and on schedule when the last recorded switchover is older than the configured interval, at most 30 days)
 *       fails the leader over and back: the leader hands the lease over, naming itself to be handed back to, and
 *       exits (status 3; the service manager restarts it as the standby); the new leader records the switchover and,
 *       once the first node's pool is connected again (it waits as the standby), hands back, and the first node
 *       records the second switchover.</li>
 * </ul>
 * A test is started only while another node is connected to the database (a standby to switch to).
 *
 * <p>Thread-safe.
 */
public final class Switchovers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Switchovers.class);
    /** How often the schedule and a pending hand-back are looked at. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** How often the scheduled test looks whether one is due. */
    static final Duration SCHEDULE_CHECK_EVERY = Duration.ofMinutes(10);

    private final LeaderLease lease;
    private final DataSource pool;
    private final RecordStore records;
    private final Clock clock;
    private final Duration every;
    private final Cancellable handBack;
    private final Cancellable schedule;
    private final Instant started;
    private volatile CompletableFuture<?> recorded;

    /**
     * Starts the hand-back (when this node took over in a test that is to come back) and the schedule.
     *
     * @param lease     this node's lease, held
     * @param pool      the shared database
     * @param records   the centre's store (fenced by this node's epoch)
     * @param clock     the centre's clock
     * @param scheduler drives the checks
     * @param every     the longest time between two switchovers before a test is started (at most 30 days)
     */
    Switchovers(LeaderLease lease, DataSource pool, RecordStore records, Clock clock, Scheduler scheduler,
                Duration every) {
        this.lease = Objects.requireNonNull(lease, "lease");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.records = Objects.requireNonNull(records, "records");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.every = checkInterval(every);
        this.started = clock.instant();
        String back = lease.predecessor().map(LeaderLease.Predecessor::handBackTo).orElse(null);
        this.handBack = back == null || back.equals(lease.node()) ? null
                : scheduler.scheduleAtFixedRate(CHECK_EVERY, () -> handBackTo(back));
        this.schedule = scheduler.scheduleAtFixedRate(SCHEDULE_CHECK_EVERY, this::testIfDue);
    }

    /**
     * @param every the configured interval
     * @return it, checked: positive and at most {@link WorkEvidence#SWITCHOVER_EVERY}
     */
    public static Duration checkInterval(Duration every) {
        if (every.isNegative() || every.isZero() || every.compareTo(WorkEvidence.SWITCHOVER_EVERY) > 0) {
            throw new IllegalArgumentException("the switchover test interval must be more than 0 and at most 30"
                    + " days (GA 1383), got " + every);
        }
        return every;
    }

    /**
     * Records the takeover that made this node the leader, if another node led before it.
     *
     * @param electedNanos {@link System#nanoTime()} when this node was elected
     * @return completes with the switchover recorded (durable), or empty when there was none to record
     */
    CompletableFuture<Optional<WorkEvidence.Switchover>> recordTakeover(long electedNanos) {
        Optional<LeaderLease.Predecessor> p = lease.predecessor();
        if (p.isEmpty() || p.get().node().equals(lease.node())) {
            CompletableFuture<Optional<WorkEvidence.Switchover>> none = CompletableFuture.completedFuture(
                    Optional.empty());
            recorded = none;
            return none;
        }
        long since = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - electedNanos);
        long took = p.get().leaderlessMs() < 0 ? -1 : p.get().leaderlessMs() + since;
        WorkEvidence.Switchover s = new WorkEvidence.Switchover(clock.instant(), p.get().node(), lease.node(), took,
                p.get().handedOver(), "node " + lease.node());
        LOG.info("switchover from {} to {} recorded: {} ms without a leader ({})", s.from(), s.to(), took,
                s.test() ? "test" : "takeover after a leader loss");
        CompletableFuture<Optional<WorkEvidence.Switchover>> f = WorkEvidence.recordSwitchover(records, clock, s)
                .toCompletableFuture().thenApply(x -> Optional.of(s));
        recorded = f;
        return f;
    }

    /**
     * Starts a switchover test: this node hands the lease over and is to get it back. The centre then exits
     * (status 3) as a deposed leader.
     *
     * @return completes true when handed over; false when there is no standby connected or this node does not lead
     */
    public CompletableFuture<Boolean> test() {
        if (!standbyConnected(null)) {
            return CompletableFuture.completedFuture(false);
        }
        LOG.info("switchover test: node {} hands over and is to be handed back", lease.node());
        return lease.handOver(lease.node());
    }

    private void testIfDue() {
        try {
            List<WorkEvidence.Switchover> done = WorkEvidence.switchovers(records);
            // none recorded yet: the first test is due one interval after this node took the lead
            Instant last = done.isEmpty() ? started : done.get(done.size() - 1).at();
            if (handBack == null && last.plus(every).isBefore(clock.instant())) {
                LOG.info("switchover test due (last {}, every {})", last, every);
                test();
            }
        } catch (RuntimeException e) {
            LOG.warn("the scheduled switchover test failed to start", e);
        }
    }

    private void handBackTo(String node) {
        CompletableFuture<?> r = recorded;
        if (r == null || !r.isDone()) {
            return; // the takeover is recorded first: after the hand-over this node's appends are refused
        }
        if (standbyConnected(node)) {
            LOG.info("switchover test: node {} waits as the standby again; handing back", node);
            handBack.cancel();
            lease.handOver(null);
        }
    }

    /** @return whether another node of this centre is connected to the database (a standby to switch to) */
    public boolean standbyConnected() {
        return standbyConnected(null);
    }

    /** @return whether a node is connected other than this one ({@code node} null) or the named one */
    private boolean standbyConnected(String node) {
        String sql = node == null
                ? "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'arc4j-%'"
                        + " AND application_name <> ?"
                : "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = ?";
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, "arc4j-" + (node == null ? lease.node() : node));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (handBack != null) {
            handBack.cancel();
        }
        schedule.cancel();
    }
}
