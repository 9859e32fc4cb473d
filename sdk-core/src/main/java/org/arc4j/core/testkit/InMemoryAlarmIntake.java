package org.arc4j.core.testkit;

import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.AlarmIntake;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.RecordType;

/**
 * An {@link AlarmIntake} that keeps accepted events in memory: the {@link StoreAlarmIntake}'s rules over an
 * {@link InMemoryRecordStore}, for tests and embedding experiments — never a centre's default, since nothing
 * survives a restart.
 *
 * <p>It follows the whole contract: ids assigned in acceptance order, one receipt per message,
 * retransmissions recognised within a window (default one hour: long enough for every retry schedule, short
 * enough that a DC-09 sequence number that wrapped around is a new message), and a bound on messages in
 * flight. Completion is immediate unless {@link #hold()} was called, which lets tests keep receipts pending
 * to exercise backpressure and "no ACK before the receipt".
 *
 * <p>Thread-safe.
 */
public final class InMemoryAlarmIntake implements AlarmIntake, AutoCloseable {
    /** The default window in which a repeated idempotency key is a retransmission. */
    public static final Duration DEFAULT_DEDUPE_WINDOW = StoreAlarmIntake.DEFAULT_DEDUPE_WINDOW;

    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final StoreAlarmIntake delegate;

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
        // the in-memory store's reads never block: retransmissions are answered on the calling thread
        this.delegate = StoreAlarmIntake.open(store, clock, ids, maxPending, dedupeWindow, Runnable::run);
    }

    @Override
    public CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key) {
        return delegate.accept(events, key);
    }

    /** Keeps receipts pending from now on, until {@link #release()}. For tests. */
    public void hold() {
        store.hold();
    }

    /** Completes every held receipt, in order, and stops holding. */
    public void release() {
        store.release();
    }

    /**
     * Registers a listener told of every new (non-duplicate) acceptance, on the thread that completes it.
     *
     * @param listener the listener
     */
    public void addListener(Consumer<Receipt.Accepted> listener) {
        delegate.addListener(listener);
    }

    /** @return a snapshot of every accepted event, in acceptance order */
    public List<AlarmEvent> events() {
        List<AlarmEvent> out = new ArrayList<>();
        store.replay(1, r -> {
            if (r.type() == RecordType.EVENT) {
                out.add(EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8)));
            }
        });
        return out;
    }

    /** Refuses everything from now on; held receipts are refused too. */
    @Override
    public void close() {
        delegate.close();
    }
}
