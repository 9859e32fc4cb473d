package org.arc4j.core.supervision;

import java.time.Instant;

/**
 * What the {@link Supervisor} decides about a device. An offline event is paired with the online event
 * that ends it (GA 1383: offline IP devices must be prompted to the operators).
 */
public sealed interface SupervisionEvent permits SupervisionEvent.Offline, SupervisionEvent.Online {
    /** @return the device */
    DeviceKey device();

    /** @return when the supervisor decided */
    Instant at();

    /**
     * The device missed its deadline.
     *
     * @param device   the device
     * @param at       the deadline that passed
     * @param lastSeen the last check-in, or null if it never checked in
     * @param lastLink the link of the last check-in, or null
     */
    record Offline(DeviceKey device, Instant at, Instant lastSeen, String lastLink) implements SupervisionEvent {
    }

    /**
     * The device checked in again after being offline.
     *
     * @param device       the device
     * @param at           the check-in time
     * @param link         the link it came back on
     * @param offlineSince when it was declared offline
     */
    record Online(DeviceKey device, Instant at, String link, Instant offlineSince) implements SupervisionEvent {
    }
}
