package org.arc4j.core.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides when a device is offline and when it is back. Adapters only report
 * {@link #checkIn check-ins} — DC-09 {@code NULL} polls, Contact ID periodic tests, GB/T 28181 keepalives
 * and REGISTERs, hardware receiver heartbeats — and the supervisor alone owns every deadline (on the core
 * {@code Scheduler}) and emits {@link SupervisionEvent}s.
 *
 * <p>A device is supervised once it has an expectation ({@link #expect}); a check-in from a device without
 * one is recorded but sets no deadline. Implementations are thread-safe and never block the caller.
 */
public interface Supervisor {
    /**
     * Sets (or changes) how long a device may stay silent before it is offline. The deadline runs from the
     * last check-in, or from now if there was none.
     *
     * @param device     the device
     * @param maxSilence the longest allowed silence, positive (e.g. poll interval × allowed misses)
     */
    void expect(DeviceKey device, Duration maxSilence);

    /**
     * Stops supervising a device (removed from configuration, unregistered).
     *
     * @param device the device
     */
    void forget(DeviceKey device);

    /**
     * Reports that a device was heard from.
     *
     * @param device the device
     * @param link   the receive link it was heard on
     * @param at     when, on the centre's clock
     */
    void checkIn(DeviceKey device, String link, Instant at);

    /**
     * The current status of a device.
     *
     * @param device the device
     * @return its status, or empty if it was never expected nor heard from
     */
    Optional<DeviceStatus> status(DeviceKey device);

    /** @return a snapshot of every known device */
    Collection<DeviceStatus> all();

    /**
     * Registers a listener for offline and online events. Listeners run on the scheduler's thread (offline)
     * or the caller's thread (online) and must be quick.
     *
     * @param listener the listener
     */
    void addListener(Consumer<SupervisionEvent> listener);

    /**
     * Removes a listener added with {@link #addListener}, so a component that closes leaves nothing behind.
     * A listener not registered is ignored.
     *
     * @param listener the same instance that was added
     */
    void removeListener(Consumer<SupervisionEvent> listener);
}
