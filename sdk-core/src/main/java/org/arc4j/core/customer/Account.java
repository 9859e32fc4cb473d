package org.arc4j.core.customer;

import java.time.Duration;
import java.util.Objects;
import org.arc4j.core.event.Transport;

/**
 * A reporting device's account (用户编号) at the centre: which site it protects and how it reports.
 *
 * @param key             receiver + line + account
 * @param siteId          the site it protects
 * @param transport       its transport, which decides its GA 1383 response limit (4 s IP, 20 s PSTN, 5 s
 *                        wireless)
 * @param checkInInterval how long it may stay silent before the supervisor declares it offline (its periodic
 *                        test or poll interval with the allowed misses); null when it is not supervised. GA 1383
 *                        设备巡检 requires a check at least every 24 h.
 * @param schedule        its open/close schedule, or null when it has none
 */
public record Account(AccountKey key, String siteId, Transport transport, Duration checkInInterval,
                      OpenCloseSchedule schedule) {
    /** Validates the parts. */
    public Account {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(siteId, "siteId");
        transport = transport == null ? Transport.UNKNOWN : transport;
        if (checkInInterval != null && (checkInInterval.isZero() || checkInInterval.isNegative())) {
            throw new IllegalArgumentException("checkInInterval must be positive: " + checkInInterval);
        }
    }
}
