package org.arc4j.examples.center.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.arc4j.core.store.Backup;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.StoreException;

/**
 * Backups of the centre's journal (GA 1383 数据维护: alarm data daily, customer and configuration data after every
 * change) into sub-directories of one backup directory, named by time and reason, and the restore of one at
 * start ({@code ARC4J_RESTORE_FROM}). A backup is the SDK's consistent online backup: every record durable when it
 * started, each file with its SHA-256 in a {@code MANIFEST}; restoring checks them all first. Keep the backup
 * directory on another disk than the data. Thread-safe.
 */
public final class Maintenance {
    /** The environment variable naming a backup to restore into an empty data directory at start. */
    public static final String RESTORE_FROM = "ARC4J_RESTORE_FROM";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Backup journal;
    private final Path root;
    private final Clock clock;
    private final Map<Path, BackupManifest> known = new ConcurrentHashMap<>();

    /**
     * @param journal the journal to back up
     * @param root    the backup directory (created when needed)
     * @param clock   the centre's clock (directory names)
     */
    public Maintenance(Backup journal, Path root, Clock clock) {
        this.journal = journal;
        this.root = root;
        this.clock = clock;
    }

    /** @return the backup directory */
    public Path root() {
        return root;
    }

    /**
     * Takes a backup now, on the calling thread (it copies the journal's files: call it off the event loops).
     *
     * @param reason why ("daily", "manual", "put customer C1"), recorded in the manifest and the directory name
     * @return the new backup's directory and manifest
     * @throws UncheckedIOException if the copy fails
     */
    public synchronized Map.Entry<Path, BackupManifest> backup(String reason) {
        String slug = reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40);
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = root.resolve(STAMP.format(clock.instant()) + "-" + (slug.isEmpty() ? "backup" : slug));
        for (int i = 2; Files.exists(dir); i++) {
            dir = root.resolve(dir.getFileName() + "-" + i);
        }
        BackupManifest m = journal.backup(dir, reason);
        known.put(dir, m);
        return Map.entry(dir, m);
    }

    /**
     * The complete backups in the backup directory (those with a valid {@code MANIFEST}), oldest first. Each is
     * checked once, when first seen.
     *
     * @return directory and manifest of each
     */
    public List<Map.Entry<Path, BackupManifest>> backups() {
        List<Map.Entry<Path, BackupManifest>> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                if (!Files.isRegularFile(d.resolve("MANIFEST"))) {
                    continue;
                }
                BackupManifest m = known.get(d);
                if (m == null) {
                    try {
                        m = journal.verify(d);
                        known.put(d, m);
                    } catch (StoreException e) {
                        continue; // a corrupt backup is no backup
                    }
                }
                out.add(Map.entry(d, m));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(e -> e.getValue().at()));
        return out;
    }

    /** @return the manifests of {@link #backups()} */
    public List<BackupManifest> manifests() {
        return backups().stream().map(Map.Entry::getValue).toList();
    }

    /**
     * Restores the backup named by {@code ARC4J_RESTORE_FROM} into the journal directory before the journal opens;
     * nothing happens without the variable.
     *
     * @param env        the environment
     * @param journalDir the journal's directory: must be missing or empty
     * @param terminal   where the restore is reported
     * @throws IllegalArgumentException if the journal directory holds data (a restore never overwrites), or the
     *                                  backup is missing or fails its checksums
     */
    public static void restoreIfAsked(Map<String, String> env, Path journalDir, PrintStream terminal) {
        String from = env.get(RESTORE_FROM);
        if (from == null || from.isBlank()) {
            return;
        }
        Path backup = Path.of(from);
        if (!Files.isRegularFile(backup.resolve("MANIFEST"))) {
            throw new IllegalArgumentException(RESTORE_FROM + "=" + from + " is not a complete backup (no MANIFEST)");
        }
        try (Stream<Path> s = Files.isDirectory(journalDir) ? Files.list(journalDir) : Stream.empty()) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException(RESTORE_FROM + " is set but " + journalDir
                        + " holds a journal: restore into an empty data directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            BackupManifest m = Journal.restore(backup, journalDir);
            terminal.println("arc4j-center: restored the journal from " + backup + " (taken " + m.at() + ", "
                    + m.reason() + ", " + m.files().size() + " files)");
        } catch (StoreException e) {
            throw new IllegalArgumentException(RESTORE_FROM + "=" + from + ": " + e.getMessage());
        }
    }
}
