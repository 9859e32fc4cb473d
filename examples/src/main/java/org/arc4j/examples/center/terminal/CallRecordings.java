package org.arc4j.examples.center.terminal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;

/**
 * Recordings of operators' phone calls (GA 1383 记录存储与播放: the recordings of verification and forwarding calls),
 * the centre's side of the call-recording SPI ({@link CallRecordingSink}): whatever records the calls — a PBX's
 * call recorder, a SIP recording server, a desk phone's recorder — hands each finished call here, in-process through
 * {@link #store} or from outside through {@code POST /api/work/calls} (the body at most
 * {@code HttpServer.Limits#maxBody}, 1 MiB by default: about 2 min of G.711 WAV, far longer in Opus or MP3).
 *
 * <p>A call is an {@code OPERATOR_ACTION} record ({@code kind} {@code call}) whose subject is its case, like the
 * operator's views, actions and screen chunks ({@link WorkRecords}), so it falls into the store's retention class of
 * that case: at least 180 days, and forever once the case was forwarded to the police. Its audio is a file under
 * {@code DATA/work/calls/}, synced before the record is written; the record holds its size and SHA-256. Accepted
 * audio: WAV ({@code audio/wav}, RIFF/WAVE), Ogg ({@code audio/ogg}), MP3 ({@code audio/mpeg}) and WebM
 * ({@code audio/webm}), each checked by its first bytes. Thread-safe.
 */
public final class CallRecordings implements CallRecordingSink {
    /** The largest recording taken in-process, bytes. */
    public static final int MAX_AUDIO = 64 * 1024 * 1024;

    private static final Map<String, String> EXTENSIONS = Map.of("audio/wav", "wav", "audio/ogg", "ogg",
            "audio/mpeg", "mp3", "audio/webm", "webm");

    private final RecordStore journal;
    private final Clock clock;
    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param dataDir the centre's data directory
     * @param journal the journal
     * @param clock   the centre's clock
     */
    public CallRecordings(Path dataDir, RecordStore journal, Clock clock) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dir = dataDir.resolve("work").resolve("calls");
    }

    /**
     * @param mediaType a Content-Type
     * @return the audio type it names that is accepted ({@code audio/wav} also for {@code audio/x-wav},
     *         {@code audio/wave}), or null
     */
    public static String accepted(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        String t = mediaType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        if (t.equals("audio/x-wav") || t.equals("audio/wave") || t.equals("audio/vnd.wave")) {
            t = "audio/wav";
        }
        return EXTENSIONS.containsKey(t) ? t : null;
    }

    @Override
    public ObjectNode store(Call call, String mediaType, byte[] audio) throws Exception {
        Objects.requireNonNull(call, "call");
        String type = accepted(mediaType);
        if (type == null) {
            throw new IllegalArgumentException("type: a call recording is audio/wav, audio/ogg, audio/mpeg or "
                    + "audio/webm");
        }
        if (audio == null || audio.length == 0 || audio.length > MAX_AUDIO) {
            throw new IllegalArgumentException("too large or empty: a call recording has 1 to " + MAX_AUDIO
                    + " bytes");
        }
        if (!looksLike(type, audio)) {
            throw new IllegalArgumentException("type: the body is not " + type);
        }
        byte[] b = new byte[8];
        random.nextBytes(b);
        String id = "call-" + clock.instant().toEpochMilli() + "-" + HexFormat.of().formatHex(b);
        Path file = dir.resolve(id + "." + EXTENSIONS.get(type));
        Files.createDirectories(dir);
        Files.write(file, audio, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        String sha = OnSitePhotos.sha256(audio);
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("kind", "call").put("by", call.operator())
                .put("call", id).put("purpose", call.purpose().name().toLowerCase(Locale.ROOT))
                .put("number", call.number()).put("startedAt", call.startedAt().toString())
                .put("endedAt", call.endedAt().toString()).put("mediaType", type).put("bytes", audio.length)
                .put("sha256", sha).put("file", file.toString());
        journal.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, clock.instant(), call.caseId(),
                n.toString().getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get(10, TimeUnit.SECONDS);
        ObjectNode out = n.deepCopy();
        out.remove("file");
        out.put("case", call.caseId());
        return out;
    }

    /**
     * A stored recording's file and type.
     *
     * @param id the recording ({@code call-…})
     * @return its file, if stored
     */
    public Optional<Path> file(String id) {
        if (id == null || !id.matches("call-[0-9]+-[0-9a-f]{16}")) {
            return Optional.empty();
        }
        for (String ext : EXTENSIONS.values()) {
            Path f = dir.resolve(id + "." + ext);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * @param file a stored recording
     * @return its media type
     */
    public static String mediaType(Path file) {
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return EXTENSIONS.entrySet().stream().filter(e -> e.getValue().equals(ext)).map(Map.Entry::getKey)
                .findFirst().orElse("application/octet-stream");
    }

    private static boolean looksLike(String type, byte[] a) {
        return switch (type) {
            case "audio/wav" -> a.length >= 12 && ascii(a, 0, "RIFF") && ascii(a, 8, "WAVE");
            case "audio/ogg" -> ascii(a, 0, "OggS");
            case "audio/mpeg" -> ascii(a, 0, "ID3") || (a.length >= 2 && (a[0] & 0xFF) == 0xFF
                    && (a[1] & 0xE0) == 0xE0);
            case "audio/webm" -> a.length >= 4 && a[0] == 0x1A && a[1] == 0x45 && (a[2] & 0xFF) == 0xDF
                    && (a[3] & 0xFF) == 0xA3;
            default -> false;
        };
    }

    private static boolean ascii(byte[] a, int at, String s) {
        if (a.length < at + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (a[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
