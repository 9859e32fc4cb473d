package org.arc4j.protocols.onvif;

import java.time.Instant;
import java.util.List;

/**
 * What {@code PullMessages} answered (ONVIF Core §9.3.2). Immutable.
 *
 * @param currentTime     the device's current time, or null
 * @param terminationTime when the subscription ends if not renewed, or null
 * @param messages        the notifications, in order
 */
public record PullMessagesResult(Instant currentTime, Instant terminationTime, List<NotificationMessage> messages) {
    /** Copies the list. */
    public PullMessagesResult {
        messages = List.copyOf(messages);
    }
}
