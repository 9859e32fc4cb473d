package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.StoreException;

/**
 * The backup manifest's text form and SHA-256 helpers.
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
}
