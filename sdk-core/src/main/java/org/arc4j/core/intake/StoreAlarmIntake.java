package org.arc4j.core.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.intake.internal.KeyWindow;
import org.arc4j.core.internal.JsonBytes;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoreException;
import org.arc4j.core.store.StoredRecord;

/**
 * The durable {@link AlarmIntake}: each accepted message becomes one atomic
 * {@link RecordStore#appendAll(List) appendAll} of its {@link RecordType#EVENT EVENT} records (the events'
 * {@link EventJson} form) followed by one {@link RecordType#IDEMPOTENCY_KEY IDEMPOTENCY_KEY} record, and the
 * receipt completes only when the store says that batch is durable. This is what lets an adapter acknowledge
 * (DC-09 ACK, Contact ID kissoff, SIP 200) without ever losing an alarm (GA 1383 服务平台: 存储报警信息).
 *
 * <p><b>Idempotency.</b> Every key accepted within the dedupe window is remembered compactly: a 64-bit hash of
 * the key and the store positions of its records, 48 to 96 bytes and no object per message, so a window of
 * millions of messages fits in a small heap and costs the collector nothing to trace. A retransmission is
 * confirmed, and its original events read back, from the store, on a reader thread of the intake's own or the
 * executor given to {@code open} (reads may block on I/O; a retransmission is rare): it gets the original
 * receipt ({@code duplicate = true}) and no second event. {@link #open} replays the store and rebuilds the
 * window, so this holds across restarts too.
 *
 * <p><b>Backpressure.</b> At most {@code maxPending} messages are in flight (appended, not yet durable); one
 * more is {@link RefusalReason#BACKPRESSURE refused} at once so the adapter stays silent and the device
 * retries. A failed append is {@link RefusalReason#STORE_FAILED refused}: nothing of it is visible.
 *
 * <p>IDEMPOTENCY_KEY payload, version 1: {@code {"key": "<key value>", "events": ["<ULID>", ...]}}.
 *
 * <p>Thread-safe; {@code accept} never blocks (the store's append does not). Receipts and
 * {@link #addListener listeners} run on the thread that completes the store's append (the journal's completion
 * thread). An {@link AcceptanceQueue} is handed each acceptance earlier, once written, so that what its consumer
 * appends shares the acceptance's force and the receipt (the ACK) follows that one force.
 */
public final class StoreAlarmIntake implements AlarmIntake, AutoCloseable {
    /**
     * The usual window in which a repeated idempotency key is a retransmission: one hour, long enough for every
     * retry schedule, short enough that a DC-09 sequence number that wrapped around is a new message.
     */
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordStore store;
    private final Clock clock;
    private final EventIdGenerator ids;
    private final int maxPending;
    private final Duration dedupeWindow;
    private final ToLongFunction<String> hash;
    /** Where retransmissions are read back; null until the intake's own reader thread is needed. */
    private Executor reads;
    private ExecutorService reader;

    private final KeyWindow seen = new KeyWindow();
    private final Map<IdempotencyKey, CompletableFuture<Receipt>> inFlight = new HashMap<>();
    /** For each message in flight, the store's durable end when it was appended: at or below its positions. */
    private final Map<IdempotencyKey, Long> floors = new HashMap<>();
    private long sinceCheckpoint;
    private final long checkpointEvery;
    private final List<Consumer<Receipt.Accepted>> listeners = new CopyOnWriteArrayList<>();
    /** Told of each acceptance once written, before it is durable, with a release (see {@link #handOff}). */
    private final List<java.util.function.BiConsumer<Receipt.Accepted, Runnable>> handOffs =
            new CopyOnWriteArrayList<>();
    /** The downstream queues whose backlog, with what is in flight, bounds new admissions (see AcceptanceQueue). */
    private final List<AcceptanceQueue> downstream = new CopyOnWriteArrayList<>();
    private boolean closed;

    private StoreAlarmIntake(RecordStore store, Clock clock, EventIdGenerator ids, int maxPending,
                             Duration dedupeWindow, ToLongFunction<String> hash, Executor reads) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive");
        }
        if (dedupeWindow.isNegative() || dedupeWindow.isZero()) {
            throw new IllegalArgumentException("dedupeWindow must be positive");
        }
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.maxPending = maxPending;
        this.dedupeWindow = dedupeWindow;
        this.hash = hash;
        this.reads = reads;
        this.checkpointEvery = CHECKPOINT_EVERY;
    }

    /** The subject of the intake's CHECKPOINT records. */
    public static final String CHECKPOINT_SUBJECT = "intake/key-window";
    /** Acceptances between two checkpoints of where the window's replay starts. */
    static final long CHECKPOINT_EVERY = 100_000;

    /**
     * Opens an intake over a store, replaying it (on the calling thread, which may block on I/O) to rebuild
     * the idempotency window.
     *
     * @param store        the store; the intake does not close it
     * @param clock        the centre's clock (dedupe window, record times)
     * @param ids          the event id generator
     * @param maxPending   messages in flight before refusing with {@link RefusalReason#BACKPRESSURE}
     * @param dedupeWindow how long a key is remembered, e.g. {@link #DEFAULT_DEDUPE_WINDOW}
     * @return the intake
     * @throws IllegalArgumentException if a stored record of the intake's types is malformed
     */
    public static StoreAlarmIntake open(RecordStore store, Clock clock, EventIdGenerator ids, int maxPending,
                                        Duration dedupeWindow) {
        return open(store, clock, ids, maxPending, dedupeWindow, KeyWindow::hash, null);
    }

    /**
     * {@link #open(RecordStore, Clock, EventIdGenerator, int, Duration)} with the executor that reads
     * retransmissions back from the store, instead of the intake's own reader thread. {@code Runnable::run} answers
     * a retransmission on the calling thread: only for a store whose reads never block, such as an
     * {@link org.arc4j.core.testkit.InMemoryRecordStore}, where it keeps tests on virtual time deterministic.
     *
     * @param store        the store; the intake does not close it
     * @param clock        the centre's clock (dedupe window, record times)
     * @param ids          the event id generator
     * @param maxPending   messages in flight before refusing with {@link RefusalReason#BACKPRESSURE}
     * @param dedupeWindow how long a key is remembered
     * @param reads        where retransmissions are read back from the store; the intake does not shut it down
     * @return the intake
     * @throws IllegalArgumentException if a stored record of the intake's types is malformed
     */
    public static StoreAlarmIntake open(RecordStore store, Clock clock, EventIdGenerator ids, int maxPending,
                                        Duration dedupeWindow, Executor reads) {
        return open(store, clock, ids, maxPending, dedupeWindow, KeyWindow::hash, Objects.requireNonNull(reads));
    }

    /** {@link #open} with another key hash: lets tests make two keys collide. */
    static StoreAlarmIntake open(RecordStore store, Clock clock, EventIdGenerator ids, int maxPending,
                                 Duration dedupeWindow, ToLongFunction<String> hash, Executor reads) {
        StoreAlarmIntake intake = new StoreAlarmIntake(store, clock, ids, maxPending, dedupeWindow, hash, reads);
        intake.rebuild();
        return intake;
    }

    private void rebuild() {
        long limit = clock.millis() - dedupeWindow.toMillis();
        // EVENT records of the window whose key record has not come yet: id -> position
        Map<EventId, Long> pending = new HashMap<>();
        store.replay(checkpointedStart(), Set.of(RecordType.EVENT, RecordType.IDEMPOTENCY_KEY), r -> {
            if (r.at().toEpochMilli() < limit) {
                return;
            }
            if (r.type() == RecordType.EVENT) {
                pending.put(eventId(r), r.position());
            } else {
                JsonNode n = parse(r);
                long first = r.position();
                for (JsonNode id : n.path("events")) {
                    Long p = pending.remove(EventId.parse(id.asText()));
                    if (p != null && p < first) {
                        first = p;
                    }
                }
                synchronized (this) {
                    seen.add(hash.applyAsLong(n.path("key").asText()), r.position(), first, r.at().toEpochMilli());
                }
            }
        });
    }

    /**
     * Where the window's replay starts: the newest checkpoint's {@code from} when it is sound, else 1. A checkpoint
     * (payload {@code {"v":1,"from":F}}) promises that every record the window can still need is at or after F:
     * the acceptances it held (their first EVENT records) and the messages then in flight start there; everything
     * before had left the window already, and the window only moves forward.
     */
    private long checkpointedStart() {
        return store.newest(RecordType.CHECKPOINT, CHECKPOINT_SUBJECT).map(r -> {
            if (r.version() != 1) {
                return 1L;
            }
            try {
                JsonNode n = JSON.readTree(r.payload());
                long from = n.path("from").asLong(-1);
                return n.path("v").asInt(-1) == 1 && from >= 1 && from <= store.nextPosition() ? from : 1L;
            } catch (IOException e) {
                return 1L;
            }
        }).orElse(1L);
    }

    /**
     * Writes a checkpoint of where the window's replay starts (a {@code CHECKPOINT} record, subject
     * {@value #CHECKPOINT_SUBJECT}), so that {@code open} reads only the window, not the whole history. Written on
     * its own every 100,000 acceptances and on {@link #close()}.
     *
     * @return its append
     */
    public CompletionStage<Long> checkpoint() {
        long from;
        synchronized (this) {
            seen.expireBefore(clock.millis() - dedupeWindow.toMillis());
            from = Math.min(store.nextPosition(), seen.minFirstPosition());
            for (long f : floors.values()) {
                from = Math.min(from, f);
            }
            sinceCheckpoint = 0;
        }
        return store.append(new NewRecord(RecordType.CHECKPOINT, 1, clock.instant(), CHECKPOINT_SUBJECT,
                ("{\"v\":1,\"from\":" + Math.max(1, from) + "}").getBytes(StandardCharsets.UTF_8)));
    }

    /** The id of an EVENT record, read without building the event. */
    private static EventId eventId(StoredRecord r) {
        try (JsonParser p = JSON.getFactory().createParser(r.payload())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("id".equals(name) && value == JsonToken.VALUE_STRING) {
                        return EventId.parse(p.getText());
                    }
                    p.skipChildren();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed EVENT record at " + r.position(), e);
        }
        throw new IllegalArgumentException("EVENT record at " + r.position() + " has no id");
    }

    private static JsonNode parse(StoredRecord r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + r.type() + " record at " + r.position(), e);
        }
    }

    @Override
    public CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        if (events == null || events.isEmpty()) {
            return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.INVALID, "no events"));
        }
        return accept(events, key, NONE);
    }

    private static final long[] NONE = new long[0];

    /**
     * Accepts a message unless the window holds its key: checking the window and reserving the key in flight are
     * one step under the lock, so two copies of a message never both become new events.
     *
     * @param excluded key record positions already read back and found to hold another key
     */
    private CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key, long[] excluded) {
        long[] candidates;
        Admission admission = null;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.CLOSED, "intake closed"));
            }
            seen.expireBefore(clock.millis() - dedupeWindow.toMillis());
            candidates = without(seen.candidates(hash.applyAsLong(key.value())), excluded);
            if (candidates.length == 0) {
                CompletableFuture<Receipt> pending = inFlight.get(key);
                if (pending != null) {
                    return pending.thenApply(r -> r instanceof Receipt.Accepted a
                            ? new Receipt.Accepted(key, a.events(), true) : r);
                }
                if (inFlight.size() >= maxPending) {
                    return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.BACKPRESSURE,
                            "intake has " + inFlight.size() + " messages in flight"));
                }
                for (AcceptanceQueue q : downstream) {
                    // every message in flight may still land in the queue: count it as already there, so the
                    // queue can never overflow once its events are durable
                    if (q.backlog() + inFlight.size() >= q.capacity()) {
                        return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.BACKPRESSURE,
                                q.name() + " is " + q.backlog() + " acceptances behind"));
                    }
                }
                admission = admission(events, key);
            } else {
                readsExecutor();
            }
        }
        if (admission != null) {
            return append(admission); // outside the lock: the append may complete, and call listeners, at once
        }
        CompletableFuture<Receipt> result = new CompletableFuture<>();
        try {
            reads.execute(() -> {
                try {
                    Receipt.Accepted original = original(key, candidates);
                    if (original != null) {
                        result.complete(original);
                    } else {
                        // other keys with the same hash: look again without them (the key may have come meanwhile)
                        accept(events, key, union(excluded, candidates)).whenComplete((r, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(r);
                            }
                        });
                    }
                } catch (RuntimeException e) {
                    result.complete(new Receipt.Refused(RefusalReason.STORE_FAILED,
                            "cannot read the original acceptance: " + e.getClass().getSimpleName()));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new Receipt.Refused(RefusalReason.CLOSED, "intake closed"));
        }
        return result;
    }

    /** The executor that reads retransmissions back, the intake's own reader thread made when first needed. */
    private synchronized Executor readsExecutor() {
        if (reads == null) {
            reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "arc4j-intake-reader");
                t.setDaemon(true);
                return t;
            });
            reads = reader;
        }
        return reads;
    }

    /**
     * A store shared by several nodes found the key already stored (another node accepted the message): answers
     * with the original receipt read back from the positions the store named, and remembers the key.
     */
    private void duplicate(IdempotencyKey key, StoreException.Duplicate d, CompletableFuture<Receipt> result) {
        synchronized (this) {
            inFlight.remove(key);
            floors.remove(key);
            seen.add(hash.applyAsLong(key.value()), d.keyPosition(), d.firstPosition(), clock.millis());
        }
        try {
            readsExecutor().execute(() -> {
                try {
                    Receipt.Accepted original = original(key, new long[] {d.keyPosition(), d.firstPosition()});
                    result.complete(original != null ? original : new Receipt.Refused(RefusalReason.STORE_FAILED,
                            "the store named an original acceptance it cannot read back"));
                } catch (RuntimeException e) {
                    result.complete(new Receipt.Refused(RefusalReason.STORE_FAILED,
                            "cannot read the original acceptance: " + e.getClass().getSimpleName()));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new Receipt.Refused(RefusalReason.CLOSED, "intake closed"));
        }
    }

    /** Candidate pairs (key position, first position) whose key position is not excluded. */
    private static long[] without(long[] candidates, long[] excluded) {
        if (candidates.length == 0 || excluded.length == 0) {
            return candidates;
        }
        long[] kept = new long[candidates.length];
        int n = 0;
        for (int i = 0; i < candidates.length; i += 2) {
            boolean skip = false;
            for (int j = 0; j < excluded.length && !skip; j += 2) {
                skip = excluded[j] == candidates[i];
            }
            if (!skip) {
                kept[n++] = candidates[i];
                kept[n++] = candidates[i + 1];
            }
        }
        return Arrays.copyOf(kept, n);
    }

    private static long[] union(long[] a, long[] b) {
        long[] u = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, u, a.length, b.length);
        return u;
    }

    /**
     * The original receipt of a retransmission, read back from the store: the first candidate whose key record
     * holds this key, with the events it lists.
     *
     * @return the receipt, or null when no candidate holds this key
     */
    private Receipt.Accepted original(IdempotencyKey key, long[] candidates) {
        for (int i = 0; i < candidates.length; i += 2) {
            long keyPosition = candidates[i];
            Optional<StoredRecord> k = store.read(keyPosition);
            if (k.isEmpty() || k.get().type() != RecordType.IDEMPOTENCY_KEY) {
                continue;
            }
            JsonNode n = parse(k.get());
            if (!key.value().equals(n.path("key").asText())) {
                continue;
            }
            Map<EventId, Integer> order = new HashMap<>();
            for (JsonNode id : n.path("events")) {
                order.put(EventId.parse(id.asText()), order.size());
            }
            AlarmEvent[] events = new AlarmEvent[order.size()];
            for (long p = candidates[i + 1]; p < keyPosition; p++) {
                Optional<StoredRecord> r = store.read(p);
                if (r.isPresent() && r.get().type() == RecordType.EVENT) {
                    // other messages' events may lie in between: only this message's are built
                    Integer at = order.get(eventId(r.get()));
                    if (at != null) {
                        events[at] = EventJson.fromJson(new String(r.get().payload(), StandardCharsets.UTF_8));
                    }
                }
            }
            List<AlarmEvent> found = new ArrayList<>(events.length);
            for (AlarmEvent e : events) {
                if (e != null) {
                    found.add(e);
                }
            }
            return new Receipt.Accepted(key, found, true);
        }
        return null;
    }

    /** A message given its ids and records, reserved in flight, not yet appended. */
    private record Admission(IdempotencyKey key, List<AlarmEvent> events, List<NewRecord> batch,
                             CompletableFuture<Receipt> result) {
    }

    /** Gives the events their ids, makes the records and reserves the key in flight. Called under the lock. */
    private Admission admission(List<AlarmEvent> events, IdempotencyKey key) {
        Instant now = clock.instant();
        List<AlarmEvent> withIds = new ArrayList<>(events.size());
        List<NewRecord> batch = new ArrayList<>(events.size() + 1);
        for (AlarmEvent e : events) {
            AlarmEvent withId = e.withId(ids.next());
            withIds.add(withId);
            batch.add(new NewRecord(RecordType.EVENT, EventJson.VERSION, now, subject(withId), json(withId)));
        }
        batch.add(new NewRecord(RecordType.IDEMPOTENCY_KEY, 1, now, "", keyRecord(key, withIds)));
        CompletableFuture<Receipt> result = new CompletableFuture<>();
        inFlight.put(key, result);
        // an append issued now gets positions at or after the store's durable end
        floors.put(key, store.nextPosition());
        return new Admission(key, withIds, batch, result);
    }

    private CompletionStage<Receipt> append(Admission a) {
        CompletionStage<List<Long>> appended;
        try {
            appended = handOffs.isEmpty() ? store.appendAll(a.batch)
                    : store.appendAll(a.batch, (positions, release) -> handOver(a, positions, release));
        } catch (RuntimeException ex) {
            appended = CompletableFuture.failedFuture(ex);
        }
        appended.whenComplete((positions, error) -> finish(a.key, a.events, positions, a.result, error));
        return a.result;
    }

    /**
     * Gives a written acceptance to the hand-offs, on the store's writer thread; the store holds the force that
     * covers it until each of them has released it (so the pipeline's case records share the event's force).
     */
    private void handOver(Admission a, List<Long> positions, Runnable release) {
        Receipt.Accepted accepted = new Receipt.Accepted(a.key, a.events, false, positions.subList(0, a.events.size()));
        List<java.util.function.BiConsumer<Receipt.Accepted, Runnable>> to = handOffs;
        if (to.size() == 1) {
            to.get(0).accept(accepted, release);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(to.size());
        Runnable each = () -> {
            if (left.decrementAndGet() == 0) {
                release.run();
            }
        };
        for (java.util.function.BiConsumer<Receipt.Accepted, Runnable> h : to) {
            h.accept(accepted, each);
        }
    }

    private static byte[] json(AlarmEvent e) {
        return JsonBytes.write(g -> EventJson.write(e, g));
    }

    /** The IDEMPOTENCY_KEY payload: {@code {"key":"<key value>","events":["<ULID>",...]}}. */
    private static byte[] keyRecord(IdempotencyKey key, List<AlarmEvent> events) {
        String value = key.value();
        if (hasSurrogate(value)) {
            // Jackson's UTF-8 generator escapes characters outside the BMP (backslash-u pairs) where the tree's
            // toString() followed by UTF-8 encoding, which wrote the records so far, keeps them as 4-byte
            // sequences: such keys keep the original path so that the bytes stay exactly as before.
            ObjectNode tree = JSON.createObjectNode();
            tree.put("key", value);
            ArrayNode idList = tree.putArray("events");
            for (AlarmEvent e : events) {
                idList.add(e.id().toString());
            }
            return tree.toString().getBytes(StandardCharsets.UTF_8);
        }
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("key", value);
            g.writeArrayFieldStart("events");
            for (AlarmEvent e : events) {
                g.writeString(e.id().toString());
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The subject of an EVENT record: the reporting panel, receiver/line/account as received. */
    private static String subject(AlarmEvent e) {
        return (e.receiver() == null ? "" : e.receiver()) + "/" + (e.line() == null ? "" : e.line()) + "/"
                + (e.account() == null ? "" : e.account());
    }

    private void finish(IdempotencyKey key, List<AlarmEvent> events, List<Long> positions,
                        CompletableFuture<Receipt> result, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof StoreException.Duplicate d) {
            duplicate(key, d, result);
            return;
        }
        if (error != null) {
            synchronized (this) {
                inFlight.remove(key);
                floors.remove(key);
            }
            result.complete(new Receipt.Refused(RefusalReason.STORE_FAILED,
                    "store append failed: " + error.getClass().getSimpleName()));
            return;
        }
        // the events' records come first in the batch, the key's last
        Receipt.Accepted accepted = new Receipt.Accepted(key, events, false, positions.subList(0, events.size()));
        boolean checkpointDue;
        synchronized (this) {
            floors.remove(key);
            if (inFlight.remove(key) == null) {
                return; // closed meanwhile: already refused; the events are durable and replay will see them
            }
            seen.add(hash.applyAsLong(key.value()), positions.get(positions.size() - 1), positions.get(0),
                    clock.millis());
            checkpointDue = ++sinceCheckpoint >= checkpointEvery;
        }
        if (checkpointDue) {
            checkpoint();
        }
        result.complete(accepted);
        for (Consumer<Receipt.Accepted> l : listeners) {
            l.accept(accepted);
        }
    }

    /**
     * Registers a listener told of every new (non-duplicate) acceptance once it is durable, on the thread that
     * completes the append; the pipeline listens here. It must be quick or hand off.
     *
     * @param listener the listener
     */
    public void addListener(Consumer<Receipt.Accepted> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Registers a hand-off told of every new acceptance as soon as the store has written it, before it is durable
     * (for a store that cannot tell, once durable), on the store's writer thread, with a release to run once the
     * acceptance's follow-up appends are issued: the journal then makes the alarm, its receipt and those follow-ups
     * durable in one force and the receipt completes after it. The hand-off must be quick and never block; see
     * {@link AcceptanceQueue#attach}. If the force then fails, the acceptance was handed over though the receipt
     * is refused (the journal has failed; nothing later becomes durable either).
     *
     * @param handOff the hand-off; it must run the release exactly once
     */
    void handOff(java.util.function.BiConsumer<Receipt.Accepted, Runnable> handOff) {
        handOffs.add(Objects.requireNonNull(handOff, "handOff"));
    }

    /**
     * Registers a bounded queue fed by a hand-off: from now on a new message is refused with
     * {@link RefusalReason#BACKPRESSURE} (and so not acknowledged) while the queue's backlog plus the messages in
     * flight would reach its capacity. Called by {@link AcceptanceQueue#attach}.
     */
    void bound(AcceptanceQueue queue) {
        downstream.add(queue);
    }

    /** @return messages in flight before new ones are refused with {@link RefusalReason#BACKPRESSURE} */
    public int maxPending() {
        return maxPending;
    }

    /** @return the number of messages appended whose receipt has not completed yet */
    public synchronized int inFlight() {
        return inFlight.size();
    }

    /** Refuses everything from now on; receipts still pending complete as {@link RefusalReason#CLOSED}. */
    @Override
    public void close() {
        List<CompletableFuture<Receipt>> pending;
        synchronized (this) {
            if (!closed) {
                try {
                    checkpoint();
                } catch (RuntimeException e) {
                    // a closed or failed store: the next open replays from the previous checkpoint
                }
            }
            closed = true;
            floors.clear();
            pending = new ArrayList<>(inFlight.values());
            inFlight.clear();
            if (reader != null) {
                reader.shutdown();
            }
        }
        pending.forEach(f -> f.complete(new Receipt.Refused(RefusalReason.CLOSED, "intake closed")));
    }
}
