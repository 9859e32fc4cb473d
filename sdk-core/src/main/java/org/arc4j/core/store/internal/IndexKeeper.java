package org.arc4j.core.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RecoveryReport;
import org.arc4j.core.store.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the journal's {@link QueryIndex} in step with its {@link SegmentLog}: loads the saved index on open when
 * it still describes a prefix of the log (else rebuilds it), feeds it the records it has not seen, answers the
 * queries and saves it on close.
 *
 * <p>Threads: catching up runs under one lock ({@code indexLock}), so the subscription dispatcher (which keeps the
 * index current in the background), query callers, compaction and close may all call {@link #catchUp}; the
 * index itself is synchronized.
 */
final class IndexKeeper implements Subscriptions.Background {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);

    private final SegmentLog log;
    private final Path file;
    private volatile TieredIndex index;
    private volatile RecoveryReport.IndexState state = RecoveryReport.IndexState.LOADING;
    /** Counted down once the index is loaded (or rebuilt) and caught up. */
    private final java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(1);
    private volatile RuntimeException loadFailure;
    private final Object indexLock = new Object();
    /** Records the index had covered when it was last saved (or loaded): the next save is due a while after. */
    private volatile long savedAt;
    private final long saveEvery;
    private final int maxEvents;
    private final int maxCases;
    private final long maxLinks;

    /**
     * Records indexed between two background saves: a save writes only the hot part of the index (bounded, see
     * {@link TieredIndex}), so its cost does not grow with the history, and a SIGKILL leaves at most this many
     * records to index again on open.
     */
    static final long SAVE_EVERY_MIN = 100_000;

    /**
     * Loads (and catches up) or rebuilds the index of a recovered log.
     *
     * @param log  the log, started
     * @param file where the index is saved
     */
    IndexKeeper(SegmentLog log, Path file) {
        this(log, file, SAVE_EVERY_MIN);
    }

    /**
     * {@link #IndexKeeper(SegmentLog, Path)} with another least number of records between background saves.
     *
     * @param log       the log, started
     * @param file      where the index is saved
     * @param saveEvery records indexed between two background saves, at least
     */
    IndexKeeper(SegmentLog log, Path file, long saveEvery) {
        this(log, file, saveEvery, false);
    }

    /**
     * Loads (and catches up) or rebuilds the index of a recovered log, now or on a thread of its own.
     *
     * @param log        the log, started
     * @param file       where the index is saved
     * @param saveEvery  records indexed between two background saves, at least
     * @param background whether to return at once ({@link RecoveryReport.IndexState#LOADING} until done: queries
     *                   wait for it, {@link #newest} reads the log instead)
     */
    IndexKeeper(SegmentLog log, Path file, long saveEvery, boolean background) {
        this(log, file, saveEvery, background, TieredIndex.MAX_EVENTS, TieredIndex.MAX_CASES, TieredIndex.MAX_LINKS);
    }

    /**
     * {@link #IndexKeeper(SegmentLog, Path, long, boolean)} with other bounds on what the index holds in memory.
     *
     * @param log        the log, started
     * @param file       where the index is saved
     * @param saveEvery  records indexed between two background saves, at least
     * @param background whether to load on a thread of its own
     * @param maxEvents  events held in memory at most (see {@link TieredIndex})
     * @param maxCases   cases held in memory at most
     * @param maxLinks   event ids named by the cases in memory at most
     */
    IndexKeeper(SegmentLog log, Path file, long saveEvery, boolean background, int maxEvents, int maxCases,
                long maxLinks) {
        this.maxEvents = maxEvents;
        this.maxCases = maxCases;
        this.maxLinks = maxLinks;
        this.saveEvery = saveEvery;
        this.log = log;
        this.file = file;
        if (!background) {
            load();
            return;
        }
        Thread t = new Thread(() -> {
            try {
                load();
            } catch (RuntimeException e) {
                LOG.error("journal {}: loading the query index failed; queries fail until it is reopened",
                        log.directory(), e);
                loadFailure = e;
                loaded.countDown();
            }
        }, "arc4j-journal-index-loader");
        t.setDaemon(true);
        t.start();
    }

    private void load() {
        long t0 = System.nanoTime();
        synchronized (indexLock) {
            Optional<QueryIndex.Loaded> l = QueryIndex.load(file);
            Optional<TieredIndex> t = l.isPresent() && matchesLog(l.get())
                    ? TieredIndex.of(l.get(), file.getParent(), maxEvents, maxCases, maxLinks) : Optional.empty();
            RecoveryReport.IndexState s;
            if (t.isPresent()) {
                this.index = t.get();
                s = index.covered() == log.durableNext() ? RecoveryReport.IndexState.LOADED
                        : RecoveryReport.IndexState.CAUGHT_UP;
                this.savedAt = index.covered();
            } else {
                LOG.info("journal {}: query index {}, rebuilding it from the log", log.directory(),
                        l.isPresent() ? "does not match the log" : "missing or unreadable");
                this.index = new TieredIndex(file.getParent(), maxEvents, maxCases, maxLinks);
                s = RecoveryReport.IndexState.REBUILT;
                this.savedAt = 1;
            }
            long end = log.replay(index.covered(), index::accept);
            index.coveredTo(end);
            this.state = s;
        }
        loaded.countDown();
        LOG.debug("journal {}: query index {} in {} ms", log.directory(), state, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Waits until the index is loaded (at once unless it loads in the background). */
    private void awaitLoaded() {
        boolean interrupted = false;
        while (true) {
            try {
                loaded.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException f = loadFailure;
        if (f != null) {
            throw new IllegalStateException("the journal's query index failed to load", f);
        }
    }

    /** @return whether the index is loaded and current (false while it loads in the background) */
    boolean isLoaded() {
        return loaded.getCount() == 0 && loadFailure == null;
    }

    /** Whether the background should save the index now: enough was indexed since the last save. */
    private boolean saveDue() {
        return index != null && index.covered() - savedAt >= saveEvery;
    }

    /** @return whether the index was loaded, caught up or rebuilt on open, or is still loading */
    RecoveryReport.IndexState state() {
        return state;
    }

    /** Whether a saved index describes a prefix of the log as it is now (no compaction, no cut below it). */
    private boolean matchesLog(QueryIndex.Loaded l) {
        if (l.index().covered() > log.durableNext()) {
            return false;
        }
        List<long[]> saved = l.segments();
        for (int i = 0; i < saved.size(); i++) {
            Segment s = log.segment(saved.get(i)[0]);
            if (s == null) {
                return false;
            }
            boolean sealedThen = i < saved.size() - 1;
            if (sealedThen ? s.size() != saved.get(i)[1] : s.size() < saved.get(i)[1]) {
                return false;
            }
        }
        List<Segment> now = log.segments();
        return !saved.isEmpty() && !now.isEmpty() && now.get(0).base() == saved.get(0)[0];
    }

    /** @return whether the log has durable records the index has not seen */
    @Override
    public boolean behind() {
        if (!isLoaded()) {
            return false;
        }
        return index.covered() < log.durableNext() || saveDue() || log.frameTablesDue();
    }

    /**
     * The dispatcher's background turn: feeds the index what it has not seen and saves it when a save is due, so
     * that an open after a crash (no save on close) loads it and indexes only the records after it.
     */
    @Override
    public void catchUp() {
        log.saveFrameTables();
        if (!isLoaded()) {
            return;
        }
        catchUpIndex();
        if (saveDue()) {
            save();
        }
    }

    /** Feeds the index every durable record it has not seen. */
    void catchUpIndex() {
        awaitLoaded();
        synchronized (indexLock) {
            long end = log.replay(index.covered(), index::accept);
            index.coveredTo(end);
        }
    }

    /** Catches up and saves the index with the segment sizes it describes; a failure only costs a rebuild. */
    void save() {
        if (loadFailure != null) {
            return;
        }
        synchronized (indexLock) {
            try {
                catchUpIndex();
                long covered = index.covered();
                index.save(file, log.sizes());
                savedAt = covered;
            } catch (IOException | RuntimeException e) {
                LOG.warn("journal {}: saving the query index failed; it will be rebuilt from the log",
                        log.directory(), e);
            }
        }
    }

    /** @return the matching events, read from the log (see {@link org.arc4j.core.store.EventQueries#events}) */
    List<StoredRecord> events(EventQuery query) {
        catchUpIndex();
        List<StoredRecord> out = new ArrayList<>();
        for (long p : index.query(query)) {
            log.read(p).ifPresent(out::add);
        }
        return out;
    }

    /** @return the cases whose latest state is {@code state} */
    List<StoredCaseState> casesIn(String caseState) {
        catchUpIndex();
        return index.casesIn(caseState);
    }

    /** @return the case's latest state */
    Optional<StoredCaseState> caseState(String caseId) {
        catchUpIndex();
        return index.caseState(caseId);
    }

    /**
     * @param type    CONFIG_CHANGE or CHECKPOINT
     * @param subject the subject
     * @return the newest record of that type for that subject
     */
    Optional<StoredRecord> newest(RecordType type, String subject) {
        if (!isLoaded()) {
            return newestFromLog(Frames.code(type), subject);
        }
        catchUpIndex();
        long p = index.newestPosition(type, subject);
        return p < 0 ? Optional.empty() : log.read(p);
    }

    /**
     * The newest record of a type and subject, read from the log backwards (while the index loads): the segments'
     * type tables let it read only records of that type, and the newest is usually near the end.
     */
    private Optional<StoredRecord> newestFromLog(int typeCode, String subject) {
        List<Segment> segments = log.segments();
        long end = log.durableNext();
        for (int s = segments.size() - 1; s >= 0; s--) {
            long[][] entries = segments.get(s).entries();
            for (int i = entries.length - 1; i >= 0; i--) {
                long[] e = entries[i];
                if (e[2] >= end || (e[3] != 0 && e[3] != typeCode)) {
                    continue;
                }
                Optional<StoredRecord> r = log.read(e[2]);
                if (r.isPresent() && Frames.code(r.get().type()) == typeCode && r.get().subject().equals(subject)) {
                    return r;
                }
            }
        }
        return Optional.empty();
    }

    /** @return the index itself, for compaction's retention decisions (caught up by the caller) */
    TieredIndex index() {
        awaitLoaded();
        return index;
    }

    /** Forgets records that compaction removed from the log. */
    void removed(List<StoredRecord> dropped) {
        awaitLoaded();
        for (StoredRecord r : dropped) {
            if (r.type() == RecordType.EVENT) {
                index.removeEvent(r.position());
            } else if (r.type() == RecordType.CASE_TRANSITION) {
                index.removeCaseAt(r.subject(), r.position());
            }
        }
    }
}
