package org.arc4j.examples.center.terminal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;

/**
 * The photos a guard takes on site (GA 1383 现场处置: 现场处置情况, with pictures), kept beside the case: each file in
 * {@code DATA/terminal/photos/<case>/}, named by its number, and an {@code OPERATOR_ACTION} record with the case as
 * subject (its type, size, SHA-256 and who took it), so that the photo's record shares the case's retention class
 * (at least 180 days, forever once the case went to the police).
 *
 * <p>Only JPEG and PNG are taken, recognised by their first bytes as well as their declared type, at most
 * {@link #MAX_BYTES} each and {@link #MAX_PER_CASE} per case. Thread-safe.
 */
public final class OnSitePhotos {
    /** The largest photo, bytes (a phone picture scaled down by the terminal fits easily). */
    public static final int MAX_BYTES = 512 * 1024;
    /** The most photos of one case. */
    public static final int MAX_PER_CASE = 20;

    /**
     * A stored photo.
     *
     * @param file where it is
     * @param type its media type
     */
    public record Photo(Path file, String type) {
    }

    private final Path dir;
    private final RecordStore journal;
    private final Clock clock;

    /**
     * @param dataDir the centre's data directory
     * @param journal where the photo records go
     * @param clock   the centre's clock
     */
    public OnSitePhotos(Path dataDir, RecordStore journal, Clock clock) {
        this.dir = dataDir.resolve("terminal").resolve("photos");
        this.journal = journal;
        this.clock = clock;
    }

    /**
     * Stores a photo of a case; answered once its record is durable.
     *
     * @param caseId the case
     * @param by     the guard
     * @param type   the declared content type
     * @param bytes  the picture
     * @return its number and size, as JSON
     * @throws IllegalArgumentException "too large …" over {@link #MAX_BYTES} or {@link #MAX_PER_CASE}; otherwise
     *                                  for a type that is not JPEG or PNG
     * @throws IOException              if it cannot be written
     */
    public synchronized ObjectNode add(String caseId, String by, String type, byte[] bytes) throws Exception {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("too large: a photo may have at most " + MAX_BYTES + " bytes");
        }
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT).split(";")[0].strip();
        String ext = switch (t) {
            case "image/jpeg" -> isJpeg(bytes) ? "jpg" : null;
            case "image/png" -> isPng(bytes) ? "png" : null;
            default -> null;
        };
        if (ext == null) {
            throw new IllegalArgumentException("a photo must be a JPEG or PNG picture, sent as image/jpeg or "
                    + "image/png");
        }
        Path caseDir = dir.resolve(safe(caseId));
        Files.createDirectories(caseDir);
        int n;
        try (Stream<Path> s = Files.list(caseDir)) {
            n = (int) s.count() + 1;
        }
        if (n > MAX_PER_CASE) {
            throw new IllegalArgumentException("too large: at most " + MAX_PER_CASE + " photos per case");
        }
        Path file = caseDir.resolve(n + "." + ext);
        Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        ObjectNode rec = JsonNodeFactory.instance.objectNode().put("kind", "onsite-photo").put("n", n)
                .put("type", t).put("bytes", bytes.length).put("sha256", sha256(bytes)).put("by", by)
                .put("file", file.toString());
        journal.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, clock.instant(), caseId,
                rec.toString().getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return JsonNodeFactory.instance.objectNode().put("n", n).put("type", t).put("bytes", bytes.length);
    }

    /**
     * @param caseId the case
     * @return its photos' numbers and types
     */
    public ArrayNode list(String caseId) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        Path caseDir = dir.resolve(safe(caseId));
        if (!Files.isDirectory(caseDir)) {
            return a;
        }
        try (Stream<Path> s = Files.list(caseDir)) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(f -> a.addObject()
                    .put("n", f.substring(0, f.indexOf('.'))).put("type", f.endsWith(".png") ? "image/png"
                            : "image/jpeg"));
        } catch (IOException e) {
            return a;
        }
        return a;
    }

    /**
     * @param caseId the case
     * @param n      the photo's number
     * @return the photo, if there is one
     */
    public Optional<Photo> get(String caseId, String n) {
        if (n == null || !n.matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        Path caseDir = dir.resolve(safe(caseId));
        for (String ext : new String[] {"jpg", "png"}) {
            Path p = caseDir.resolve(n + "." + ext);
            if (Files.isRegularFile(p)) {
                return Optional.of(new Photo(p, ext.equals("png") ? "image/png" : "image/jpeg"));
            }
        }
        return Optional.empty();
    }

    private static String safe(String caseId) {
        if (!caseId.matches("[A-Za-z0-9._-]{1,100}") || caseId.startsWith(".")) {
            throw new IllegalArgumentException("case id not usable as a directory name: " + caseId);
        }
        return caseId;
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
