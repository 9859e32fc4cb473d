package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * The closed cases the pipeline still holds in memory, oldest closing first, so that a centre that runs for
 * months does not hold every case it ever closed (issue 15 item 5). A closed case stays for a while because
 * operators usually archive it, mark it a false alarm or notify the client soon after closing; after that it is
 * read back from the store when asked for.
 *
 * <p><b>Bound.</b> At most {@code maxHeld} cases, each for at most {@code keep} after it closed (or after it was
 * read back from the store); beyond either, the oldest leave first. A case whose transitions are still on their
 * way to the store stays until they are durable (a few milliseconds), since until then the store cannot give it
 * back; so the count may pass {@code maxHeld} by the cases closed within one group commit.
 *
 * <p>Not thread-safe: used only under the pipeline's lock.
 */
public final class ClosedCases {
    private final int maxHeld;
    private final Duration keep;
    /** Case id → when it started to be held; insertion order is that time's order (the clock never goes back). */
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();

    private record Held(CaseFile c, Instant since) {
    }

    /**
     * @param maxHeld the most closed cases held, at least 1
     * @param keep    the longest a closed case is held, positive
     */
    public ClosedCases(int maxHeld, Duration keep) {
        if (maxHeld < 1) {
            throw new IllegalArgumentException("maxHeld must be positive");
        }
        if (keep.isZero() || keep.isNegative()) {
            throw new IllegalArgumentException("keep must be positive");
        }
        this.maxHeld = maxHeld;
        this.keep = keep;
    }

    /**
     * Holds a case that closed (or was read back from the store) at a time; a case already held starts again,
     * as the newest.
     *
     * @param c     the case
     * @param since when it closed or was read back
     */
    public void add(CaseFile c, Instant since) {
        held.remove(c.id());
        held.put(c.id(), new Held(c, Objects.requireNonNull(since, "since")));
    }

    /**
     * Stops holding a case (it was archived and leaves memory anyway).
     *
     * @param caseId the case
     */
    public void remove(String caseId) {
        held.remove(caseId);
    }

    /**
     * Takes out the cases that must leave memory now: the oldest beyond the count, and those held for
     * {@code keep} or longer, except those with a transition not yet durable.
     *
     * @param now the time now
     * @return the cases that leave, oldest first (the caller drops them from its indexes)
     */
    public List<CaseFile> due(Instant now) {
        List<CaseFile> out = null;
        Instant expired = now.minus(keep);
        int excess = held.size() - maxHeld;
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held h = it.next();
            boolean old = !h.since.isAfter(expired);
            if (excess <= 0 && !old) {
                break; // the rest are newer still
            }
            if (h.c.pendingFloor() != Long.MAX_VALUE) {
                continue; // not all of it is in the store yet: the next call takes it
            }
            it.remove();
            excess--;
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(h.c);
        }
        return out == null ? List.of() : out;
    }

    /** @return when the oldest case held is due to leave by age, or null when none is held */
    public Instant nextExpiry() {
        Iterator<Held> it = held.values().iterator();
        return it.hasNext() ? it.next().since.plus(keep) : null;
    }

    /** @return the number of closed cases held */
    public int size() {
        return held.size();
    }
}
