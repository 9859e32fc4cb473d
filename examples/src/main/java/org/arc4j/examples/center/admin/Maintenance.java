package org.arc4j.examples.center.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * directory on another disk than the data.
 *
 * <p>A backup also holds what the journal alone cannot bring back: the credential vault ({@code credentials.vault}:
 * users, DC-09 keys, device passwords) and, when the centre generated it, the vault's key-encryption key
 * ({@code DATA.kek}), in the sub-directory {@value #VAULT_DIR} with a {@code SHA256SUMS} file. Without them a restored
 * centre would have its alarms but could neither log anyone in nor decrypt a panel. The key is what makes the vault
 * unreadable to whoever has only the data directory: a backup directory holding both must be kept as safe as the
 * key itself (mode 0700 here, files 0600). A key given in {@code ARC4J_VAULT_KEY} is never written anywhere.
 * Thread-safe.
 */
public final class Maintenance {
    /** The environment variable naming a backup to restore into an empty data directory at start. */
    public static final String RESTORE_FROM = "ARC4J_RESTORE_FROM";
    /** The sub-directory of a backup holding the vault and its key. */
    public static final String VAULT_DIR = "vault";
    /** The vault's key in a backup. */
    static final String KEK_FILE = "vault.kek";
    private static final String SUMS = "SHA256SUMS";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Backup journal;
    private final Path root;
    private final Clock clock;
    private final Map<Path, BackupManifest> known = new ConcurrentHashMap<>();
    private final Path vault;
    private final Path kek;

    /**
     * Backups of the journal only.
     *
     * @param journal the journal to back up
     * @param root    the backup directory (created when needed)
     * @param clock   the centre's clock (directory names)
     */
    public Maintenance(Backup journal, Path root, Clock clock) {
        this(journal, root, clock, null, null);
    }

    /**
     * Backups of the journal, the credential vault and its key.
     *
     * @param journal the journal to back up
     * @param root    the backup directory (created when needed)
     * @param clock   the centre's clock (directory names)
     * @param vault   the vault file ({@code DATA/credentials.vault}), or null
     * @param kek     the key-encryption key's file, or null when the key does not come from a file
     */
    public Maintenance(Backup journal, Path root, Clock clock, Path vault, Path kek) {
        this.journal = journal;
        this.root = root;
        this.clock = clock;
        this.vault = vault;
        this.kek = kek;
    }

    /**
     * Takes a backup every {@code every} (GA 1383 数据维护: alarm data daily), reason {@code daily}, on a thread of
     * its own (a copy of the journal must not hold up the scheduler's timers); a failure is logged and the next
     * period tries again.
     *
     * @param scheduler the centre's scheduler
     * @param every     the period (a day)
     * @return what stops it
     */
    public AutoCloseable every(org.arc4j.core.time.Scheduler scheduler, java.time.Duration every) {
        java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arc4j-center-backup");
            t.setDaemon(true);
            return t;
        });
        org.arc4j.core.time.Cancellable ticks = scheduler.scheduleAtFixedRate(every, () -> thread.execute(() -> {
            try {
                backup("daily");
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Maintenance.class).error("daily backup into {} failed", root, e);
            }
        }));
        return () -> {
            ticks.cancel();
            thread.shutdown();
        };
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
        try {
            backUpVault(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("backup " + dir + ": the vault could not be copied", e);
        }
        known.put(dir, m);
        return Map.entry(dir, m);
    }

    /** Copies the vault and its key (owner-only), each synced, then their checksums. */
    private void backUpVault(Path dir) throws IOException {
        if (vault == null || !Files.isRegularFile(vault)) {
            return;
        }
        Path v = dir.resolve(VAULT_DIR);
        Files.createDirectory(v, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        StringBuilder sums = new StringBuilder();
        for (Map.Entry<Path, String> f : vaultFiles().entrySet()) {
            Path to = v.resolve(f.getValue());
            Files.createFile(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            byte[] bytes = Files.readAllBytes(f.getKey());
            Files.write(to, bytes, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            sums.append(sha256(bytes)).append("  ").append(f.getValue()).append('\n');
        }
        Files.writeString(v.resolve(SUMS), sums, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
    }

    private Map<Path, String> vaultFiles() {
        Map<Path, String> files = new java.util.LinkedHashMap<>();
        files.put(vault, vault.getFileName().toString());
        if (kek != null && Files.isRegularFile(kek)) {
            files.put(kek, KEK_FILE);
        }
        return files;
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a backup's vault copy against its {@code SHA256SUMS}.
     *
     * @param backup the backup directory
     * @return the names of the files it holds ({@code credentials.vault}, {@code vault.kek}), empty when it has none
     * @throws IllegalArgumentException if a file is missing or fails its checksum
     */
    public static List<String> vaultFilesOf(Path backup) {
        Path v = backup.resolve(VAULT_DIR);
        if (!Files.isRegularFile(v.resolve(SUMS))) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(v.resolve(SUMS))) {
                String[] f = line.split("  ", 2);
                if (f.length != 2 || !f[1].matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("malformed " + v.resolve(SUMS));
                }
                Path p = v.resolve(f[1]);
                if (!Files.isRegularFile(p) || !sha256(Files.readAllBytes(p)).equals(f[0])) {
                    throw new IllegalArgumentException(p + " is missing or fails its SHA-256");
                }
                names.add(f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
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
     * Restores the backup named by {@code ARC4J_RESTORE_FROM} into the journal directory before the journal opens,
     * and its vault copy, if it has one, into the data directory (the journal directory's parent) with its key to
     * {@code DATA.kek} beside it, unless a vault or key is already there or the key comes from the environment;
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
        List<String> vaultCopy = vaultFilesOf(backup); // checked before anything is written
        try {
            BackupManifest m = Journal.restore(backup, journalDir);
            terminal.println("arc4j-center: restored the journal from " + backup + " (taken " + m.at() + ", "
                    + m.reason() + ", " + m.files().size() + " files)");
        } catch (StoreException e) {
            throw new IllegalArgumentException(RESTORE_FROM + "=" + from + ": " + e.getMessage());
        }
        Path data = journalDir.toAbsolutePath().normalize().getParent();
        try {
            for (String name : vaultCopy) {
                boolean key = name.equals(KEK_FILE);
                if (key && (env.get("ARC4J_VAULT_KEY") != null || env.get("ARC4J_VAULT_KEY_FILE") != null)) {
                    continue;
                }
                Path to = key ? data.resolveSibling(data.getFileName() + ".kek") : data.resolve(name);
                if (Files.exists(to)) {
                    terminal.println("arc4j-center: kept " + to + " (the backup's copy was not restored over it)");
                    continue;
                }
                Files.createFile(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
                Files.write(to, Files.readAllBytes(backup.resolve(VAULT_DIR).resolve(name)), StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                terminal.println("arc4j-center: restored " + to + " from " + backup);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
