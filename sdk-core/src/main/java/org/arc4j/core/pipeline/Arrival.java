package org.arc4j.core.pipeline;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.core.event.EventId;

/**
 * One arrival of a case's alarm: GA 1383 asks for two or more receive links, and the same alarm arriving on
 * each is one case that records every arrival and its time.
 *
 * @param eventId     the event
 * @param link        the receive link
 * @param receivedAt  when it arrived, on the centre's clock
 * @param triggeredAt the device's own event time, or null
 */
public record Arrival(EventId eventId, String link, Instant receivedAt, Instant triggeredAt) {
    /** Validates the parts. */
    public Arrival {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
