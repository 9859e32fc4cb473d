package org.arc4j.examples.center;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.arc4j.core.event.EventId;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The index behind {@code GET /api/events}: the newest {@code EVENT} records' ids and journal positions, sorted by
 * id (ids are time-ordered ULIDs), so that the newest N and the pages after them are found without reading the
 * journal. 24 bytes per event.
 *
 * <p><b>Bound:</b> at most {@code capacity} events ({@value #CAPACITY} by default, about 2.4 MB) are held. When one
 * more comes, the older half (by id) is dropped and the index then holds exactly the events at or after a
 * position ({@link #coveredFrom()}); pages older than that are read from the journal, backwards from that
 * position, with a typed replay that reads only event records. On start it follows the journal from
 * {@value #LOOKBACK} records per held event before its end, not from its first record, so that a start costs the
 * same however long the history. Thread-safe.
 */
public final class EventIndex implements AutoCloseable {
    /** Events held at most, by default. */
    public static final int CAPACITY = 100_000;
    /** Records read back on start per event held (events are about a quarter of a centre's records). */
    static final int LOOKBACK = 4;

    private final RecordStore journal;
    private final int capacity;
    private long[] msb = new long[1024];
    private long[] lsb = new long[1024];
    private long[] pos = new long[1024];
    private int size;
    private long seenUpTo;
    /** Every event at or after this position that the subscription delivered is held. */
    private long coveredFrom;
    private final RecordStore.Subscription subscription;

    /**
     * Starts following a journal near its end.
     *
     * @param journal the journal
     */
    EventIndex(RecordStore journal) {
        this(journal, CAPACITY);
    }

    /**
     * Starts following a journal near its end, with another bound.
     *
     * @param journal  the journal
     * @param capacity events held at most
     */
    EventIndex(RecordStore journal, int capacity) {
        this.journal = journal;
        this.capacity = capacity;
        long start = Math.max(1, journal.nextPosition() - (long) capacity * LOOKBACK);
        synchronized (this) {
            this.coveredFrom = start;
            this.seenUpTo = start - 1;
        }
        this.subscription = journal.subscribe(start, this::onRecord);
    }

    private void onRecord(StoredRecord r) {
        if (r.type() == RecordType.EVENT) {
            EventId id = idOf(r.payload());
            if (id != null) {
                add(id, r.position());
            }
        }
        synchronized (this) {
            seenUpTo = r.position();
            notifyAll();
        }
    }

    /** The id is the second field of the event JSON ({@code {"v":1,"id":"…"}}); a full parse is not needed. */
    private static EventId idOf(byte[] json) {
        String head = new String(json, 0, Math.min(json.length, 64), StandardCharsets.US_ASCII);
        int at = head.indexOf("\"id\":\"");
        if (at < 0 || at + 6 + 26 > head.length()) {
            return null;
        }
        try {
            return EventId.parse(head.substring(at + 6, at + 6 + 26));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private synchronized void add(EventId id, long position) {
        if (size == pos.length) {
            msb = Arrays.copyOf(msb, size * 2);
            lsb = Arrays.copyOf(lsb, size * 2);
            pos = Arrays.copyOf(pos, size * 2);
        }
        // ids of concurrent messages may reach the journal slightly out of order: insert from the end
        int i = size;
        while (i > 0 && compare(msb[i - 1], lsb[i - 1], id.msb(), id.lsb()) > 0) {
            i--;
        }
        if (i < size) {
            System.arraycopy(msb, i, msb, i + 1, size - i);
            System.arraycopy(lsb, i, lsb, i + 1, size - i);
            System.arraycopy(pos, i, pos, i + 1, size - i);
        }
        msb[i] = id.msb();
        lsb[i] = id.lsb();
        pos[i] = position;
        size++;
        if (size > capacity) {
            evictOlderHalf();
        }
    }

    /** Drops the older half by id, then whatever else lies before the newest position dropped. */
    private void evictOlderHalf() {
        int drop = size / 2;
        long floor = coveredFrom;
        for (int k = 0; k < drop; k++) {
            floor = Math.max(floor, pos[k] + 1);
        }
        int n = 0;
        for (int k = drop; k < size; k++) {
            if (pos[k] >= floor) {
                msb[n] = msb[k];
                lsb[n] = lsb[k];
                pos[n] = pos[k];
                n++;
            }
        }
        size = n;
        coveredFrom = floor;
    }

    /** @return the position from which on every event is held */
    public synchronized long coveredFrom() {
        return coveredFrom;
    }

    private static int compare(long m1, long l1, long m2, long l2) {
        int c = Long.compareUnsigned(m1, m2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }

    /**
     * Waits until the index has seen every record before {@code position} (at start, so that the API never
     * answers from half an index).
     *
     * @param position  the journal's next position when the caller started
     * @param timeoutMs how long to wait at most
     * @return true when caught up
     * @throws InterruptedException if interrupted
     */
    synchronized boolean awaitCaughtUp(long position, long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (seenUpTo < position - 1) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * Journal positions of the newest events, newest first.
     *
     * @param limit how many at most
     * @param after only events older than this id, or null for the newest
     * @return positions
     */
    public long[] newest(int limit, EventId after) {
        long[] held;
        long floor;
        synchronized (this) {
            held = held(limit, after);
            floor = coveredFrom;
        }
        if (held.length == limit || floor <= 1) {
            return held;
        }
        long[] fromJournal = olderFromJournal(limit - held.length, after, floor);
        long[] out = Arrays.copyOf(held, held.length + fromJournal.length);
        System.arraycopy(fromJournal, 0, out, held.length, fromJournal.length);
        return out;
    }

    /** Stops a replay that has passed the part wanted. */
    private static final class Passed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Passed() {
            super(null, null, false, false);
        }
    }

    /**
     * The newest events before a position (and older than an id), newest first, read from the journal in chunks
     * going backwards.
     */
    private long[] olderFromJournal(int want, EventId after, long before) {
        List<long[]> found = new ArrayList<>(); // {msb, lsb, pos}
        long hi = before;
        long chunk = 4_096;
        while (hi > 1 && found.size() < want) {
            long lo = Math.max(1, hi - chunk);
            long stop = hi;
            List<long[]> part = new ArrayList<>();
            try {
                journal.replay(lo, Set.of(RecordType.EVENT), r -> {
                    if (r.position() >= stop) {
                        throw new Passed();
                    }
                    if (r.type() == RecordType.EVENT) {
                        EventId id = idOf(r.payload());
                        if (id != null && (after == null || compare(id.msb(), id.lsb(), after.msb(), after.lsb()) < 0)) {
                            part.add(new long[] {id.msb(), id.lsb(), r.position()});
                        }
                    }
                });
            } catch (Passed done) {
                // read far enough
            }
            found.addAll(part);
            hi = lo;
            chunk = Math.min(chunk * 2, 1 << 20);
        }
        found.sort((a, b) -> compare(b[0], b[1], a[0], a[1]));
        int n = Math.min(want, found.size());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = found.get(i)[2];
        }
        return out;
    }

    /** The held part of {@link #newest}. */
    private long[] held(int limit, EventId after) {
        int end = size;
        if (after != null) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (compare(msb[mid], lsb[mid], after.msb(), after.lsb()) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            end = lo;
        }
        int n = Math.min(limit, end);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = pos[end - 1 - i];
        }
        return out;
    }

    /** @return how many events are held in memory (at most the capacity) */
    public synchronized int size() {
        return size;
    }

    /** Stops following the journal. */
    @Override
    public void close() {
        subscription.close();
    }
}
