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
 * event, true → false a restore, a stateless topic is an event each time. The properties of one rule group on one
 * video source ({@link OnvifTopicMapping.Rule#group()}, the source told by the device's profiles,
 * {@link VideoSources}) are one alarm: the first to become true raises it, the last to end restores it, both with
 * the code of the topic that raised it. Shared by the pull-point loop and the Basic Notification listener.
 * Thread-safe.
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
    /** The group key of each state key that belongs to a group. */
    private final Map<String, String> groupOf = new HashMap<>();
    /** The topic that raised each active group's alarm. */
    private final Map<String, String> raisedBy = new HashMap<>();
    private volatile VideoSources sources = VideoSources.NONE;

    AlarmMaker(OnvifDevice device, OnvifTopicMapping mapping, String account, Ingress ingress) {
        this.device = device;
        this.mapping = mapping;
        this.account = account;
        this.ingress = ingress;
    }

    /** Forgets the states: a new subscription's Initialized burst tells them again. */
    synchronized void reset() {
        states.clear();
        groupOf.clear();
        raisedBy.clear();
    }

    /** @param s the device's video sources, as its profiles tell */
    void sources(VideoSources s) {
        this.sources = s;
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
        mapping.map(m, sources).ifPresent(mm -> {
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
        String g = groupKey(mm);
        if (g != null) {
            groupOf.put(stateKey, g);
            if (!groupActive(g, null)) {
                raisedBy.remove(g);
            }
        }
    }

    private static String groupKey(OnvifTopicMapping.Mapped mm) {
        return mm.rule().group() == null ? null : mm.rule().group() + "|" + mm.zone();
    }

    /** Holds this object's lock: whether a property of the group other than {@code except} is active. */
    private boolean groupActive(String group, String except) {
        for (Map.Entry<String, String> e : groupOf.entrySet()) {
            if (e.getValue().equals(group) && !e.getKey().equals(except)
                    && Boolean.TRUE.equals(states.get(e.getKey()))) {
                return true;
            }
        }
        return false;
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
        return alarm(m, now, commit, null);
    }

    /**
     * The alarm a notification raises, for a batch of notifications whose states are committed together.
     *
     * @param m      the notification
     * @param now    our clock
     * @param commit whether to apply its state change now
     * @param raised the groups whose alarms the batch raised so far (this one's is added), or null
     * @return the alarm, or empty when it raises none
     */
    Optional<Alarm> alarm(NotificationMessage m, Instant now, boolean commit, java.util.Set<String> raised) {
        Optional<OnvifTopicMapping.Mapped> mapped = mapping.map(m, sources);
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        OnvifTopicMapping.Mapped mm = mapped.get();
        String stateKey = m.topic() + "|" + m.source();
        String group = mm.state() == null ? null : groupKey(mm);
        String code = m.topic();
        Qualifier q;
        synchronized (this) {
            Boolean before = states.get(stateKey);
            boolean others = group != null && groupActive(group, stateKey);
            if (mm.state() == null) {
                q = m.initialized() ? null : Qualifier.NEW_EVENT;
            } else if (m.initialized() || "Deleted".equalsIgnoreCase(m.propertyOperation())) {
                q = null;
            } else if (mm.state()) {
                q = Boolean.TRUE.equals(before) || others || raised != null && raised.contains(group) ? null
                        : Qualifier.NEW_EVENT;
            } else {
                q = Boolean.TRUE.equals(before) && !others ? Qualifier.RESTORE : null;
            }
            if (group != null) {
                if (q == Qualifier.NEW_EVENT) {
                    raisedBy.put(group, code);
                    if (raised != null) {
                        raised.add(group);
                    }
                } else if (q == Qualifier.RESTORE) {
                    code = raisedBy.getOrDefault(group, code); // the restore pairs with the alarm it ends
                }
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
                .code(CodeSystem.ONVIF, code)
                .qualifier(q)
                .category(mm.rule().category())
                .description(code + (q == Qualifier.RESTORE ? " restored" : ""))
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
