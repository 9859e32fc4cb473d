package org.arc4j.core.supervision;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * A {@link Supervisor} that keeps its state in memory, with one timer per supervised device on the given
 * {@link Scheduler}: for tests and embedding experiments. It does not record its events anywhere; the
 * pipeline's supervisor also journals them and rebuilds deadlines after a restart.
 *
 * <p>Thread-safe: state changes are serialised on this object; listeners run outside the lock.
 */
public final class InMemorySupervisor implements Supervisor {
    private final Scheduler scheduler;
    private final Map<DeviceKey, State> devices = new HashMap<>();
    private final List<Consumer<SupervisionEvent>> listeners = new CopyOnWriteArrayList<>();

    private static final class State {
        final DeviceKey device;
        Duration maxSilence;
        Instant lastCheckIn;
        String lastLink;
        Instant deadline;
        Instant offlineSince;
        Cancellable timer;

        State(DeviceKey device) {
            this.device = device;
        }

        DeviceStatus snapshot() {
            return new DeviceStatus(device, offlineSince == null, lastCheckIn, lastLink, maxSilence, deadline);
        }
    }

    /**
     * A supervisor whose deadlines run on the given scheduler.
     *
     * @param scheduler the scheduler
     */
    public InMemorySupervisor(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public void expect(DeviceKey device, Duration maxSilence) {
        Objects.requireNonNull(device, "device");
        if (maxSilence.isZero() || maxSilence.isNegative()) {
            throw new IllegalArgumentException("maxSilence must be positive: " + maxSilence);
        }
        synchronized (this) {
            State s = devices.computeIfAbsent(device, State::new);
            s.maxSilence = maxSilence;
            Instant from = s.lastCheckIn != null ? s.lastCheckIn : scheduler.now();
            arm(s, from.plus(maxSilence));
        }
    }

    @Override
    public void forget(DeviceKey device) {
        synchronized (this) {
            State s = devices.remove(device);
            if (s != null && s.timer != null) {
                s.timer.cancel();
            }
        }
    }

    @Override
    public void checkIn(DeviceKey device, String link, Instant at) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(at, "at");
        SupervisionEvent.Online back = null;
        synchronized (this) {
            State s = devices.computeIfAbsent(device, State::new);
            if (s.lastCheckIn != null && at.isBefore(s.lastCheckIn)) {
                return; // a late report of an older check-in changes nothing
            }
            s.lastCheckIn = at;
            s.lastLink = link;
            if (s.offlineSince != null) {
                back = new SupervisionEvent.Online(device, at, link, s.offlineSince);
                s.offlineSince = null;
            }
            if (s.maxSilence != null) {
                arm(s, at.plus(s.maxSilence));
            }
        }
        if (back != null) {
            publish(back);
        }
    }

    private void arm(State s, Instant deadline) {
        if (s.timer != null) {
            s.timer.cancel();
        }
        s.deadline = deadline;
        s.timer = scheduler.scheduleAt(deadline, () -> fire(s, deadline));
    }

    private void fire(State s, Instant deadline) {
        SupervisionEvent.Offline off;
        synchronized (this) {
            if (devices.get(s.device) != s || !deadline.equals(s.deadline) || s.offlineSince != null) {
                return; // superseded by a check-in, a new expectation or forget
            }
            s.offlineSince = deadline;
            s.deadline = null;
            off = new SupervisionEvent.Offline(s.device, deadline, s.lastCheckIn, s.lastLink);
        }
        publish(off);
    }

    private void publish(SupervisionEvent e) {
        for (Consumer<SupervisionEvent> l : listeners) {
            l.accept(e);
        }
    }

    @Override
    public synchronized Optional<DeviceStatus> status(DeviceKey device) {
        State s = devices.get(device);
        return s == null ? Optional.empty() : Optional.of(s.snapshot());
    }

    @Override
    public synchronized Collection<DeviceStatus> all() {
        return devices.values().stream().map(State::snapshot).toList();
    }

    @Override
    public void addListener(Consumer<SupervisionEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
