package org.arc4j.core.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventId;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.StoredRecord;

/**
 * The journal's query index: events in columns (position, time, account, category, event id; about 40 bytes per
 * event in memory) with row lists per account and per category; cases by id with their latest state, police flag
 * and events. Fed with records in position order; saved to a file with a CRC32C and the segment sizes it was
 * built from, so that the journal can tell whether it is still valid. All methods synchronized.
 *
 * <p>Why one file of some 570 lines: the event columns, the case table and the saved form are one data structure.
 * Indexing, removal, queries and the file format all work on the same parallel arrays under the same monitor;
 * splitting them would mean exposing those arrays to other classes or copying them, for no reader's gain.
 */
public final class QueryIndex {
    private static final int MAGIC = 0x41524349;
    /** 3: a trailing section of the owner's (the tiers of a {@link TieredIndex}); 2 had none. */
    private static final int FORMAT = 3;
    private static final Category[] CATEGORIES = Category.values();

    /** A growable list of row numbers, ascending. */
    private static final class Rows {
        int[] a = new int[8];
        int n;

        void add(int row) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = row;
        }
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

        StoredCaseState view() {
            return new StoredCaseState(id, state, police, lastPosition, lastAt, new ArrayList<>(events));
        }
    }

    private int rows;
    private long[] pos = new long[1024];
    private long[] atMillis = new long[1024];
    private int[] account = new int[1024];
    private byte[] category = new byte[1024];
    private long[] idMsb = new long[1024];
    private long[] idLsb = new long[1024];
    private final BitSet hasId = new BitSet();
    private final BitSet dead = new BitSet();
    private int deadCount;
    private final List<String> accountNames = new ArrayList<>();
    private final Map<String, Integer> accountIds = new HashMap<>();
    private final List<Rows> rowsByAccount = new ArrayList<>();
    private final Rows[] rowsByCategory = new Rows[CATEGORIES.length];

    private final Map<String, Case> cases = new HashMap<>();
    private final Map<EventId, String> caseOfEvent = new HashMap<>();
    private final Map<String, Long> newest = new HashMap<>();
    private long covered = 1;
    /** Event ids named by the cases held (the size of {@link #caseOfEvent}, about). */
    private long links;
    /** Where a case first seen here may have been before (an older tier), or null. */
    private java.util.function.Function<String, StoredCaseState> revive;

    /**
     * @param r where to look up a case that a transition names and this index does not hold (its state, police
     *          flag and events carry over), or null
     */
    synchronized void reviveFrom(java.util.function.Function<String, StoredCaseState> r) {
        this.revive = r;
    }

    /** @return the position after the last record indexed */
    public synchronized long covered() {
        return covered;
    }

    /** @param next the position after the last record seen (records skipped by type included) */
    public synchronized void coveredTo(long next) {
        covered = Math.max(covered, next);
    }

    /** @return the number of events indexed */
    public synchronized int eventCount() {
        return rows - deadCount;
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
            indexEvent(r);
        } else if (r.type() == RecordType.CASE_TRANSITION) {
            IndexFields.Transition t = IndexFields.transition(r.payload());
            Case c = cases.get(r.subject());
            if (c == null) {
                c = new Case(r.subject());
                cases.put(c.id, c);
                StoredCaseState before = revive == null ? null : revive.apply(r.subject());
                if (before != null) {
                    c.state = before.state();
                    c.police = before.police();
                    for (String e : before.events()) {
                        link(c, e);
                    }
                }
            }
            c.lastPosition = r.position();
            c.lastAt = r.at();
            if (t != null) {
                if (t.state() != null) {
                    c.state = t.state();
                }
                if (t.police() || "FORWARDED_TO_POLICE".equals(t.state())) {
                    c.police = true;
                }
                for (String id : t.events()) {
                    link(c, id);
                }
            }
        }
    }

    private void link(Case c, String id) {
        if (c.events.add(id)) {
            links++;
        }
        try {
            caseOfEvent.put(EventId.parse(id), c.id);
        } catch (RuntimeException notAnEventId) {
            // kept on the case for display; it cannot link an event record
        }
    }

    /** Reads account, category and id from the event's JSON without building the event. */
    private void indexEvent(StoredRecord r) {
        IndexFields.Event e = IndexFields.event(r.payload());
        addEvent(r.position(), r.at().toEpochMilli(), e.account(),
                e.category() == null ? -1 : categoryOrdinal(e.category()),
                e.id() == null ? null : eventId(e.id()));
    }

    private static int categoryOrdinal(String name) {
        try {
            return Category.valueOf(name).ordinal();
        } catch (IllegalArgumentException unknown) {
            return -1;
        }
    }

    private static EventId eventId(String text) {
        try {
            return EventId.parse(text);
        } catch (RuntimeException notAnId) {
            return null;
        }
    }

    private void addEvent(long position, long at, String acct, int cat, EventId id) {
        if (rows == pos.length) {
            int n = rows * 2;
            pos = Arrays.copyOf(pos, n);
            atMillis = Arrays.copyOf(atMillis, n);
            account = Arrays.copyOf(account, n);
            category = Arrays.copyOf(category, n);
            idMsb = Arrays.copyOf(idMsb, n);
            idLsb = Arrays.copyOf(idLsb, n);
        }
        int row = rows++;
        pos[row] = position;
        atMillis[row] = at;
        int a = -1;
        if (acct != null) {
            Integer known = accountIds.get(acct);
            if (known == null) {
                known = accountNames.size();
                accountNames.add(acct);
                accountIds.put(acct, known);
                rowsByAccount.add(new Rows());
            }
            a = known;
            rowsByAccount.get(a).add(row);
        }
        account[row] = a;
        category[row] = (byte) cat;
        if (cat >= 0) {
            if (rowsByCategory[cat] == null) {
                rowsByCategory[cat] = new Rows();
            }
            rowsByCategory[cat].add(row);
        }
        if (id != null) {
            hasId.set(row);
            idMsb[row] = id.msb();
            idLsb[row] = id.lsb();
        }
    }

    private int row(long position) {
        int r = Arrays.binarySearch(pos, 0, rows, position);
        return r >= 0 && !dead.get(r) ? r : -1;
    }

    private EventId idOf(int row) {
        return hasId.get(row) ? EventId.of(idMsb[row], idLsb[row]) : null;
    }

    /**
     * Forgets an event removed by compaction.
     *
     * @param position its position
     */
    public synchronized void removeEvent(long position) {
        int r = row(position);
        if (r < 0) {
            return;
        }
        dead.set(r);
        deadCount++;
        if (deadCount > 1024 && deadCount > rows / 2) {
            rebuildRows();
        }
    }

    /** Drops dead rows and rebuilds the row lists. */
    private void rebuildRows() {
        int n = 0;
        for (int r = 0; r < rows; r++) {
            if (!dead.get(r)) {
                pos[n] = pos[r];
                atMillis[n] = atMillis[r];
                account[n] = account[r];
                category[n] = category[r];
                idMsb[n] = idMsb[r];
                idLsb[n] = idLsb[r];
                hasId.set(n, hasId.get(r));
                n++;
            }
        }
        hasId.clear(n, Math.max(n, rows));
        rows = n;
        dead.clear();
        deadCount = 0;
        for (Rows l : rowsByAccount) {
            l.n = 0;
        }
        java.util.Arrays.fill(rowsByCategory, null);
        for (int r = 0; r < rows; r++) {
            if (account[r] >= 0) {
                rowsByAccount.get(account[r]).add(r);
            }
            if (category[r] >= 0) {
                if (rowsByCategory[category[r]] == null) {
                    rowsByCategory[category[r]] = new Rows();
                }
                rowsByCategory[category[r]].add(r);
            }
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
            links -= c.events.size();
            for (String e : c.events) {
                EventId id = eventId(e);
                if (id != null) {
                    caseOfEvent.remove(id, caseId);
                }
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
        return query(q, this::ownStateOf);
    }

    private String ownStateOf(EventId id) {
        Case c = cases.get(caseOfEvent.get(id));
        return c == null ? null : c.state;
    }

    /**
     * The positions of matching events, with the case state of an event looked up elsewhere (all tiers).
     *
     * @param q          the query
     * @param stateOfEvent the state of the case an event belongs to, or null when none
     * @return positions in order, at most {@code q.limit()}
     */
    public synchronized List<Long> query(EventQuery q, java.util.function.Function<EventId, String> stateOfEvent) {
        long from = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
        long to = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli();
        int[] candidates = null;
        int count = rows;
        int wantAccount = -2;
        if (q.account() != null) {
            Integer a = accountIds.get(q.account());
            if (a == null) {
                return List.of();
            }
            wantAccount = a;
            candidates = rowsByAccount.get(a).a;
            count = rowsByAccount.get(a).n;
        } else if (q.category() != null) {
            Rows l = rowsByCategory[q.category().ordinal()];
            if (l == null) {
                return List.of();
            }
            candidates = l.a;
            count = l.n;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int r = candidates == null ? i : candidates[i];
            if (dead.get(r) || atMillis[r] < from || atMillis[r] >= to
                    || (wantAccount != -2 && account[r] != wantAccount)
                    || (q.category() != null && category[r] != q.category().ordinal())) {
                continue;
            }
            if (q.caseState() != null) {
                EventId id = idOf(r);
                String st = id == null ? null : stateOfEvent.apply(id);
                if (!q.caseState().equals(st)) {
                    continue;
                }
            }
            out.add(pos[r]);
            if (out.size() == q.limit()) {
                break;
            }
        }
        return out;
    }

    /** @param state a state @return the cases in it, by latest transition */
    public synchronized List<StoredCaseState> casesIn(String state) {
        List<StoredCaseState> out = new ArrayList<>();
        for (Case c : cases.values()) {
            if (c.state.equals(state)) {
                out.add(c.view());
            }
        }
        out.sort((a, b) -> Long.compare(a.lastPosition(), b.lastPosition()));
        return out;
    }

    /** @param caseId a case @return it, if known */
    public synchronized Optional<StoredCaseState> caseState(String caseId) {
        Case c = cases.get(caseId);
        return c == null ? Optional.empty() : Optional.of(c.view());
    }

    /**
     * The case a record belongs to, for retention: transitions, operator actions and clips by subject, events by
     * the ids the case's transitions named.
     *
     * @param type     the record's type
     * @param subject  its subject
     * @param position its position
     * @return the case, or empty when it belongs to none
     */
    public synchronized Optional<StoredCaseState> caseOf(RecordType type, String subject, long position) {
        Case c = null;
        if (type == RecordType.CASE_TRANSITION || type == RecordType.OPERATOR_ACTION || type == RecordType.CLIP) {
            c = cases.get(subject);
        } else if (type == RecordType.EVENT) {
            int r = row(position);
            EventId id = r < 0 ? null : idOf(r);
            String caseId = id == null ? null : caseOfEvent.get(id);
            c = caseId == null ? null : cases.get(caseId);
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
    /**
     * The newest record of a type (CONFIG_CHANGE or CHECKPOINT, the types it tracks) for a subject.
     *
     * @param type    the type
     * @param subject the subject
     * @return its position, or -1 when none
     */
    public synchronized long newestPosition(RecordType type, String subject) {
        Long p = newest.get(Frames.code(type) + ":" + subject);
        return p == null ? -1 : p;
    }

    /**
     * Whether a record is the newest of its type for its subject.
     *
     * @param type     the type
     * @param subject  the subject
     * @param position the record's position
     * @return true if no later record of that type names that subject
     */
    public synchronized boolean newestOfSubject(RecordType type, String subject, long position) {
        Long p = newest.get(Frames.code(type) + ":" + subject);
        return p != null && p == position;
    }

    // ------------------------------------------------------------------ tiers (see TieredIndex)

    /** @return the number of cases held */
    public synchronized int caseCount() {
        return cases.size();
    }

    /** @return the event ids the held cases name (links from events to cases) */
    public synchronized long linkCount() {
        return links;
    }

    /** @return the id of the event at a position, if this index holds it */
    synchronized EventId eventIdAt(long position) {
        int r = row(position);
        return r < 0 ? null : idOf(r);
    }

    /** @return the id of the case an event belongs to, if this index holds that case */
    synchronized String caseIdOf(EventId event) {
        return caseOfEvent.get(event);
    }

    private java.util.Set<EventId> rowIds;

    /** Whether an event with this id is one of its rows (a set built on first use; for a part being split off). */
    private boolean holdsEventRow(EventId id) {
        if (rowIds == null) {
            rowIds = new java.util.HashSet<>();
            for (int r = 0; r < rows; r++) {
                EventId e = idOf(r);
                if (e != null && !dead.get(r)) {
                    rowIds.add(e);
                }
            }
        }
        return rowIds.contains(id);
    }

    /**
     * The least and greatest event ids its cases name whose events are not among its rows (events an older part
     * holds), as {msb, lsb, msb, lsb}, or null when there are none.
     */
    synchronized long[] foreignLinks() {
        rowIds = null;
        long[] out = null;
        for (Map.Entry<EventId, String> e : caseOfEvent.entrySet()) {
            if (!cases.containsKey(e.getValue()) || holdsEventRow(e.getKey())) {
                continue;
            }
            EventId id = e.getKey();
            if (out == null) {
                out = new long[] {id.msb(), id.lsb(), id.msb(), id.lsb()};
            } else {
                if (compareIds(id.msb(), id.lsb(), out[0], out[1]) < 0) {
                    out[0] = id.msb();
                    out[1] = id.lsb();
                }
                if (compareIds(id.msb(), id.lsb(), out[2], out[3]) > 0) {
                    out[2] = id.msb();
                    out[3] = id.lsb();
                }
            }
        }
        rowIds = null;
        return out;
    }

    static int compareIds(long m1, long l1, long m2, long l2) {
        int c = Long.compareUnsigned(m1, m2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }

    /** @return whether it holds a case */
    synchronized boolean holdsCase(String caseId) {
        return cases.containsKey(caseId);
    }

    /** @return the ids of the cases held (a copy) */
    synchronized java.util.Set<String> caseIds() {
        return new java.util.HashSet<>(cases.keySet());
    }

    /**
     * What a tier records about itself in memory once it is on disk: enough to skip it for most lookups.
     *
     * @param events     live events
     * @param cases      cases
     * @param firstPos   the first event position, or Long.MAX_VALUE when none
     * @param lastPos    the last event position, or 0 when none
     * @param minAt      the earliest event time (epoch ms), or Long.MAX_VALUE when none
     * @param maxAt      the latest event time (epoch ms), or Long.MIN_VALUE when none
     * @param minCase    the least case id, or null when none
     * @param maxCase    the greatest case id, or null when none
     * @param foreign    the range of event ids its cases name whose events older parts hold ({@link #foreignLinks})
     */
    record Summary(int events, int cases, long firstPos, long lastPos, long minAt, long maxAt, String minCase,
                   String maxCase, long[] foreign) {
        /** @return whether its cases may name this event although an older part holds the event */
        boolean mayLinkForeign(EventId id) {
            return foreign != null && compareIds(id.msb(), id.lsb(), foreign[0], foreign[1]) >= 0
                    && compareIds(id.msb(), id.lsb(), foreign[2], foreign[3]) <= 0;
        }

        boolean mayHoldCase(String id) {
            return minCase != null && id.compareTo(minCase) >= 0 && id.compareTo(maxCase) <= 0;
        }

        boolean mayHoldPosition(long p) {
            return p >= firstPos && p <= lastPos;
        }
    }

    /** @return this index's summary */
    synchronized Summary summary() {
        long first = Long.MAX_VALUE;
        long last = 0;
        long minAt = Long.MAX_VALUE;
        long maxAt = Long.MIN_VALUE;
        for (int r = 0; r < rows; r++) {
            if (dead.get(r)) {
                continue;
            }
            first = Math.min(first, pos[r]);
            last = Math.max(last, pos[r]);
            minAt = Math.min(minAt, atMillis[r]);
            maxAt = Math.max(maxAt, atMillis[r]);
        }
        String min = null;
        String max = null;
        for (String id : cases.keySet()) {
            if (min == null || id.compareTo(min) < 0) {
                min = id;
            }
            if (max == null || id.compareTo(max) > 0) {
                max = id;
            }
        }
        return new Summary(rows - deadCount, cases.size(), first, last, minAt, maxAt, min, max, foreignLinks());
    }

    /**
     * The position below which about half of what exceeds a bound lies: the median event position when there are
     * more than {@code maxEvents} events, the median latest-transition position of the cases when there are more
     * than {@code maxCases} cases or {@code maxLinks} links; the greater of those that apply.
     *
     * @return the cut, or 0 when no bound is exceeded
     */
    synchronized long cutFor(int maxEvents, int maxCases, long maxLinks) {
        long cut = 0;
        if (rows - deadCount > maxEvents) {
            cut = pos[rows / 2] + 1;
        }
        if (cases.size() > maxCases || links > maxLinks) {
            long[] last = new long[cases.size()];
            int n = 0;
            for (Case c : cases.values()) {
                last[n++] = c.lastPosition;
            }
            Arrays.sort(last);
            cut = Math.max(cut, last[n / 2] + 1);
        }
        return cut;
    }

    /**
     * Moves everything older than a position into a new index: the events before it and the cases whose latest
     * transition is before it (with their links). What stays is rebuilt compactly (account names no event uses
     * any more are dropped). The configuration/checkpoint table and the covered position stay here.
     *
     * @param cut the position
     * @return the older part, covering what this one covers
     */
    synchronized QueryIndex split(long cut) {
        QueryIndex old = new QueryIndex();
        QueryIndex keep = new QueryIndex();
        for (int r = 0; r < rows; r++) {
            if (dead.get(r)) {
                continue;
            }
            QueryIndex to = pos[r] < cut ? old : keep;
            to.addEvent(pos[r], atMillis[r], account[r] < 0 ? null : accountNames.get(account[r]),
                    category[r], idOf(r));
        }
        for (Case c : cases.values()) {
            QueryIndex to = c.lastPosition < cut ? old : keep;
            to.cases.put(c.id, c);
            to.links += c.events.size();
            for (String e : c.events) {
                EventId id = eventId(e);
                if (id != null && c.id.equals(caseOfEvent.get(id))) {
                    to.caseOfEvent.put(id, c.id);
                    if (to == keep && old.holdsEventRow(id)) {
                        // the event goes, its case stays: the old part still knows which case it belongs to
                        old.caseOfEvent.put(id, c.id);
                    }
                }
            }
        }
        old.covered = covered;
        pos = keep.pos;
        atMillis = keep.atMillis;
        account = keep.account;
        category = keep.category;
        idMsb = keep.idMsb;
        idLsb = keep.idLsb;
        rows = keep.rows;
        hasId.clear();
        hasId.or(keep.hasId);
        dead.clear();
        deadCount = 0;
        accountNames.clear();
        accountNames.addAll(keep.accountNames);
        accountIds.clear();
        accountIds.putAll(keep.accountIds);
        rowsByAccount.clear();
        rowsByAccount.addAll(keep.rowsByAccount);
        System.arraycopy(keep.rowsByCategory, 0, rowsByCategory, 0, rowsByCategory.length);
        cases.clear();
        cases.putAll(keep.cases);
        caseOfEvent.clear();
        caseOfEvent.putAll(keep.caseOfEvent);
        links = keep.links;
        return old;
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
        save(file, segments, new byte[0]);
    }

    /**
     * Saves the index atomically with a section of the caller's.
     *
     * @param file     where
     * @param segments {base, size} of every segment it was built from, in order
     * @param extra    bytes given back by {@link #load} as {@link Loaded#extra()}
     * @throws IOException if writing fails
     */
    public synchronized void save(Path file, List<long[]> segments, byte[] extra) throws IOException {
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
        out.writeInt(accountNames.size());
        for (String a : accountNames) {
            out.writeUTF(a);
        }
        out.writeInt(rows - deadCount);
        for (int r = 0; r < rows; r++) {
            if (dead.get(r)) {
                continue;
            }
            out.writeLong(pos[r]);
            out.writeLong(atMillis[r]);
            out.writeInt(account[r]);
            out.writeByte(category[r]);
            out.writeBoolean(hasId.get(r));
            out.writeLong(idMsb[r]);
            out.writeLong(idLsb[r]);
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
        out.writeInt(extra.length);
        out.write(extra);
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A saved index and the segment sizes it was built from. */
    public record Loaded(QueryIndex index, List<long[]> segments, byte[] extra) {
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
            DataInputStream in = Frames.checkedBody(data);
            if (in == null) {
                return Optional.empty();
            }
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
            int accounts = in.readInt();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                names.add(in.readUTF());
            }
            int events = in.readInt();
            for (int i = 0; i < events; i++) {
                long p = in.readLong();
                long at = in.readLong();
                int a = in.readInt();
                int c = in.readByte();
                boolean withId = in.readBoolean();
                long msb = in.readLong();
                long lsb = in.readLong();
                q.addEvent(p, at, a < 0 ? null : names.get(a), c < CATEGORIES.length ? c : -1,
                        withId ? EventId.of(msb, lsb) : null);
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
                    q.links++;
                    EventId id = eventId(e);
                    if (id != null) {
                        q.caseOfEvent.put(id, c.id);
                    }
                }
                q.cases.put(c.id, c);
            }
            int nn = in.readInt();
            for (int i = 0; i < nn; i++) {
                q.newest.put(in.readUTF(), in.readLong());
            }
            byte[] extra = new byte[in.readInt()];
            in.readFully(extra);
            return Optional.of(new Loaded(q, segs, extra));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
