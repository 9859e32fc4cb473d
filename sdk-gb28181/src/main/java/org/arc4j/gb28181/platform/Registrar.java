package org.arc4j.gb28181.platform;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.gb28181.platform.internal.DeviceAuthentication;
import org.arc4j.gb28181.platform.internal.TrustedPeers;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration (GB/T 28181-2016 §9.1): the 401 digest challenge (MD5, or SHA-256 for 2022-edition devices by
 * policy), verification against the device's SIP password, 200 OK with {@code Expires} and the GB form of
 * {@code Date} for time sync, de-registration with {@code Expires: 0}, room in the bounded registry, supervision
 * expectations, and the registry's online flag mirrored from the supervisor. Thread-safe.
 */
final class Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
    private static final DateTimeFormatter GB_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private final GbPlatformConfig config;
    private final Scheduler scheduler;
    private final Supervisor supervisor;
    private final DeviceRegistry registry;
    private final TrustedPeers trusted;
    private final DigestAuthenticator authenticator;
    private final DeviceAuthentication deviceAuth;
    private final SecurityAudit security;
    private final QueryClient queries;
    private final DeviceRequests requests;
    private final Metrics metrics;
    private final Counter registrations;

    Registrar(GbPlatformConfig config, Scheduler scheduler, Supervisor supervisor, DeviceRegistry registry,
              TrustedPeers trusted, DigestAuthenticator authenticator, DeviceAuthentication deviceAuth,
              SecurityAudit security, QueryClient queries, DeviceRequests requests, Metrics metrics) {
        this.config = config;
        this.scheduler = scheduler;
        this.supervisor = supervisor;
        this.registry = registry;
        this.trusted = trusted;
        this.authenticator = authenticator;
        this.deviceAuth = deviceAuth;
        this.security = security;
        this.queries = queries;
        this.requests = requests;
        this.metrics = metrics;
        this.registrations = metrics.counter("gb28181.registrations");
    }

    /** Mirrors the supervisor's decisions in the registry's online flag (the supervisor owns them). */
    void onSupervision(SupervisionEvent e) {
        if (!e.device().namespace().equals(GbPlatform.NAMESPACE)) {
            return;
        }
        boolean online = e instanceof SupervisionEvent.Online;
        registry.update(e.device().id(), d -> d == null ? null : new GbDevice(d.id(), d.registered(), online,
                d.registeredAt(), d.expiresAt(), d.lastKeepalive(), d.peer(), d.contact(), d.charset(), d.edition(),
                d.timeZone(), d.userAgent(), d.channels()));
    }

    /** A REGISTER (GB/T 28181-2016 §9.1): challenge, verify, register or de-register. */
    void onRegister(ServerTransaction tx) {
        SipRequest r = tx.request();
        String deviceId = Replies.user(r.to());
        if (deviceId == null) {
            deviceId = Replies.user(r.from());
        }
        if (!GbDeviceId.isValid(deviceId)) {
            Replies.reply(tx, 400, "Invalid device ID");
            return;
        }
        GbEdition edition = GbEdition.ofHeader(r.header("X-GB-Ver"));
        DigestAlgorithm alg = config.sha256For2022 && edition == GbEdition.GB2022 ? DigestAlgorithm.SHA_256
                : config.algorithm;
        DeviceAuthentication.Result v = deviceAuth.verify(deviceId, r);
        switch (v.outcome()) {
            case OK -> register(tx, deviceId, edition);
            case STALE -> challenge(tx, alg, true);
            case CHALLENGE -> challenge(tx, alg, false);
            default -> security.refuse(tx, deviceId, v.reason());
        }
    }

    /** Answers 401 with a fresh digest challenge. */
    void challenge(ServerTransaction tx, DigestAlgorithm alg, boolean stale) {
        SipHeaders h = SipResponse.replyHeaders(tx.request(), 401, "Unauthorized", null)
                .add("WWW-Authenticate", authenticator.challenge(stale, alg).toHeaderValue()).build();
        tx.respond(SipResponse.of(401, "Unauthorized", h, null));
    }

    /** @return the algorithm a device is challenged with */
    DigestAlgorithm algorithmFor(GbDevice d) {
        return config.sha256For2022 && d.edition() == GbEdition.GB2022 ? DigestAlgorithm.SHA_256 : config.algorithm;
    }

    private void register(ServerTransaction tx, String deviceId, GbEdition edition) {
        SipRequest r = tx.request();
        int expires = expires(r);
        if (expires < 0) {
            Replies.reply(tx, 400, "Invalid Expires");
            return;
        }
        Instant now = scheduler.now();
        ZoneId zone = config.timeZone(deviceId);
        SipHeaders.Builder h = SipResponse.replyHeaders(r, 200, "OK", null);
        String contact = r.header("Contact");
        if (contact != null) {
            h.add("Contact", contact);
        }
        h.add("Expires", Integer.toString(expires));
        if (config.dateHeader) {
            h.add("Date", GB_DATE.format(LocalDateTime.ofInstant(now, zone)));
        }
        if (r.header("X-GB-Ver") != null) {
            h.add("X-GB-Ver", edition.version());
        }
        DeviceKey key = GbPlatform.deviceKey(deviceId);
        if (expires == 0) {
            registry.update(deviceId, d -> d == null ? null : new GbDevice(d.id(), false, d.online(),
                    d.registeredAt(), now, d.lastKeepalive(), d.peer(), d.contact(), d.charset(), d.edition(),
                    d.timeZone(), d.userAgent(), d.channels()));
            supervisor.forget(key);
            tx.respond(SipResponse.of(200, "OK", h.build(), null));
            LOG.info("{} de-registered", deviceId);
            return;
        }
        NameAddress ca = contact == null ? null : NameAddress.parse(contact);
        if (!registry.admit(deviceId, now)) {
            metrics.counter("gb28181.registry_full").increment();
            LOG.warn("REGISTER of {} refused: {} devices registered, the configured maximum", deviceId,
                    registry.size());
            tx.respond(SipResponse.of(503, "Service Unavailable", SipResponse.replyHeaders(r, 503,
                    "Service Unavailable", null).add("Retry-After", "300").build(), null));
            return;
        }
        GbDevice before = registry.get(deviceId).orElse(null);
        trusted.authenticated(before == null ? null : before.peer(), tx.source());
        boolean fresh = before == null || !before.registered() || before.expiresAt().isBefore(now);
        ManscdpCharset cs = config.charset(deviceId);
        registry.update(deviceId, d -> new GbDevice(deviceId, true, true, now, now.plusSeconds(expires),
                d == null ? null : d.lastKeepalive(), tx.source(), ca == null ? null : ca.uri(), cs, edition, zone,
                r.header("User-Agent"), d == null ? Map.of() : d.channels()));
        registrations.increment();
        supervisor.checkIn(key, tx.source().toString(), now);
        Duration keepaliveWindow = config.keepaliveInterval.multipliedBy(config.keepaliveCount);
        Duration expiry = Duration.ofSeconds(expires);
        supervisor.expect(key, expiry.compareTo(keepaliveWindow) < 0 ? expiry : keepaliveWindow);
        tx.respond(SipResponse.of(200, "OK", h.build(), null));
        if (fresh) {
            LOG.info("{} registered from {} ({}, expires {} s)", deviceId, tx.source(), edition, expires);
            if (config.armOnRegister) {
                requests.control(deviceId, deviceId, n -> requests.encoder(deviceId).guard(n, deviceId, true));
            }
            if (config.queryCatalogOnRegister) {
                queries.queryCatalog(deviceId).whenComplete((items, err) -> {
                    if (err != null) {
                        LOG.debug("catalog of {} not received: {}", deviceId, err.toString());
                    }
                });
            }
        }
    }

    private static int expires(SipRequest r) {
        String e = r.header("Expires");
        if (e == null) {
            String contact = r.header("Contact");
            NameAddress na = contact == null ? null : NameAddress.parse(contact);
            e = na == null ? null : na.param("expires");
        }
        if (e == null) {
            return 3600;
        }
        try {
            int v = Integer.parseInt(e.trim());
            return v < 0 ? -1 : v;
        } catch (NumberFormatException ex) {
            return -1;
        }
    }
}
