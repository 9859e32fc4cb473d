package org.arc4j.core.store.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.Backup;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.testkit.ChannelOpener;
import org.arc4j.core.store.CompactionReport;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RecoveryReport;
import org.arc4j.core.store.Retention;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.core.store.StoreException;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.time.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's implementation behind {@link org.arc4j.core.store.Journal}, which documents its behaviour. A facade:
 * it opens the directory (taking {@code journal.lock}), wires the parts below together, runs the scheduled
 * maintenance and closes everything in order. Thread-safe.
 *
 * <h2>Parts</h2>
 * <ul>
 * <li>{@link SegmentLog}: the segment files, the active segment's write end, the durable end, reads.</li>
 * <li>{@link Recovery}: scans the directory on open and fills the log (cuts torn tails, quarantines).</li>
 * <li>{@link IndexKeeper}: the query index ({@link TieredIndex}: bounded in memory, older tiers on disk), loaded or
 * rebuilt on open, kept current, saved in the background (every 100,000 records) and on close.</li>
 * <li>{@link FrameTable}: each sealed segment's saved position index, so that an open scans only the active
 * segment.</li>
 * <li>{@link GroupCommit}: the append queue, the writer and the forcer.</li>
 * <li>{@link Subscriptions}: the dispatcher that feeds subscribers (and, when idle, the query index).</li>
 * <li>{@link Compactor} and {@link Backups}: retention and backup/restore, under the maintenance lock.</li>
 * </ul>
 *
 * <h2>Threading model</h2>
 * <table>
 * <caption>Which thread does what</caption>
 * <tr><th>thread</th><th>does</th></tr>
 * <tr><td>callers (any)</td><td>{@code append*} validate and offer to a bounded queue, never block; reads,
 *   replays and queries run on the caller under the log's read lock (they may block on disk I/O); compaction and
 *   backups called directly run on the caller under the maintenance lock.</td></tr>
 * <tr><td>{@code arc4j-journal-writer}</td><td>takes everything queued, encodes it into one buffer and writes it
 *   to the active segment; rotates segments (log's write lock to add the new one). Sole owner of the active
 *   segment's write end. With {@code OS_BUFFERED} it also publishes. Runs the written-callbacks of follow-up appends.</td></tr>
 * <tr><td>{@code arc4j-journal-forcer}</td><td>({@code FORCED} only) forces the segments the writer touched, one
 *   force for many groups, then publishes each group: registers its records in their segments, advances the
 *   volatile durable end, wakes the dispatcher and hands the group's stages to the completion thread. Before a
 *   force it waits (at most 2 ms) for the follow-ups of the appends it covers (see {@link GroupCommit}).</td></tr>
 * <tr><td>{@code arc4j-journal-completions}</td><td>completes the append stages in position order, and so runs their
 *   dependents (receipts, ACKs), off the forcer; bounded, see {@link Completions}.</td></tr>
 * <tr><td>{@code arc4j-journal-subscriptions}</td><td>delivers durable records to subscribers, then, while nothing else is
 *   due, saves the position index of newly sealed segments and catches the query index up (index lock), saving it
 *   when a save is due.</td></tr>
 * <tr><td>{@code arc4j-journal-maintenance}</td><td>(own executor when a scheduler is set and no executor is
 *   given) scheduled compaction and backups; the scheduler's thread only hands them over.</td></tr>
 * </table>
 *
 * <p>Locks, never nested the other way round: the maintenance lock (one compaction or backup at a time, and
 * close waits for the running one) → the index lock ({@link IndexKeeper}, catch-up and save) → the log's
 * read-write lock (segment map) → each {@link Segment}'s monitor (its record offsets) and the
 * {@link QueryIndex}'s monitor. The dispatcher's wake lock is held only to signal or wait. The writer and forcer
 * talk through two bounded queues, not locks.
 *
 * <p>Close: refuse appends and stop the dispatcher's turns, cancel the schedule, wait for running maintenance,
 * let the writer and forcer drain and complete what was queued, stop the dispatcher, force ({@code OS_BUFFERED}),
 * save the segments' position indexes and the query index, then close the files (reads fail with {@link StoreException.Closed} from then on).
 */
public final class JournalEngine implements RecordStore, EventQueries, Retention, Backup {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);

    private final Path dir;
    private final Durability durability;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final RecoveryReport report;
    private final SegmentLog log;
    private final IndexKeeper index;
    private final GroupCommit commit;
    private final Completions completions;
    private final Subscriptions subscriptions;
    private final Compactor compactor;
    private volatile boolean closed;

    private final RetentionPolicy policy;
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final Executor maintenance;
    private final ExecutorService ownMaintenance;
    private final List<Cancellable> scheduled = new ArrayList<>();
    private final Path backupRoot;

    /**
     * Opens (recovering) a journal.
     *
     * @param b its settings
     * @throws IOException if it cannot be opened
     */
    public JournalEngine(Settings b) throws IOException {
        this.dir = b.directory();
        this.durability = b.durability();
        this.clock = b.clock() != null ? b.clock() : b.scheduler() != null ? b.scheduler().clock() : Clock.systemUTC();
        this.policy = b.policy();
        this.backupRoot = b.backupRoot();
        Metrics metrics = b.metrics() == null ? new SimpleMetrics() : b.metrics();
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException inThisJvm) {
            l = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (l == null) {
            lockChannel.close();
            throw new IOException("journal " + dir + " is already open (in this or another process)");
        }
        this.lock = l;
        this.log = new SegmentLog(dir, b.opener());
        try {
            RecoveryReport recovered = Recovery.recover(log);
            this.index = new IndexKeeper(log, dir.resolve("index").resolve("query.idx"), IndexKeeper.SAVE_EVERY_MIN,
                    b.indexInBackground());
            this.report = new RecoveryReport(recovered.segments(), recovered.records(), recovered.tailCuts(),
                    recovered.quarantined(), recovered.removedTemporaries(),
                    b.indexInBackground() ? RecoveryReport.IndexState.LOADING : index.state());
        } catch (IOException | RuntimeException e) {
            log.closeQuietly();
            lock.release();
            lockChannel.close();
            throw e;
        }
        this.compactor = new Compactor(log, index, policy);
        this.subscriptions = new Subscriptions(log, index);
        // stages complete on a thread of their own, in order, so that no dependent runs on the forcer before its
        // next force
        this.completions = new Completions();
        this.commit = new GroupCommit(log, durability, b.segmentBytes(), b.queueCapacity(), metrics, completions,
                subscriptions::wake);
        if (b.scheduler() != null && b.maintenanceExecutor() == null) {
            this.ownMaintenance = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "arc4j-journal-maintenance");
                t.setDaemon(true);
                return t;
            });
            this.maintenance = ownMaintenance;
        } else {
            this.ownMaintenance = null;
            this.maintenance = b.maintenanceExecutor() == null ? Runnable::run : b.maintenanceExecutor();
        }
        if (b.scheduler() != null && b.backupRoot() != null && b.backupEvery() != null) {
            scheduled.add(b.scheduler().scheduleAtFixedRate(b.backupEvery(),
                    () -> maintenance.execute(this::scheduledBackup)));
        }
        if (b.scheduler() != null && b.compactionEvery() != null) {
            scheduled.add(b.scheduler().scheduleAtFixedRate(b.compactionEvery(),
                    () -> maintenance.execute(this::scheduledCompaction)));
        }
    }

    private void scheduledBackup() {
        if (closed) {
            return;
        }
        try {
            BackupManifest m = backupNow("daily");
            LOG.info("journal {}: daily backup of {} files up to position {} taken", dir, m.files().size(),
                    m.nextPosition());
        } catch (RuntimeException e) {
            LOG.error("journal {}: daily backup failed", dir, e);
        }
    }

    private void scheduledCompaction() {
        if (closed) {
            return;
        }
        try {
            CompactionReport r = compact();
            LOG.info("journal {}: compaction removed {} records ({} bytes), rewrote {} and deleted {} segments", dir,
                    r.recordsRemoved(), r.bytesFreed(), r.segmentsRewritten(), r.segmentsDeleted());
        } catch (RuntimeException e) {
            LOG.error("journal {}: scheduled compaction failed; nothing kept was lost, it runs again next time",
                    dir, e);
        }
    }

    /** @return what recovery found and did when this journal opened */
    public RecoveryReport recoveryReport() {
        return report;
    }

    /** @return how the query index was made current, {@code LOADING} while it loads in the background */
    public RecoveryReport.IndexState indexState() {
        return index.state();
    }

    /** @return the durability this journal was opened with */
    public Durability durability() {
        return durability;
    }

    /** @return the journal's directory */
    public Path directory() {
        return dir;
    }

    // ------------------------------------------------------------------ appends and reads

    @Override
    public CompletionStage<Long> append(NewRecord record) {
        return appendAll(List.of(record)).thenApply(p -> p.get(0));
    }

    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
        return commit.appendAll(records);
    }

    /** Rides on the next force another append calls for, at most 20 ms later. See {@link GroupCommit}. */
    @Override
    public CompletionStage<Long> appendUnhurried(NewRecord record) {
        return commit.appendUnhurried(List.of(record)).thenApply(p -> p.get(0));
    }

    /**
     * Tells {@code written} the positions as soon as the writer has written the batch (before it is durable), on the
     * writer thread, and holds the force that covers it until the release is run (at most a few milliseconds), so
     * that the appends issued meanwhile share that force. See {@link GroupCommit}.
     */
    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records,
                                                 java.util.function.BiConsumer<List<Long>, Runnable> written) {
        Objects.requireNonNull(written, "written");
        return commit.appendAll(records, written);
    }

    @Override
    public Optional<StoredRecord> read(long position) {
        return log.read(position);
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        return log.replay(fromPosition, sink);
    }

    /** Typed replay that skips records of other types without reading them (their types are kept in memory). */
    @Override
    public long replay(long fromPosition, Set<RecordType> types, Consumer<StoredRecord> sink) {
        Objects.requireNonNull(sink, "sink");
        int wanted = 0;
        for (RecordType t : types) {
            wanted |= 1 << Frames.code(t);
        }
        return log.replay(fromPosition, wanted, sink);
    }

    @Override
    public Optional<StoredRecord> newest(RecordType type, String subject) {
        Objects.requireNonNull(subject, "subject");
        if (type == RecordType.CONFIG_CHANGE || type == RecordType.CHECKPOINT) {
            return index.newest(type, subject);
        }
        return RecordStore.super.newest(type, subject);
    }

    @Override
    public long nextPosition() {
        return log.durableNext();
    }

    @Override
    public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        if (closed) {
            throw new StoreException.Closed();
        }
        return subscriptions.subscribe(fromPosition, consumer);
    }

    // ------------------------------------------------------------------ queries

    @Override
    public List<StoredRecord> events(EventQuery query) {
        Objects.requireNonNull(query, "query");
        return index.events(query);
    }

    @Override
    public List<StoredCaseState> casesIn(String state) {
        Objects.requireNonNull(state, "state");
        return index.casesIn(state);
    }

    @Override
    public Optional<StoredCaseState> caseState(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        return index.caseState(caseId);
    }

    // ------------------------------------------------------------------ retention and backup

    @Override
    public RetentionPolicy retentionPolicy() {
        return policy;
    }

    @Override
    public CompactionReport compact() {
        maintenanceLock.lock();
        try {
            if (closed) {
                throw new StoreException.Closed();
            }
            return compactor.compact(clock);
        } finally {
            maintenanceLock.unlock();
        }
    }

    @Override
    public BackupManifest backup(Path target, String reason) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
        maintenanceLock.lock();
        try {
            if (closed) {
                throw new StoreException.Closed();
            }
            return Backups.take(log, target, reason, clock);
        } finally {
            maintenanceLock.unlock();
        }
    }

    /**
     * Takes a backup into the configured backup directory (the configured backup root), in a new sub-directory named
     * by the time and reason, e.g. before and after a configuration change.
     *
     * @param reason why, recorded in the manifest and the directory name
     * @return its manifest
     * @throws IllegalStateException if no backup directory is configured
     */
    public BackupManifest backupNow(String reason) {
        if (backupRoot == null) {
            throw new IllegalStateException("no backup directory configured");
        }
        return backup(Backups.newTarget(backupRoot, clock.instant(), reason), reason);
    }

    @Override
    public BackupManifest verify(Path backup) {
        return Backups.verify(backup);
    }

    /**
     * Restores a backup into an empty journal directory; see {@link Backups#restore}.
     *
     * @param backup     the backup directory
     * @param journalDir the directory to restore into: must not exist or be empty
     * @return the manifest restored
     */
    public static BackupManifest restore(Path backup, Path journalDir) {
        return Backups.restore(backup, journalDir);
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        commit.stopAccepting();
        subscriptions.stop();
        for (Cancellable c : scheduled) {
            c.cancel();
        }
        // waits for a running compaction or backup; later ones see closed
        maintenanceLock.lock();
        maintenanceLock.unlock();
        if (ownMaintenance != null) {
            ownMaintenance.shutdown();
        }
        commit.close();
        completions.close();
        subscriptions.close();
        boolean failed = commit.failure() != null;
        if (!failed && durability == Durability.OS_BUFFERED) {
            try {
                log.forceActive();
            } catch (IOException e) {
                LOG.error("journal {}: final force failed", dir, e);
                failed = true;
            }
        }
        if (!failed) {
            log.saveFrameTables();
            index.save();
        }
        log.release();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("journal {}: releasing the lock failed", dir, e);
        }
    }
}
