package org.arc4j.core.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventIdGenerator;

/**
 * An {@link AlarmIntake} that keeps accepted events in memory: for tests and embedding experiments, never a
 * centre's default, since nothing survives a restart ("durable" here means "in this object").
 *
 * <p>It follows the whole contract otherwise: ids assigned in acceptance order, one receipt per message,
 * retransmissions recognised within a window (default one hour: long enough for every retry schedule, short
 * enough that a DC-09 sequence number that wrapped around is a new message), and a bound on messages in
 * flight. Completion is immediate unless {@link #hold()} was called, which lets tests keep receipts pending
 * to exercise backpressure and "no ACK before the receipt".
 *
 * <p>Thread-safe.
 */
public final class InMemoryAlarmIntake implements AlarmIntake, AutoCloseable {
    /** The default window in which a repeated idempotency key is a retransmission. */
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofHours(1);

    private final Clock clock;
    private final EventIdGenerator ids;
    private final int maxPending;
    private final Duration dedupeWindow;

    private final List<AlarmEvent> stored = new ArrayList<>();
    private final LinkedHashMap<IdempotencyKey, Seen> seen = new LinkedHashMap<>();
    private final Map<IdempotencyKey, CompletableFuture<Receipt>> inFlight = new HashMap<>();
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private final List<Consumer<Receipt.Accepted>> listeners = new CopyOnWriteArrayList<>();
    private boolean holding;
    private boolean closed;

    private record Seen(Instant at, List<AlarmEvent> events) {
    }

    /**
     * An intake with the default dedupe window and at most 10,000 messages in flight.
     *
     * @param clock the clock for ids and the dedupe window
     */
    public InMemoryAlarmIntake(Clock clock) {
        this(clock, new EventIdGenerator(clock), 10_000, DEFAULT_DEDUPE_WINDOW);
    }

    /**
     * An intake with explicit settings.
     *
     * @param clock        the clock for the dedupe window
     * @param ids          the id generator
     * @param maxPending   messages in flight (accepted, receipt not yet complete) before refusing
     * @param dedupeWindow how long a key is remembered
     */
    public InMemoryAlarmIntake(Clock clock, EventIdGenerator ids, int maxPending, Duration dedupeWindow) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.maxPending = maxPending;
        this.dedupeWindow = Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    }

    @Override
    public CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key) {
        Objects.requireNonNull(key, "key");
        if (events == null || events.isEmpty()) {
            return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.INVALID, "no events"));
        }
        CompletableFuture<Receipt> result;
        Runnable completion;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.CLOSED, "intake closed"));
            }
            Instant now = clock.instant();
            expire(now);
            Seen s = seen.get(key);
            if (s != null) {
                return CompletableFuture.completedFuture(new Receipt.Accepted(key, s.events, true));
            }
            CompletableFuture<Receipt> pending = inFlight.get(key);
            if (pending != null) {
                // the same message again while the first copy is being stored: one receipt for both
                return pending.thenApply(r -> r instanceof Receipt.Accepted
                        ? new Receipt.Accepted(key, ((Receipt.Accepted) r).events(), true) : r);
            }
            if (inFlight.size() >= maxPending) {
                return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.BACKPRESSURE,
                        "intake has " + inFlight.size() + " messages in flight"));
            }
            List<AlarmEvent> withIds = new ArrayList<>(events.size());
            for (AlarmEvent e : events) {
                withIds.add(e.withId(ids.next()));
            }
            result = new CompletableFuture<>();
            inFlight.put(key, result);
            CompletableFuture<Receipt> r = result;
            completion = () -> commit(key, withIds, r);
            if (holding) {
                held.add(completion);
                return result;
            }
        }
        completion.run();
        return result;
    }

    private void commit(IdempotencyKey key, List<AlarmEvent> events, CompletableFuture<Receipt> result) {
        Receipt.Accepted accepted = new Receipt.Accepted(key, events, false);
        synchronized (this) {
            stored.addAll(events);
            seen.put(key, new Seen(clock.instant(), List.copyOf(events)));
            inFlight.remove(key);
        }
        result.complete(accepted);
        for (Consumer<Receipt.Accepted> l : listeners) {
            l.accept(accepted);
        }
    }

    private void expire(Instant now) {
        Instant limit = now.minus(dedupeWindow);
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next().at.isBefore(limit)) {
                it.remove();
            } else {
                break; // insertion order is acceptance order
            }
        }
    }

    /** Keeps receipts pending from now on, until {@link #release()}. For tests. */
    public synchronized void hold() {
        holding = true;
    }

    /** Completes every held receipt, in order, and stops holding. */
    public void release() {
        List<Runnable> toRun;
        synchronized (this) {
            holding = false;
            toRun = new ArrayList<>(held);
            held.clear();
        }
        toRun.forEach(Runnable::run);
    }

    /**
     * Registers a listener told of every new (non-duplicate) acceptance, on the thread that completes it.
     *
     * @param listener the listener
     */
    public void addListener(Consumer<Receipt.Accepted> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @return a snapshot of every accepted event, in acceptance order */
    public synchronized List<AlarmEvent> events() {
        return List.copyOf(stored);
    }

    /** Refuses everything from now on; held receipts are refused too. */
    @Override
    public void close() {
        List<CompletableFuture<Receipt>> pending;
        synchronized (this) {
            closed = true;
            pending = new ArrayList<>(inFlight.values());
            inFlight.clear();
            held.clear();
        }
        pending.forEach(f -> f.complete(new Receipt.Refused(RefusalReason.CLOSED, "intake closed")));
    }
}
