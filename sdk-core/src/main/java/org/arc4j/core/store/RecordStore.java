package org.arc4j.core.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The durable store that the intake, the pipeline, security (audit) and the reference centre write to: an
 * append-only sequence of typed records. The embedded journal is the default implementation; the interface
 * leaves room for a JDBC store.
 *
 * <ul>
 *   <li>An append's stage completes only when the record is durable (for the journal: forced to disk, many
 *       appends sharing one force); a failed append completes exceptionally and nothing of it is visible.</li>
 *   <li>{@link #appendAll} is atomic: after a crash either all of the records are there or none.</li>
 *   <li>Positions increase in append order; readers see records in position order.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe; {@code append} never blocks the caller (it is called on Netty event
 * loops); reads may block on I/O and belong on worker threads.
 */
public interface RecordStore extends AutoCloseable {
    /**
     * Appends one record.
     *
     * @param record the record
     * @return its position, once durable
     */
    CompletionStage<Long> append(NewRecord record);

    /**
     * Appends records atomically, in order.
     *
     * @param records the records, at least one
     * @return their positions, once all are durable
     */
    CompletionStage<List<Long>> appendAll(List<NewRecord> records);

    /**
     * Appends a record nobody waits on (a timer's record, such as an SLA breach): the store may make it durable with
     * the next force another append calls for, a short bounded time later, instead of forcing for it alone. The
     * default appends it as any other.
     *
     * @param record the record
     * @return its position, once durable
     */
    default CompletionStage<Long> appendUnhurried(NewRecord record) {
        return append(record);
    }

    /**
     * Appends records atomically, in order, when the caller will follow them up with appends of its own (the
     * pipeline's case records for an alarm) that should become durable together with them: {@code written} is
     * told the positions as soon as the store knows them and gets a release, which the caller runs (once) after it
     * has issued its follow-up appends, or at once if there are none. A store that groups its forces (the journal)
     * tells it when the batch is written, before it is durable, and holds the force that covers the batch until the
     * release runs (for a short, bounded time), so the batch and its follow-ups share one force; when that force
     * fails the returned stage fails, though {@code written} was already called. The default tells it once the
     * batch is durable, just before the returned stage completes.
     *
     * <p>{@code written} runs on the store's writer thread: it must be quick and never block or wait for another
     * append; hand the follow-up work to a thread of its own.
     *
     * @param records the records, at least one
     * @param written told the positions (and given the release) once they are known
     * @return their positions, once all are durable
     */
    default CompletionStage<List<Long>> appendAll(List<NewRecord> records,
                                                  java.util.function.BiConsumer<List<Long>, Runnable> written) {
        Objects.requireNonNull(written, "written");
        return appendAll(records).thenApply(p -> {
            written.accept(p, () -> { });
            return p;
        });
    }

    /**
     * Reads the record at a position.
     *
     * @param position the position
     * @return the record, or empty if there is none there (never was, or removed by retention)
     */
    Optional<StoredRecord> read(long position);

    /**
     * Calls {@code sink} with every durable record at or after {@code fromPosition}, in order, on the calling
     * thread, and returns when it has seen the end.
     *
     * @param fromPosition the first position wanted (1 for everything)
     * @param sink         the consumer
     * @return the position after the last record seen (where a later replay or subscription continues)
     */
    long replay(long fromPosition, Consumer<StoredRecord> sink);

    /**
     * Typed replay: like {@link #replay(long, Consumer)}, but hands over only records of the given types, e.g.
     * {@code EVENT} and {@code CASE_TRANSITION} to rebuild open cases and their timers after a restart.
     *
     * @param fromPosition the first position wanted (1 for everything)
     * @param types        the types wanted
     * @param sink         the consumer
     * @return the position after the last record seen, of any type (where a later replay or subscription
     *         continues)
     */
    default long replay(long fromPosition, Set<RecordType> types, Consumer<StoredRecord> sink) {
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(sink, "sink");
        return replay(fromPosition, r -> {
            if (types.contains(r.type())) {
                sink.accept(r);
            }
        });
    }

    /**
     * The newest record of a type for a subject, e.g. a component's latest {@link RecordType#CHECKPOINT}, from
     * which it recovers instead of replaying the whole store. This default replays the records of that type; the
     * journal answers from its index.
     *
     * @param type    the type
     * @param subject the subject
     * @return the record with the highest position of that type and subject, or empty if there is none
     */
    default Optional<StoredRecord> newest(RecordType type, String subject) {
        Objects.requireNonNull(subject, "subject");
        StoredRecord[] last = {null};
        replay(1, Set.of(type), r -> {
            if (r.subject().equals(subject)) {
                last[0] = r;
            }
        });
        return Optional.ofNullable(last[0]);
    }

    /**
     * Subscribes from a position: first every durable record already at or after it, then each new record
     * once it is durable, in order, on a thread of the store's. At-least-once from the position given, so a
     * consumer that keeps its own checkpoint misses nothing across restarts.
     *
     * @param fromPosition the first position wanted
     * @param consumer     the consumer; it must be quick or hand off
     * @return a handle to stop the subscription
     */
    Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer);

    /** @return the position the next appended record will get (1 for an empty store) */
    long nextPosition();

    /** Completes pending appends, then releases files and threads. */
    @Override
    void close();

    /** A running subscription. */
    interface Subscription extends AutoCloseable {
        /** Stops delivery; idempotent. */
        @Override
        void close();
    }
}
