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
 * <p>Thread-safe; the listener is called on the lease's own thread, one call at a time.
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
        this.ticks = scheduler.scheduleAtFixedRate(checkEvery, () -> thread.execute(this::tick));
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
        try (PreparedStatement s = c.prepareStatement("INSERT INTO arc4j_leader (id, epoch, node, since)"
                + " VALUES (1, 1, ?, now()) ON CONFLICT (id) DO UPDATE SET epoch = arc4j_leader.epoch + 1,"
                + " node = EXCLUDED.node, since = now() RETURNING epoch")) {
            s.setString(1, node);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                e = rs.getLong(1);
            }
        }
        epoch = e;
        LOG.info("node {} is the leader, epoch {}", node, e);
        listener.elected(e);
    }

    private void checkStillLeading() throws SQLException {
        try (Statement s = connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT epoch FROM arc4j_leader WHERE id = 1")) {
            if (!rs.next() || rs.getLong(1) != epoch) {
                throw new SQLException("another node took the lease");
            }
        }
    }

    private void depose() {
        long was = epoch;
        epoch = 0;
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
