package org.arc4j.core.testsupport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.StoredRecord;

/**
 * A record store for tests that can hold appends (as a slow disk would) and fail them (as a full disk
 * would), over an {@link InMemoryRecordStore}. Held appends become visible only on {@link #release()}.
 */
public final class ControllableRecordStore implements RecordStore {
    private final InMemoryRecordStore delegate;
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean holding;
    private boolean failing;

    /** @param delegate the store that really keeps the records */
    public ControllableRecordStore(InMemoryRecordStore delegate) {
        this.delegate = delegate;
    }

    /** A controllable store over a new in-memory store. */
    public ControllableRecordStore() {
        this(new InMemoryRecordStore());
    }

    /** @return the underlying store */
    public InMemoryRecordStore delegate() {
        return delegate;
    }

    /** Holds appends from now on. */
    public synchronized void hold() {
        holding = true;
    }

    /** Completes every held append in order and stops holding. */
    public void release() {
        List<Runnable> run;
        synchronized (this) {
            holding = false;
            run = new ArrayList<>(held);
            held.clear();
        }
        run.forEach(Runnable::run);
    }

    /** @param fail whether appends and reads fail (as an I/O error would) from now on */
    public synchronized void failing(boolean fail) {
        failing = fail;
    }

    @Override
    public CompletionStage<Long> append(NewRecord record) {
        return appendAll(List.of(record)).thenApply(p -> p.get(0));
    }

    @Override
    public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
        synchronized (this) {
            if (failing) {
                return CompletableFuture.failedFuture(new java.io.IOException("disk full"));
            }
            if (holding) {
                CompletableFuture<List<Long>> f = new CompletableFuture<>();
                held.add(() -> delegate.appendAll(records).whenComplete((p, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(p);
                    }
                }));
                return f;
            }
        }
        return delegate.appendAll(records);
    }

    @Override
    public Optional<StoredRecord> read(long position) {
        synchronized (this) {
            if (failing) {
                throw new java.io.UncheckedIOException(new java.io.IOException("disk unreadable"));
            }
        }
        return delegate.read(position);
    }

    @Override
    public long replay(long fromPosition, Consumer<StoredRecord> sink) {
        return delegate.replay(fromPosition, sink);
    }

    @Override
    public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
        return delegate.subscribe(fromPosition, consumer);
    }

    @Override
    public long nextPosition() {
        return delegate.nextPosition();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
