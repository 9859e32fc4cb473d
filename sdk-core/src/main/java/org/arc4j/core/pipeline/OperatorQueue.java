package org.arc4j.core.pipeline;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The cases waiting for an operator, in the order they must be handled: by priority (the foundation's
 * {@link org.arc4j.core.event.Category} order: fire, emergency, medical, intrusion, unknown, …), key customers
 * (重要客户) first within a priority, then oldest first. A case enters when it is received and leaves when an
 * operator takes it or it is closed.
 *
 * <p>Thread-safe and lock-free for readers.
 */
public final class OperatorQueue {
    /**
     * One waiting case.
     *
     * @param caseId      the case
     * @param priority    its priority, 1 most urgent
     * @param keyCustomer whether it is a key customer's
     * @param since       when its response clock started
     * @param drill       whether it is a drill
     */
    public record Entry(String caseId, int priority, boolean keyCustomer, Instant since, boolean drill) {
    }

    /** The queue's order. */
    public static final Comparator<Entry> ORDER = OperatorQueue::compare;

    private static int compare(Entry a, Entry b) {
        // written out rather than chained: the queue compares on every insert, a dozen times per case
        int c = Integer.compare(a.priority(), b.priority());
        if (c != 0) {
            return c;
        }
        if (a.keyCustomer() != b.keyCustomer()) {
            return a.keyCustomer() ? -1 : 1;
        }
        c = a.since().compareTo(b.since());
        return c != 0 ? c : a.caseId().compareTo(b.caseId());
    }

    private final ConcurrentSkipListSet<Entry> entries = new ConcurrentSkipListSet<>(ORDER);
    private final Map<String, Entry> byCase;

    /** An empty queue. */
    public OperatorQueue() {
        this(16);
    }

    /**
     * An empty queue sized for a number of waiting cases (it grows beyond).
     *
     * @param expected how many cases are expected to wait at once
     */
    public OperatorQueue(int expected) {
        byCase = new ConcurrentHashMap<>(expected);
    }

    void add(Entry e) {
        if (byCase.putIfAbsent(e.caseId(), e) == null) {
            entries.add(e);
        }
    }

    void remove(String caseId) {
        Entry e = byCase.remove(caseId);
        if (e != null) {
            entries.remove(e);
        }
    }

    /** @return the case to handle next, if any */
    public Optional<Entry> peek() {
        return entries.isEmpty() ? Optional.empty() : Optional.ofNullable(entries.first());
    }

    /** @return every waiting case, in order */
    public List<Entry> snapshot() {
        return List.copyOf(entries);
    }

    /** @return how many cases wait */
    public int size() {
        return byCase.size();
    }

    /** @param caseId a case @return true when it waits in this queue */
    public boolean contains(String caseId) {
        return byCase.containsKey(caseId);
    }
}
