package org.arc4j.examples.center.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timer and supervision leader of several centre nodes on one PostgreSQL database: the node that holds a
 * session-level advisory lock. Every node tries to take it every {@code checkEvery}; the holder checks on the same
 * connection that it still holds it. Taking it increments the leader epoch in {@code arc4j_leader}, so a deposed
 * leader's actions can be told apart from the new one's ({@link #epoch()}, {@link #stillLeads(long)}) and its appends
 * refused by the database ({@link org.arc4j.core.store.postgres.PostgresStore#fenced}). The table is the store's
 * (schema version 2): open the {@code PostgresStore} on the database before the lease.
 *
 * <p>When the leader's process dies its session ends and PostgreSQL releases the lock at once: another node takes
 * it on its next check (takeover within {@code checkEvery} plus the time to recover the pipeline). When the leader
 * cannot reach the database its lock may be gone: it deposes itself at the first failed check, before another node
 * can have taken over for longer than one check interval.
 *
 * <p>A leader whose checks do not come back at all (a database that does not answer, a connection that hangs)
 * deposes itself once the database has not confirmed it for {@code maxSilence}, from the scheduler's thread: its
 * timers stop although the hung check never ends.
 *
 * <p>Thread-safe; the listener is called on the lease's own thread (or, for a silence, the scheduler's), and
 * {@code deposed} once per epoch.
 */
public final class LeaderLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

    /** Told when this node becomes leader and when it stops being leader. */
    public interface Listener {
        /** @param epoch the leader epoch this node now holds */
        void elected(long epoch);

        /** @param epoch the epoch it held */
        void deposed(long epoch);
    }

    private final DataSource dataSource;
    private final long lockKey;
    private final String node;
    private final Listener listener;
    private final ExecutorService thread;
    private final Cancellable ticks;
    private Connection connection;
    private volatile long epoch;
    private volatile boolean closed;
    private volatile Predecessor predecessor;
    private final java.time.Clock clock;
    private final long maxSilenceMillis;
    /** When the database last confirmed this node as the leader (the clock's millis). */
    private volatile long confirmedMillis;

    /**
     * Starts trying to take the lease.
     *
     * @param dataSource the shared database (one connection is held for the lease)
     * @param lockKey    the advisory lock key; the same on every node of one centre
     * @param node       this node's name, written with its epoch
     * @param scheduler  drives the checks
     * @param checkEvery how often to try or check (≤ 1 s keeps takeover within 2 s)
     * @param listener   told of elections and depositions
     */
    public LeaderLease(DataSource dataSource, long lockKey, String node, Scheduler scheduler, Duration checkEvery,
                       Listener listener) {
        this(dataSource, lockKey, node, scheduler, checkEvery, checkEvery.multipliedBy(3), listener);
    }

    /**
     * Starts trying to take the lease, with a limit on how long the leader goes without the database confirming it.
     *
     * @param dataSource the shared database (one connection is held for the lease)
     * @param lockKey    the advisory lock key; the same on every node of one centre
     * @param node       this node's name, written with its epoch
     * @param scheduler  drives the checks; its clock measures the silence
     * @param checkEvery how often to try or check (≤ 1 s keeps takeover within 2 s)
     * @param maxSilence how long the leader may go without a successful check before it deposes itself, even while
     *                   a check hangs (a database that does not answer at all): its timers stop then
     * @param listener   told of elections and depositions
     */
    public LeaderLease(DataSource dataSource, long lockKey, String node, Scheduler scheduler, Duration checkEvery,
                       Duration maxSilence, Listener listener) {
        this.clock = scheduler.clock();
        this.maxSilenceMillis = maxSilence.toMillis();
        if (maxSilenceMillis < checkEvery.toMillis()) {
            throw new IllegalArgumentException("maxSilence must be at least checkEvery");
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.lockKey = lockKey;
        this.node = Objects.requireNonNull(node, "node");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arc4j-leader-lease");
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::tick);
        this.ticks = scheduler.scheduleAtFixedRate(checkEvery, () -> {
            watchdog(); // on the scheduler's thread: the lease's own may hang in a check
            thread.execute(this::tick);
        });
    }

    /** @return the epoch this node leads in, or 0 when it is not the leader */
    public long epoch() {
        return epoch;
    }

    /** @return whether this node is the leader as of its last check */
    public boolean isLeader() {
        return epoch != 0;
    }

    /**
     * The fence for an action taken as leader: whether the database still names this node's epoch.
     *
     * @param myEpoch the epoch the action was started in
     * @return true if {@code myEpoch} is the current leader epoch
     */
    public boolean stillLeads(long myEpoch) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT epoch FROM arc4j_leader WHERE id = 1")) {
            return rs.next() && rs.getLong(1) == myEpoch && epoch == myEpoch;
        } catch (SQLException e) {
            return false;
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            if (epoch == 0) {
                tryToLead();
            } else {
                checkStillLeading();
            }
        } catch (SQLException | RuntimeException e) {
            dropConnection();
            if (epoch != 0) {
                LOG.warn("leader lease lost (epoch {}): {}", epoch, e.toString());
                depose();
            }
        }
    }

    /**
     * The leader before this node, as this node found it when it took the lease.
     *
     * @param node         its name
     * @param leaderlessMs how long before this election it was last seen holding the lease (the database's clock),
     *                     milliseconds
     * @param handedOver   whether it gave the lease up on purpose ({@link #handOver}), as a switchover test does
     * @param handBackTo   the node to hand the lease back to once it waits as the standby again, or null
     */
    public record Predecessor(String node, long leaderlessMs, boolean handedOver, String handBackTo) {
    }

    /** @return the leader before this node's election, empty before it or when none was recorded */
    public java.util.Optional<Predecessor> predecessor() {
        return java.util.Optional.ofNullable(predecessor);
    }

    /** @return this node's name */
    public String node() {
        return node;
    }

    /**
     * Gives the lease up on purpose, for a switchover: writes that it handed over (and to whom the next leader is to
     * hand back, if anyone), releases the lock and stops trying to take it again; the listener is told
     * {@code deposed}. Another node takes the lease on its next check.
     *
     * @param handBackTo the node the next leader hands back to once that node waits as the standby, or null
     * @return completes true when handed over, false when this node was not the leader
     */
    public java.util.concurrent.CompletableFuture<Boolean> handOver(String handBackTo) {
        java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
        thread.execute(() -> {
            if (closed || epoch == 0) {
                done.complete(false);
                return;
            }
            try (PreparedStatement s = connection().prepareStatement("UPDATE arc4j_leader SET seen = now(),"
                    + " handed_over = true, hand_back_to = ? WHERE id = 1 AND epoch = ?")) {
                s.setString(1, handBackTo);
                s.setLong(2, epoch);
                s.executeUpdate();
            } catch (SQLException e) {
                LOG.warn("recording the hand-over failed: {}", e.toString());
            }
            closed = true;
            ticks.cancel();
            LOG.info("node {} hands the lease over (epoch {})", node, epoch);
            dropConnection(); // releases the lock with the session's others
            depose();
            done.complete(true);
        });
        return done;
    }

    private void tryToLead() throws SQLException {
        Connection c = connection();
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, lockKey);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        long e;
        // the previous leader's row as it was (the CTE reads the snapshot before the update)
        try (PreparedStatement s = c.prepareStatement("WITH prev AS (SELECT node, seen, handed_over, hand_back_to"
                + " FROM arc4j_leader WHERE id = 1) INSERT INTO arc4j_leader (id, epoch, node, since, seen)"
                + " VALUES (1, 1, ?, now(), now()) ON CONFLICT (id) DO UPDATE SET epoch = arc4j_leader.epoch + 1,"
                + " node = EXCLUDED.node, since = now(), seen = now(), handed_over = false, hand_back_to = NULL"
                + " RETURNING epoch, (SELECT node FROM prev),"
                + " (SELECT (extract(epoch FROM now() - seen) * 1000)::bigint FROM prev),"
                + " (SELECT handed_over FROM prev), (SELECT hand_back_to FROM prev)")) {
            s.setString(1, node);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                e = rs.getLong(1);
                String prev = rs.getString(2);
                long gap = rs.getLong(3);
                boolean seen = !rs.wasNull();
                predecessor = prev == null ? null
                        : new Predecessor(prev, seen ? Math.max(0, gap) : -1, rs.getBoolean(4), rs.getString(5));
            }
        }
        confirmedMillis = clock.millis();
        epoch = e;
        LOG.info("node {} is the leader, epoch {}", node, e);
        listener.elected(e);
    }

    private void checkStillLeading() throws SQLException {
        // the check is also this leader's sign of life, from which the next leader measures the time without one
        try (PreparedStatement s = connection().prepareStatement(
                "UPDATE arc4j_leader SET seen = now() WHERE id = 1 AND epoch = ?")) {
            s.setLong(1, epoch);
            if (s.executeUpdate() != 1) {
                throw new SQLException("another node took the lease");
            }
        }
        confirmedMillis = clock.millis();
    }

    /** Deposes this node when the database has not confirmed it for longer than the allowed silence. */
    private void watchdog() {
        long silent = clock.millis() - confirmedMillis;
        if (epoch != 0 && silent > maxSilenceMillis) {
            LOG.warn("leader lease lost (epoch {}): the database has not confirmed it for {} ms", epoch, silent);
            depose();
        }
    }

    private void depose() {
        long was;
        synchronized (this) {
            was = epoch;
            if (was == 0) {
                return;
            }
            epoch = 0;
        }
        listener.deposed(was);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private void dropConnection() {
        if (connection != null) {
            // a pooled connection goes back to the pool with its session: release the lock held in it first
            try (Statement s = connection.createStatement()) {
                s.execute("SELECT pg_advisory_unlock_all()");
            } catch (SQLException ignored) {
                // the session is gone, and the lock with it
            }
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way
            }
            connection = null;
        }
    }

    /** Gives the lease up (the next node takes it on its next check) and stops. */
    @Override
    public void close() {
        ticks.cancel();
        thread.execute(() -> {
            closed = true;
            if (epoch != 0) {
                depose();
            }
            if (connection != null) {
                try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    s.setLong(1, lockKey);
                    s.execute();
                } catch (SQLException ignored) {
                    // closing the session releases it as well
                }
            }
            dropConnection();
        });
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
