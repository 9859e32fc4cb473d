package org.arc4j.examples.center.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' work recordings (GA 1383 记录存储与播放: 操作人员的工作录音录像): a server-side record of every view and
 * action of an operator on a case, and the recording of the operator's screen that the console uploads in chunks.
 *
 * <p>Both are {@code OPERATOR_ACTION} records in the journal whose subject is the case the operator was working on,
 * so they fall into the store's retention class of that case: at least 180 days, and forever once the case was
 * forwarded to the police ({@code RetentionPolicy}). Screen chunks outside any case have the subject
 * {@code work/<user>} and are kept 180 days like every operator action. A chunk's bytes are a file under
 * {@code DATA/work/recordings/<recording>/}, named by its sequence number; the record holds its size and SHA-256
 * (the store ages the record; like clip files, the chunk files are never deleted by the centre itself). The
 * recordings of operators' phone calls are kept the same way ({@link #calls()}).
 *
 * <p>A view is recorded as it is answered (not awaited, reads are not slowed down); a chunk is answered only once
 * its file is synced and its record is durable. Thread-safe.
 */
public final class WorkRecords {
    private static final Logger LOG = LoggerFactory.getLogger(WorkRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest chunk, bytes (the console sends one every two seconds; a tab at 1 Mbit/s makes 250 KB). */
    public static final int MAX_CHUNK = 1000 * 1024;
    /** The most chunks of one recording (about 55 hours at one chunk every two seconds). */
    public static final int MAX_CHUNKS = 100_000;
    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};

    /** A screen recording being uploaded: whose it is. */
    private record Recording(String id, String user) {
    }

    private final RecordStore journal;
    private final Clock clock;
    private final Path dir;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Recording> recordings = new ConcurrentHashMap<>();
    private final CallRecordings calls;

    /**
     * @param dataDir the centre's data directory
     * @param journal the journal
     * @param clock   the centre's clock
     */
    public WorkRecords(Path dataDir, RecordStore journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
        this.dir = dataDir.resolve("work").resolve("recordings");
        this.calls = new CallRecordings(dataDir, journal, clock);
    }

    /** @return the recordings of operators' phone calls, kept with their cases like these records */
    public CallRecordings calls() {
        return calls;
    }

    /**
     * Records that a user looked at or acted on a case (not awaited).
     *
     * @param caseId the case
     * @param user   who
     * @param kind   {@code view} or {@code action}
     * @param what   the request ({@code GET /api/cases/…}) and, for an action, its name
     */
    public void record(String caseId, String user, String kind, String what) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("kind", kind).put("by", user).put("what", what);
        append(caseId, n).whenComplete((p, e) -> {
            if (e != null) {
                LOG.warn("work record of {} on case {} not journalled: {}", user, caseId, e.toString());
            }
        });
    }

    /**
     * Starts a screen recording of a user.
     *
     * @param user who records
     * @return its id
     */
    public String startRecording(String user) {
        byte[] b = new byte[8];
        random.nextBytes(b);
        String id = "rec-" + clock.instant().toEpochMilli() + "-" + HexFormat.of().formatHex(b);
        recordings.put(id, new Recording(id, user));
        return id;
    }

    /**
     * Stores one chunk of a screen recording (WebM, as {@code MediaRecorder} cuts it): the first must begin with
     * the EBML header. Answered once durable; the same chunk sent again is answered as stored.
     *
     * @param recording the recording
     * @param user      who sends it (must be who started it)
     * @param seq       its sequence number, from 0
     * @param caseId    the case on screen while it was recorded, or null
     * @param bytes     the chunk
     * @return what was stored
     * @throws IllegalArgumentException for a bad chunk (message starts with {@code too large} when over the limit,
     *                                  {@code conflict} for another chunk under a stored number)
     * @throws SecurityException        for a recording that is not this user's
     * @throws Exception                when it cannot be stored
     */
    public ObjectNode chunk(String recording, String user, int seq, String caseId, byte[] bytes) throws Exception {
        Recording r = recordings.get(recording);
        if (r == null) {
            throw new IllegalArgumentException("no recording " + recording + " (start one first)");
        }
        if (!r.user().equals(user)) {
            throw new SecurityException("recording " + recording + " is not yours");
        }
        if (seq < 0 || seq >= MAX_CHUNKS) {
            throw new IllegalArgumentException("seq must be 0 to " + (MAX_CHUNKS - 1));
        }
        if (bytes.length == 0 || bytes.length > MAX_CHUNK) {
            throw new IllegalArgumentException("too large or empty: a chunk has 1 to " + MAX_CHUNK + " bytes");
        }
        if (seq == 0 && !startsWith(bytes, EBML)) {
            throw new IllegalArgumentException("the first chunk must start a WebM (EBML) stream");
        }
        if (caseId != null && !caseId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("case must be a case id");
        }
        String sha = OnSitePhotos.sha256(bytes);
        Path d = dir.resolve(recording);
        Path file = d.resolve(String.format("%06d.webm", seq));
        synchronized (this) {
            Files.createDirectories(d);
            if (Files.exists(file)) {
                if (OnSitePhotos.sha256(Files.readAllBytes(file)).equals(sha)) {
                    return JsonNodeFactory.instance.objectNode().put("seq", seq).put("bytes", bytes.length)
                            .put("sha256", sha).put("repeated", true);
                }
                throw new IllegalArgumentException("conflict: chunk " + seq + " was stored with other bytes");
            }
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("kind", "screen-chunk").put("by", user)
                .put("recording", recording).put("seq", seq).put("bytes", bytes.length).put("sha256", sha)
                .put("case", caseId).put("file", file.toString());
        append(caseId == null ? "work/" + user : caseId, n).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return JsonNodeFactory.instance.objectNode().put("seq", seq).put("bytes", bytes.length).put("sha256", sha);
    }

    /**
     * The work records of a case: views, actions and screen chunks, oldest first.
     *
     * @param caseId the case
     * @return the records, as JSON
     */
    public ArrayNode ofCase(String caseId) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        // read back from the journal (a replay of its operator actions: for review, not a hot path)
        journal.replay(1, java.util.Set.of(RecordType.OPERATOR_ACTION), r -> {
            if (!caseId.equals(r.subject())) {
                return;
            }
            try {
                JsonNode n = JSON.readTree(r.payload());
                if (n.isObject() && n.has("kind")) {
                    ObjectNode o = ((ObjectNode) n).deepCopy();
                    o.remove("file");
                    o.put("at", r.at().toString());
                    a.add(o);
                }
            } catch (IOException e) {
                // an operator action of another kind
            }
        });
        return a;
    }

    /**
     * A stored chunk's file.
     *
     * @param recording the recording
     * @param seq       the chunk
     * @return the file, if stored
     */
    public Optional<Path> chunkFile(String recording, int seq) {
        if (!recording.matches("rec-[0-9]+-[0-9a-f]{16}")) {
            return Optional.empty();
        }
        Path f = dir.resolve(recording).resolve(String.format("%06d.webm", seq));
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    private CompletionStage<Long> append(String subject, ObjectNode payload) {
        return journal.append(new NewRecord(RecordType.OPERATOR_ACTION, 1, clock.instant(), subject,
                payload.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
