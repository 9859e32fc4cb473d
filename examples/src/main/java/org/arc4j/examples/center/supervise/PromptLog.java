package org.arc4j.examples.center.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The supervision prompts as the journal holds them: every prompt raised, acknowledged (who, when) and cleared,
 * and every run of the remote inspection, each an {@code OPERATOR_ACTION} record written by
 * {@link SupervisionDuties} (subject {@code prompt/ID} or {@code inspection}). The duties restore their prompts from
 * it after a restart; the compliance report measures from it how fast offline devices were prompted and how often
 * the terminals' communication was checked. Immutable once read.
 */
public final class PromptLog {
    /** The subject prefix of a prompt's records. */
    static final String PROMPT = "prompt/";
    /** The subject of an inspection run's record. */
    static final String INSPECTION = "inspection";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A prompt and its history.
     *
     * @param prompt         the prompt as last journalled
     * @param offlineSince   when its device went offline (offline and late-to-test prompts), or null
     * @param acknowledgedAt when an operator acknowledged it, or null
     */
    public record Entry(Prompt prompt, Instant offlineSince, Instant acknowledgedAt) {
    }

    /**
     * One run of the remote inspection.
     *
     * @param at      when it ran
     * @param devices how many devices it checked
     * @param silent  how many of them had not been heard from within the inspection period
     */
    public record Inspection(Instant at, int devices, int silent) {
    }

    private final List<Entry> prompts;
    private final List<Inspection> inspections;

    private PromptLog(List<Entry> prompts, List<Inspection> inspections) {
        this.prompts = List.copyOf(prompts);
        this.inspections = List.copyOf(inspections);
    }

    /**
     * Reads the journal's prompt and inspection records (replays the operator actions: call it on a worker
     * thread). A record that cannot be read is left out.
     *
     * @param store the journal
     * @return the log
     */
    public static PromptLog read(RecordStore store) {
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<Inspection> runs = new ArrayList<>();
        store.replay(1, Set.of(RecordType.OPERATOR_ACTION), r -> {
            if (r.subject().startsWith(PROMPT)) {
                prompt(r, byId);
            } else if (r.subject().equals(INSPECTION)) {
                try {
                    JsonNode n = JSON.readTree(r.payload());
                    runs.add(new Inspection(r.at(), n.path("devices").asInt(), n.path("silent").asInt()));
                } catch (IOException e) {
                    // not one of ours: left out
                }
            }
        });
        return new PromptLog(new ArrayList<>(byId.values()), runs);
    }

    private static void prompt(StoredRecord r, Map<String, Entry> byId) {
        JsonNode n;
        try {
            n = JSON.readTree(r.payload());
        } catch (IOException e) {
            return;
        }
        if (!n.hasNonNull("id") || !n.hasNonNull("kind") || !n.hasNonNull("raisedAt")) {
            return;
        }
        Prompt p = new Prompt(n.get("id").asText(), n.get("kind").asText(), n.path("subject").asText(""),
                n.path("text").asText(""), Instant.parse(n.get("raisedAt").asText()),
                n.hasNonNull("acknowledgedBy") ? n.get("acknowledgedBy").asText() : null,
                n.hasNonNull("clearedAt") ? Instant.parse(n.get("clearedAt").asText()) : null);
        Entry old = byId.get(p.id());
        Instant since = n.hasNonNull("offlineSince") ? Instant.parse(n.get("offlineSince").asText())
                : old == null ? null : old.offlineSince();
        Instant acked = n.hasNonNull("acknowledgedAt") ? Instant.parse(n.get("acknowledgedAt").asText())
                : old == null ? null : old.acknowledgedAt();
        // the newest record of a prompt carries what the earlier ones did, except what only they knew
        if (old != null) {
            p = new Prompt(p.id(), p.kind(), p.subject(), p.text(), p.raisedAt(),
                    p.acknowledgedBy() != null ? p.acknowledgedBy() : old.prompt().acknowledgedBy(),
                    p.clearedAt() != null ? p.clearedAt() : old.prompt().clearedAt());
        }
        byId.put(p.id(), new Entry(p, since, acked));
    }

    /** @return the prompts, in the order they were raised */
    public List<Entry> prompts() {
        return prompts;
    }

    /** @return the inspection runs, oldest first */
    public List<Inspection> inspections() {
        return inspections;
    }
}
