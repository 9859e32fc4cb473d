package org.arc4j.protocols.onvif;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.IdempotencyKey;

/**
 * Turns one device's notifications into alarm events, keeping the last known state of each property
 * (topic + source items): {@code Initialized} and {@code Deleted} only update it, a state becoming true is a new
 * event, true → false a restore, a stateless topic is an event each time. Shared by the pull-point loop and the
 * Basic Notification listener. Thread-safe.
 */
final class AlarmMaker {
    /** An event and the key it goes to the intake with. */
    record Alarm(List<AlarmEvent> events, IdempotencyKey key) {
    }

    private final OnvifDevice device;
    private final OnvifTopicMapping mapping;
    private final String account;
    private final Ingress ingress;
    private final Map<String, Boolean> states = new HashMap<>();

    AlarmMaker(OnvifDevice device, OnvifTopicMapping mapping, String account, Ingress ingress) {
        this.device = device;
        this.mapping = mapping;
        this.account = account;
        this.ingress = ingress;
    }

    /** Forgets the states: a new subscription's Initialized burst tells them again. */
    synchronized void reset() {
        states.clear();
    }

    /**
     * The alarm a notification raises, and its state change applied.
     *
     * @param m   the notification
     * @param now our clock
     * @return the alarm, or empty when it raises none
     */
    Optional<Alarm> alarm(NotificationMessage m, Instant now) {
        return alarm(m, now, true);
    }

    /**
     * Applies a notification's state change (after its alarm was accepted, when {@code alarm} was asked not to).
     *
     * @param m the notification
     */
    void commit(NotificationMessage m) {
        mapping.map(m).ifPresent(mm -> {
            if (mm.state() != null) {
                apply(m, mm);
            }
        });
    }

    private synchronized void apply(NotificationMessage m, OnvifTopicMapping.Mapped mm) {
        String stateKey = m.topic() + "|" + m.source();
        if ("Deleted".equalsIgnoreCase(m.propertyOperation())) {
            states.remove(stateKey);
        } else {
            states.put(stateKey, mm.state());
        }
    }

    /**
     * The alarm a notification raises.
     *
     * @param m      the notification
     * @param now    our clock
     * @param commit whether to apply its state change now; when false, {@link #commit} does it once the alarm
     *               was accepted, so that a refused and resent notification raises its alarm again
     * @return the alarm, or empty when it raises none
     */
    Optional<Alarm> alarm(NotificationMessage m, Instant now, boolean commit) {
        Optional<OnvifTopicMapping.Mapped> mapped = mapping.map(m);
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        OnvifTopicMapping.Mapped mm = mapped.get();
        String stateKey = m.topic() + "|" + m.source();
        Qualifier q;
        synchronized (this) {
            Boolean before = states.get(stateKey);
            if (mm.state() == null) {
                q = m.initialized() ? null : Qualifier.NEW_EVENT;
            } else if (m.initialized() || "Deleted".equalsIgnoreCase(m.propertyOperation())) {
                q = null;
            } else if (mm.state()) {
                q = Boolean.TRUE.equals(before) ? null : Qualifier.NEW_EVENT;
            } else {
                q = Boolean.TRUE.equals(before) ? Qualifier.RESTORE : null;
            }
            if (commit && mm.state() != null) {
                apply(m, mm);
            }
        }
        if (q == null) {
            return Optional.empty();
        }
        AlarmEvent.Builder b = AlarmEvent.builder()
                .account(account)
                .protocol(Protocol.ONVIF)
                .transport(Transport.IP)
                .ingress(ingress)
                .code(CodeSystem.ONVIF, m.topic())
                .qualifier(q)
                .category(mm.rule().category())
                .description(m.topic() + (q == Qualifier.RESTORE ? " restored" : ""))
                .zone(mm.zone())
                .triggeredAt(m.utcTime())
                .clockSkew(device.clockOffset())
                .receivedAt(now)
                .extended("topic", m.rawTopic())
                .extended("propertyOperation", m.propertyOperation());
        m.source().forEach((k, v) -> b.extended("source." + k, v));
        m.data().forEach((k, v) -> b.extended("data." + k, v));
        IdempotencyKey key = IdempotencyKey.of("onvif", device.config().endpointReference(), m.topic(),
                m.source().toString(), m.utcTimeText(), m.propertyOperation(), m.data().toString());
        return Optional.of(new Alarm(List.of(b.build()), key));
    }
}
