package org.arc4j.gb28181.cascade;

import java.time.Instant;

/**
 * The centre's link to one upper platform: registration with digest authentication and its refresh before expiry,
 * back-off after a failure, keepalives, and the alarms waiting to be delivered to it. Thread-safe; state is read
 * without blocking.
 */
public interface UpperPlatformLink {
    /** @return the upper platform */
    UpperPlatform upper();

    /** @return the link's state now */
    LinkState state();

    /** @return when the current registration expires, or null when not registered */
    Instant registeredUntil();

    /** @return when the upper platform last answered a keepalive with 200, or null */
    Instant lastKeepaliveAnswered();

    /** @return the alarms forwarded to it and not yet answered with 200 */
    int pendingAlarms();
}
