package org.arc4j.core.pipeline.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.internal.JsonBytes;
import org.arc4j.core.store.StoredRecord;

/**
 * The payload of the pipeline's {@code CHECKPOINT} record (subject {@value #SUBJECT}), version 1:
 * {@code {"v":1,"from":P,"eventsFrom":E,"cases":[[p1,p2,..],..],"arming":[{EventJson},..]}}.
 * <ul>
 *   <li>{@code from}: recovery applies every case transition at or after it as it reads the store;</li>
 *   <li>{@code cases}: for each case open at the checkpoint, the positions of its transitions before
 *       {@code from}, ascending, the first its RECEIVED (closed cases are not named: never read back);</li>
 *   <li>{@code eventsFrom} (≤ {@code from}): events before it had all been taken up by the pipeline, so recovery
 *       looks for alarms that never became cases only from there;</li>
 *   <li>{@code arming}: each site's latest opening or closing.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class PipelineCheckpoint {
    /** The record's subject. */
    public static final String SUBJECT = "pipeline/open-cases";
    /** The payload version. */
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * A checkpoint read back.
     *
     * @param from       where recovery applies transitions from
     * @param eventsFrom where recovery looks for alarms that never became cases
     * @param cases      the open cases' transition positions before {@code from}
     * @param arming     each site's latest opening or closing
     */
    public record Read(long from, long eventsFrom, List<long[]> cases, List<AlarmEvent> arming) {
    }

    private PipelineCheckpoint() {
    }

    /**
     * Writes a checkpoint.
     *
     * @param from       where recovery applies transitions from
     * @param eventsFrom where recovery looks for untaken alarms from
     * @param cases      the open cases' transition positions before {@code from}
     * @param arming     each site's latest opening or closing
     * @return the UTF-8 JSON bytes
     */
    public static byte[] write(long from, long eventsFrom, List<long[]> cases, List<AlarmEvent> arming) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeNumberField("from", from);
            g.writeNumberField("eventsFrom", eventsFrom);
            g.writeFieldName("cases");
            g.writeStartArray();
            for (long[] c : cases) {
                g.writeArray(c, 0, c.length);
            }
            g.writeEndArray();
            g.writeFieldName("arming");
            g.writeStartArray();
            for (AlarmEvent e : arming) {
                EventJson.write(e, g);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Reads a checkpoint record.
     *
     * @param r the record
     * @return the checkpoint, or empty when it is of another version or malformed (recovery then reads the
     *         whole store)
     */
    public static Optional<Read> read(StoredRecord r) {
        if (r.version() != VERSION) {
            return Optional.empty();
        }
        try {
            JsonNode n = MAPPER.readTree(r.payload());
            if (n.path("v").asInt(-1) != VERSION || !n.path("from").canConvertToLong()
                    || !n.path("eventsFrom").canConvertToLong()) {
                return Optional.empty();
            }
            List<long[]> cases = new ArrayList<>();
            for (JsonNode c : n.path("cases")) {
                long[] p = new long[c.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = c.get(i).asLong();
                }
                cases.add(p);
            }
            List<AlarmEvent> arming = new ArrayList<>();
            for (JsonNode e : n.path("arming")) {
                arming.add(EventJson.read(e));
            }
            return Optional.of(new Read(n.get("from").asLong(), n.get("eventsFrom").asLong(), cases, arming));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
