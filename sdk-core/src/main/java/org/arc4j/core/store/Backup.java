package org.arc4j.core.store;

import java.nio.file.Path;

/**
 * Consistent online backups of a store (GA 1383 数据维护: alarm data daily; configuration and customer data before
 * and after every change). A backup is taken while appends go on and holds every record durable when it started;
 * restoring one checks every file against its SHA-256 first. Thread-safe.
 */
public interface Backup {
    /**
     * Takes a backup into a directory.
     *
     * @param target a directory that does not exist yet or is empty
     * @param reason why ("daily", "before config change", …), recorded in the manifest
     * @return its manifest
     * @throws java.io.UncheckedIOException if it fails; a backup without a {@code MANIFEST} is incomplete
     */
    BackupManifest backup(Path target, String reason);

    /**
     * Checks a backup: its manifest's own checksum, then every file's size and SHA-256.
     *
     * @param backup the backup directory
     * @return its manifest
     * @throws StoreException.BackupCorrupt if anything does not match
     */
    BackupManifest verify(Path backup);
}
