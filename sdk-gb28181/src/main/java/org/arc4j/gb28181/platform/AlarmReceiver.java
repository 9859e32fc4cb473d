package org.arc4j.gb28181.platform;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.GbAlarmCategories;
import org.arc4j.gb28181.manscdp.ManscdpAlarm;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.platform.internal.TrustedPeers;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alarms from devices (GB/T 28181-2016 §9.4) into the core intake: each {@code Notify/Alarm} becomes an
 * {@link AlarmEvent} with its GA 1383 category, and the 200 OK waits for the intake's receipt (never sent on a
 * refusal: the device retries). An alarm whose sender is being challenged is held (at most
 * {@code maxHeldAlarms}, each for {@code heldAlarmWait}); without an authenticated copy it reaches the intake
 * flagged {@code suspected spoof} under a key of its own. Thread-safe.
 */
final class AlarmReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmReceiver.class);

    private final GbPlatformConfig config;
    private final Scheduler scheduler;
    private final AlarmIntake intake;
    private final DeviceRegistry registry;
    private final TrustedPeers trusted;
    private final SecurityAudit security;
    private final Ingress ingress;
    private final Map<IdempotencyKey, HeldAlarm> held = new ConcurrentHashMap<>();
    private final Counter alarmsAccepted;
    private final Counter alarmsRefused;
    private final Counter suspectedSpoofs;

    AlarmReceiver(GbPlatformConfig config, Scheduler scheduler, AlarmIntake intake, DeviceRegistry registry,
                  TrustedPeers trusted, SecurityAudit security, Ingress ingress, Metrics metrics) {
        this.config = config;
        this.scheduler = scheduler;
        this.intake = intake;
        this.registry = registry;
        this.trusted = trusted;
        this.security = security;
        this.ingress = ingress;
        this.alarmsAccepted = metrics.counter("gb28181.alarms", "outcome", "accepted");
        this.alarmsRefused = metrics.counter("gb28181.alarms", "outcome", "refused");
        this.suspectedSpoofs = metrics.counter("gb28181.suspected_spoofs");
    }

    /** @return the alarms held while their sender is challenged */
    int held() {
        return held.size();
    }

    /** Cancels every hold; what is still held goes to the intake flagged, so nothing is lost. */
    void close() {
        for (IdempotencyKey k : List.copyOf(held.keySet())) {
            HeldAlarm h = held.remove(k);
            if (h != null) {
                h.timer.cancel();
                suspect(h, "platform closed while the sender was challenged");
            }
        }
    }

    /**
     * An alarm in a request that did not authenticate: whatever is held under its key is dropped in favour of
     * this flagged copy.
     */
    void refused(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now, String why) {
        AlarmInput in = alarmInput(tx, device, doc, now);
        HeldAlarm h = held.remove(in.key);
        if (h != null) {
            h.timer.cancel();
        }
        suspect(new HeldAlarm(in, tx.source(), null), why);
    }

    private record AlarmInput(String deviceId, AlarmEvent event, IdempotencyKey key) {
    }

    private record HeldAlarm(AlarmInput input, SipPeer source, Cancellable timer) {
    }

    void hold(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now) {
        AlarmInput in = alarmInput(tx, device, doc, now);
        if (held.containsKey(in.key)) {
            return; // a retransmission of one already held
        }
        if (held.size() >= config.maxHeldAlarms) {
            suspect(new HeldAlarm(in, tx.source(), null), "too many alarms held for authentication");
            return;
        }
        HeldAlarm[] self = new HeldAlarm[1];
        Cancellable t = scheduler.schedule(config.heldAlarmWait, () -> {
            if (held.remove(in.key, self[0])) {
                expireHeld(self[0]);
            }
        });
        self[0] = new HeldAlarm(in, tx.source(), t);
        if (held.putIfAbsent(in.key, self[0]) != null) {
            t.cancel();
        }
    }

    /**
     * No authenticated copy came in time. If the device has since authenticated from where the alarm came from
     * (it registered again from its new address), the alarm is its own; otherwise it is shown flagged.
     */
    private void expireHeld(HeldAlarm h) {
        GbDevice d = registry.get(h.input.deviceId).orElse(null);
        if (d != null && d.registered() && trusted.trusts(d.peer(), h.source)) {
            submit(h.input, null);
        } else {
            suspect(h, "no authenticated request within " + config.heldAlarmWait.toSeconds() + " s");
        }
    }

    /**
     * Hands an alarm that did not authenticate to the intake, flagged for the operators, under a key of its own
     * (the sender's address is part of it), so the device's genuine alarm is never taken for its
     * retransmission. Audited.
     */
    private void suspect(HeldAlarm h, String why) {
        suspectedSpoofs.increment();
        LOG.warn("alarm claiming to be from {} sent from {} did not authenticate ({}): shown flagged",
                h.input.deviceId, h.source, why);
        security.record(h.input.deviceId, h.source, "MESSAGE Alarm", "suspected spoof: " + why);
        AlarmEvent flagged = h.input.event.toBuilder().extended(GbPlatform.FLAG, GbPlatform.SUSPECTED_SPOOF)
                .extended("source", h.source.toString()).build();
        try {
            // the adapter's key with the sender's address in front: its own retransmissions still match
            IdempotencyKey key = IdempotencyKey.ofValue(IdempotencyKey.of(GbPlatform.NAMESPACE, GbPlatform.SUSPECTED_SPOOF,
                    h.source.toString()).value() + '\u001f' + h.input.key.value());
            intake.accept(List.of(flagged), key).whenComplete((rc, err) -> {
                        if (err != null || !(rc instanceof Receipt.Accepted)) {
                            LOG.error("flagged alarm of {} from {} refused by the intake: {}", h.input.deviceId,
                                    h.source, err != null ? err : rc);
                        }
                    });
        } catch (RuntimeException e) {
            LOG.error("flagged alarm of {} from {} not taken by the intake", h.input.deviceId, h.source, e);
        }
    }

    private AlarmInput alarmInput(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now) {
        SipRequest r = tx.request();
        ManscdpAlarm a = ManscdpAlarm.of(doc);
        String channel = a.deviceId();
        AlarmEvent.Builder b = AlarmEvent.builder().account(device.id()).protocol(Protocol.GB28181)
                .transport(config.transport).ingress(ingress).link(tx.source().transport() + ":" + ingress.endpoint())
                .code(CodeSystem.GB28181, a.code()).qualifier(Qualifier.NEW_EVENT).category(a.category())
                .description(a.description() != null ? a.description()
                        : GbAlarmCategories.INSTANCE.describe(a.method(), a.type()))
                .receivedAt(now).raw(r.body());
        if (!channel.equals(device.id())) {
            b.zone(registry.zoneOf(channel));
        }
        b.extended("channel", channel);
        if (a.priority() > 0) {
            b.extended("priority", Integer.toString(a.priority()));
        }
        if (a.time() != null) {
            b.triggeredAt(a.time().atZone(device.timeZone()).toInstant());
        }
        if (a.longitude() != null && a.latitude() != null && (a.longitude() != 0 || a.latitude() != 0)) {
            b.extended("X", a.longitude().toString()).extended("Y", a.latitude().toString());
        }
        if (a.eventType() != null) {
            b.extended("eventType", a.eventType().toString());
        }
        a.extra().forEach((k, v) -> b.extended("gb." + k, v));
        if (!doc.tolerances().isEmpty()) {
            // evidence: what was wrong with the message although the alarm was taken
            b.extended("tolerated", doc.tolerances().stream().map(Enum::name).sorted()
                    .collect(Collectors.joining(",")));
        }
        IdempotencyKey key = a.sn() >= 0
                ? IdempotencyKey.of(GbPlatform.NAMESPACE, device.id(), channel, Long.toString(a.sn()),
                        doc.text("AlarmTime"))
                : IdempotencyKey.of(GbPlatform.NAMESPACE, device.id(), r.callId(), r.header("CSeq"));
        return new AlarmInput(device.id(), b.build(), key);
    }

    void onAlarm(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now) {
        AlarmInput in = alarmInput(tx, device, doc, now);
        HeldAlarm h = held.remove(in.key);
        if (h != null) {
            h.timer.cancel(); // the authenticated copy of an alarm held while its sender was challenged
        }
        submit(in, tx);
    }

    private void submit(AlarmInput in, ServerTransaction tx) {
        CompletionStage<Receipt> receipt;
        try {
            receipt = intake.accept(List.of(in.event), in.key);
        } catch (RuntimeException e) {
            LOG.warn("intake failed on an alarm from {}", in.deviceId, e);
            alarmsRefused.increment();
            return;
        }
        receipt.whenComplete((rc, err) -> {
            if (err == null && rc instanceof Receipt.Accepted) {
                alarmsAccepted.increment();
                if (tx != null) {
                    Replies.reply(tx, 200, "OK");
                }
            } else {
                // silence: the device will send the alarm again
                alarmsRefused.increment();
                LOG.warn("alarm from {} refused by the intake: {}", in.deviceId, err != null ? err : rc);
            }
        });
    }
}
