package org.arc4j.examples.center;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.arc4j.core.event.EventId;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The index behind {@code GET /api/events}: every {@code EVENT} record's id and journal position, sorted by id
 * (ids are time-ordered ULIDs), so that the newest N and the page after a given id are found without reading the
 * journal. 24 bytes per event. It follows the journal through a subscription, which starts at position 1 and so
 * also covers everything written before this start. Thread-safe.
 */
public final class EventIndex implements AutoCloseable {
    private long[] msb = new long[1024];
    private long[] lsb = new long[1024];
    private long[] pos = new long[1024];
    private int size;
    private long seenUpTo;
    private final RecordStore.Subscription subscription;

    /**
     * Starts following a journal from its first record.
     *
     * @param journal the journal
     */
    EventIndex(RecordStore journal) {
        this.subscription = journal.subscribe(1, this::onRecord);
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
    public synchronized long[] newest(int limit, EventId after) {
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

    /** @return how many events are indexed */
    public synchronized int size() {
        return size;
    }

    /** Stops following the journal. */
    @Override
    public void close() {
        subscription.close();
    }
}
