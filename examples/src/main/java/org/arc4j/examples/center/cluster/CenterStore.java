package org.arc4j.examples.center.cluster;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.store.Backup;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.Retention;
import org.arc4j.core.store.postgres.PostgresStore;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.http.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the reference centre keeps its records: the embedded {@link Journal} (one machine, the default) or a
 * PostgreSQL database shared by an active/standby pair of centres ({@code --store postgresql://…}).
 *
 * <p>On PostgreSQL only the node that holds the {@link LeaderLease} runs the centre: {@link #postgres} blocks until
 * this node is elected (a standby waits there, receiving nothing, so panels fail over to the node that answers).
 * When the leader stops or dies its lease ends with its database session and the standby is elected within one
 * check interval; it then starts the centre from the database (open cases and their timers recovered as after a
 * restart). A leader that loses its lease (the database unreachable, or another node took over) is told through
 * {@code deposed}: the centre exits, and its appends are refused by the database meanwhile, because every append
 * is fenced by the leader epoch it was elected in ({@link PostgresStore#fenced(long)}).
 *
 * <p>Every node listens for the others' commits ({@link RecordNotifier}), so subscriptions on a node see records
 * appended elsewhere at once rather than at their next poll.
 *
 * <p>Online backups are the journal's; on PostgreSQL the database's own (base backup and WAL archive, or a
 * streaming standby) do that job, and {@link #backup()} refuses with HTTP 409.
 *
 * <p>Thread-safe; closed once by the centre.
 */
public final class CenterStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CenterStore.class);
    /** The advisory lock key of the centre's leader lease (one centre per database schema). */
    public static final long LEASE_KEY = 0x4152_4334_4A00_0002L;

    private final RecordStore records;
    private final EventQueries queries;
    private final Retention retention;
    private final Backup backup;
    private final boolean onlineBackups;
    private final String description;
    private final long epoch;
    private final List<AutoCloseable> resources;
    private LeaderLease lease;
    private javax.sql.DataSource pool;
    private long electedNanos;

    private CenterStore(RecordStore records, EventQueries queries, Retention retention, Backup backup,
                        boolean onlineBackups, String description, long epoch, List<AutoCloseable> resources) {
        this.records = records;
        this.queries = queries;
        this.retention = retention;
        this.backup = backup;
        this.onlineBackups = onlineBackups;
        this.description = description;
        this.epoch = epoch;
        this.resources = resources;
    }

    /**
     * The embedded journal with its daily backup.
     *
     * @param dir       the journal directory
     * @param scheduler the centre's scheduler
     * @param metrics   the centre's metrics
     * @param backups   where the daily backups go
     * @return the store
     */
    public static CenterStore journal(Path dir, Scheduler scheduler, Metrics metrics, Path backups) {
        Journal j = Journal.builder(dir).scheduler(scheduler).metrics(metrics)
                // daily backups are taken by Maintenance, with the vault and key (GA 1383 数据维护)
                // the query index of a long history loads while the centre already takes and ACKs alarms
                .indexInBackground(true)
                .queueCapacity(1 << 16).open();
        return new CenterStore(j, j, j, j, true, "journal " + dir, 0, List.of(j));
    }

    /**
     * Opens the PostgreSQL store and waits until this node leads; blocks for as long as another node leads.
     *
     * @param url        the database
     * @param node       this node's name (written with its epoch; in the database's {@code application_name})
     * @param scheduler  drives the lease's checks
     * @param checkEvery how often the lease is tried or checked (takeover within about this)
     * @param terminal   told when this node waits as the standby and when it takes over
     * @param deposed    told the epoch when this node, once the leader, loses the lease (on the lease's thread)
     * @return the store, fenced by this node's epoch
     * @throws InterruptedException if interrupted while waiting as the standby
     */
    public static CenterStore postgres(PostgresStoreUrl url, String node, Scheduler scheduler, Duration checkEvery,
                                       PrintStream terminal, LongConsumer deposed) throws InterruptedException {
        Objects.requireNonNull(deposed, "deposed");
        List<AutoCloseable> resources = new ArrayList<>();
        HikariDataSource pool = url.pool("arc4j-" + node, 10, "arc4j-" + node);
        resources.add(pool);
        try {
            PostgresStore store = PostgresStore.builder(pool).open();
            resources.add(0, store);
            try {
                RecordNotifier.install(pool);
            } catch (java.sql.SQLException e) {
                throw new org.arc4j.core.store.StoreException.Failed("cannot install the commit notification", e);
            }
            resources.add(0, new RecordNotifier(pool, store));
            CompletableFuture<Long> elected = new CompletableFuture<>();
            LeaderLease lease = new LeaderLease(pool, LEASE_KEY, node, scheduler, checkEvery,
                    new LeaderLease.Listener() {
                        @Override
                        public void elected(long epoch) {
                            elected.complete(epoch);
                        }

                        @Override
                        public void deposed(long epoch) {
                            if (elected.isDone()) {
                                deposed.accept(epoch);
                            }
                        }
                    });
            // closed in this order: the store commits what is queued, then the lease goes to the standby
            resources.add(2, lease);
            long epoch;
            try {
                if (!elected.isDone()) {
                    terminal.println("arc4j-center: standby: another node holds the leader lease of " + url
                            + "; waiting to take over");
                    terminal.flush();
                }
                epoch = elected.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            terminal.println("arc4j-center: leader of " + url + " (node " + node + ", epoch " + epoch + ")");
            terminal.flush();
            LOG.info("node {} leads with epoch {}", node, epoch);
            long electedNanos = System.nanoTime();
            PostgresStore fenced = store.fenced(epoch);
            CenterStore cs = new CenterStore(fenced, fenced, fenced, new Refused(), false,
                    "PostgreSQL " + url + " (epoch " + epoch + ")", epoch, resources);
            cs.lease = lease;
            cs.pool = pool;
            cs.electedNanos = electedNanos;
            return cs;
        } catch (InterruptedException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * Starts the switchover evidence of this leader ({@link Switchovers}) and records the takeover that made it the
     * leader; call once the centre answers again, so that the time recorded is the time it did not.
     *
     * @param clock     the centre's clock
     * @param scheduler drives the scheduled test and the hand-back
     * @param every     the longest time between two switchovers before a test is started (at most 30 days)
     * @return the switchovers (the caller closes them), empty on the journal
     */
    public Optional<Switchovers> switchovers(java.time.Clock clock, Scheduler scheduler, Duration every) {
        if (lease == null) {
            return Optional.empty();
        }
        Switchovers s = new Switchovers(lease, pool, records, clock, scheduler, every);
        s.recordTakeover(electedNanos).whenComplete((x, e) -> {
            if (e != null) {
                LOG.warn("the takeover could not be recorded as a switchover", e);
            }
        });
        return Optional.of(s);
    }

    /** @return the records: every part of the centre appends and reads here */
    public RecordStore records() {
        return records;
    }

    /** @return the event and case queries */
    public EventQueries queries() {
        return queries;
    }

    /** @return the retention (policy and compaction) */
    public Retention retention() {
        return retention;
    }

    /** @return online backups: the journal's, or on PostgreSQL one that refuses with HTTP 409 */
    public Backup backup() {
        return backup;
    }

    /** @return whether {@link #backup()} takes backups (false on PostgreSQL) */
    public boolean onlineBackups() {
        return onlineBackups;
    }

    /** @return the leader epoch this node runs in on PostgreSQL, 0 on the journal */
    public long epoch() {
        return epoch;
    }

    /** @return what and where it is, for the start lines (never a password) */
    @Override
    public String toString() {
        return description;
    }

    /** Commits what is queued and closes the store, gives up the lease (the standby takes over), closes the pool. */
    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable a : resources) {
            try {
                a.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", a.getClass().getSimpleName(), e);
            }
        }
    }

    /** The backups of a centre on PostgreSQL: the database's, not the centre's. */
    private static final class Refused implements Backup {
        private static final String WHY = "online backups of a centre on PostgreSQL are the database's own"
                + " (pg_basebackup with WAL archiving, or a streaming standby); the centre takes none";

        @Override
        public BackupManifest backup(Path target, String reason) {
            throw new ApiException(409, WHY);
        }

        @Override
        public BackupManifest verify(Path backup) {
            throw new ApiException(409, WHY);
        }
    }
}
