package org.arc4j.core.store;

import org.arc4j.core.testkit.ChannelOpener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.store.internal.JournalEngine;
import org.arc4j.core.store.internal.Settings;
import org.arc4j.core.time.Scheduler;

/**
 * The embedded event journal: the default {@link RecordStore} every centre gets without installing anything
 * (GA 1383 记录存储与播放: alarm and handling records kept; 服务质量: missed alarms 0).
 *
 * <h2>Files</h2>
 * A directory of append-only segment files named by the first position they may hold
 * ({@code 00000000000000000001.seg}), each with a 24-byte header and then record frames carrying length, type,
 * version, position, time, subject, payload and a CRC32C (see the package documentation for the exact layout).
 * A segment is sealed when the next batch would make it larger than {@link Builder#segmentBytes}; only sealed
 * segments are compacted. A {@code journal.lock} file keeps a second process out.
 *
 * <h2>Appends and group commit</h2>
 * {@link #append} and {@link #appendAll} never block: they put the records on a bounded queue and return. A writer
 * thread takes everything queued and writes it with one {@code write}; with {@link Durability#FORCED} (the
 * default) a forcer thread then forces everything written since its last force with one
 * {@code FileChannel.force} and only then completes those stages, while the writer already writes the next
 * group. Many appends share one force, and every completion means "on disk". When the queue is full the stage
 * fails at once with {@link StoreException.Full} so that the intake can refuse (the device retries). After a
 * failed write or force every later append fails with {@link StoreException.Failed} until the journal is
 * reopened. Completions run, in position order, on the journal's completion thread, not on the forcer, so they
 * never hold up the next force; still, dependent stages must be short and must never wait for another append (a
 * backlog of 4,096 groups makes the forcer wait for them).
 *
 * <h2>Recovery</h2>
 * On open the journal reads every segment and checks every frame: a torn or corrupt tail of the last segment
 * is cut (it was never forced, hence never acknowledged), an incomplete atomic batch at the tail with it; a
 * corrupt region with valid records after it is quarantined (copied to {@code quarantine/}, reported in
 * {@link #recoveryReport()}, logged, skipped) and the records after it stay readable. Reads check every
 * frame's CRC32C again.
 *
 * <h2>Queries, retention, backup</h2>
 * {@link EventQueries} are served by an in-memory index (about 40 bytes an event, plus 16 bytes a record for the
 * position index) kept current in the background and saved to {@code index/query.idx} on close; it is caught up
 * or rebuilt from the log on open when missing or stale. {@link Retention}: compaction rewrites sealed segments
 * without their expired records (temporary file, force, atomic rename), on the {@link Builder#scheduler}
 * daily by default. {@link Backup}: online backups with a SHA-256 manifest, daily with {@link Builder#backupTo}
 * and on demand ({@link #backupNow}); {@link #restore} verifies before it restores.
 *
 * <p>Limits of this embedded store: opening reads and checks every segment (time grows with the journal's size)
 * and the indexes live in memory; a centre with tens of millions of records in retention is better served by a
 * database-backed store implementing the same interfaces.
 *
 * <p>Thread-safe. Readers ({@link #read}, {@link #replay}, queries) may block on disk I/O and belong on worker
 * threads. After {@link #close()} every call fails with {@link StoreException.Closed}.
 */
public final class Journal implements RecordStore, EventQueries, Retention, Backup {
    private final JournalEngine engine;

    private Journal(JournalEngine engine) {
        this.engine = engine;
    }

    /**
     * A builder for a journal in {@code directory} (created if missing).
     *
     * @param directory the journal's own directory
     * @return the builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Opens (recovering if needed) a journal with default settings: forced durability, 32 MiB segments.
     *
     * @param directory the journal's own directory
     * @return the open journal
     * @throws UncheckedIOException if it cannot be opened
     */
    public static Journal open(Path directory) {
        return builder(directory).open();
    }

    /**
     * Restores a backup into an empty journal directory after checking every file against the manifest's SHA-256,
     * and checks the copies again. Open the journal afterwards; its recovery then rebuilds the query index. Until
     * the restore has finished, a {@code RESTORING} marker in the directory keeps the journal from opening a
     * partial copy (after a crash, restore again into an empty directory).
     *
     * @param backup     the backup directory
     * @param journalDir the directory to restore into: must not exist or be empty
     * @return the manifest restored
     * @throws StoreException.BackupCorrupt if the backup or a copy fails its checksum (nothing is left in
     *                                      {@code journalDir} then)
     * @throws UncheckedIOException         if copying fails
     */
    public static BackupManifest restore(Path backup, Path journalDir) {
        return JournalEngine.restore(backup, journalDir);
    }

    /** @return what recovery found and did when this journal opened */
    public RecoveryReport recoveryReport() {
        return engine.recoveryReport();
    }

    /**
     * How the query index was made current: {@link RecoveryReport.IndexState#LOADING} while it loads in the
     * background ({@link Builder#indexInBackground}), then what loading did.
     *
     * @return the index's state now
     */
    public RecoveryReport.IndexState indexState() {
        return engine.indexState();
    }

    /** @return the durability this journal was opened with */
    public Durability durability() {
        return engine.durability();
    }

    /** @return the journal's directory */
    public Path directory() {
        return engine.directory();
    }

    @Override
    public CompletionStage<Long> append(NewRecord record) {
        return engine.append(record);
    }

    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
        return engine.appendAll(records);
    }

    /** {@inheritDoc} Here it waits at most 20 ms for another append's force. */
    @Override
    public CompletionStage<Long> appendUnhurried(NewRecord record) {
        return engine.appendUnhurried(record);
    }

    /**
     * {@inheritDoc} Here {@code written} runs on the writer thread once the batch is written, and the forcer waits
     * up to 2 ms for the release before the force that covers the batch (counted in
     * {@code journal.followups.late} when it forces without them).
     */
    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records,
                                                 java.util.function.BiConsumer<List<Long>, Runnable> written) {
        return engine.appendAll(records, written);
    }

    @Override
    public Optional<StoredRecord> read(long position) {
        return engine.read(position);
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        return engine.replay(fromPosition, sink);
    }

    @Override
    public long replay(long fromPosition, Set<RecordType> types, Consumer<StoredRecord> sink) {
        return engine.replay(fromPosition, types, sink);
    }

    /** Answered from the query index for CONFIG_CHANGE and CHECKPOINT records, without a replay. */
    @Override
    public Optional<StoredRecord> newest(RecordType type, String subject) {
        return engine.newest(type, subject);
    }

    @Override
    public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        return engine.subscribe(fromPosition, consumer);
    }

    @Override
    public long nextPosition() {
        return engine.nextPosition();
    }

    @Override
    public List<StoredRecord> events(EventQuery query) {
        return engine.events(query);
    }

    @Override
    public List<StoredCaseState> casesIn(String state) {
        return engine.casesIn(state);
    }

    @Override
    public Optional<StoredCaseState> caseState(String caseId) {
        return engine.caseState(caseId);
    }

    @Override
    public RetentionPolicy retentionPolicy() {
        return engine.retentionPolicy();
    }

    @Override
    public CompactionReport compact() {
        return engine.compact();
    }

    @Override
    public BackupManifest backup(Path target, String reason) {
        return engine.backup(target, reason);
    }

    /**
     * Takes a backup into the configured backup directory ({@link Builder#backupTo}), in a new sub-directory named
     * by the time and reason, e.g. before and after a configuration change (GA 1383 数据维护).
     *
     * @param reason why, recorded in the manifest and the directory name
     * @return its manifest
     * @throws IllegalStateException if no backup directory is configured
     */
    public BackupManifest backupNow(String reason) {
        return engine.backupNow(reason);
    }

    @Override
    public BackupManifest verify(Path backup) {
        return engine.verify(backup);
    }

    /** Completes pending appends, saves the query index, then releases files and threads. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    // ------------------------------------------------------------------ builder

    /** Settings of a journal. Not thread-safe; {@link #open()} may be called once per journal. */
    public static final class Builder {
        private final Path directory;
        private Durability durability = Durability.FORCED;
        private long segmentBytes = 32L * 1024 * 1024;
        private int queueCapacity = 65_536;
        private ChannelOpener opener = ChannelOpener.DEFAULT;
        private Clock clock;
        private Metrics metrics;
        private RetentionPolicy policy = RetentionPolicy.ga1383();
        private Scheduler scheduler;
        private Duration compactionEvery = Duration.ofDays(1);
        private Executor maintenanceExecutor;
        private Path backupRoot;
        private Duration backupEvery;
        private boolean indexInBackground;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** @param d when appends complete; default {@link Durability#FORCED} @return this */
        public Builder durability(Durability d) {
            this.durability = Objects.requireNonNull(d, "durability");
            return this;
        }

        /**
         * @param bytes the size at which a segment is sealed, 4 KiB to 1 GiB; default 32 MiB. A batch never spans
         *              segments, so it also bounds the size of one atomic batch.
         * @return this
         */
        public Builder segmentBytes(long bytes) {
            if (bytes < 4096 || bytes > (1L << 30)) {
                throw new IllegalArgumentException("segment size must be 4 KiB..1 GiB: " + bytes);
            }
            this.segmentBytes = bytes;
            return this;
        }

        /**
         * @param appends how many appends (single or batch) may wait for the writer; default 65536. When full,
         *                appends fail with {@link StoreException.Full}.
         * @return this
         */
        public Builder queueCapacity(int appends) {
            if (appends < 1) {
                throw new IllegalArgumentException("queue capacity must be positive: " + appends);
            }
            this.queueCapacity = appends;
            return this;
        }

        /** @param o how files are opened (fault injection in tests) @return this */
        public Builder channelOpener(ChannelOpener o) {
            this.opener = Objects.requireNonNull(o, "opener");
            return this;
        }

        /**
         * @param c the centre's clock (retention ages, backup names); default the scheduler's clock, else the UTC
         *          system clock
         * @return this
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @param p the retention policy; default {@link RetentionPolicy#ga1383()} @return this */
        public Builder retention(RetentionPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /**
         * @param s the scheduler that runs compaction (and backups) periodically; without one, nothing runs unless
         *          called
         * @return this
         */
        public Builder scheduler(Scheduler s) {
            this.scheduler = Objects.requireNonNull(s, "scheduler");
            return this;
        }

        /** @param every how often compaction runs on the scheduler (default daily), or null for never @return this */
        public Builder compactionEvery(Duration every) {
            if (every != null && (every.isZero() || every.isNegative())) {
                throw new IllegalArgumentException("period must be positive: " + every);
            }
            this.compactionEvery = every;
            return this;
        }

        /**
         * @param e where scheduled compaction and backups run; default a thread of the journal's own (the scheduler's
         *          thread is for short tasks only)
         * @return this
         */
        public Builder maintenanceExecutor(Executor e) {
            this.maintenanceExecutor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /**
         * Where {@link Journal#backupNow} and the scheduled backups go, and how often the scheduler takes one
         * (GA 1383 数据维护: alarm data daily). Old backups are not pruned: that is the operator's retention decision.
         *
         * @param root  the backup root directory (ideally another disk or host)
         * @param every how often, e.g. one day; null for on demand only
         * @return this
         */
        public Builder backupTo(Path root, Duration every) {
            if (every != null && (every.isZero() || every.isNegative())) {
                throw new IllegalArgumentException("period must be positive: " + every);
            }
            this.backupRoot = Objects.requireNonNull(root, "root");
            this.backupEvery = every;
            return this;
        }

        /**
         * Loads the query index on a thread of its own instead of in {@link #open()}, so that a centre with a long
         * history takes and acknowledges alarms (appends, reads, replays, {@link RecordStore#newest}) before its
         * index is ready. Until then {@link Journal#indexState()} is {@link RecoveryReport.IndexState#LOADING} and
         * the queries ({@link EventQueries}) wait for it; {@code newest} reads the log backwards (only the records
         * of the type asked for). Default false: the index is ready when {@code open} returns.
         *
         * @param background whether to load it in the background
         * @return this
         */
        public Builder indexInBackground(boolean background) {
            this.indexInBackground = background;
            return this;
        }

        /** @param m where appends, refusals and force latency are counted @return this */
        public Builder metrics(Metrics m) {
            this.metrics = Objects.requireNonNull(m, "metrics");
            return this;
        }

        /**
         * Opens the journal, recovering it first.
         *
         * @return the open journal
         * @throws UncheckedIOException if it cannot be opened (e.g. it is open in another process)
         */
        public Journal open() {
            try {
                return new Journal(new JournalEngine(new Settings(directory, durability, segmentBytes, queueCapacity,
                        opener, clock, metrics, policy, scheduler, compactionEvery, maintenanceExecutor, backupRoot,
                        backupEvery, indexInBackground)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open journal " + directory, e);
            }
        }
    }
}
