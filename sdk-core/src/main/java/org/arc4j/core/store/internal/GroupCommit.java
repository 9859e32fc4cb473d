package org.arc4j.core.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.Timer;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends with group commit: a bounded queue, a writer thread that takes everything queued and writes it to the
 * {@link SegmentLog} in one {@code write} (rotating segments as they fill), and, with {@link Durability#FORCED},
 * a forcer thread that forces everything written since its last force in one {@code force} and then publishes
 * those groups: registers their records in their segments, advances the durable end and completes the stages.
 * While the forcer forces one group the writer already writes the next; a force covers everything written to the
 * file before it started. With {@link Durability#OS_BUFFERED} the writer publishes at once.
 *
 * <p>Threads: {@link #appendAll} on any thread (it only validates and offers to the queue); {@code
 * arc4j-journal-writer} owns the encode buffer and the log's writer side; {@code arc4j-journal-forcer} forces and
 * publishes. A write or force failure is sticky ({@link #failure()}): every later append fails until the journal
 * is reopened.
 *
 * <p>Completions: the stages are completed through the {@code completions} executor, in group order. With
 * {@code Runnable::run} (what the journal passes today) they complete on the publishing thread, so every stage
 * dependent registered without an executor runs on the forcer (or writer) before it takes its next group: a slow
 * dependent delays every later append's force. Handing another executor here moves them off; it must keep the
 * order of what it is given (one thread, or an ordered executor) so that stages complete in position order.
 *
 * <p><b>Follow-ups.</b> An append made with {@link #appendAll(List, BiConsumer)} tells its caller its positions as
 * soon as the writer has written it (before the force), with a release to run once the caller has issued the
 * appends that follow from it (the pipeline's case records for an alarm). The forcer holds the force that covers
 * such an append until every release of its groups has run and the writer has written what was queued by then,
 * for at most {@code followUpWait}, so the alarm, its case's opening and the transitions it causes share one force;
 * after the wait it forces without them (counted as {@code journal.followups.late}).
 *
 * <p><b>Unhurried appends</b> ({@link #appendUnhurried}: records nobody waits on, such as a timer's SLA breach) call
 * for no force of their own: the forcer waits up to 20 ms for an append that does, and forces them together.
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);
    private static final Pending POISON = new Pending(List.of(), new Frames.Body[0], 0, null, false);
    /** How long the forcer waits for the follow-ups of a group by default (see the class comment). */
    static final long FOLLOW_UP_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long an unhurried append waits at most for another append's force. */
    static final long UNHURRIED_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final SegmentLog log;
    private final long segmentBytes;
    private final int queueCapacity;
    private final Executor completions;
    private final Runnable published;
    private final ArrayBlockingQueue<Pending> queue;
    private final Thread writer;
    /** Groups written and not yet forced; small, so the writer runs at most a few forces ahead. */
    private final ArrayBlockingQueue<Group> forceQueue = new ArrayBlockingQueue<>(4);
    private final Thread forcer;
    /** Writer thread only. */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    /** Writer thread only: the position the next record gets. */
    private long assignNext;
    private volatile StoreException failure;
    private volatile boolean closed;
    /** Appends offered to the queue so far, and those the writer has written (or failed) and handed on. */
    private final AtomicLong offered = new AtomicLong();
    private volatile long handled;
    /** True while the forcer waits for follow-ups: releases and the writer then wake it. */
    private volatile boolean awaiting;
    private final long followUpWait;
    private final long unhurriedWait;

    private final Counter appended;
    private final Counter refusedFull;
    private final Timer forceTimer;
    private final Counter lateFollowUps;

    /**
     * Starts the writer (and, when forced, the forcer) thread over a started log.
     *
     * @param log           the log, recovered and started
     * @param durability    whether groups are forced before they complete
     * @param segmentBytes  the size at which a segment is sealed
     * @param queueCapacity how many appends may wait for the writer
     * @param metrics       where appends, refusals and force latency are counted
     * @param completions   where the append stages are completed, in order ({@code Runnable::run}: on the
     *                      publishing thread)
     * @param published     run on the publishing thread after each group became readable (wakes subscriptions)
     */
    GroupCommit(SegmentLog log, Durability durability, long segmentBytes, int queueCapacity, Metrics metrics,
                Executor completions, Runnable published) {
        this(log, durability, segmentBytes, queueCapacity, metrics, completions, published, FOLLOW_UP_WAIT_NANOS,
                UNHURRIED_WAIT_NANOS);
    }

    /**
     * As above, with the longest time the forcer holds a force for follow-ups.
     *
     * @param followUpWait  nanoseconds the forcer waits at most for the follow-ups of the groups it is about to force
     * @param unhurriedWait nanoseconds an unhurried append waits at most for another append's force
     */
    GroupCommit(SegmentLog log, Durability durability, long segmentBytes, int queueCapacity, Metrics metrics,
                Executor completions, Runnable published, long followUpWait, long unhurriedWait) {
        this.followUpWait = followUpWait;
        this.unhurriedWait = unhurriedWait;
        this.lateFollowUps = metrics.counter("journal.followups.late");
        this.log = log;
        this.segmentBytes = segmentBytes;
        this.queueCapacity = queueCapacity;
        this.completions = completions;
        this.published = published;
        this.appended = metrics.counter("journal.appends");
        this.refusedFull = metrics.counter("journal.refused", "reason", "full");
        this.forceTimer = metrics.timer("journal.force");
        this.assignNext = log.durableNext();
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = new Thread(this::writeLoop, "arc4j-journal-writer");
        this.writer.setDaemon(true);
        if (durability == Durability.FORCED) {
            this.forcer = new Thread(this::forceLoop, "arc4j-journal-forcer");
            this.forcer.setDaemon(true);
            this.forcer.start();
        } else {
            this.forcer = null;
        }
        this.writer.start();
    }

    /** @return the write or force failure that stopped appends, or null */
    StoreException failure() {
        return failure;
    }

    /**
     * Validates a batch and queues it; never blocks.
     *
     * @param records the records, written as one atomic batch
     * @return completes with their positions once durable (or written, when not forced); fails with
     *         {@link StoreException.Full}, {@link StoreException.Failed}, {@link StoreException.Closed} or
     *         {@link IllegalArgumentException}
     */
    CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
        return appendAll(records, null);
    }

    /**
     * Validates a batch and queues it; never blocks. {@code written}, when given, is called on the writer thread
     * once the batch is written (not yet durable) with its positions and a release, which the caller runs once it
     * has issued the appends that follow from this batch; until then (at most the follow-up wait) the forcer holds
     * the force that covers the batch. It must be quick (hand the work to another thread) and must not block.
     *
     * @param records the records, written as one atomic batch
     * @param written told the positions once written, or null
     * @return as {@link #appendAll(List)}
     */
    CompletionStage<List<Long>> appendAll(List<NewRecord> records, BiConsumer<List<Long>, Runnable> written) {
        return appendAll(records, written, false);
    }

    /**
     * Queues a batch that nobody waits on (a timer's record, such as an SLA breach): it does not call for a force of
     * its own but rides on the next one another append calls for, or is forced after at most the unhurried wait.
     *
     * @param records the records, written as one atomic batch
     * @return as {@link #appendAll(List)}, possibly up to the unhurried wait later
     */
    CompletionStage<List<Long>> appendUnhurried(List<NewRecord> records) {
        return appendAll(records, null, true);
    }

    private CompletionStage<List<Long>> appendAll(List<NewRecord> records, BiConsumer<List<Long>, Runnable> written,
                                                  boolean unhurried) {
        if (records == null || records.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no records"));
        }
        List<NewRecord> copy = List.copyOf(records);
        Frames.Body[] bodies = new Frames.Body[copy.size()];
        long bytes = 0;
        long unpacked = 0;
        for (int i = 0; i < copy.size(); i++) {
            NewRecord r = copy.get(i);
            byte[] subject = r.subject().getBytes(StandardCharsets.UTF_8);
            if (subject.length > 0xFFFF) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("subject longer than 65535 bytes"));
            }
            int plain = Frames.frameSize(subject, r.payload().length);
            unpacked += plain;
            if (plain - 8 > Frames.MAX_BODY) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "record larger than " + Frames.MAX_BODY + " bytes"));
            }
            // packed here, on the appending thread, so that the single writer thread only copies
            bodies[i] = Frames.body(r, subject);
            bytes += Frames.frameSize(bodies[i]);
        }
        // the limits hold for the records as given, however well they pack: what fits never depends on content
        if (unpacked > segmentBytes - Frames.HEADER) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "batch of " + unpacked + " bytes does not fit in a segment of " + segmentBytes));
        }
        StoreException f = failure;
        if (f != null) {
            return CompletableFuture.failedFuture(new StoreException.Failed("journal failed earlier; reopen it", f));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new StoreException.Closed());
        }
        Pending p = new Pending(copy, bodies, (int) bytes, written, unhurried);
        if (!queue.offer(p)) {
            refusedFull.increment();
            return CompletableFuture.failedFuture(new StoreException.Full(queueCapacity));
        }
        offered.incrementAndGet();
        if (closed && queue.remove(p)) {
            return CompletableFuture.failedFuture(new StoreException.Closed());
        }
        return p.future;
    }

    /** Refuses appends from now on; those already queued are still written by {@link #close}. */
    void stopAccepting() {
        closed = true;
    }

    /** Writes (and forces) everything queued, completes it, and stops both threads. Call after stopAccepting. */
    void close() {
        closed = true;
        try {
            queue.put(POISON);
            writer.join();
            if (forcer != null) {
                forcer.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ writer thread

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, 4096);
            if (batch.remove(POISON)) {
                stop = true;
                queue.drainTo(batch);
            }
            if (!batch.isEmpty()) {
                write(new ArrayList<>(batch));
                // counted once the group is with the forcer, so a forcer that sees this count also sees the group
                handled += batch.size();
                if (awaiting) {
                    LockSupport.unpark(forcer);
                }
            }
            batch.clear();
        }
        List<Pending> late = new ArrayList<>();
        for (Pending p; (p = queue.poll()) != null; ) {
            late.add(p);
        }
        if (!late.isEmpty()) {
            fail(late, new StoreException.Closed());
        }
        if (forcer != null) {
            handOff(Group.POISON);
        }
    }

    /**
     * Encodes and writes a batch of appends (rolling to a new segment where needed), then hands them to the forcer
     * (or, with {@link Durability#OS_BUFFERED}, publishes them at once).
     */
    private void write(List<Pending> batch) {
        StoreException f = failure;
        if (f != null) {
            fail(batch, new StoreException.Failed("journal failed earlier; reopen it", f));
            return;
        }
        List<Placed> placed = new ArrayList<>();
        List<List<Long>> results = new ArrayList<>(batch.size());
        LinkedHashMap<Segment, Long> ends = new LinkedHashMap<>();
        long next = assignNext;
        try {
            buffer.clear();
            for (Pending p : batch) {
                long end = log.activeEnd() + buffer.position();
                if (end + p.bytes > segmentBytes && end > Frames.HEADER) {
                    buffer.flip();
                    log.write(buffer);
                    ends.put(log.active(), log.activeEnd());
                    log.rotate(next);
                }
                if (buffer.remaining() < p.bytes) {
                    ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2,
                            buffer.position() + p.bytes));
                    buffer.flip();
                    bigger.put(buffer);
                    buffer = bigger;
                }
                List<Long> positions = new ArrayList<>(p.records.size());
                for (int i = 0; i < p.records.size(); i++) {
                    NewRecord r = p.records.get(i);
                    int at = buffer.position();
                    Frames.encode(buffer, r, p.bodies[i], next, i == 0, i < p.records.size() - 1);
                    placed.add(new Placed(log.active(), next, log.activeEnd() + at, buffer.position() - at,
                            Frames.code(r.type())));
                    positions.add(next);
                    next++;
                }
                results.add(positions);
            }
            buffer.flip();
            log.write(buffer);
            ends.put(log.active(), log.activeEnd());
        } catch (IOException | RuntimeException e) {
            StoreException failed = new StoreException.Failed("journal write failed: " + e, e);
            failure = failed;
            LOG.error("journal {}: write failed; no further appends until it is reopened", log.directory(), e);
            fail(batch, failed);
            return;
        }
        assignNext = next;
        Group g = new Group(batch, results, placed, next, ends);
        if (forcer == null) {
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).written != null) {
                    tellWritten(batch.get(i), results.get(i), null);
                }
            }
            publish(g);
        } else {
            // the holds are counted before the forcer can see the group
            for (int i = 0; i < batch.size(); i++) {
                if (batch.get(i).written != null) {
                    g.holds.incrementAndGet();
                    tellWritten(batch.get(i), results.get(i), g);
                }
            }
            handOff(g);
        }
    }

    /** Tells an append's caller where it was written, with the release of its hold on the group's force. */
    private void tellWritten(Pending p, List<Long> positions, Group g) {
        Release release = new Release(g);
        try {
            p.written.accept(positions, release);
        } catch (RuntimeException e) {
            LOG.error("journal {}: a written-callback failed; its records are still forced", log.directory(), e);
            release.run();
        }
    }

    /** Runs once: lets the forcer force the group once the appends issued until now are written. */
    private final class Release implements Runnable {
        private final Group group;
        private final AtomicBoolean done = new AtomicBoolean();

        Release(Group group) {
            this.group = group;
        }

        @Override
        public void run() {
            if (group == null || !done.compareAndSet(false, true)) {
                return;
            }
            long mark = offered.get();
            group.mark.accumulateAndGet(mark, Math::max);
            if (group.holds.decrementAndGet() == 0 && awaiting) {
                LockSupport.unpark(forcer);
            }
        }
    }

    private void handOff(Group g) {
        if (forceQueue.offer(g)) {
            return;
        }
        if (awaiting) {
            LockSupport.unpark(forcer); // a forcer waiting for follow-ups takes the groups written meanwhile
        }
        while (true) {
            try {
                forceQueue.put(g);
                return;
            } catch (InterruptedException e) {
                // the writer is never interrupted on purpose; keep the group
            }
        }
    }

    // ------------------------------------------------------------------ forcer thread

    /** Forces what the writer wrote, many groups at a time, then publishes them in order. */
    private void forceLoop() {
        List<Group> groups = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                groups.add(forceQueue.take());
            } catch (InterruptedException e) {
                continue;
            }
            forceQueue.drainTo(groups);
            stop = groups.remove(Group.POISON);
            if (!stop) {
                stop = awaitHurried(groups);
            }
            if (!stop) {
                stop = awaitFollowUps(groups);
            }
            if (groups.isEmpty()) {
                continue;
            }
            StoreException f = failure;
            if (f == null) {
                LinkedHashSet<Segment> touched = new LinkedHashSet<>();
                for (Group g : groups) {
                    touched.addAll(g.ends.keySet());
                }
                try {
                    long t0 = System.nanoTime();
                    for (Segment seg : touched) {
                        seg.channel().force(false);
                    }
                    forceTimer.recordNanos(System.nanoTime() - t0);
                } catch (IOException | RuntimeException e) {
                    f = new StoreException.Failed("journal force failed: " + e, e);
                    failure = f;
                    LOG.error("journal {}: force failed; no further appends until it is reopened", log.directory(),
                            e);
                }
            }
            // with the default executor the stages' dependents run here, before the next force
            for (Group g : groups) {
                if (f == null) {
                    publish(g);
                } else {
                    fail(g.batch, f);
                }
            }
            groups.clear();
        }
    }

    /**
     * When every group taken is unhurried, waits at most the unhurried wait for one that is not, so they share its
     * force.
     *
     * @return true if the writer stopped meanwhile
     */
    private boolean awaitHurried(List<Group> groups) {
        if (!allUnhurried(groups)) {
            return false;
        }
        long deadline = System.nanoTime() + unhurriedWait;
        awaiting = true;
        try {
            while (true) {
                forceQueue.drainTo(groups);
                if (groups.remove(Group.POISON)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (!allUnhurried(groups) || left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            awaiting = false;
        }
    }

    private static boolean allUnhurried(List<Group> groups) {
        for (Group g : groups) {
            for (Pending p : g.batch) {
                if (!p.unhurried) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Waits, at most the follow-up wait, until every hold on the groups taken is released and the writer has
     * handed over what was queued by then, taking the later groups as they come so the writer never stalls.
     *
     * @return true if the writer stopped meanwhile
     */
    private boolean awaitFollowUps(List<Group> groups) {
        int n = groups.size();
        boolean held = false;
        for (int i = 0; i < n && !held; i++) {
            held = groups.get(i).holds.get() > 0 || groups.get(i).mark.get() > handled;
        }
        if (!held) {
            return false;
        }
        boolean stop = false;
        long deadline = System.nanoTime() + followUpWait;
        awaiting = true;
        try {
            while (true) {
                forceQueue.drainTo(groups);
                if (groups.remove(Group.POISON)) {
                    stop = true;
                    break;
                }
                boolean ready = true;
                for (int i = 0; i < n && ready; i++) {
                    Group g = groups.get(i);
                    ready = g.holds.get() == 0 && g.mark.get() <= handled;
                }
                if (ready) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    lateFollowUps.increment();
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            awaiting = false;
        }
        forceQueue.drainTo(groups);
        return groups.remove(Group.POISON) || stop;
    }

    /** Makes a durable group visible to readers and completes its appends. */
    private void publish(Group g) {
        for (Map.Entry<Segment, Long> e : g.ends.entrySet()) {
            e.getKey().size(e.getValue());
        }
        for (Placed pl : g.placed) {
            pl.segment().add(pl.position(), pl.offset(), pl.length(), pl.type());
        }
        log.publish(g.next);
        appended.add(g.placed.size());
        // the dispatcher is woken before the stages complete, so whoever sees a completion also sees the wake
        published.run();
        completions.execute(() -> {
            for (int i = 0; i < g.batch.size(); i++) {
                g.batch.get(i).future.complete(g.results.get(i));
            }
        });
    }

    private void fail(List<Pending> batch, StoreException cause) {
        completions.execute(() -> {
            for (Pending p : batch) {
                p.future.completeExceptionally(cause);
            }
        });
    }

    // ------------------------------------------------------------------ what travels between the threads

    /** One append (single record or atomic batch) waiting for the writer. */
    private static final class Pending {
        final List<NewRecord> records;
        final Frames.Body[] bodies;
        final int bytes;
        final CompletableFuture<List<Long>> future = new CompletableFuture<>();
        /** Told the positions once written, or null. */
        final BiConsumer<List<Long>, Runnable> written;
        /** Calls for no force of its own. */
        final boolean unhurried;

        Pending(List<NewRecord> records, Frames.Body[] bodies, int bytes, BiConsumer<List<Long>, Runnable> written,
                boolean unhurried) {
            this.written = written;
            this.unhurried = unhurried;
            this.records = records;
            this.bodies = bodies;
            this.bytes = bytes;
        }
    }

    /** Where the writer put one record. */
    private record Placed(Segment segment, long position, long offset, int length, int type) {
    }

    /** Appends written by one pass of the writer, waiting for their force. */
    private static final class Group {
        static final Group POISON = new Group(List.of(), List.of(), List.of(), 0, new LinkedHashMap<>());

        final List<Pending> batch;
        final List<List<Long>> results;
        final List<Placed> placed;
        final long next;
        /** Every segment written, with its write end after this group, in write order. */
        final LinkedHashMap<Segment, Long> ends;
        /** Follow-ups not yet released. */
        final AtomicInteger holds = new AtomicInteger();
        /** The count of appends offered when the last release ran: the writer must have handled that many. */
        final AtomicLong mark = new AtomicLong();

        Group(List<Pending> batch, List<List<Long>> results, List<Placed> placed, long next,
              LinkedHashMap<Segment, Long> ends) {
            this.batch = batch;
            this.results = results;
            this.placed = placed;
            this.next = next;
            this.ends = ends;
        }
    }
}
