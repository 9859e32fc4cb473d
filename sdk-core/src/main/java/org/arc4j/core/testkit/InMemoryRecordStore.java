package org.arc4j.core.testkit;

import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.NewRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link RecordStore} in memory: for tests, benchmarks and embedding experiments, never a centre's default
 * (nothing survives a restart). Appends complete at once unless {@link #hold()} was called, which keeps them
 * pending as a slow disk would, so that tests can exercise backpressure and "no acknowledgement before durable";
 * subscribers are called on the appending thread, after the catch-up from their position. Thread-safe.
 *
 * <p><b>Memory.</b> Records are not kept as objects: each is copied, as one frame, into large byte chunks
 * (4 MiB), and an index of long arrays maps positions to frames. A store holding millions of records is thus a
 * few hundred large arrays rather than millions of small objects that every garbage collection would have to
 * trace and copy; every read, replay and delivery decodes a new {@link StoredRecord} that the caller owns.
 */
public final class InMemoryRecordStore implements RecordStore {
    /**
     * Chunk size: an array of exactly 4 MiB with its 16-byte header, so that G1 (region sizes 1 to 4 MiB for heaps
     * up to 8 GiB) allocates each chunk as a humongous object filling whole regions, which it never copies.
     */
    private static final int CHUNK = (4 << 20) - 16;
    private static final int PAGE_BITS = 14;
    private static final int PAGE = 1 << PAGE_BITS;
    /** type (1), version (2), epoch second (8), nano (4), subject length (4), payload length (4). */
    private static final int HEADER = 23;
    private static final RecordType[] TYPES = RecordType.values();

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int used;
    /** Frame addresses by position - 1: chunk index in the high 32 bits, offset in the low 32. */
    private long[][] index = new long[16][];
    private long size;

    private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean holding;
    private boolean closed;

    /** An empty store. */
    public InMemoryRecordStore() {
    }

    private final class Sub implements Subscription {
        final Consumer<StoredRecord> consumer;
        long next;
        volatile boolean open = true;

        Sub(Consumer<StoredRecord> consumer, long next) {
            this.consumer = consumer;
            this.next = next;
        }

        @Override
        public void close() {
            open = false;
            subscribers.remove(this);
        }
    }

    @Override
    public CompletionStage<Long> append(NewRecord record) {
        CompletionStage<List<Long>> s = appendAll(List.of(record));
        CompletableFuture<List<Long>> f = s.toCompletableFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(f.join().get(0));
        }
        return s.thenApply(p -> p.get(0));
    }

    /** Keeps appends pending (not yet visible, stages not complete) until {@link #release()}. */
    public synchronized void hold() {
        holding = true;
    }

    /** Makes every held append durable, in order, completes their stages and stops holding. */
    public void release() {
        List<Runnable> run;
        synchronized (this) {
            holding = false;
            run = new ArrayList<>(held);
            held.clear();
        }
        run.forEach(Runnable::run);
    }

    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> batch) {
        if (batch.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no records"));
        }
        synchronized (this) {
            if (holding && !closed) {
                CompletableFuture<List<Long>> f = new CompletableFuture<>();
                held.add(() -> write(batch).whenComplete((p, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(p);
                    }
                }));
                return f;
            }
        }
        return write(batch);
    }

    private CompletableFuture<List<Long>> write(List<NewRecord> batch) {
        long first;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("store closed"));
            }
            first = size + 1;
            for (NewRecord r : batch) {
                store(r);
            }
        }
        if (!subscribers.isEmpty()) {
            deliver();
        }
        return CompletableFuture.completedFuture(new Consecutive(first, batch.size()));
    }

    /** Copies one record into the chunks and indexes it. Called under the lock. */
    private void store(NewRecord r) {
        String subject = r.subject();
        byte[] subjectBytes = isAscii(subject) ? null : subject.getBytes(StandardCharsets.UTF_8);
        int subjectLength = subjectBytes == null ? subject.length() : subjectBytes.length;
        byte[] payload = r.payload();
        long frame = (long) HEADER + subjectLength + payload.length;
        if (frame > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("record too large: " + frame + " bytes");
        }
        int length = (int) frame;
        if (current == null || CHUNK - used < length) {
            current = new byte[Math.max(CHUNK, length)];
            chunks.add(current);
            used = 0;
        }
        byte[] c = current;
        int p = used;
        c[p] = (byte) r.type().ordinal();
        putShort(c, p + 1, r.version());
        putLong(c, p + 3, r.at().getEpochSecond());
        putInt(c, p + 11, r.at().getNano());
        putInt(c, p + 15, subjectLength);
        putInt(c, p + 19, payload.length);
        p += HEADER;
        if (subjectBytes == null) {
            for (int i = 0; i < subjectLength; i++) {
                c[p + i] = (byte) subject.charAt(i);
            }
        } else {
            System.arraycopy(subjectBytes, 0, c, p, subjectLength);
        }
        p += subjectLength;
        System.arraycopy(payload, 0, c, p, payload.length);
        long address = ((long) (chunks.size() - 1) << 32) | used;
        used += length;
        long i = size;
        int page = (int) (i >>> PAGE_BITS);
        if (page == index.length) {
            index = Arrays.copyOf(index, index.length * 2);
        }
        if (index[page] == null) {
            index[page] = new long[PAGE];
        }
        index[page][(int) (i & (PAGE - 1))] = address;
        size = i + 1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the record at a position (1..size). Called under the lock. */
    private StoredRecord load(long position) {
        long i = position - 1;
        long address = index[(int) (i >>> PAGE_BITS)][(int) (i & (PAGE - 1))];
        byte[] c = chunks.get((int) (address >>> 32));
        int p = (int) address;
        RecordType type = TYPES[c[p]];
        int version = getShort(c, p + 1);
        Instant at = Instant.ofEpochSecond(getLong(c, p + 3), getInt(c, p + 11));
        int subjectLength = getInt(c, p + 15);
        int payloadLength = getInt(c, p + 19);
        p += HEADER;
        String subject = new String(c, p, subjectLength, StandardCharsets.UTF_8);
        p += subjectLength;
        byte[] payload = Arrays.copyOfRange(c, p, p + payloadLength);
        return new StoredRecord(position, type, version, at, subject, payload);
    }

    private void deliver() {
        for (Sub s : subscribers) {
            synchronized (s) {
                while (s.open) {
                    StoredRecord r;
                    synchronized (this) {
                        if (s.next > size) {
                            break;
                        }
                        r = load(s.next);
                    }
                    s.next++;
                    s.consumer.accept(r);
                }
            }
        }
    }

    @Override
    public synchronized Optional<StoredRecord> read(long position) {
        if (position < 1 || position > size) {
            return Optional.empty();
        }
        return Optional.of(load(position));
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        long next = Math.max(1, fromPosition);
        while (true) {
            StoredRecord r;
            synchronized (this) {
                if (next > size) {
                    return next;
                }
                r = load(next);
            }
            sink.accept(r);
            next++;
        }
    }

    @Override
    public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        Sub s = new Sub(Objects.requireNonNull(consumer, "consumer"), Math.max(1, fromPosition));
        subscribers.add(s);
        deliver();
        return s;
    }

    @Override
    public synchronized long nextPosition() {
        return size + 1L;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private static void putShort(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
    }

    private static int getShort(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    private static int getInt(byte[] b, int p) {
        return (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | (b[p + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int p) {
        return (long) getInt(b, p) << 32 | (getInt(b, p + 4) & 0xFFFF_FFFFL);
    }

    /** The positions of one batch: consecutive, so kept as the first and the count. */
    private static final class Consecutive extends AbstractList<Long> {
        private final long first;
        private final int count;

        Consecutive(long first, int count) {
            this.first = first;
            this.count = count;
        }

        @Override
        public Long get(int i) {
            Objects.checkIndex(i, count);
            return first + i;
        }

        @Override
        public int size() {
            return count;
        }
    }
}
