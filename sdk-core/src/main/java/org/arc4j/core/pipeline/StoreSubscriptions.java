package org.arc4j.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * Durable subscriptions for integrators' consoles, phone systems and police interfaces: at-least-once
 * delivery of events and case transitions from the store, resuming after each subscriber's last
 * {@link RecordType#CHECKPOINT CHECKPOINT}, so a slow or restarted consumer misses nothing.
 *
 * <p>A checkpoint is a CHECKPOINT record with subject {@code subscriber/<id>} and payload
 * {@code {"position": n}}: the subscriber has processed every wanted record up to and including position
 * {@code n}. After a restart delivery resumes at {@code n + 1}; records processed after the last checkpoint
 * are delivered again (at-least-once), so consumers must tolerate repeats (a case transition's subject and
 * position identify it).
 *
 * <p>Thread-safe. Records are delivered on the store's thread; the consumer must be quick or hand off. A
 * consumer that throws stops its subscription at that record, which is redelivered on the next subscribe.
 */
public final class StoreSubscriptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordStore store;
    private final Clock clock;

    /**
     * @param store the store to read from and write checkpoints to
     * @param clock the clock for checkpoint record times
     */
    public StoreSubscriptions(RecordStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The last checkpoint of a subscriber, read by replaying the store (on the calling thread).
     *
     * @param subscriberId the subscriber
     * @return the last position it processed, 0 when it never checkpointed
     */
    public long checkpoint(String subscriberId) {
        String subject = subject(subscriberId);
        long[] last = {0};
        store.replay(1, Set.of(RecordType.CHECKPOINT), r -> {
            if (r.type() == RecordType.CHECKPOINT && r.subject().equals(subject)) {
                last[0] = position(r);
            }
        });
        return last[0];
    }

    private static long position(StoredRecord r) {
        try {
            JsonNode n = JSON.readTree(r.payload());
            return n.path("position").asLong();
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed CHECKPOINT record at " + r.position(), e);
        }
    }

    private static String subject(String subscriberId) {
        return "subscriber/" + Objects.requireNonNull(subscriberId, "subscriberId");
    }

    /**
     * Subscribes from after the subscriber's last checkpoint.
     *
     * @param subscriberId the subscriber's stable id
     * @param types        the record types wanted (e.g. EVENT and CASE_TRANSITION); never CHECKPOINT
     * @param commitEvery  write a checkpoint after this many processed records (1 for every record); 0 to
     *                     commit only by {@link Subscriber#commit()}
     * @param consumer     the consumer
     * @return the running subscriber
     */
    public Subscriber subscribe(String subscriberId, Set<RecordType> types, int commitEvery,
                                Consumer<StoredRecord> consumer) {
        if (commitEvery < 0) {
            throw new IllegalArgumentException("commitEvery must not be negative");
        }
        EnumSet<RecordType> wanted = EnumSet.copyOf(types);
        wanted.remove(RecordType.CHECKPOINT);
        long from = checkpoint(subscriberId) + 1;
        Subscriber s = new Subscriber(subscriberId, wanted, commitEvery, Objects.requireNonNull(consumer), from - 1);
        s.handle = store.subscribe(from, s::deliver);
        return s;
    }

    /** A running subscription with its checkpoint. */
    public final class Subscriber implements AutoCloseable {
        private final String id;
        private final Set<RecordType> types;
        private final int commitEvery;
        private final Consumer<StoredRecord> consumer;
        private long processed;
        private long committed;
        private int sinceCommit;
        private boolean stopped;
        private volatile RecordStore.Subscription handle;

        private Subscriber(String id, Set<RecordType> types, int commitEvery, Consumer<StoredRecord> consumer,
                           long committed) {
            this.id = id;
            this.types = types;
            this.commitEvery = commitEvery;
            this.consumer = consumer;
            this.processed = committed;
            this.committed = committed;
        }

        private void deliver(StoredRecord r) {
            synchronized (this) {
                if (stopped || r.position() <= processed) {
                    return;
                }
            }
            if (types.contains(r.type())) {
                try {
                    consumer.accept(r);
                } catch (RuntimeException e) {
                    stop();
                    return;
                }
            }
            boolean commit;
            synchronized (this) {
                processed = r.position();
                commit = commitEvery > 0 && types.contains(r.type()) && ++sinceCommit >= commitEvery;
            }
            if (commit) {
                commit();
            }
        }

        private void stop() {
            synchronized (this) {
                stopped = true;
            }
            RecordStore.Subscription h = handle;
            if (h != null) {
                h.close();
            }
        }

        /**
         * Writes a checkpoint at the last processed position (nothing when it has not moved).
         *
         * @return completes when the checkpoint is durable, with the position committed
         */
        public CompletionStage<Long> commit() {
            long p;
            synchronized (this) {
                p = processed;
                if (p == committed) {
                    return java.util.concurrent.CompletableFuture.completedFuture(p);
                }
                committed = p;
                sinceCommit = 0;
            }
            byte[] payload = ("{\"position\":" + p + "}").getBytes(StandardCharsets.UTF_8);
            return store.append(new NewRecord(RecordType.CHECKPOINT, 1, clock.instant(), subject(id), payload))
                    .thenApply(x -> p);
        }

        /** @return the last position processed */
        public synchronized long processed() {
            return processed;
        }

        /** @return the subscriber's id */
        public String id() {
            return id;
        }

        /** Stops delivery without committing (what a crash does). */
        @Override
        public void close() {
            stop();
        }
    }
}
