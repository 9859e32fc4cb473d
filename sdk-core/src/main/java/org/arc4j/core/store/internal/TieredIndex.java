package org.arc4j.core.store.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.arc4j.core.event.EventId;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.StoredRecord;

/**
 * The journal's query index with a bounded share in memory: a <b>hot</b> {@link QueryIndex} that takes the new
 * records, and <b>cold tiers</b> on disk ({@code index/tier-<n>.idx}, each a saved {@link QueryIndex}) that hold
 * what the hot one let go.
 *
 * <h2>The bound and the eviction rule</h2>
 * When the hot index holds more than {@code maxEvents} events, more than {@code maxCases} cases, or its cases name
 * more than {@code maxLinks} event ids, it is split at a position {@link QueryIndex#cutFor chosen} so that about
 * half of what exceeded the bound lies before it: the events before that position and the cases whose latest
 * transition is before it are written to a new cold tier, and the hot index keeps the rest. A case that gets a new
 * transition after it went cold comes back into the hot index with its state, police flag and events. So memory
 * holds at most {@code maxEvents} events (about 40 bytes each), {@code maxCases} cases and {@code maxLinks}
 * links, plus at most {@value #CACHED} cold tiers loaded for lookups (each at most as large as the hot bound), plus
 * a summary of about 200 bytes per cold tier (positions, times and case id range; one tier per
 * {@code maxEvents / 2} events or so of history) and a Bloom filter of its case ids (10 bits a case), so that a
 * transition of a new case, and a lookup of a case no tier holds, reads no tier in most cases. Those filters are
 * the one part that still grows with the history: about 1.25 bytes per case ever spilled.
 *
 * <h2>Lookups served from disk</h2>
 * Queries read the cold tiers whose time and position ranges can match, oldest first, and stop at the limit;
 * {@code caseState} of a case that is not hot reads the tiers whose case id range holds it (case ids that carry
 * their time, like the pipeline's, fall into one or two), newest first; {@code casesIn} reads every tier.
 *
 * <p>Persistence: a cold tier is written once, when it is split off, and rewritten only by compaction's removals;
 * the hot index's saved file lists the tiers it relies on, and tiers it does not list are deleted on load. All
 * methods synchronized (lock order: this, then the {@link QueryIndex}es).
 */
final class TieredIndex {
    /** Events the hot index holds at most: about 10 MB. */
    static final int MAX_EVENTS = 262_144;
    /** Cases the hot index holds at most. */
    static final int MAX_CASES = 32_768;
    /** Event ids the hot index's cases name at most. */
    static final long MAX_LINKS = 262_144;
    /** Cold tiers kept loaded for lookups. */
    static final int CACHED = 2;

    private final Path dir;
    private final int maxEvents;
    private final int maxCases;
    private final long maxLinks;
    private final QueryIndex hot;
    /** Cold tiers, oldest first. */
    private final List<Tier> tiers = new ArrayList<>();
    private final LinkedHashMap<Long, QueryIndex> loaded = new LinkedHashMap<>(4, 0.75f, true);
    private long nextTier = 1;

    /** A cold tier: its number (file), summary and whether compaction changed it since it was written. */
    private static final class Tier {
        final long n;
        QueryIndex.Summary summary;
        boolean dirty;
        /** A Bloom filter of its case ids (10 bits a case, 3 probes): most tiers are skipped without a read. */
        long[] bloom;

        Tier(long n, QueryIndex.Summary summary, long[] bloom) {
            this.n = n;
            this.summary = summary;
            this.bloom = bloom;
        }

        boolean mayHoldCase(String id) {
            return summary.mayHoldCase(id) && mightContain(bloom, id);
        }
    }

    static long[] bloomOf(Set<String> ids) {
        long[] bits = new long[Math.max(1, (ids.size() * 10 + 63) / 64)];
        for (String id : ids) {
            int h1 = id.hashCode();
            int h2 = Integer.reverse(h1 * 0x9E3779B1) | 1;
            for (int k = 0; k < 3; k++) {
                int b = Math.floorMod(h1 + k * h2, bits.length * 64);
                bits[b >>> 6] |= 1L << (b & 63);
            }
        }
        return bits;
    }

    static boolean mightContain(long[] bits, String id) {
        int h1 = id.hashCode();
        int h2 = Integer.reverse(h1 * 0x9E3779B1) | 1;
        for (int k = 0; k < 3; k++) {
            int b = Math.floorMod(h1 + k * h2, bits.length * 64);
            if ((bits[b >>> 6] & (1L << (b & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * An empty index (any cold tiers in {@code dir} are deleted).
     *
     * @param dir       the index directory
     * @param maxEvents events held in memory at most
     * @param maxCases  cases held in memory at most
     * @param maxLinks  event ids named by the cases in memory at most
     */
    TieredIndex(Path dir, int maxEvents, int maxCases, long maxLinks) {
        this.dir = dir;
        this.maxEvents = maxEvents;
        this.maxCases = maxCases;
        this.maxLinks = maxLinks;
        this.hot = new QueryIndex();
        hot.reviveFrom(this::coldCase);
        deleteTiersExcept(Set.of());
    }

    private Path tierFile(long n) {
        return dir.resolve("tier-" + n + ".idx");
    }

    private void deleteTiersExcept(Set<Long> keep) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (name.matches("tier-\\d+\\.idx(\\.tmp)?")) {
                    long n = Long.parseLong(name.substring(5, name.indexOf('.')));
                    if (!keep.contains(n) || name.endsWith(".tmp")) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // left over: a later rebuild or load tries again
        }
    }

    // ------------------------------------------------------------------ feeding

    /** @return the position after the last record indexed */
    synchronized long covered() {
        return hot.covered();
    }

    /** @param next the position after the last record seen */
    synchronized void coveredTo(long next) {
        hot.coveredTo(next);
    }

    /**
     * Indexes a record (in position order), moving the oldest share of the hot index to a cold tier when it
     * exceeds its bound.
     *
     * @param r the record
     */
    synchronized void accept(StoredRecord r) {
        hot.accept(r);
        if (hot.eventCount() > maxEvents || hot.caseCount() > maxCases || hot.linkCount() > maxLinks) {
            spill();
        }
    }

    private void spill() {
        long cut = hot.cutFor(maxEvents, maxCases, maxLinks);
        if (cut <= 0) {
            return;
        }
        QueryIndex cold = hot.split(cut);
        long n = nextTier++;
        try {
            cold.save(tierFile(n), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the query index tier " + tierFile(n), e);
        }
        tiers.add(new Tier(n, cold.summary(), bloomOf(cold.caseIds())));
        cache(n, cold);
    }

    private void cache(long n, QueryIndex q) {
        loaded.put(n, q);
        while (loaded.size() > CACHED) {
            Long eldest = loaded.keySet().iterator().next();
            loaded.remove(eldest);
        }
    }

    private QueryIndex tier(Tier t) {
        QueryIndex q = loaded.get(t.n);
        if (q != null) {
            return q;
        }
        q = QueryIndex.load(tierFile(t.n)).map(QueryIndex.Loaded::index).orElseThrow(() -> new UncheckedIOException(
                new IOException("the query index tier " + tierFile(t.n) + " is missing or unreadable")));
        cache(t.n, q);
        return q;
    }

    // ------------------------------------------------------------------ figures

    /** @return events in memory (hot) */
    synchronized int hotEvents() {
        return hot.eventCount();
    }

    /** @return cases in memory (hot) */
    synchronized int hotCases() {
        return hot.caseCount();
    }

    /** @return event ids named by the cases in memory (hot) */
    synchronized long hotLinks() {
        return hot.linkCount();
    }

    /** @return the number of cold tiers on disk */
    synchronized int tierCount() {
        return tiers.size();
    }

    /** @return the number of cold tiers loaded in memory */
    synchronized int tiersLoaded() {
        return loaded.size();
    }

    /** @return events indexed, hot and cold */
    synchronized long eventCount() {
        long n = hot.eventCount();
        for (Tier t : tiers) {
            n += t.summary.events();
        }
        return n;
    }

    // ------------------------------------------------------------------ lookups

    /** The case as a cold tier holds it, newest tier first, or null: for a case coming back into the hot index. */
    private StoredCaseState coldCase(String caseId) {
        for (int i = tiers.size() - 1; i >= 0; i--) {
            Tier t = tiers.get(i);
            if (t.mayHoldCase(caseId)) {
                Optional<StoredCaseState> c = tier(t).caseState(caseId);
                if (c.isPresent()) {
                    return c.get();
                }
            }
        }
        return null;
    }

    /** @return the case's latest state, hot or cold */
    synchronized Optional<StoredCaseState> caseState(String caseId) {
        Optional<StoredCaseState> c = hot.caseState(caseId);
        return c.isPresent() ? c : Optional.ofNullable(coldCase(caseId));
    }

    /**
     * The case an event belongs to. The hot index knows every event of its cases. Else the tier that holds the
     * event names its case (also when the case stayed hot when the event went cold); failing that, a later tier
     * whose cases name events of older tiers in a range that holds it. The case itself is then taken from where
     * its newest copy is: hot, else the newest tier whose case id range holds it.
     *
     * @param id       the event
     * @param ownTier  the tier that holds the event, or {@code tiers.size()} when it is hot
     */
    private StoredCaseState caseOfEvent(EventId id, int ownTier) {
        String caseId = hot.caseIdOf(id);
        if (caseId != null) {
            return hot.caseState(caseId).orElse(null);
        }
        if (ownTier < tiers.size()) {
            caseId = tier(tiers.get(ownTier)).caseIdOf(id);
        }
        for (int i = ownTier + 1; caseId == null && i < tiers.size(); i++) {
            if (tiers.get(i).summary.mayLinkForeign(id)) {
                caseId = tier(tiers.get(i)).caseIdOf(id);
            }
        }
        return caseId == null ? null : caseState(caseId).orElse(null);
    }

    private String stateOfEvent(EventId id, int fromTier) {
        StoredCaseState c = caseOfEvent(id, fromTier);
        return c == null ? null : c.state();
    }

    /** @return positions of matching events in order, at most {@code q.limit()}, cold tiers first */
    synchronized List<Long> query(EventQuery q) {
        long from = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
        long to = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli();
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < tiers.size() && out.size() < q.limit(); i++) {
            Tier t = tiers.get(i);
            if (t.summary.events() == 0 || t.summary.maxAt() < from || t.summary.minAt() >= to) {
                continue;
            }
            int fromTier = i;
            out.addAll(tier(t).query(q.withLimit(q.limit() - out.size()), id -> stateOfEvent(id, fromTier)));
        }
        if (out.size() < q.limit()) {
            out.addAll(hot.query(q.withLimit(q.limit() - out.size()), id -> stateOfEvent(id, tiers.size())));
        }
        return out;
    }

    /** @return the cases whose latest state is {@code state}, by latest transition (reads every cold tier) */
    synchronized List<StoredCaseState> casesIn(String state) {
        List<StoredCaseState> out = new ArrayList<>(hot.casesIn(state));
        Set<String> newer = hot.caseIds();
        for (int i = tiers.size() - 1; i >= 0; i--) {
            QueryIndex q = tier(tiers.get(i));
            for (StoredCaseState c : q.casesIn(state)) {
                if (!newer.contains(c.caseId())) {
                    out.add(c);
                }
            }
            if (i > 0) {
                newer.addAll(q.caseIds());
            }
        }
        out.sort(Comparator.comparingLong(StoredCaseState::lastPosition));
        return out;
    }

    /**
     * The case a record belongs to, for retention (see {@link QueryIndex#caseOf}).
     *
     * @return the case, or empty when it belongs to none
     */
    synchronized Optional<StoredCaseState> caseOf(RecordType type, String subject, long position) {
        if (type == RecordType.CASE_TRANSITION || type == RecordType.OPERATOR_ACTION || type == RecordType.CLIP) {
            return caseState(subject);
        }
        if (type != RecordType.EVENT) {
            return Optional.empty();
        }
        EventId id = hot.eventIdAt(position);
        int from = tiers.size();
        for (int i = tiers.size() - 1; id == null && i >= 0; i--) {
            Tier t = tiers.get(i);
            if (t.summary.mayHoldPosition(position)) {
                id = tier(t).eventIdAt(position);
                from = i;
            }
        }
        return id == null ? Optional.empty() : Optional.ofNullable(caseOfEvent(id, from));
    }

    /** @return whether no later record of that type (CONFIG_CHANGE, CHECKPOINT) names that subject */
    synchronized boolean newestOfSubject(RecordType type, String subject, long position) {
        return hot.newestOfSubject(type, subject, position);
    }

    /** @return the newest record's position of that type and subject, or -1 */
    synchronized long newestPosition(RecordType type, String subject) {
        return hot.newestPosition(type, subject);
    }

    // ------------------------------------------------------------------ compaction

    /** Forgets an event compaction removed. */
    synchronized void removeEvent(long position) {
        if (hot.eventIdAt(position) != null) {
            hot.removeEvent(position);
            return;
        }
        for (Tier t : tiers) {
            if (t.summary.mayHoldPosition(position)) {
                QueryIndex q = tier(t);
                if (q.eventIdAt(position) != null) {
                    q.removeEvent(position);
                    t.dirty = true;
                    return;
                }
            }
        }
        hot.removeEvent(position);
    }

    /** Forgets a case whose latest transition compaction removed. */
    synchronized void removeCaseAt(String caseId, long lastPosition) {
        Optional<StoredCaseState> h = hot.caseState(caseId);
        if (h.isPresent()) {
            if (h.get().lastPosition() == lastPosition) {
                hot.removeCase(caseId);
            }
            return;
        }
        for (int i = tiers.size() - 1; i >= 0; i--) {
            Tier t = tiers.get(i);
            if (t.mayHoldCase(caseId)) {
                QueryIndex q = tier(t);
                Optional<StoredCaseState> c = q.caseState(caseId);
                if (c.isPresent()) {
                    if (c.get().lastPosition() == lastPosition) {
                        q.removeCase(caseId);
                        t.dirty = true;
                    }
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ file

    /**
     * Saves the hot index (listing the tiers) and any tier compaction changed.
     *
     * @param file     the hot index's file
     * @param segments the log's {base, size}
     * @throws IOException if writing fails
     */
    synchronized void save(Path file, List<long[]> segments) throws IOException {
        for (Tier t : tiers) {
            if (t.dirty) {
                QueryIndex q = tier(t);
                q.save(tierFile(t.n), List.of());
                t.summary = q.summary();
                t.dirty = false;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(nextTier);
        out.writeInt(tiers.size());
        for (Tier t : tiers) {
            QueryIndex.Summary s = t.summary;
            out.writeLong(t.n);
            out.writeInt(s.events());
            out.writeInt(s.cases());
            out.writeLong(s.firstPos());
            out.writeLong(s.lastPos());
            out.writeLong(s.minAt());
            out.writeLong(s.maxAt());
            out.writeUTF(s.minCase() == null ? "" : s.minCase());
            out.writeUTF(s.maxCase() == null ? "" : s.maxCase());
            out.writeBoolean(s.minCase() != null);
            out.writeBoolean(s.foreign() != null);
            if (s.foreign() != null) {
                for (long v : s.foreign()) {
                    out.writeLong(v);
                }
            }
            out.writeInt(t.bloom.length);
            for (long v : t.bloom) {
                out.writeLong(v);
            }
        }
        out.flush();
        hot.save(file, segments, bytes.toByteArray());
    }

    /**
     * Takes over a loaded hot index and the tiers its file lists; deletes tiers it does not list.
     *
     * @param l a loaded hot index
     * @return the index, or empty when the tier list is unreadable or a listed tier is missing
     */
    static Optional<TieredIndex> of(QueryIndex.Loaded l, Path dir, int maxEvents, int maxCases, long maxLinks) {
        TieredIndex t = new TieredIndex(dir, maxEvents, maxCases, maxLinks, l.index());
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(l.extra()));
            t.nextTier = in.readLong();
            int n = in.readInt();
            Set<Long> keep = new HashSet<>();
            for (int i = 0; i < n; i++) {
                long num = in.readLong();
                int events = in.readInt();
                int cases = in.readInt();
                long firstPos = in.readLong();
                long lastPos = in.readLong();
                long minAt = in.readLong();
                long maxAt = in.readLong();
                String min = in.readUTF();
                String max = in.readUTF();
                boolean any = in.readBoolean();
                long[] foreign = null;
                if (in.readBoolean()) {
                    foreign = new long[] {in.readLong(), in.readLong(), in.readLong(), in.readLong()};
                }
                long[] bloom = new long[in.readInt()];
                for (int k = 0; k < bloom.length; k++) {
                    bloom[k] = in.readLong();
                }
                if (!Files.exists(t.tierFile(num)) || bloom.length == 0) {
                    return Optional.empty();
                }
                t.tiers.add(new Tier(num, new QueryIndex.Summary(events, cases, firstPos, lastPos, minAt, maxAt,
                        any ? min : null, any ? max : null, foreign), bloom));
                keep.add(num);
            }
            t.deleteTiersExcept(keep);
            return Optional.of(t);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private TieredIndex(Path dir, int maxEvents, int maxCases, long maxLinks, QueryIndex hot) {
        this.dir = dir;
        this.maxEvents = maxEvents;
        this.maxCases = maxCases;
        this.maxLinks = maxLinks;
        this.hot = hot;
        hot.reviveFrom(this::coldCase);
    }

    /** @return the cached tiers, for tests */
    synchronized Map<Long, QueryIndex> cachedTiers() {
        return Map.copyOf(loaded);
    }
}
