package org.arc4j.core.testkit;

import org.arc4j.core.supervision.DeviceStatus;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.DeviceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.time.Scheduler;

/**
 * A {@link Supervisor} that keeps everything in memory: the {@link JournalledSupervisor}'s rules over an
 * {@link InMemoryRecordStore}, for tests and embedding experiments. Nothing survives a restart, so a centre
 * uses {@link JournalledSupervisor} over its journal instead.
 *
 * <p>Thread-safe.
 */
public final class InMemorySupervisor implements Supervisor {
    private final JournalledSupervisor delegate;

    /**
     * A supervisor whose deadlines run on the given scheduler.
     *
     * @param scheduler the scheduler
     */
    public InMemorySupervisor(Scheduler scheduler) {
        this.delegate = JournalledSupervisor.open(new InMemoryRecordStore(), scheduler);
    }

    @Override
    public void expect(DeviceKey device, Duration maxSilence) {
        delegate.expect(device, maxSilence);
    }

    @Override
    public void forget(DeviceKey device) {
        delegate.forget(device);
    }

    @Override
    public void checkIn(DeviceKey device, String link, Instant at) {
        delegate.checkIn(device, link, at);
    }

    @Override
    public Optional<DeviceStatus> status(DeviceKey device) {
        return delegate.status(device);
    }

    @Override
    public Collection<DeviceStatus> all() {
        return delegate.all();
    }

    @Override
    public void addListener(Consumer<SupervisionEvent> listener) {
        delegate.addListener(listener);
    }

    @Override
    public void removeListener(Consumer<SupervisionEvent> listener) {
        delegate.removeListener(listener);
    }
}
