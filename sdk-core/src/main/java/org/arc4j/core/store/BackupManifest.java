package org.arc4j.core.store;

import java.time.Instant;
import java.util.List;

/**
 * What a backup holds: its files with their sizes and SHA-256 checksums, written as the backup's {@code MANIFEST}
 * file last, so that a backup without one is incomplete (GA 1383 数据维护: alarm data backed up daily, system and
 * customer data before and after every change, restorable with integrity kept). Immutable.
 *
 * @param at           the centre time the backup was taken
 * @param reason       why it was taken ("daily", "before config change", …)
 * @param nextPosition the store's next position when it was taken: every record before it is in the backup
 *                     unless retention had removed it
 * @param files        the files, in order
 */
public record BackupManifest(Instant at, String reason, long nextPosition, List<FileEntry> files) {
    /** Copies the list. */
    public BackupManifest {
        files = List.copyOf(files);
    }

    /**
     * One file of a backup.
     *
     * @param name   its name
     * @param size   its size in bytes
     * @param sha256 its SHA-256, lower-case hex
     */
    public record FileEntry(String name, long size, String sha256) {
    }
}
