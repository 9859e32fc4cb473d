package org.arc4j.core.store;

import java.nio.file.Path;
import java.util.List;

/**
 * What the journal found and did when it opened: a torn tail it cut, corrupt regions in the middle it
 * quarantined (copied aside, reported, skipped; the records after them stay readable), leftovers of an
 * interrupted compaction it removed and how its query index was brought up to date. Immutable.
 *
 * @param segments            the number of segment files
 * @param records             the number of readable records
 * @param tailCuts            torn or corrupt tails cut (at most one in practice: the last segment's)
 * @param quarantined         corrupt regions in the middle of the log
 * @param removedTemporaries  names of temporary files of an interrupted compaction that were deleted
 * @param index               how the query index was made current ({@code LOADING} when it loads in the
 *                            background: see {@link Journal#indexState()} for what it became)
 */
public record RecoveryReport(int segments, long records, List<TailCut> tailCuts, List<Quarantined> quarantined,
                             List<String> removedTemporaries, IndexState index) {
    /** Copies the lists. */
    public RecoveryReport {
        tailCuts = List.copyOf(tailCuts);
        quarantined = List.copyOf(quarantined);
        removedTemporaries = List.copyOf(removedTemporaries);
    }

    /** @return true if nothing was cut or quarantined */
    public boolean clean() {
        return tailCuts.isEmpty() && quarantined.isEmpty();
    }

    /**
     * A torn or corrupt tail: bytes after the last valid record (or after the last complete atomic batch) of
     * the last segment, written but never forced before a crash. They were never acknowledged, so cutting them
     * loses nothing acknowledged.
     *
     * @param segment the segment file name
     * @param offset  where the cut was made
     * @param bytes   how many bytes were removed
     */
    public record TailCut(String segment, long offset, long bytes) {
    }

    /**
     * A corrupt region with valid records after it. Its bytes were copied to {@code copy} for inspection and
     * are skipped by every read; the file itself is left as it is.
     *
     * @param segment              the segment file name
     * @param offset               where the region starts
     * @param length               its length in bytes
     * @param firstMissingPosition the first position that may have been in it
     * @param lastMissingPosition  the last position that may have been in it (less than the first when the
     *                             positions around it are consecutive: then no record is missing)
     * @param copy                 where its bytes were copied
     */
    public record Quarantined(String segment, long offset, long length, long firstMissingPosition,
                              long lastMissingPosition, Path copy) {
    }

    /** How the query index was made current on open. */
    public enum IndexState {
        /** Its file matched the log. */
        LOADED,
        /** Its file matched an older state of the log; the records after it were indexed. */
        CAUGHT_UP,
        /** Its file was missing, corrupt or did not match the log (compaction, cut tail): rebuilt from the log. */
        REBUILT,
        /**
         * It is being loaded (or rebuilt) in the background ({@link Journal.Builder#indexInBackground}): queries
         * wait until it is done; appends, reads, replays and {@link RecordStore#newest} do not.
         */
        LOADING
    }
}
