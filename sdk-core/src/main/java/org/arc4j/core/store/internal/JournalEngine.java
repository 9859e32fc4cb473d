package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.metrics.Timer;
import org.arc4j.core.store.Backup;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.ChannelOpener;
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
 * The journal's implementation behind {@link org.arc4j.core.store.Journal}, which documents its behaviour: segment
 * files, group commit with a writer and a forcer thread, recovery, the query index, compaction and backups.
 * Thread-safe.
 */
public final class JournalEngine implements RecordStore, EventQueries, Retention, Backup {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);
    /** Marks a directory a restore is still writing. */
    private static final String RESTORING = "RESTORING";
    private static final Pending POISON = new Pending(List.of(), new byte[0][], 0);

    private final Path dir;
    private final Durability durability;
    private final long segmentBytes;
    private final int queueCapacity;
    private final ChannelOpener opener;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final RecoveryReport report;
    private final Path indexFile;
    private final QueryIndex queryIndex;
    private final Object indexLock = new Object();

    private final ReentrantReadWriteLock segmentsLock = new ReentrantReadWriteLock();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment active;
    private long assignNext;
    private volatile long durableNext;
    private volatile StoreException failure;
    private volatile boolean closed;
    /** Set once the files are closed: reads then fail with {@link StoreException.Closed}. */
    private volatile boolean released;

    private final ArrayBlockingQueue<Pending> queue;
    private final Thread writer;
    /** Groups written and not yet forced; small, so the writer runs at most a few forces ahead. */
    private final ArrayBlockingQueue<Group> forceQueue = new ArrayBlockingQueue<>(4);
    private final Thread forcer;
    private long activeEnd;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

    private final List<Sub> subscriptions = new CopyOnWriteArrayList<>();
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private final Condition dispatchWake = dispatchLock.newCondition();
    private final Thread dispatcher;

    private final RetentionPolicy policy;
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final Executor maintenance;
    private final ExecutorService ownMaintenance;
    private final List<Cancellable> scheduled = new ArrayList<>();
    private final Path backupRoot;

    private final Counter appended;
    private final Counter refusedFull;
    private final Timer forceTimer;

    /**
     * Opens (recovering) a journal.
     *
     * @param b its settings
     * @throws IOException if it cannot be opened
     */
    public JournalEngine(Settings b) throws IOException {
        this.dir = b.directory();
        this.durability = b.durability();
        this.segmentBytes = b.segmentBytes();
        this.queueCapacity = b.queueCapacity();
        this.opener = b.opener();
        this.clock = b.clock() != null ? b.clock() : b.scheduler() != null ? b.scheduler().clock() : Clock.systemUTC();
        this.policy = b.policy();
        this.backupRoot = b.backupRoot();
        Metrics metrics = b.metrics() == null ? new SimpleMetrics() : b.metrics();
        this.appended = metrics.counter("journal.appends");
        this.refusedFull = metrics.counter("journal.refused", "reason", "full");
        this.forceTimer = metrics.timer("journal.force");
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException inThisJvm) {
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
        this.indexFile = dir.resolve("index").resolve("query.idx");
        try {
            RecoveryReport recovered = recover();
            RecoveryReport.IndexState[] state = new RecoveryReport.IndexState[1];
            this.queryIndex = loadIndex(state);
            this.report = new RecoveryReport(recovered.segments(), recovered.records(), recovered.tailCuts(),
                    recovered.quarantined(), recovered.removedTemporaries(), state[0]);
        } catch (IOException | RuntimeException e) {
            for (Segment s : segments.values()) {
                s.closeQuietly();
            }
            lock.release();
            lockChannel.close();
            throw e;
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::writeLoop, "arc4j-journal-writer");
        this.writer.setDaemon(true);
        this.dispatcher = new Thread(this::dispatchLoop, "arc4j-journal-subscriptions");
        this.dispatcher.setDaemon(true);
        if (durability == Durability.FORCED) {
            this.forcer = new Thread(this::forceLoop, "arc4j-journal-forcer");
            this.forcer.setDaemon(true);
            this.forcer.start();
        } else {
            this.forcer = null;
        }
        this.activeEnd = active.size();
        this.writer.start();
        this.dispatcher.start();
        if (b.scheduler() != null && b.maintenanceExecutor() == null) {
            this.ownMaintenance = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
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

    /** @return the durability this journal was opened with */
    public Durability durability() {
        return durability;
    }

    /** @return the journal's directory */
    public Path directory() {
        return dir;
    }

    // ------------------------------------------------------------------ recovery

    private RecoveryReport recover() throws IOException {
        if (Files.exists(dir.resolve(RESTORING))) {
            throw new IOException("journal " + dir + " is an unfinished restore (" + RESTORING
                    + " present); restore it again into an empty directory");
        }
        List<RecoveryReport.TailCut> cuts = new ArrayList<>();
        List<RecoveryReport.Quarantined> quarantined = new ArrayList<>();
        List<String> temporaries = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(files::add);
        }
        List<Long> bases = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (n.endsWith(".tmp")) {
                Files.delete(f);
                temporaries.add(n);
            } else if (n.matches("\\d{20}\\.seg")) {
                bases.add(Long.parseLong(n.substring(0, 20)));
            }
        }
        bases.sort(null);
        if (!bases.isEmpty()) {
            long base = bases.get(bases.size() - 1);
            Path p = dir.resolve(Segment.name(base));
            byte[] head = new byte[Frames.HEADER];
            int n;
            try (java.io.InputStream in = Files.newInputStream(p)) {
                n = in.readNBytes(head, 0, head.length);
            }
            if (!Frames.validHeader(head, n, base)) {
                // the crash tore the creation of this segment: nothing in it was ever acknowledged
                long size = Files.size(p);
                Files.delete(p);
                forceDirectory();
                bases.remove(bases.size() - 1);
                cuts.add(new RecoveryReport.TailCut(p.getFileName().toString(), 0, size));
                LOG.warn("journal {}: removed segment {} with a torn header ({} bytes)", dir, p.getFileName(), size);
            }
        }
        long last = 0;
        long records = 0;
        Segment writableTail = null;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean isLast = i == bases.size() - 1;
            Path p = dir.resolve(Segment.name(base));
            long fileSize = Files.size(p);
            if (fileSize > Integer.MAX_VALUE) {
                throw new IOException("segment too large: " + p);
            }
            byte[] data = Files.readAllBytes(p);
            int len = data.length;
            if (!Frames.validHeader(data, len, base)) {
                quarantined.add(quarantine(p, data, 0, len, last + 1, base - 1));
                segments.put(base, new Segment(p, base, opener.open(p, StandardOpenOption.READ), len));
                continue;
            }
            SegmentScan scan = SegmentScan.scan(data, len, last, isLast);
            for (SegmentScan.Region r : scan.corrupt) {
                quarantined.add(quarantine(p, data, r.offset(), r.length(), r.lastGoodPosition() + 1,
                        r.nextGoodPosition() - 1));
            }
            FileChannel ch = isLast
                    ? opener.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : opener.open(p, StandardOpenOption.READ);
            if (isLast && scan.validEnd < len) {
                ch.truncate(scan.validEnd);
                ch.force(true);
                cuts.add(new RecoveryReport.TailCut(p.getFileName().toString(), scan.validEnd, len - scan.validEnd));
                LOG.warn("journal {}: cut a torn tail of {} bytes at offset {} of {}", dir, len - scan.validEnd,
                        scan.validEnd, p.getFileName());
            }
            Segment s = new Segment(p, base, ch, scan.validEnd);
            for (long[] f : scan.frames) {
                s.add(f[2], f[0], (int) f[1]);
            }
            records += scan.frames.size();
            last = scan.lastPosition;
            segments.put(base, s);
            if (isLast) {
                writableTail = s;
            }
        }
        long next = last + 1;
        if (segments.isEmpty()) {
            active = createSegment(1);
        } else {
            Segment tail = segments.lastEntry().getValue();
            if (tail == writableTail) {
                next = Math.max(next, tail.base());
                active = tail;
            } else {
                next = Math.max(next, tail.base() + 1);
                active = createSegment(next);
            }
        }
        for (Segment seg : segments.values()) {
            if (seg != active) {
                seg.sealedBefore(1);
            }
        }
        assignNext = next;
        durableNext = next;
        return new RecoveryReport(segments.size(), records, cuts, quarantined, temporaries,
                RecoveryReport.IndexState.REBUILT);
    }

    private RecoveryReport.Quarantined quarantine(Path segment, byte[] data, int off, int len, long first,
                                                  long lastMissing) throws IOException {
        Path qdir = dir.resolve("quarantine");
        Files.createDirectories(qdir);
        Path copy = qdir.resolve(segment.getFileName() + "@" + off + ".bin");
        if (!Files.exists(copy)) {
            Files.write(copy, java.util.Arrays.copyOfRange(data, off, off + len));
        }
        LOG.error("journal {}: corrupt region of {} bytes at offset {} of {} quarantined to {}; positions {}..{} "
                + "may be missing, the records after it stay readable", dir, len, off, segment.getFileName(), copy,
                first, lastMissing);
        return new RecoveryReport.Quarantined(segment.getFileName().toString(), off, len, first, lastMissing, copy);
    }

    private Segment createSegment(long base) throws IOException {
        Path p = dir.resolve(Segment.name(base));
        FileChannel ch = opener.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer h = Frames.header(base);
        while (h.hasRemaining()) {
            ch.write(h);
        }
        ch.force(true);
        forceDirectory();
        Segment s = new Segment(p, base, ch, Frames.HEADER);
        segmentsLock.writeLock().lock();
        try {
            segments.put(base, s);
        } finally {
            segmentsLock.writeLock().unlock();
        }
        return s;
    }

    private void forceDirectory() throws IOException {
        forceDirectory(dir);
    }

    private static void forceDirectory(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory; its entries are then made durable by the file system
            if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                return;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ query index

    private QueryIndex loadIndex(RecoveryReport.IndexState[] state) {
        Optional<QueryIndex.Loaded> loaded = QueryIndex.load(indexFile);
        if (loaded.isPresent() && matchesLog(loaded.get())) {
            QueryIndex q = loaded.get().index();
            state[0] = q.covered() == durableNext ? RecoveryReport.IndexState.LOADED
                    : RecoveryReport.IndexState.CAUGHT_UP;
            catchUp(q);
            return q;
        }
        LOG.info("journal {}: query index {}, rebuilding it from the log", dir,
                loaded.isPresent() ? "does not match the log" : "missing or unreadable");
        QueryIndex q = new QueryIndex();
        catchUp(q);
        state[0] = RecoveryReport.IndexState.REBUILT;
        return q;
    }

    /** Whether a saved index describes a prefix of the log as it is now (no compaction, no cut below it). */
    private boolean matchesLog(QueryIndex.Loaded l) {
        if (l.index().covered() > durableNext) {
            return false;
        }
        List<long[]> saved = l.segments();
        for (int i = 0; i < saved.size(); i++) {
            Segment s = segments.get(saved.get(i)[0]);
            if (s == null) {
                return false;
            }
            boolean sealedThen = i < saved.size() - 1;
            if (sealedThen ? s.size() != saved.get(i)[1] : s.size() < saved.get(i)[1]) {
                return false;
            }
        }
        return !saved.isEmpty() && segments.firstKey() == saved.get(0)[0];
    }

    private void catchUp(QueryIndex q) {
        synchronized (indexLock) {
            long end = replay(q.covered(), q::accept);
            q.coveredTo(end);
        }
    }

    private List<long[]> segmentSizes() {
        segmentsLock.readLock().lock();
        try {
            List<long[]> out = new ArrayList<>();
            for (Segment s : segments.values()) {
                out.add(new long[] {s.base(), s.size()});
            }
            return out;
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    private void saveIndex() {
        synchronized (indexLock) {
            try {
                catchUp(queryIndex);
                queryIndex.save(indexFile, segmentSizes());
            } catch (IOException | RuntimeException e) {
                LOG.warn("journal {}: saving the query index failed; it will be rebuilt from the log", dir, e);
            }
        }
    }

    @Override
    public List<StoredRecord> events(EventQuery query) {
        Objects.requireNonNull(query, "query");
        catchUp(queryIndex);
        List<StoredRecord> out = new ArrayList<>();
        for (long p : queryIndex.query(query)) {
            read(p).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public List<StoredCaseState> casesIn(String state) {
        Objects.requireNonNull(state, "state");
        catchUp(queryIndex);
        return queryIndex.casesIn(state);
    }

    @Override
    public Optional<StoredCaseState> caseState(String caseId) {
        Objects.requireNonNull(caseId, "caseId");
        catchUp(queryIndex);
        return queryIndex.caseState(caseId);
    }

    // ------------------------------------------------------------------ retention

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
            catchUp(queryIndex);
            java.time.Instant now = clock.instant();
            List<Segment> sealed;
            segmentsLock.readLock().lock();
            try {
                sealed = new ArrayList<>();
                for (Segment s : segments.headMap(segments.lastKey()).values()) {
                    // sealed, and everything written to it forced and visible
                    if (s.sealedBefore() > 0 && s.sealedBefore() <= durableNext) {
                        sealed.add(s);
                    }
                }
            } finally {
                segmentsLock.readLock().unlock();
            }
            int rewritten = 0;
            int deleted = 0;
            long removed = 0;
            long kept = 0;
            long freed = 0;
            segmentLoop:
            for (Segment s : sealed) {
                long[][] entries = s.entries();
                List<StoredRecord> keep = new ArrayList<>();
                List<Boolean> continues = new ArrayList<>();
                List<StoredRecord> drop = new ArrayList<>();
                for (long[] e : entries) {
                    byte[] frame = s.readFrame(e[0], (int) e[1]);
                    if (Frames.validFrame(frame, 0, frame.length) != frame.length) {
                        // rotted since open: leave the whole segment alone for the next open to quarantine
                        LOG.error("journal {}: record {} of {} fails its CRC32C; segment not compacted", dir, e[2],
                                s.fileName());
                        continue segmentLoop;
                    }
                    StoredRecord r = Frames.decode(frame, 0);
                    if (keeps(r, now)) {
                        keep.add(r);
                        continues.add(Frames.continues(frame, 0));
                    } else {
                        drop.add(r);
                    }
                }
                kept += keep.size();
                if (drop.isEmpty()) {
                    continue;
                }
                long before = s.size();
                if (keep.isEmpty()) {
                    segmentsLock.writeLock().lock();
                    try {
                        segments.remove(s.base());
                        s.closeQuietly();
                    } finally {
                        segmentsLock.writeLock().unlock();
                    }
                    Files.delete(s.path());
                    forceDirectory();
                    deleted++;
                    freed += before;
                } else {
                    Segment replacement = rewrite(s, keep, continues);
                    segmentsLock.writeLock().lock();
                    try {
                        segments.put(s.base(), replacement);
                        s.closeQuietly();
                    } finally {
                        segmentsLock.writeLock().unlock();
                    }
                    rewritten++;
                    freed += before - replacement.size();
                }
                removed += drop.size();
                for (StoredRecord r : drop) {
                    if (r.type() == RecordType.EVENT) {
                        queryIndex.removeEvent(r.position());
                    } else if (r.type() == RecordType.CASE_TRANSITION) {
                        queryIndex.caseState(r.subject()).filter(c -> c.lastPosition() == r.position())
                                .ifPresent(c -> queryIndex.removeCase(c.caseId()));
                    }
                }
            }
            if (removed > 0) {
                saveIndex();
            }
            return new CompactionReport(now, rewritten, deleted, removed, kept, freed);
        } catch (IOException e) {
            throw new UncheckedIOException("compaction of " + dir + " failed; nothing kept was lost", e);
        } finally {
            maintenanceLock.unlock();
        }
    }

    /** Whether a record is still inside its retention at {@code now}. */
    private boolean keeps(StoredRecord r, java.time.Instant now) {
        java.time.Instant from = r.at();
        Optional<StoredCaseState> c = queryIndex.caseOf(r.type(), r.subject(), r.position());
        if (c.isPresent()) {
            if (c.get().police()) {
                return true;
            }
            if (c.get().lastAt().isAfter(from)) {
                from = c.get().lastAt();
            }
        }
        if ((r.type() == RecordType.CONFIG_CHANGE || r.type() == RecordType.CHECKPOINT)
                && queryIndex.newestOfSubject(r.type(), r.subject(), r.position())) {
            return true;
        }
        Optional<java.time.Duration> d = policy.retention(r.type());
        return d.isEmpty() || !from.plus(d.get()).isBefore(now);
    }

    /**
     * Writes the kept records of a sealed segment to a temporary file, forces it and renames it over the
     * segment: a crash leaves either the old file (and a temporary one that recovery deletes) or the new one.
     */
    private Segment rewrite(Segment old, List<StoredRecord> keep, List<Boolean> continues) throws IOException {
        Path tmp = dir.resolve(old.fileName() + ".tmp");
        int size = Frames.HEADER;
        byte[][] subjects = new byte[keep.size()][];
        for (int i = 0; i < keep.size(); i++) {
            subjects[i] = keep.get(i).subject().getBytes(StandardCharsets.UTF_8);
            size += Frames.frameSize(subjects[i], keep.get(i).payload().length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(Frames.header(old.base()));
        long[][] placed = new long[keep.size()][];
        boolean first = true;
        for (int i = 0; i < keep.size(); i++) {
            StoredRecord r = keep.get(i);
            // what is left of a batch whose other records expired is a whole batch of its own
            boolean more = continues.get(i) && i + 1 < keep.size() && keep.get(i + 1).position() == r.position() + 1;
            int at = b.position();
            Frames.encode(b, new NewRecord(r.type(), Math.max(1, r.version()), r.at(), r.subject(), r.payload()),
                    subjects[i], r.position(), first, more);
            first = !more;
            placed[i] = new long[] {r.position(), at, b.position() - at};
        }
        b.flip();
        try (FileChannel ch = opener.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long at = 0;
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, old.path(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        Segment s = new Segment(old.path(), old.base(), opener.open(old.path(), StandardOpenOption.READ), size);
        s.sealedBefore(old.sealedBefore());
        for (long[] p : placed) {
            s.add(p[0], p[1], (int) p[2]);
        }
        return s;
    }

    // ------------------------------------------------------------------ backup

    @Override
    public BackupManifest backup(Path target, String reason) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reason, "reason");
        maintenanceLock.lock();
        try {
            if (closed) {
                throw new StoreException.Closed();
            }
            Files.createDirectories(target);
            try (Stream<Path> existing = Files.list(target)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException("backup directory is not empty: " + target);
                }
            }
            long next = durableNext;
            List<long[]> sizes = segmentSizes();
            List<BackupManifest.FileEntry> files = new ArrayList<>();
            for (long[] sz : sizes) {
                Segment seg;
                segmentsLock.readLock().lock();
                try {
                    seg = segments.get(sz[0]);
                } finally {
                    segmentsLock.readLock().unlock();
                }
                files.add(copySegment(seg, sz[1], target.resolve(seg.fileName())));
            }
            forceDirectory(target);
            BackupManifest m = new BackupManifest(clock.instant(), reason, next, files);
            Backups.write(target, m);
            forceDirectory(target);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("backup of " + dir + " to " + target + " failed", e);
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
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(clock.instant());
        String safe = reason.replaceAll("[^A-Za-z0-9._-]+", "-");
        Path target = backupRoot.resolve(stamp + "-" + safe);
        for (int i = 1; Files.exists(target); i++) {
            target = backupRoot.resolve(stamp + "-" + safe + "-" + i);
        }
        return backup(target, reason);
    }

    private BackupManifest.FileEntry copySegment(Segment seg, long size, Path to) throws IOException {
        java.security.MessageDigest sha = Backups.sha256();
        try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long at = 0;
            while (at < size) {
                buf.clear().limit((int) Math.min(buf.capacity(), size - at));
                int n = seg.channel().read(buf, at);
                if (n < 0) {
                    throw new IOException("segment " + seg.path() + " shorter than " + size);
                }
                buf.flip();
                sha.update(buf.duplicate());
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                at += n;
            }
            out.force(true);
        }
        return new BackupManifest.FileEntry(seg.fileName(), size, java.util.HexFormat.of().formatHex(sha.digest()));
    }

    @Override
    public BackupManifest verify(Path backup) {
        return Backups.verify(backup);
    }

    /**
     * Restores a backup into an empty journal directory after checking every file against the manifest's SHA-256,
     * and checks the copies again. Open the journal afterwards; its recovery then rebuilds the query index.
     *
     * @param backup     the backup directory
     * @param journalDir the directory to restore into: must not exist or be empty
     * @return the manifest restored
     * @throws StoreException.BackupCorrupt if the backup or a copy fails its checksum (nothing is left in
     *                                      {@code journalDir} then)
     * @throws UncheckedIOException         if copying fails
     */
    public static BackupManifest restore(Path backup, Path journalDir) {
        BackupManifest m = Backups.verify(backup);
        try {
            Files.createDirectories(journalDir);
            try (Stream<Path> existing = Files.list(journalDir)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException("restore target is not empty: " + journalDir);
                }
            }
            // until the marker is gone the directory is an unfinished restore that no journal may open
            Path marker = journalDir.resolve(RESTORING);
            Files.write(marker, backup.toString().getBytes(StandardCharsets.UTF_8));
            forceDirectory(journalDir);
            List<Path> copied = new ArrayList<>();
            try {
                for (BackupManifest.FileEntry f : m.files()) {
                    Path tmp = journalDir.resolve(f.name() + ".tmp");
                    Files.copy(backup.resolve(f.name()), tmp);
                    copied.add(tmp);
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    if (Files.size(tmp) != f.size() || !Backups.sha256(tmp).equals(f.sha256())) {
                        throw new StoreException.BackupCorrupt("the restored copy of " + f.name()
                                + " fails its SHA-256");
                    }
                }
                for (Path tmp : copied) {
                    String n = tmp.getFileName().toString();
                    Files.move(tmp, journalDir.resolve(n.substring(0, n.length() - 4)),
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                forceDirectory(journalDir);
                Files.delete(marker);
                forceDirectory(journalDir);
            } catch (IOException | RuntimeException e) {
                for (Path tmp : copied) {
                    Files.deleteIfExists(tmp);
                }
                throw e;
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("restoring " + backup + " into " + journalDir + " failed", e);
        }
    }

    // ------------------------------------------------------------------ appends

    private static final class Pending {
        final List<NewRecord> records;
        final byte[][] subjects;
        final int bytes;
        final CompletableFuture<List<Long>> future = new CompletableFuture<>();

        Pending(List<NewRecord> records, byte[][] subjects, int bytes) {
            this.records = records;
            this.subjects = subjects;
            this.bytes = bytes;
        }
    }

    @Override
    public CompletionStage<Long> append(NewRecord record) {
        return appendAll(List.of(record)).thenApply(p -> p.get(0));
    }

    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
        if (records == null || records.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no records"));
        }
        List<NewRecord> copy = List.copyOf(records);
        byte[][] subjects = new byte[copy.size()][];
        long bytes = 0;
        for (int i = 0; i < copy.size(); i++) {
            NewRecord r = copy.get(i);
            subjects[i] = r.subject().getBytes(StandardCharsets.UTF_8);
            if (subjects[i].length > 0xFFFF) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("subject longer than 65535 bytes"));
            }
            int size = Frames.frameSize(subjects[i], r.payload().length);
            if (size - 8 > Frames.MAX_BODY) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "record larger than " + Frames.MAX_BODY + " bytes"));
            }
            bytes += size;
        }
        if (bytes > segmentBytes - Frames.HEADER) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "batch of " + bytes + " bytes does not fit in a segment of " + segmentBytes));
        }
        StoreException f = failure;
        if (f != null) {
            return CompletableFuture.failedFuture(new StoreException.Failed("journal failed earlier; reopen it", f));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException.Closed());
        }
        Pending p = new Pending(copy, subjects, (int) bytes);
        if (!queue.offer(p)) {
            refusedFull.increment();
            return CompletableFuture.failedFuture(new StoreException.Full(queueCapacity));
        }
        if (closed && queue.remove(p)) {
            return CompletableFuture.failedFuture(new StoreException.Closed());
        }
        return p.future;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, 4096);
            if (batch.remove(POISON)) {
                stop = true;
                queue.drainTo(batch);
            }
            if (!batch.isEmpty()) {
                write(new ArrayList<>(batch));
            }
            batch.clear();
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.future.completeExceptionally(new StoreException.Closed());
        }
        if (forcer != null) {
            handOff(Group.POISON);
        }
    }

    private static final class Placed {
        final Segment segment;
        final long position;
        final long offset;
        final int length;

        Placed(Segment segment, long position, long offset, int length) {
            this.segment = segment;
            this.position = position;
            this.offset = offset;
            this.length = length;
        }
    }

    /** Appends written by one pass of the writer, waiting for their force. */
    private static final class Group {
        static final Group POISON = new Group(List.of(), List.of(), List.of(), 0, new java.util.LinkedHashMap<>());

        final List<Pending> batch;
        final List<List<Long>> results;
        final List<Placed> placed;
        final long next;
        /** Every segment written, with its write end after this group, in write order. */
        final java.util.LinkedHashMap<Segment, Long> ends;

        Group(List<Pending> batch, List<List<Long>> results, List<Placed> placed, long next,
              java.util.LinkedHashMap<Segment, Long> ends) {
            this.batch = batch;
            this.results = results;
            this.placed = placed;
            this.next = next;
            this.ends = ends;
        }
    }

    private void fail(List<Pending> batch, StoreException cause) {
        for (Pending p : batch) {
            p.future.completeExceptionally(cause);
        }
    }

    /**
     * Encodes and writes a batch of appends (rolling to a new segment where needed), then hands them to the forcer
     * (or, with {@link Durability#OS_BUFFERED}, completes them at once). While the forcer forces one group the
     * writer already writes the next: a force covers everything written to the file before it started.
     */
    private void write(List<Pending> batch) {
        StoreException f = failure;
        if (f != null) {
            fail(batch, new StoreException.Failed("journal failed earlier; reopen it", f));
            return;
        }
        List<Placed> placed = new ArrayList<>();
        List<List<Long>> results = new ArrayList<>(batch.size());
        java.util.LinkedHashMap<Segment, Long> ends = new java.util.LinkedHashMap<>();
        long next = assignNext;
        try {
            buffer.clear();
            for (Pending p : batch) {
                long end = activeEnd + buffer.position();
                if (end + p.bytes > segmentBytes && end > Frames.HEADER) {
                    writeBuffer();
                    ends.put(active, activeEnd);
                    // every segment but the last is entirely on disk: recovery cuts torn bytes only at the very end
                    active.channel().force(false);
                    active.sealedBefore(next);
                    active = createSegment(next);
                    activeEnd = Frames.HEADER;
                }
                if (buffer.remaining() < p.bytes) {
                    ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2,
                            buffer.position() + p.bytes));
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
                List<Long> positions = new ArrayList<>(p.records.size());
                for (int i = 0; i < p.records.size(); i++) {
                    NewRecord r = p.records.get(i);
                    int at = buffer.position();
                    Frames.encode(buffer, r, p.subjects[i], next, i == 0, i < p.records.size() - 1);
                    placed.add(new Placed(active, next, activeEnd + at, buffer.position() - at));
                    positions.add(next);
                    next++;
                }
                results.add(positions);
            }
            writeBuffer();
            ends.put(active, activeEnd);
        } catch (IOException | RuntimeException e) {
            StoreException failed = new StoreException.Failed("journal write failed: " + e, e);
            failure = failed;
            LOG.error("journal {}: write failed; no further appends until it is reopened", dir, e);
            fail(batch, failed);
            return;
        }
        assignNext = next;
        Group g = new Group(batch, results, placed, next, ends);
        if (forcer == null) {
            publish(g);
        } else {
            handOff(g);
        }
    }

    private void handOff(Group g) {
        while (true) {
            try {
                forceQueue.put(g);
                return;
            } catch (InterruptedException e) {
                // the writer is never interrupted on purpose; keep the group
            }
        }
    }

    /** Writes the buffer at the active segment's write end. */
    private void writeBuffer() throws IOException {
        buffer.flip();
        FileChannel ch = active.channel();
        long at = activeEnd;
        while (buffer.hasRemaining()) {
            at += ch.write(buffer, at);
        }
        activeEnd = at;
        buffer.clear();
    }

    /** Forces what the writer wrote, many groups at a time, then completes them in order. */
    private void forceLoop() {
        List<Group> groups = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                groups.add(forceQueue.take());
            } catch (InterruptedException e) {
                continue;
            }
            forceQueue.drainTo(groups);
            stop = groups.remove(Group.POISON);
            if (groups.isEmpty()) {
                continue;
            }
            StoreException f = failure;
            if (f == null) {
                java.util.LinkedHashSet<Segment> touched = new java.util.LinkedHashSet<>();
                for (Group g : groups) {
                    touched.addAll(g.ends.keySet());
                }
                try {
                    long t0 = System.nanoTime();
                    for (Segment seg : touched) {
                        seg.channel().force(false);
                    }
                    forceTimer.recordNanos(System.nanoTime() - t0);
                } catch (IOException | RuntimeException e) {
                    f = new StoreException.Failed("journal force failed: " + e, e);
                    failure = f;
                    LOG.error("journal {}: force failed; no further appends until it is reopened", dir, e);
                }
            }
            for (Group g : groups) {
                if (f == null) {
                    publish(g);
                } else {
                    fail(g.batch, f);
                }
            }
            groups.clear();
        }
    }

    /** Makes a durable group visible to readers and completes its appends. */
    private void publish(Group g) {
        for (Map.Entry<Segment, Long> e : g.ends.entrySet()) {
            e.getKey().size(e.getValue());
        }
        for (Placed pl : g.placed) {
            pl.segment.add(pl.position, pl.offset, pl.length);
        }
        durableNext = g.next;
        appended.add(g.placed.size());
        for (int i = 0; i < g.batch.size(); i++) {
            g.batch.get(i).future.complete(g.results.get(i));
        }
        wakeDispatcher();
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<StoredRecord> read(long position) {
        if (released) {
            throw new StoreException.Closed();
        }
        if (position < 1 || position >= durableNext) {
            return Optional.empty();
        }
        segmentsLock.readLock().lock();
        try {
            Map.Entry<Long, Segment> e = segments.floorEntry(position);
            if (e == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(e.getValue().read(position));
        } catch (IOException e) {
            throw new UncheckedIOException("reading position " + position + " of " + dir, e);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    /**
     * The readable record with the smallest position in [{@code from}, {@code end}).
     *
     * @return the record, or null
     */
    StoredRecord next(long from, long end) {
        segmentsLock.readLock().lock();
        try {
            Long key = segments.floorKey(from);
            if (key == null) {
                key = segments.isEmpty() ? null : segments.firstKey();
            }
            long at = from;
            while (key != null && key < end) {
                Segment s = segments.get(key);
                long p = s.ceiling(at);
                while (p >= 0 && p < end) {
                    StoredRecord r = s.read(p);
                    if (r != null) {
                        return r;
                    }
                    p = s.ceiling(p + 1);
                }
                if (p >= end) {
                    return null;
                }
                key = segments.higherKey(key);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dir, e);
        } finally {
            segmentsLock.readLock().unlock();
        }
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        if (released) {
            throw new StoreException.Closed();
        }
        long end = durableNext;
        long next = Math.max(1, fromPosition);
        while (next < end) {
            StoredRecord r = next(next, end);
            if (r == null) {
                break;
            }
            sink.accept(r);
            next = r.position() + 1;
        }
        return Math.max(next, end);
    }

    @Override
    public long nextPosition() {
        return durableNext;
    }

    // ------------------------------------------------------------------ subscriptions

    private final class Sub implements Subscription {
        final Consumer<StoredRecord> consumer;
        long next;
        volatile boolean open = true;

        Sub(Consumer<StoredRecord> consumer, long next) {
            this.consumer = consumer;
            this.next = next;
        }

        @Override
        public void close() {
            open = false;
            subscriptions.remove(this);
        }
    }

    @Override
    public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        if (closed) {
            throw new StoreException.Closed();
        }
        Sub s = new Sub(Objects.requireNonNull(consumer, "consumer"), Math.max(1, fromPosition));
        subscriptions.add(s);
        wakeDispatcher();
        return s;
    }

    private void wakeDispatcher() {
        dispatchLock.lock();
        try {
            dispatchWake.signal();
        } finally {
            dispatchLock.unlock();
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            boolean behind = false;
            boolean readFailed = false;
            for (Sub s : subscriptions) {
                long end = durableNext;
                int n = 0;
                while (s.open && s.next < end && n < 1024) {
                    StoredRecord r;
                    try {
                        r = next(s.next, end);
                    } catch (RuntimeException e) {
                        LOG.error("journal {}: subscription read failed at {}; retrying", dir, s.next, e);
                        readFailed = true;
                        break;
                    }
                    if (r == null) {
                        s.next = end;
                        break;
                    }
                    try {
                        s.consumer.accept(r);
                    } catch (RuntimeException e) {
                        LOG.error("journal {}: a subscriber failed on position {}; its subscription is closed",
                                dir, r.position(), e);
                        s.close();
                        break;
                    }
                    s.next = r.position() + 1;
                    n++;
                }
                behind |= s.open && s.next < durableNext;
            }
            if (behind && !readFailed) {
                continue;
            }
            if (!readFailed && queryIndex.covered() < durableNext) {
                // keeps the query index current in the background, so queries and close find little to do
                try {
                    catchUp(queryIndex);
                } catch (RuntimeException e) {
                    LOG.error("journal {}: indexing failed; queries catch up on their own", dir, e);
                }
                continue;
            }
            dispatchLock.lock();
            try {
                boolean idle = queryIndex.covered() >= durableNext;
                for (Sub s : subscriptions) {
                    idle &= s.next >= durableNext;
                }
                if ((idle || readFailed) && !closed) {
                    dispatchWake.awaitNanos(100_000_000L);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                dispatchLock.unlock();
            }
        }
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
        for (Cancellable c : scheduled) {
            c.cancel();
        }
        maintenanceLock.lock();
        maintenanceLock.unlock();
        if (ownMaintenance != null) {
            ownMaintenance.shutdown();
        }
        try {
            queue.put(POISON);
            writer.join();
            if (forcer != null) {
                forcer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatchLock.lock();
        try {
            dispatchWake.signalAll();
        } finally {
            dispatchLock.unlock();
        }
        try {
            dispatcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Sub s : subscriptions) {
            s.close();
        }
        if (failure == null && durability == Durability.OS_BUFFERED) {
            try {
                active.channel().force(false);
            } catch (IOException e) {
                LOG.error("journal {}: final force failed", dir, e);
                failure = new StoreException.Failed("final force failed", e);
            }
        }
        if (failure == null) {
            saveIndex();
        }
        segmentsLock.writeLock().lock();
        try {
            released = true;
            for (Segment s : segments.values()) {
                s.closeQuietly();
            }
        } finally {
            segmentsLock.writeLock().unlock();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("journal {}: releasing the lock failed", dir, e);
        }
    }
}
