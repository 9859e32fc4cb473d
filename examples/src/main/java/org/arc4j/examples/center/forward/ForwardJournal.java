package org.arc4j.examples.center.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwards not yet delivered, kept on disk ({@code DATA/forwards/pending.jsonl}, one JSON line per change,
 * forced to disk before the change counts) so that none is lost over a crash or restart. Opening reads it back
 * (skipping a line torn by a crash) and compacts it to the pending forwards alone. Thread-safe.
 */
final class ForwardJournal implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Map<String, ForwardRequest> pending = new LinkedHashMap<>();
    private FileChannel channel;

    private ForwardJournal(Path file) {
        this.file = file;
    }

    /**
     * @param dir the directory ({@code DATA/forwards}), created if missing
     * @return the journal with what was pending
     * @throws IOException if it cannot be read or written
     */
    static ForwardJournal open(Path dir) throws IOException {
        Files.createDirectories(dir);
        ForwardJournal j = new ForwardJournal(dir.resolve("pending.jsonl"));
        if (Files.exists(j.file)) {
            for (String line : Files.readAllLines(j.file, StandardCharsets.UTF_8)) {
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // the last line, torn by a crash: its change never counted
                }
                if (n == null) {
                    continue;
                }
                String id = n.path("id").asText();
                if ("pending".equals(n.path("op").asText())) {
                    j.pending.put(id, new ForwardRequest(id, n.path("caseId").asText(), n.path("recipient").asText(),
                            n.path("body").asText(), Instant.parse(n.path("startedAt").asText())));
                } else {
                    j.pending.remove(id);
                }
            }
        }
        Path tmp = dir.resolve("pending.jsonl.tmp");
        StringBuilder sb = new StringBuilder();
        for (ForwardRequest r : j.pending.values()) {
            sb.append(line(r)).append('\n');
        }
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, j.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        j.channel = FileChannel.open(j.file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return j;
    }

    private static String line(ForwardRequest r) {
        ObjectNode n = JSON.createObjectNode().put("op", "pending").put("id", r.id()).put("caseId", r.caseId())
                .put("recipient", r.recipient()).put("body", r.body()).put("startedAt", r.startedAt().toString());
        return n.toString();
    }

    /** @return the pending forwards, oldest first */
    synchronized List<ForwardRequest> pending() {
        return new ArrayList<>(pending.values());
    }

    /**
     * @param id a forward's id
     * @return whether it is pending
     */
    synchronized boolean isPending(String id) {
        return pending.containsKey(id);
    }

    /**
     * Records a new forward, on disk before it returns.
     *
     * @param r the forward
     * @throws IOException if it cannot be written
     */
    synchronized void add(ForwardRequest r) throws IOException {
        write(line(r));
        pending.put(r.id(), r);
    }

    /**
     * Records a delivery.
     *
     * @param id the forward's id
     * @param at when
     * @throws IOException if it cannot be written
     */
    synchronized void delivered(String id, Instant at) throws IOException {
        if (pending.remove(id) != null) {
            write(JSON.createObjectNode().put("op", "delivered").put("id", id).put("at", at.toString()).toString());
        }
    }

    private void write(String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
