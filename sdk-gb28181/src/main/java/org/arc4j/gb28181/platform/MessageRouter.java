package org.arc4j.gb28181.platform;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.CatalogResponse;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.manscdp.RecordInfoResponse;
import org.arc4j.gb28181.platform.internal.DeviceAuthentication;
import org.arc4j.gb28181.platform.internal.TrustedPeers;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests with a MANSCDP body from devices (GB/T 28181-2016 §9.4–§9.6, §9.11) routed to their part: keepalives
 * to the supervisor, alarms to the {@link AlarmReceiver}, answers to the {@link QueryClient}, Catalog to the
 * registry, NOTIFYs checked against the {@link Subscriptions}. A registered device is believed only from where
 * it last authenticated (see {@link GbPlatform}); elsewhere it must answer a digest challenge. Thread-safe.
 */
final class MessageRouter {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);

    private final Scheduler scheduler;
    private final Supervisor supervisor;
    private final DeviceRegistry registry;
    private final TrustedPeers trusted;
    private final DeviceAuthentication deviceAuth;
    private final SecurityAudit security;
    private final Registrar registrar;
    private final AlarmReceiver alarms;
    private final QueryClient queries;
    private final Subscriptions subscriptions;
    private final Metrics metrics;
    private final Counter keepalives;
    private final Counter challengedMessages;
    /** Where MediaStatus and UploadSnapShotFinished notifications go (the platform's media sessions), or null. */
    private volatile java.util.function.BiConsumer<String, ManscdpDocument> mediaStatus;

    MessageRouter(Scheduler scheduler, Supervisor supervisor, DeviceRegistry registry, TrustedPeers trusted,
                  DeviceAuthentication deviceAuth, SecurityAudit security, Registrar registrar, AlarmReceiver alarms,
                  QueryClient queries, Subscriptions subscriptions, Metrics metrics) {
        this.scheduler = scheduler;
        this.supervisor = supervisor;
        this.registry = registry;
        this.trusted = trusted;
        this.deviceAuth = deviceAuth;
        this.security = security;
        this.registrar = registrar;
        this.alarms = alarms;
        this.queries = queries;
        this.subscriptions = subscriptions;
        this.metrics = metrics;
        this.keepalives = metrics.counter("gb28181.keepalives");
        this.challengedMessages = metrics.counter("gb28181.challenged_messages");
    }

    /** @param sink where MediaStatus (end of a recording) and UploadSnapShotFinished notifications go */
    void mediaStatus(java.util.function.BiConsumer<String, ManscdpDocument> sink) {
        this.mediaStatus = sink;
    }

    /**
     * A MESSAGE or NOTIFY with a MANSCDP body: from a registered device, from where it authenticated (or
     * authenticating now), then by CmdType to keepalive supervision, alarms, answers and catalog.
     */
    void onMessage(ServerTransaction tx, boolean notify) {
        SipRequest r = tx.request();
        String ct = r.contentType();
        if (ct == null || !ct.toLowerCase(Locale.ROOT).contains("manscdp+xml")) {
            if (notify && r.bodyLength() == 0) {
                Replies.reply(tx, 200, "OK");
                return;
            }
            Replies.reply(tx, 415, "Unsupported Media Type");
            return;
        }
        String from = Replies.user(r.from());
        GbDevice device = from == null ? null : registry.get(from).or(() -> registry.ownerOf(from)).orElse(null);
        Instant now = scheduler.now();
        if (device == null || !device.registered() || device.expiresAt().isBefore(now)) {
            metrics.counter("gb28181.unregistered_messages").increment();
            Replies.reply(tx, 403, "Not registered");
            return;
        }
        ManscdpResult decoded = ManscdpDecoder.INSTANCE.decode(r.body());
        if (decoded instanceof ManscdpResult.Invalid inv) {
            metrics.counter("gb28181.invalid_manscdp", "reason", inv.error().name()).increment();
            Replies.reply(tx, 400, inv.reason());
            return;
        }
        ManscdpDocument doc = ((ManscdpResult.Decoded) decoded).document();
        if (!trusted.trusts(device.peer(), tx.source()) && !authenticateMoved(tx, device, doc, now)) {
            return;
        }
        if (notify && !subscriptions.acceptNotify(tx)) {
            return;
        }
        String kind = doc.kind();
        String cmd = doc.cmdType();
        if (kind.equals("Notify") && cmd.equalsIgnoreCase("Keepalive")) {
            keepalives.increment();
            registry.update(device.id(), d -> d == null ? null : new GbDevice(d.id(), d.registered(), d.online(),
                    d.registeredAt(), d.expiresAt(), now, d.peer(), d.contact(), d.charset(), d.edition(),
                    d.timeZone(), d.userAgent(), d.channels()));
            supervisor.checkIn(GbPlatform.deviceKey(device.id()), tx.source().toString(), now);
            Replies.reply(tx, 200, "OK");
            return;
        }
        if (kind.equals("Notify") && cmd.equalsIgnoreCase("Alarm")) {
            alarms.onAlarm(tx, device, doc, now);
            return;
        }
        var media = mediaStatus;
        if (kind.equals("Notify") && media != null && (cmd.equalsIgnoreCase("MediaStatus")
                || cmd.equalsIgnoreCase("UploadSnapShotFinished"))) {
            media.accept(device.id(), doc);
        } else if (kind.equals("Notify") && cmd.equalsIgnoreCase("MobilePosition")) {
            registry.recordPosition(device.id(), org.arc4j.gb28181.manscdp.MobilePosition.of(doc));
        } else if (cmd.equalsIgnoreCase("Catalog")) {
            CatalogResponse part = CatalogResponse.of(doc);
            registry.mergeCatalog(device.id(), part.items());
            if (kind.equals("Response")) {
                queries.complete(device.id(), "Catalog", doc.sn(), part.items(), part.sumNum());
            }
        } else if (kind.equals("Response")) {
            switch (cmd) {
                case "RecordInfo" -> {
                    RecordInfoResponse rec = RecordInfoResponse.of(doc);
                    queries.complete(device.id(), cmd, doc.sn(), rec.records(), rec.sumNum());
                }
                default -> queries.complete(device.id(), cmd, doc.sn(), List.of(doc), -1);
            }
        }
        // answered after the registry and the pending query have it, so that the device's next step sees it
        Replies.reply(tx, 200, "OK");
    }

    /**
     * A request of a registered device from an address it has not authenticated from: it must answer a digest
     * challenge. Answers the request itself unless the answer authenticates.
     *
     * @return true when the request authenticated (the device has moved there) and may be handled
     */
    private boolean authenticateMoved(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now) {
        SipRequest r = tx.request();
        boolean alarm = doc.kind().equals("Notify") && doc.cmdType().equalsIgnoreCase("Alarm");
        DeviceAuthentication.Result v = deviceAuth.verify(device.id(), r);
        switch (v.outcome()) {
            case OK -> {
                GbDevice moved = registry.update(device.id(), d -> d == null ? null : new GbDevice(d.id(),
                        d.registered(), d.online(), d.registeredAt(), d.expiresAt(), d.lastKeepalive(), tx.source(),
                        d.contact(), d.charset(), d.edition(), d.timeZone(), d.userAgent(), d.channels()));
                trusted.authenticated(device.peer(), tx.source());
                LOG.info("{} authenticated from {} (was {})", device.id(), tx.source(), device.peer());
                return moved != null;
            }
            case CHALLENGE, STALE -> {
                challengedMessages.increment();
                if (alarm) {
                    alarms.hold(tx, device, doc, now);
                }
                registrar.challenge(tx, registrar.algorithmFor(device), v.outcome() == DeviceAuthentication.Outcome.STALE);
                return false;
            }
            default -> {
                if (alarm) {
                    alarms.refused(tx, device, doc, now, v.reason());
                }
                security.refuse(tx, device.id(), v.reason());
                return false;
            }
        }
    }
}
