package org.arc4j.core.intake.internal;

import java.util.Arrays;

/**
 * The idempotency keys accepted within the dedupe window, without one object per key: for each acceptance a
 * 64-bit hash of its key, the store position of its IDEMPOTENCY_KEY record, the position of its first EVENT
 * record and the time it was accepted, in primitive arrays. A hash only names candidates: the caller confirms a
 * match by reading the key record back, so two keys with the same hash are both kept and both found.
 *
 * <p>Entries sit in a ring in acceptance order (which is time order, so expiry pops from the head), and an open
 * addressing table with linear probing (at most half full) maps hashes to ring entries: 48 to 96 bytes a key,
 * depending on how far the arrays are from their next doubling, where a map of key objects to their events held a
 * kilobyte and gave the collector a dozen objects to trace per message.
 *
 * <p>Not thread-safe: the intake calls it under its lock. Internal to sdk-core.
 */
public final class KeyWindow {
    private static final int MIN_CAPACITY = 16;

    // the ring, indexed by sequence number & (capacity - 1)
    private long[] hashes = new long[MIN_CAPACITY];
    private long[] keyPositions = new long[MIN_CAPACITY];
    private long[] firstPositions = new long[MIN_CAPACITY];
    private long[] times = new long[MIN_CAPACITY];
    private long head; // sequence number of the oldest entry
    private long tail; // sequence number the next entry gets

    // the table: sequence number + 1 of a ring entry, 0 for an empty slot
    private long[] table = new long[MIN_CAPACITY * 2];

    /** An empty window. */
    public KeyWindow() {
    }

    /**
     * A 64-bit hash of a key's text (FNV-1a over its UTF-16 units, then a 64-bit finaliser to spread the bits).
     *
     * @param key the key's text
     * @return its hash
     */
    public static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** @return how many keys it holds */
    public int size() {
        return (int) (tail - head);
    }

    /**
     * Remembers an acceptance. Times must not decrease from one call to the next for {@link #expireBefore} to
     * find every expired entry (a smaller one is kept until those before it expire).
     *
     * @param hash          the key's {@link #hash}
     * @param keyPosition   the position of its IDEMPOTENCY_KEY record
     * @param firstPosition the position of its first EVENT record
     * @param atMillis      when it was accepted, in epoch milliseconds
     */
    public void add(long hash, long keyPosition, long firstPosition, long atMillis) {
        if (size() == hashes.length) {
            growRing();
        }
        if ((size() + 1) * 2L > table.length) {
            rehash(table.length * 2);
        }
        long seq = tail++;
        int i = (int) (seq & (hashes.length - 1));
        hashes[i] = hash;
        keyPositions[i] = keyPosition;
        firstPositions[i] = firstPosition;
        times[i] = atMillis;
        insert(hash, seq);
    }

    /**
     * The candidates for a key: the IDEMPOTENCY_KEY and first EVENT positions of every remembered acceptance
     * whose key has this hash, as pairs, newest acceptance not necessarily first.
     *
     * @param hash the key's {@link #hash}
     * @return {@code [keyPosition, firstPosition, keyPosition, firstPosition, ...]}, empty when none
     */
    public long[] candidates(long hash) {
        long[] found = null;
        int n = 0;
        int mask = table.length - 1;
        for (int s = home(hash, mask); table[s] != 0; s = (s + 1) & mask) {
            int i = ring(table[s] - 1);
            if (hashes[i] == hash) {
                if (found == null) {
                    found = new long[2];
                } else if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = keyPositions[i];
                found[n++] = firstPositions[i];
            }
        }
        return found == null ? EMPTY : n == found.length ? found : Arrays.copyOf(found, n);
    }

    private static final long[] EMPTY = new long[0];

    /**
     * Forgets every acceptance older than a limit, oldest first, stopping at the first that is not.
     *
     * @param limitMillis the oldest time kept, in epoch milliseconds
     * @return how many were forgotten
     */
    public int expireBefore(long limitMillis) {
        int n = 0;
        while (head < tail && times[ring(head)] < limitMillis) {
            remove(head);
            head++;
            n++;
        }
        if (n > 0 && hashes.length > MIN_CAPACITY && size() * 4 < hashes.length) {
            shrink();
        }
        return n;
    }

    /**
     * @return the smallest first-EVENT position of the acceptances it holds, or {@code Long.MAX_VALUE} when empty:
     *         where a replay that rebuilds the window must start
     */
    public long minFirstPosition() {
        long min = Long.MAX_VALUE;
        for (long seq = head; seq < tail; seq++) {
            min = Math.min(min, firstPositions[ring(seq)]);
        }
        return min;
    }

    private int ring(long seq) {
        return (int) (seq & (hashes.length - 1));
    }

    private static int home(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    private void insert(long hash, long seq) {
        int mask = table.length - 1;
        int s = home(hash, mask);
        while (table[s] != 0) {
            s = (s + 1) & mask;
        }
        table[s] = seq + 1;
    }

    /** Removes a sequence number from the table, shifting later entries of its probe run back (no tombstones). */
    private void remove(long seq) {
        int mask = table.length - 1;
        int s = home(hashes[ring(seq)], mask);
        while (table[s] != seq + 1) {
            s = (s + 1) & mask;
        }
        int gap = s;
        for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int h = home(hashes[ring(table[j] - 1)], mask);
            // the entry at j may move into the gap when its home slot is not within (gap, j]
            boolean homeInRange = gap < j ? gap < h && h <= j : gap < h || h <= j;
            if (!homeInRange) {
                table[gap] = table[j];
                gap = j;
            }
        }
        table[gap] = 0;
    }

    private void growRing() {
        resizeRing(hashes.length * 2);
    }

    private void shrink() {
        int capacity = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, size())) * 2);
        if (capacity < hashes.length) {
            resizeRing(capacity);
            rehash(Math.max(MIN_CAPACITY * 2, capacity * 2));
        }
    }

    private void resizeRing(int capacity) {
        long[] h = new long[capacity];
        long[] k = new long[capacity];
        long[] f = new long[capacity];
        long[] t = new long[capacity];
        for (long seq = head; seq < tail; seq++) {
            int from = ring(seq);
            int to = (int) (seq & (capacity - 1));
            h[to] = hashes[from];
            k[to] = keyPositions[from];
            f[to] = firstPositions[from];
            t[to] = times[from];
        }
        hashes = h;
        keyPositions = k;
        firstPositions = f;
        times = t;
    }

    private void rehash(int capacity) {
        table = new long[capacity];
        for (long seq = head; seq < tail; seq++) {
            insert(hashes[ring(seq)], seq);
        }
    }
}
