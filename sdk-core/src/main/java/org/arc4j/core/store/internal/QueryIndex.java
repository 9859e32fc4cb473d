package org.arc4j.core.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.store.CaseState;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The journal's query index: events by position, account, category and time; cases by id with their latest
 * state, police flag and events. Fed with records in position order; saved to a file with a CRC32C and the
 * segment sizes it was built from, so that the journal can tell whether it is still valid. All methods
 * synchronized.
 */
public final class QueryIndex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAGIC = 0x41524349;
    private static final int FORMAT = 1;

    /** An indexed event. */
    public record Ev(long position, long atMillis, String account, Category category, String eventId) {
    }

    private static final class Case {
        final String id;
        String state = "";
        boolean police;
        long lastPosition;
        Instant lastAt = Instant.EPOCH;
        final LinkedHashSet<String> events = new LinkedHashSet<>();

        Case(String id) {
            this.id = id;
        }

        CaseState view() {
            return new CaseState(id, state, police, lastPosition, lastAt, new ArrayList<>(events));
        }
    }

    private final TreeMap<Long, Ev> events = new TreeMap<>();
    private final Map<String, TreeSet<Long>> byAccount = new HashMap<>();
    private final EnumMap<Category, TreeSet<Long>> byCategory = new EnumMap<>(Category.class);
    private final TreeMap<Long, TreeSet<Long>> byTime = new TreeMap<>();
    private final Map<String, Case> cases = new HashMap<>();
    private final Map<String, String> caseOfEvent = new HashMap<>();
    private final Map<String, Long> newest = new HashMap<>();
    private long covered = 1;

    /** @return the position after the last record indexed */
    public synchronized long covered() {
        return covered;
    }

    /** @param next the position after the last record seen (records skipped by type included) */
    public synchronized void coveredTo(long next) {
        covered = Math.max(covered, next);
    }

    /**
     * Indexes a record; records must come in position order.
     *
     * @param r the record
     */
    public synchronized void accept(StoredRecord r) {
        if (r.position() < covered) {
            return;
        }
        covered = r.position() + 1;
        if (r.type() == RecordType.CONFIG_CHANGE || r.type() == RecordType.CHECKPOINT) {
            newest.put(Frames.code(r.type()) + ":" + r.subject(), r.position());
        }
        if (r.type() == RecordType.EVENT) {
            String account = null;
            Category category = null;
            String id = null;
            try {
                AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
                account = e.account();
                category = e.category();
                id = e.id() == null ? null : e.id().toString();
            } catch (RuntimeException notEventJson) {
                // kept and found by time; the payload is the writer's business
            }
            addEvent(new Ev(r.position(), r.at().toEpochMilli(), account, category, id));
        } else if (r.type() == RecordType.CASE_TRANSITION) {
            JsonNode n;
            try {
                n = JSON.readTree(r.payload());
            } catch (IOException | RuntimeException notJson) {
                n = null;
            }
            Case c = cases.computeIfAbsent(r.subject(), Case::new);
            c.lastPosition = r.position();
            c.lastAt = r.at();
            if (n != null && n.isObject()) {
                if (n.path("state").isTextual()) {
                    c.state = n.path("state").asText();
                }
                if (n.path("police").asBoolean(false) || "FORWARDED_TO_POLICE".equals(n.path("state").asText())) {
                    c.police = true;
                }
                for (JsonNode id : n.path("events")) {
                    if (id.isTextual()) {
                        c.events.add(id.asText());
                        caseOfEvent.put(id.asText(), c.id);
                    }
                }
            }
        }
    }

    private void addEvent(Ev e) {
        events.put(e.position(), e);
        if (e.account() != null) {
            byAccount.computeIfAbsent(e.account(), k -> new TreeSet<>()).add(e.position());
        }
        if (e.category() != null) {
            byCategory.computeIfAbsent(e.category(), k -> new TreeSet<>()).add(e.position());
        }
        byTime.computeIfAbsent(e.atMillis(), k -> new TreeSet<>()).add(e.position());
    }

    /**
     * Forgets an event removed by compaction.
     *
     * @param position its position
     */
    public synchronized void removeEvent(long position) {
        Ev e = events.remove(position);
        if (e == null) {
            return;
        }
        if (e.account() != null) {
            TreeSet<Long> s = byAccount.get(e.account());
            s.remove(position);
            if (s.isEmpty()) {
                byAccount.remove(e.account());
            }
        }
        if (e.category() != null) {
            byCategory.get(e.category()).remove(position);
        }
        TreeSet<Long> t = byTime.get(e.atMillis());
        t.remove(position);
        if (t.isEmpty()) {
            byTime.remove(e.atMillis());
        }
    }

    /**
     * Forgets a case whose records compaction removed entirely.
     *
     * @param caseId the case
     */
    public synchronized void removeCase(String caseId) {
        Case c = cases.remove(caseId);
        if (c != null) {
            for (String e : c.events) {
                caseOfEvent.remove(e, caseId);
            }
        }
    }

    /**
     * The positions of matching events.
     *
     * @param q the query
     * @return positions in order, at most {@code q.limit()}
     */
    public synchronized List<Long> query(EventQuery q) {
        long from = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
        long to = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli();
        Collection<Long> candidates;
        if (q.account() != null) {
            candidates = byAccount.getOrDefault(q.account(), new TreeSet<>());
        } else if (q.category() != null) {
            candidates = byCategory.getOrDefault(q.category(), new TreeSet<>());
        } else if (q.from() != null || q.to() != null) {
            TreeSet<Long> s = new TreeSet<>();
            for (NavigableSet<Long> ps : byTime.subMap(from, true, to, false).values()) {
                s.addAll(ps);
            }
            candidates = s;
        } else {
            candidates = events.keySet();
        }
        List<Long> out = new ArrayList<>();
        for (long p : candidates) {
            Ev e = events.get(p);
            if (e.atMillis() < from || e.atMillis() >= to
                    || (q.account() != null && !q.account().equals(e.account()))
                    || (q.category() != null && q.category() != e.category())) {
                continue;
            }
            if (q.caseState() != null) {
                Case c = e.eventId() == null ? null : cases.get(caseOfEvent.get(e.eventId()));
                if (c == null || !q.caseState().equals(c.state)) {
                    continue;
                }
            }
            out.add(p);
            if (out.size() == q.limit()) {
                break;
            }
        }
        return out;
    }

    /** @param state a state @return the cases in it, by latest transition */
    public synchronized List<CaseState> casesIn(String state) {
        List<CaseState> out = new ArrayList<>();
        for (Case c : cases.values()) {
            if (c.state.equals(state)) {
                out.add(c.view());
            }
        }
        out.sort((a, b) -> Long.compare(a.lastPosition(), b.lastPosition()));
        return out;
    }

    /** @param caseId a case @return it, if known */
    public synchronized Optional<CaseState> caseState(String caseId) {
        Case c = cases.get(caseId);
        return c == null ? Optional.empty() : Optional.of(c.view());
    }

    /**
     * The case a record belongs to, for retention: transitions and operator actions by subject, events by the
     * ids the case's transitions named.
     *
     * @param type     the record's type
     * @param subject  its subject
     * @param position its position
     * @return the case, or empty when it belongs to none
     */
    public synchronized Optional<CaseState> caseOf(RecordType type, String subject, long position) {
        Case c = null;
        if (type == RecordType.CASE_TRANSITION || type == RecordType.OPERATOR_ACTION) {
            c = cases.get(subject);
        } else if (type == RecordType.EVENT) {
            Ev e = events.get(position);
            String id = e == null || e.eventId() == null ? null : caseOfEvent.get(e.eventId());
            c = id == null ? null : cases.get(id);
        }
        return c == null ? Optional.empty() : Optional.of(c.view());
    }

    /**
     * Whether a record is the newest of its type for its subject (kept regardless of age for configuration
     * changes and checkpoints).
     *
     * @param type     its type
     * @param subject  its subject
     * @param position its position
     * @return true if no later record of that type names that subject
     */
    public synchronized boolean newestOfSubject(RecordType type, String subject, long position) {
        Long p = newest.get(Frames.code(type) + ":" + subject);
        return p != null && p == position;
    }

    // ------------------------------------------------------------------ file

    /**
     * Saves the index atomically (temporary file, then rename).
     *
     * @param file     where
     * @param segments {base, size} of every segment it was built from, in order
     * @throws IOException if writing fails
     */
    public synchronized void save(Path file, List<long[]> segments) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(covered);
        out.writeInt(segments.size());
        for (long[] s : segments) {
            out.writeLong(s[0]);
            out.writeLong(s[1]);
        }
        out.writeInt(events.size());
        for (Ev e : events.values()) {
            out.writeLong(e.position());
            out.writeLong(e.atMillis());
            writeNullable(out, e.account());
            out.writeByte(e.category() == null ? -1 : e.category().ordinal());
            writeNullable(out, e.eventId());
        }
        out.writeInt(cases.size());
        for (Case c : cases.values()) {
            out.writeUTF(c.id);
            out.writeUTF(c.state);
            out.writeBoolean(c.police);
            out.writeLong(c.lastPosition);
            out.writeLong(c.lastAt.getEpochSecond());
            out.writeInt(c.lastAt.getNano());
            out.writeInt(c.events.size());
            for (String e : c.events) {
                out.writeUTF(e);
            }
        }
        out.writeInt(newest.size());
        for (Map.Entry<String, Long> e : newest.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A saved index and the segment sizes it was built from. */
    public record Loaded(QueryIndex index, List<long[]> segments) {
    }

    /**
     * Loads a saved index.
     *
     * @param file the file
     * @return the index, or empty if the file is missing, corrupt or of another format
     */
    public static Optional<Loaded> load(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            byte[] data = Files.readAllBytes(file);
            if (data.length < 12) {
                return Optional.empty();
            }
            CRC32C crc = new CRC32C();
            crc.update(data, 0, data.length - 4);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            in.skipNBytes(data.length - 4);
            if (in.readInt() != (int) crc.getValue()) {
                return Optional.empty();
            }
            in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 4));
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                return Optional.empty();
            }
            QueryIndex q = new QueryIndex();
            q.covered = in.readLong();
            int n = in.readInt();
            List<long[]> segs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                segs.add(new long[] {in.readLong(), in.readLong()});
            }
            int events = in.readInt();
            Category[] cats = Category.values();
            for (int i = 0; i < events; i++) {
                long p = in.readLong();
                long at = in.readLong();
                String account = readNullable(in);
                int c = in.readByte();
                String id = readNullable(in);
                q.addEvent(new Ev(p, at, account, c < 0 || c >= cats.length ? null : cats[c], id));
            }
            int cases = in.readInt();
            for (int i = 0; i < cases; i++) {
                Case c = new Case(in.readUTF());
                c.state = in.readUTF();
                c.police = in.readBoolean();
                c.lastPosition = in.readLong();
                c.lastAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
                int ne = in.readInt();
                for (int k = 0; k < ne; k++) {
                    String e = in.readUTF();
                    c.events.add(e);
                    q.caseOfEvent.put(e, c.id);
                }
                q.cases.put(c.id, c);
            }
            int nn = in.readInt();
            for (int i = 0; i < nn; i++) {
                q.newest.put(in.readUTF(), in.readLong());
            }
            return Optional.of(new Loaded(q, segs));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
