package org.arc4j.examples.center.cluster;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventId;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.Arrival;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.postgres.PostgresStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the alarm pipeline, with its SLA timers, only on the node that holds the {@link LeaderLease}. On election it
 * builds the pipeline, recovers the open cases from the shared store (those the previous leader left, with their
 * timers) and follows the store for the events every node's intake accepts; on deposition it stops it. The intakes
 * of all nodes only append: the leader's pipeline reads their events from the store, so an event accepted by any
 * node becomes (or joins) one case. Built on a {@link PostgresStore}, the pipeline's appends are fenced by the leader
 * epoch; with the lease's {@code maxSilence} a leader that cannot reach the database stops its pipeline and timers.
 *
 * <p>Thread-safe: called by the lease's thread; {@link #pipeline()} from any thread.
 */
public final class PipelineLeadership implements LeaderLease.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineLeadership.class);

    private final RecordStore store;
    private final java.util.function.LongFunction<AlarmPipeline> factory;
    private volatile AlarmPipeline pipeline;
    private RecordStore.Subscription events;

    /**
     * @param store   the shared store
     * @param factory builds a pipeline on the store (not yet recovered) when this node is elected
     */
    public PipelineLeadership(RecordStore store, Supplier<AlarmPipeline> factory) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(factory, "factory");
        this.factory = epoch -> factory.get();
    }

    /**
     * Leadership whose pipeline writes through the store fenced by the epoch it was elected in: every timer action
     * (an SLA escalation, a supervision timeout) and every step the pipeline appends is refused by the database once
     * another node holds a newer epoch ({@link PostgresStore#fenced}), so a deposed leader whose timers still fire
     * changes nothing.
     *
     * @param store   the shared store
     * @param factory builds a pipeline on the given store (fenced by this node's epoch) when this node is elected
     */
    public PipelineLeadership(PostgresStore store, java.util.function.Function<RecordStore, AlarmPipeline> factory) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(factory, "factory");
        this.factory = epoch -> factory.apply(store.fenced(epoch));
    }

    /** @return the running pipeline, empty when this node is not the leader */
    public Optional<AlarmPipeline> pipeline() {
        return Optional.ofNullable(pipeline);
    }

    @Override
    public synchronized void elected(long epoch) {
        AlarmPipeline p = factory.apply(epoch);
        // events from here on come by the subscription; those before it that recovery also takes up are skipped
        long from = store.nextPosition();
        int open = p.recover();
        long recovered = store.nextPosition();
        Set<EventId> known = new HashSet<>();
        for (AlarmCase c : p.openCases()) {
            for (Arrival a : c.arrivals()) {
                known.add(a.eventId());
            }
        }
        pipeline = p;
        events = store.subscribe(from, r -> {
            if (r.type() != RecordType.EVENT) {
                return;
            }
            AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
            if (r.position() < recovered && known.contains(e.id())) {
                return;
            }
            p.ingest(e);
        });
        LOG.info("leader epoch {}: pipeline recovered {} open cases", epoch, open);
    }

    @Override
    public synchronized void deposed(long epoch) {
        stop();
        LOG.warn("no longer leader (epoch {}): pipeline and its timers stopped", epoch);
    }

    private void stop() {
        if (events != null) {
            events.close();
            events = null;
        }
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    /** Stops the pipeline if it runs here. */
    @Override
    public synchronized void close() {
        stop();
    }
}
