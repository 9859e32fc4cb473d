package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.time.Instant;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.time.Cancellable;

/**
 * The running clock of one timed step of a case (GA 1383's response, verification, forwarding per recipient,
 * guard departure): when it started, its limit, and whether it completed, breached or was carried over a
 * restart. Mutated only under the pipeline's lock, by {@link CaseFile} and {@link SlaTimers}.
 */
public final class StepClock {
    final SlaStep step;
    final String key;
    final Instant startedAt;
    final Duration limit;
    Cancellable timer;
    /** The case's next clock. */
    StepClock next;
    boolean done;
    boolean breached;
    boolean recovered;
    boolean recorded;
    Duration measured;

    StepClock(SlaStep step, String key, Instant startedAt, Duration limit) {
        this.step = step;
        this.key = key;
        this.startedAt = startedAt;
        this.limit = limit;
    }

    /** Cancels its deadline: the step was restarted and this clock no longer counts. */
    void stop() {
        if (timer != null) {
            timer.cancel();
        }
    }
}

