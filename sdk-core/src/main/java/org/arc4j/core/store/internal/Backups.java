package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.StoreException;

/**
 * Backups of the journal and their restore: an online copy of every segment up to the durable end with a
 * SHA-256 manifest ({@link #take}), its verification ({@link #verify}) and the restore into an empty directory
 * ({@link #restore}), plus the manifest's text form. Stateless; {@link #take} must not run beside compaction
 * (the journal's maintenance lock keeps them apart).
 *
 * <pre>
 * arc4j-journal-backup 1
 * at 2026-11-24T00:00:00Z
 * reason daily
 * next-position 1234
 * file 00000000000000000001.seg 33554432 &lt;sha-256 hex&gt;
 * …
 * manifest-sha256 &lt;sha-256 hex of every line above, each ending in \n&gt;
 * </pre>
 */
public final class Backups {
    /** The manifest's file name. */
    public static final String MANIFEST = "MANIFEST";
    /** Marks a directory a restore is still writing: recovery refuses to open it. */
    public static final String RESTORING = "RESTORING";
    private static final String MAGIC = "arc4j-journal-backup 1";

    private Backups() {
    }

    /** @return a new SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * @param file a file
     * @return its SHA-256 as hex
     * @throws IOException if reading fails
     */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /**
     * Writes a manifest and forces it.
     *
     * @param dir the backup directory
     * @param m   the manifest
     * @throws IOException if writing fails
     */
    public static void write(Path dir, BackupManifest m) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(MAGIC).append('\n');
        b.append("at ").append(m.at()).append('\n');
        b.append("reason ").append(m.reason().replace('\n', ' ')).append('\n');
        b.append("next-position ").append(m.nextPosition()).append('\n');
        for (BackupManifest.FileEntry f : m.files()) {
            b.append("file ").append(f.name()).append(' ').append(f.size()).append(' ').append(f.sha256()).append('\n');
        }
        String body = b.toString();
        String sum = HexFormat.of().formatHex(sha256().digest(body.getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve(MANIFEST);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
            out.write((body + "manifest-sha256 " + sum + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Reads a manifest, checking its own checksum.
     *
     * @param dir the backup directory
     * @return the manifest
     * @throws StoreException.BackupCorrupt if it is missing, malformed or its checksum does not match
     */
    public static BackupManifest read(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(MANIFEST), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException.BackupCorrupt("no readable MANIFEST in " + dir + ": " + e);
        }
        if (lines.size() < 5 || !lines.get(0).equals(MAGIC) || !lines.get(lines.size() - 1).startsWith("manifest-sha256 ")) {
            throw new StoreException.BackupCorrupt("malformed MANIFEST in " + dir);
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.size() - 1; i++) {
            body.append(lines.get(i)).append('\n');
        }
        String sum = HexFormat.of().formatHex(sha256().digest(body.toString().getBytes(StandardCharsets.UTF_8)));
        if (!lines.get(lines.size() - 1).equals("manifest-sha256 " + sum)) {
            throw new StoreException.BackupCorrupt("MANIFEST of " + dir + " fails its own SHA-256");
        }
        try {
            Instant at = Instant.parse(field(lines.get(1), "at"));
            String reason = field(lines.get(2), "reason");
            long next = Long.parseLong(field(lines.get(3), "next-position"));
            List<BackupManifest.FileEntry> files = new ArrayList<>();
            for (int i = 4; i < lines.size() - 1; i++) {
                String[] f = field(lines.get(i), "file").split(" ");
                if (f.length != 3 || !f[0].matches("[0-9]{20}\\.seg")) {
                    throw new StoreException.BackupCorrupt("bad file line in MANIFEST of " + dir + ": " + lines.get(i));
                }
                files.add(new BackupManifest.FileEntry(f[0], Long.parseLong(f[1]), f[2]));
            }
            return new BackupManifest(at, reason, next, files);
        } catch (RuntimeException e) {
            if (e instanceof StoreException) {
                throw e;
            }
            throw new StoreException.BackupCorrupt("malformed MANIFEST in " + dir + ": " + e);
        }
    }

    private static String field(String line, String name) {
        if (!line.startsWith(name + " ")) {
            throw new StoreException.BackupCorrupt("expected '" + name + "' in MANIFEST, found: " + line);
        }
        return line.substring(name.length() + 1);
    }

    /**
     * Checks every file of a backup against its manifest.
     *
     * @param dir the backup directory
     * @return the manifest
     * @throws StoreException.BackupCorrupt on the first mismatch
     */
    public static BackupManifest verify(Path dir) {
        BackupManifest m = read(dir);
        for (BackupManifest.FileEntry f : m.files()) {
            Path p = dir.resolve(f.name());
            try {
                if (!Files.isRegularFile(p) || Files.size(p) != f.size()) {
                    throw new StoreException.BackupCorrupt(f.name() + " in " + dir + " is missing or not "
                            + f.size() + " bytes");
                }
                if (!sha256(p).equals(f.sha256())) {
                    throw new StoreException.BackupCorrupt(f.name() + " in " + dir + " fails its SHA-256");
                }
            } catch (IOException e) {
                throw new StoreException.BackupCorrupt(f.name() + " in " + dir + " is unreadable: " + e);
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ taking and restoring

    /**
     * Copies every segment of a running log, up to the sizes they had when it started, into an empty directory,
     * forcing each copy, then writes the manifest. The writer goes on meanwhile: it only appends after those sizes.
     *
     * @param log    the log
     * @param target an empty or missing directory
     * @param reason why, for the manifest
     * @param clock  the manifest's time
     * @return the manifest
     * @throws IllegalArgumentException if {@code target} is not empty
     * @throws UncheckedIOException     if copying fails
     */
    static BackupManifest take(SegmentLog log, Path target, String reason, Clock clock) {
        try {
            Files.createDirectories(target);
            try (Stream<Path> existing = Files.list(target)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException("backup directory is not empty: " + target);
                }
            }
            long next = log.durableNext();
            List<long[]> sizes = log.sizes();
            List<BackupManifest.FileEntry> files = new ArrayList<>();
            for (long[] sz : sizes) {
                Segment seg = log.segment(sz[0]);
                files.add(copySegment(seg, sz[1], target.resolve(seg.fileName())));
            }
            SegmentLog.forceDirectory(target);
            BackupManifest m = new BackupManifest(clock.instant(), reason, next, files);
            write(target, m);
            SegmentLog.forceDirectory(target);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("backup of " + log.directory() + " to " + target + " failed", e);
        }
    }

    /**
     * A new directory under {@code root} for a backup taken at {@code at} for {@code reason}, named so that
     * they sort by time: {@code 20261124T000000.000Z-daily}, with {@code -1}, {@code -2}… if it exists.
     *
     * @param root   the backup root
     * @param at     when
     * @param reason why (characters unsafe in a file name become {@code -})
     * @return the directory, not yet created
     */
    static Path newTarget(Path root, Instant at, String reason) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC).format(at);
        String safe = reason.replaceAll("[^A-Za-z0-9._-]+", "-");
        Path target = root.resolve(stamp + "-" + safe);
        for (int i = 1; Files.exists(target); i++) {
            target = root.resolve(stamp + "-" + safe + "-" + i);
        }
        return target;
    }

    private static BackupManifest.FileEntry copySegment(Segment seg, long size, Path to) throws IOException {
        MessageDigest sha = sha256();
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
        return new BackupManifest.FileEntry(seg.fileName(), size, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Restores a backup into an empty journal directory (see {@link org.arc4j.core.store.Journal#restore}): verifies
     * it, writes the {@link #RESTORING} marker, copies each file to a temporary name and checks the copy, renames
     * them all, then removes the marker.
     *
     * @param backup     the backup directory
     * @param journalDir the directory to restore into: must not exist or be empty
     * @return the manifest restored
     * @throws StoreException.BackupCorrupt if the backup or a copy fails its checksum
     * @throws UncheckedIOException         if copying fails
     */
    public static BackupManifest restore(Path backup, Path journalDir) {
        BackupManifest m = verify(backup);
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
            SegmentLog.forceDirectory(journalDir);
            List<Path> copied = new ArrayList<>();
            try {
                for (BackupManifest.FileEntry f : m.files()) {
                    Path tmp = journalDir.resolve(f.name() + ".tmp");
                    Files.copy(backup.resolve(f.name()), tmp);
                    copied.add(tmp);
                    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    if (Files.size(tmp) != f.size() || !sha256(tmp).equals(f.sha256())) {
                        throw new StoreException.BackupCorrupt("the restored copy of " + f.name()
                                + " fails its SHA-256");
                    }
                }
                for (Path tmp : copied) {
                    String n = tmp.getFileName().toString();
                    Files.move(tmp, journalDir.resolve(n.substring(0, n.length() - 4)),
                            StandardCopyOption.ATOMIC_MOVE);
                }
                SegmentLog.forceDirectory(journalDir);
                Files.delete(marker);
                SegmentLog.forceDirectory(journalDir);
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
}
