package org.arc4j.core.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A step of a case that took longer than its limit: itself an event, written to the store with the case and
 * published to listeners, so a centre can prove alarm by alarm where it missed GA 1383's limits.
 *
 * @param caseId        the case
 * @param step          the step
 * @param startedAt     when the step's clock started (for the response: the corrected device time, else receipt)
 * @param limit         the limit that applied
 * @param measured      the measured duration when the breach was detected (at least the limit plus one
 *                      millisecond), or the step's final duration when it was detected at completion
 * @param detectedAt    when the breach was detected, on the centre's clock
 * @param duringOutage  true when the deadline fell due while the centre was down and the breach was found on
 *                      recovery
 * @param drill         true for a drill case (kept out of quality statistics)
 */
public record SlaBreach(String caseId, SlaStep step, Instant startedAt, Duration limit, Duration measured,
                        Instant detectedAt, boolean duringOutage, boolean drill) {
    /** Validates the parts. */
    public SlaBreach {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(detectedAt, "detectedAt");
    }

    /** @return by how much the limit was exceeded */
    public Duration excess() {
        return measured.minus(limit);
    }
}
