package org.arc4j.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link RecordStore} in memory: for tests and embedding experiments, never a centre's default (nothing
 * survives a restart). Appends complete at once unless {@link #hold()} was called, which keeps them pending
 * as a slow disk would, so that tests can exercise backpressure and "no acknowledgement before durable";
 * subscribers are called on the appending thread, after the catch-up from their position. Thread-safe.
 */
public final class InMemoryRecordStore implements RecordStore {
    private final List<StoredRecord> records = new ArrayList<>();
    private final List<Sub> subscribers = new CopyOnWriteArrayList<>();
    private final java.util.ArrayDeque<Runnable> held = new java.util.ArrayDeque<>();
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
        return appendAll(List.of(record)).thenApply(p -> p.get(0));
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
        List<Long> positions = new ArrayList<>(batch.size());
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("store closed"));
            }
            for (NewRecord r : batch) {
                long pos = records.size() + 1L;
                // NewRecord's contract: the payload is not copied and must not change after appending; every
                // read and delivery below hands out a copy, so the stored array is never exposed.
                records.add(new StoredRecord(pos, r.type(), r.version(), r.at(), r.subject(), r.payload()));
                positions.add(pos);
            }
        }
        deliver();
        return CompletableFuture.completedFuture(positions);
    }

    private void deliver() {
        for (Sub s : subscribers) {
            synchronized (s) {
                while (s.open) {
                    StoredRecord r;
                    synchronized (this) {
                        if (s.next > records.size()) {
                            break;
                        }
                        r = records.get((int) (s.next - 1));
                    }
                    s.next++;
                    s.consumer.accept(copy(r));
                }
            }
        }
    }

    private static StoredRecord copy(StoredRecord r) {
        return new StoredRecord(r.position(), r.type(), r.version(), r.at(), r.subject(), r.payload().clone());
    }

    @Override
    public synchronized Optional<StoredRecord> read(long position) {
        if (position < 1 || position > records.size()) {
            return Optional.empty();
        }
        return Optional.of(copy(records.get((int) (position - 1))));
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        long next = Math.max(1, fromPosition);
        while (true) {
            StoredRecord r;
            synchronized (this) {
                if (next > records.size()) {
                    return next;
                }
                r = records.get((int) (next - 1));
            }
            sink.accept(copy(r));
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
        return records.size() + 1L;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
