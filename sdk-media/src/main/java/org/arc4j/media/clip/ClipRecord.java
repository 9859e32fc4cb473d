package org.arc4j.media.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * What the store keeps of an alarm clip: a {@link RecordType#CLIP} record whose subject is the case id, so that the
 * clip shares its case's retention (GA 1383 记录存储与播放: alarm-linked video at least 30 days, that of cases
 * forwarded to the police forever). The video itself is a file outside the store; its SHA-256 proves it unchanged.
 * Payload: UTF-8 JSON, version {@link #VERSION}, e.g. {@code {"case":"C01…","channel":"cam-7","path":"C01…/cam-7-
 * 20261204T101500Z.mp4","video":"H264","audio":"G711A","sha256":"…","start":"…","end":"…","bytes":123456,
 * "videoFrames":1125,"audioFrames":2250,"complete":true}}; {@code "error"} says why an incomplete clip ended.
 * Immutable.
 *
 * @param caseId      the case
 * @param channel     the camera channel
 * @param path        the file, relative to the clip directory
 * @param video       the video codec's name ({@code H264}, {@code H265}), or empty
 * @param audio       the audio codec's name ({@code AAC}, {@code G711A}, {@code G711U}), or empty
 * @param sha256      the file's SHA-256, lower-case hex
 * @param start       the wall-clock time of the first frame
 * @param end         the wall-clock time where the last frame ends
 * @param bytes       the file's length
 * @param videoFrames video samples in the file
 * @param audioFrames audio frames in the file
 * @param complete    false when writing failed and the file holds only what was written before
 * @param error       why an incomplete clip ended, empty when complete
 */
public record ClipRecord(String caseId, String channel, String path, String video, String audio, String sha256,
                         Instant start, Instant end, long bytes, long videoFrames, long audioFrames, boolean complete,
                         String error) {
    /** The payload format version. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates presence. */
    public ClipRecord {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(error, "error");
    }

    /**
     * @param directory the clip directory
     * @return the file
     */
    public Path resolve(Path directory) {
        return directory.resolve(path);
    }

    /** @return the record to append: subject the case id, {@code at} the clip's start */
    public NewRecord toNewRecord() {
        ObjectNode o = JSON.createObjectNode().put("case", caseId).put("channel", channel).put("path", path)
                .put("video", video).put("audio", audio).put("sha256", sha256).put("start", start.toString())
                .put("end", end.toString()).put("bytes", bytes).put("videoFrames", videoFrames)
                .put("audioFrames", audioFrames).put("complete", complete);
        if (!error.isEmpty()) {
            o.put("error", error);
        }
        return new NewRecord(RecordType.CLIP, VERSION, start, caseId, o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a stored clip record.
     *
     * @param r a record
     * @return the clip, or empty when it is not a {@code CLIP} record of a version this reads, or does not parse
     */
    public static Optional<ClipRecord> of(StoredRecord r) {
        if (r.type() != RecordType.CLIP || r.version() != VERSION) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(r.payload());
            return Optional.of(new ClipRecord(o.path("case").asText(r.subject()), o.path("channel").asText(),
                    o.path("path").asText(), o.path("video").asText(), o.path("audio").asText(),
                    o.path("sha256").asText(), Instant.parse(o.path("start").asText()),
                    Instant.parse(o.path("end").asText()), o.path("bytes").asLong(), o.path("videoFrames").asLong(),
                    o.path("audioFrames").asLong(), o.path("complete").asBoolean(), o.path("error").asText("")));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
