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
    private final QueryIndex index;
    private final RecoveryReport.IndexState state;
    private final Object indexLock = new Object();
    /** Records the index had covered when it was last saved (or loaded): the next save is due a while after. */
    private volatile long savedAt;
    private final long saveEvery;

    /**
     * Records indexed between two background saves: at least {@value #SAVE_EVERY_MIN}, and a quarter of the
     * journal, so that saving (which writes the whole index) costs a bounded share of indexing however large the
     * history, and a SIGKILL leaves at most that many records to index again on open.
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
        this.saveEvery = saveEvery;
        this.log = log;
        this.file = file;
        Optional<QueryIndex.Loaded> loaded = QueryIndex.load(file);
        if (loaded.isPresent() && matchesLog(loaded.get())) {
            this.index = loaded.get().index();
            this.state = index.covered() == log.durableNext() ? RecoveryReport.IndexState.LOADED
                    : RecoveryReport.IndexState.CAUGHT_UP;
            this.savedAt = index.covered();
        } else {
            LOG.info("journal {}: query index {}, rebuilding it from the log", log.directory(),
                    loaded.isPresent() ? "does not match the log" : "missing or unreadable");
            this.index = new QueryIndex();
            this.state = RecoveryReport.IndexState.REBUILT;
            this.savedAt = 1;
        }
        catchUpIndex();
    }

    /** Whether the background should save the index now: enough was indexed since the last save. */
    private boolean saveDue() {
        long covered = index.covered();
        return covered - savedAt >= Math.max(saveEvery, covered / 4);
    }

    /** @return whether the index was loaded, caught up or rebuilt on open */
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
        return index.covered() < log.durableNext() || saveDue() || log.frameTablesDue();
    }

    /**
     * The dispatcher's background turn: feeds the index what it has not seen and saves it when a save is due, so
     * that an open after a crash (no save on close) loads it and indexes only the records after it.
     */
    @Override
    public void catchUp() {
        log.saveFrameTables();
        catchUpIndex();
        if (saveDue()) {
            save();
        }
    }

    /** Feeds the index every durable record it has not seen. */
    void catchUpIndex() {
        synchronized (indexLock) {
            long end = log.replay(index.covered(), index::accept);
            index.coveredTo(end);
        }
    }

    /** Catches up and saves the index with the segment sizes it describes; a failure only costs a rebuild. */
    void save() {
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
        catchUpIndex();
        long p = index.newestPosition(type, subject);
        return p < 0 ? Optional.empty() : log.read(p);
    }

    /** @return the index itself, for compaction's retention decisions (caught up by the caller) */
    QueryIndex index() {
        return index;
    }

    /** Forgets records that compaction removed from the log. */
    void removed(List<StoredRecord> dropped) {
        for (StoredRecord r : dropped) {
            if (r.type() == RecordType.EVENT) {
                index.removeEvent(r.position());
            } else if (r.type() == RecordType.CASE_TRANSITION) {
                index.caseState(r.subject()).filter(c -> c.lastPosition() == r.position())
                        .ifPresent(c -> index.removeCase(c.caseId()));
            }
        }
    }
}
