package org.arc4j.gb28181.platform;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.CredentialStore;
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
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.gb28181.platform.internal.DeviceAuthentication;
import org.arc4j.gb28181.platform.internal.TrustedPeers;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.CatalogItem;
import org.arc4j.gb28181.manscdp.CatalogResponse;
import org.arc4j.gb28181.manscdp.DeviceInfoResponse;
import org.arc4j.gb28181.manscdp.DeviceStatusResponse;
import org.arc4j.gb28181.manscdp.GbAlarmCategories;
import org.arc4j.gb28181.manscdp.ManscdpAlarm;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.ManscdpEncoder;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.manscdp.PresetQueryResponse;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.manscdp.RecordInfoResponse;
import org.arc4j.gb28181.platform.internal.PendingAnswer;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipRequestHandler;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The centre as a GB/T 28181 upper platform (GB/T 28181-2016 §9): devices register with digest authentication
 * (§9.1), keep alive with MANSCDP {@code Keepalive} (§9.6), answer queries (§9.5), report alarms (§9.4) and take
 * controls (§9.3); the centre subscribes to Catalog, alarms and mobile positions (§9.11).
 *
 * <ul>
 *   <li>REGISTER: 401 with a digest challenge (always {@code algorithm=MD5}, or SHA-256 for 2022-edition
 *       devices by policy), then 200 OK with {@code Expires} and, when enabled, the GB form of {@code Date}
 *       ({@code yyyy-MM-ddTHH:mm:ss.SSS}, device-local) for time sync; {@code Expires: 0} de-registers.</li>
 *   <li>Supervision: every REGISTER and keepalive is a check-in to the core {@link Supervisor}, with the
 *       expectation min(registration expiry, keepalive interval × count); the supervisor alone decides offline
 *       and online.</li>
 *   <li>Device authentication (GA 1383 §安全性、可靠性): a registered device's MESSAGE or NOTIFY is taken only
 *       from the transport address its last authenticated request came from and, over TCP, only on the
 *       connection that authenticated. From anywhere else (a NAT rebinding, a TCP reconnect, or someone who
 *       knows the 20-digit ID) it gets a 401 digest challenge; a right answer moves the device there, a wrong
 *       one gets 403 and a {@link AuditAction#DEVICE_AUTH_FAILED} audit entry. An alarm in such a request is
 *       never dropped: it is held while the sender is challenged and, unless an authenticated copy arrives,
 *       handed to the intake with {@code extended.flag = "suspected spoof"} under its own idempotency key, so
 *       operators see it and the device's genuine alarm is never taken for its retransmission. The registry's
 *       address changes only through an authenticated request.</li>
 *   <li>Alarms ({@code Notify/Alarm} in MESSAGE or NOTIFY) become {@link AlarmEvent}s with the category from
 *       {@link GbAlarmCategories}; the 200 OK is sent only after the intake accepted them, and never when it
 *       refused (the device retries).</li>
 *   <li>Messages from devices that are not registered get 403, so that they register again.</li>
 *   <li>Bounded state: devices, channels per device, pending queries and held alarms have limits
 *       ({@link GbPlatformConfig.Builder#limits}, {@link GbPlatformConfig.Builder#heldAlarms}); SIP over TCP
 *       closes a connection idle for three keepalive intervals.</li>
 *   <li>{@link #close()} cancels every timer and listener the platform made.</li>
 * </ul>
 *
 * <p>Thread-safe. Request handling runs on the SIP event loop and never blocks it.
 */
public final class GbPlatform implements AutoCloseable {
    /** The supervision namespace and ingress adapter name. */
    public static final String NAMESPACE = "gb28181";
    /** The MANSCDP content type as written; compared case-insensitively on receipt. */
    public static final String MANSCDP = "Application/MANSCDP+xml";
    /** The extended field of an event that marks it for the operators (as the reference centre shows it). */
    public static final String FLAG = "flag";
    /** The flag of an alarm whose sender claimed a registered device's ID but did not authenticate. */
    public static final String SUSPECTED_SPOOF = "suspected spoof";

    private static final Logger LOG = LoggerFactory.getLogger(GbPlatform.class);
    private static final DateTimeFormatter GB_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private final GbPlatformConfig config;
    private final Scheduler scheduler;
    private final AlarmIntake intake;
    private final Supervisor supervisor;
    private final CredentialStore credentials;
    private final DeviceRegistry registry;
    private final DigestAuthenticator authenticator;
    private final DeviceAuthentication deviceAuth;
    private final TrustedPeers trusted = new TrustedPeers();
    private final AuditLog audit;
    private final Map<IdempotencyKey, HeldAlarm> held = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<SupervisionEvent> supervisionListener = this::onSupervision;
    private volatile boolean closed;
    private final SipStack stack;
    private final Ingress ingress;
    private final AtomicLong sn = new AtomicLong(1);
    private final AtomicLong cseq = new AtomicLong(1);
    private final Map<String, PendingAnswer<?>> pending = new ConcurrentHashMap<>();
    private final Map<String, Sub> subscriptions = new ConcurrentHashMap<>();
    private final Metrics metrics;
    private final Counter registrations;
    private final Counter keepalives;
    private final Counter alarmsAccepted;
    private final Counter alarmsRefused;
    private final Counter authFailures;
    private final Counter challengedMessages;
    private final Counter suspectedSpoofs;

    private GbPlatform(GbPlatformConfig config, Scheduler scheduler, AlarmIntake intake, Supervisor supervisor,
                       CredentialStore credentials, Metrics metrics, AuditLog audit) throws InterruptedException {
        this.config = config;
        this.scheduler = scheduler;
        this.intake = intake;
        this.supervisor = supervisor;
        this.credentials = credentials;
        this.metrics = metrics;
        this.registrations = metrics.counter("gb28181.registrations");
        this.keepalives = metrics.counter("gb28181.keepalives");
        this.alarmsAccepted = metrics.counter("gb28181.alarms", "outcome", "accepted");
        this.alarmsRefused = metrics.counter("gb28181.alarms", "outcome", "refused");
        this.authFailures = metrics.counter("gb28181.auth_failures");
        this.challengedMessages = metrics.counter("gb28181.challenged_messages");
        this.suspectedSpoofs = metrics.counter("gb28181.suspected_spoofs");
        this.audit = audit;
        this.registry = new DeviceRegistry(config.maxDevices, config.maxChannelsPerDevice);
        this.authenticator = new DigestAuthenticator(scheduler.clock(), config.domain, config.algorithm,
                config.offerQop, config.nonceLifetime, 100_000);
        this.deviceAuth = new DeviceAuthentication(authenticator, credentials, config.defaultPassword);
        this.stack = SipStack.builder().bindHost(config.bindHost).advertisedHost(config.advertisedHost)
                .udpPort(config.udpPort).tcpPort(config.tcpPort).scheduler(scheduler).metrics(metrics)
                .timers(config.timers).tcpIdleTimeout(config.tcpIdleTimeout).handler(new Handler()).start();
        supervisor.addListener(supervisionListener);
        this.ingress = new Ingress(NAMESPACE, config.bindHost + ":"
                + (stack.udpAddress() != null ? stack.udpAddress().getPort() : stack.tcpAddress().getPort()));
    }

    /**
     * Starts the platform: binds its SIP sockets.
     *
     * @param config      the configuration
     * @param scheduler   the scheduler every timer runs on
     * @param intake      where alarms go
     * @param supervisor  where check-ins go
     * @param credentials where SIP passwords are ({@code SIP_PASSWORD}, scope = device ID)
     * @param metrics     where to count
     * @return the running platform
     * @throws InterruptedException if interrupted while binding
     */
    public static GbPlatform start(GbPlatformConfig config, Scheduler scheduler, AlarmIntake intake,
                                   Supervisor supervisor, CredentialStore credentials, Metrics metrics)
            throws InterruptedException {
        return start(config, scheduler, intake, supervisor, credentials, metrics, null);
    }

    /**
     * Starts the platform with a security audit log: failed device authentications (wrong digest answers,
     * suspected spoofs) are recorded there as {@link AuditAction#DEVICE_AUTH_FAILED}.
     *
     * @param config      the configuration
     * @param scheduler   the scheduler every timer runs on
     * @param intake      where alarms go
     * @param supervisor  where check-ins go
     * @param credentials where SIP passwords are ({@code SIP_PASSWORD}, scope = device ID)
     * @param metrics     where to count
     * @param audit       the audit log, or null to only log and count them
     * @return the running platform
     * @throws InterruptedException if interrupted while binding
     */
    public static GbPlatform start(GbPlatformConfig config, Scheduler scheduler, AlarmIntake intake,
                                   Supervisor supervisor, CredentialStore credentials, Metrics metrics,
                                   AuditLog audit) throws InterruptedException {
        return new GbPlatform(Objects.requireNonNull(config), Objects.requireNonNull(scheduler),
                Objects.requireNonNull(intake), Objects.requireNonNull(supervisor), Objects.requireNonNull(credentials),
                Objects.requireNonNull(metrics), audit);
    }

    /**
     * @param deviceId a device ID
     * @return its key with the supervisor
     */
    public static DeviceKey deviceKey(String deviceId) {
        return DeviceKey.of(NAMESPACE, deviceId);
    }

    /** @return the device registry */
    public DeviceRegistry registry() {
        return registry;
    }

    /** @return the SIP stack (its addresses, counters) */
    public SipStack stack() {
        return stack;
    }

    /** @return the configuration */
    public GbPlatformConfig config() {
        return config;
    }

    /** @return the live subscriptions */
    public Collection<GbSubscription> subscriptions() {
        return subscriptions.values().stream().map(Sub::snapshot).toList();
    }

    /** @return the alarms held while their sender is challenged */
    public int heldAlarms() {
        return held.size();
    }

    /** @return the queries awaiting an answer */
    public int pendingQueries() {
        return pending.size();
    }

    /**
     * Stops the platform: closes its sockets and cancels every timer and listener it made (subscription
     * refreshes, query timeouts, held alarms, SIP transaction timers, the TCP idle sweep). Pending queries fail
     * with a {@link java.util.concurrent.CancellationException}; alarms still held are handed to the intake
     * flagged, so none is lost.
     */
    @Override
    public void close() {
        closed = true;
        supervisor.removeListener(supervisionListener);
        for (Sub sub : List.copyOf(subscriptions.values())) {
            sub.cancel();
        }
        for (Map.Entry<String, PendingAnswer<?>> e : List.copyOf(pending.entrySet())) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().cancelTimeout();
                e.getValue().result().completeExceptionally(
                        new java.util.concurrent.CancellationException("platform closed"));
            }
        }
        for (IdempotencyKey k : List.copyOf(held.keySet())) {
            HeldAlarm h = held.remove(k);
            if (h != null) {
                h.timer.cancel();
                suspect(h, "platform closed while the sender was challenged");
            }
        }
        stack.close();
    }

    /** Mirrors the supervisor's decisions in the registry's online flag (the supervisor owns them). */
    private void onSupervision(SupervisionEvent e) {
        if (!e.device().namespace().equals(NAMESPACE)) {
            return;
        }
        boolean online = e instanceof org.arc4j.core.supervision.SupervisionEvent.Online;
        registry.update(e.device().id(), d -> d == null ? null : new GbDevice(d.id(), d.registered(), online,
                d.registeredAt(), d.expiresAt(), d.lastKeepalive(), d.peer(), d.contact(), d.charset(), d.edition(),
                d.timeZone(), d.userAgent(), d.channels()));
    }

    // =============================================================== inbound

    private final class Handler implements SipRequestHandler {
        @Override
        public void onRequest(ServerTransaction tx) {
            SipRequest r = tx.request();
            for (org.arc4j.gb28181.sip.SipTolerance t : tx.tolerances()) {
                metrics.counter("gb28181.tolerated", "what", t.name()).increment();
            }
            switch (r.method()) {
                case SipRequest.REGISTER -> onRegister(tx);
                case SipRequest.MESSAGE -> onMessage(tx, false);
                case SipRequest.NOTIFY -> onMessage(tx, true);
                case SipRequest.OPTIONS -> reply(tx, 200, "OK");
                // no media sessions yet, so no dialog a BYE or INFO could belong to
                case SipRequest.BYE, SipRequest.INFO -> reply(tx, 481, "Call/Transaction Does Not Exist");
                default -> reply(tx, 405, "Method Not Allowed");
            }
        }

        @Override
        public void onConnectionClosed(SipPeer peer) {
            trusted.closed(peer);
        }
    }

    private static void reply(ServerTransaction tx, int status, String reason) {
        tx.respond(SipResponse.replyTo(tx.request(), status, reason, null));
    }

    private static String user(NameAddress na) {
        if (na == null) {
            return null;
        }
        SipUri u = na.sipUri();
        return u == null ? null : u.user();
    }

    private void onRegister(ServerTransaction tx) {
        SipRequest r = tx.request();
        String deviceId = user(r.to());
        if (deviceId == null) {
            deviceId = user(r.from());
        }
        if (!GbDeviceId.isValid(deviceId)) {
            reply(tx, 400, "Invalid device ID");
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
            default -> refuse(tx, deviceId, v.reason());
        }
    }

    private void challenge(ServerTransaction tx, DigestAlgorithm alg, boolean stale) {
        SipHeaders h = SipResponse.replyHeaders(tx.request(), 401, "Unauthorized", null)
                .add("WWW-Authenticate", authenticator.challenge(stale, alg).toHeaderValue()).build();
        tx.respond(SipResponse.of(401, "Unauthorized", h, null));
    }

    private void refuse(ServerTransaction tx, String deviceId, String why) {
        authFailures.increment();
        LOG.info("{} of {} from {} refused: {}", tx.request().method(), deviceId, tx.source(), why);
        audit(deviceId, tx.source(), tx.request().method(), why);
        reply(tx, 403, "Forbidden");
    }

    private void audit(String deviceId, SipPeer source, String what, String why) {
        if (audit == null) {
            return;
        }
        try {
            audit.record(org.arc4j.core.security.Actor.of(deviceId, source.toString()), AuditAction.DEVICE_AUTH_FAILED,
                    deviceId, Map.of("request", what, "reason", why));
        } catch (RuntimeException e) {
            LOG.warn("audit of a failed authentication of {} not recorded", deviceId, e);
        }
    }

    private DigestAlgorithm algorithmFor(GbDevice d) {
        return config.sha256For2022 && d.edition() == GbEdition.GB2022 ? DigestAlgorithm.SHA_256 : config.algorithm;
    }

    private void register(ServerTransaction tx, String deviceId, GbEdition edition) {
        SipRequest r = tx.request();
        int expires = expires(r);
        if (expires < 0) {
            reply(tx, 400, "Invalid Expires");
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
        DeviceKey key = deviceKey(deviceId);
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
                guard(deviceId, true);
            }
            if (config.queryCatalogOnRegister) {
                queryCatalog(deviceId).whenComplete((items, err) -> {
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

    private void onMessage(ServerTransaction tx, boolean notify) {
        SipRequest r = tx.request();
        String ct = r.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).contains("manscdp+xml")) {
            if (notify && r.bodyLength() == 0) {
                reply(tx, 200, "OK");
                return;
            }
            reply(tx, 415, "Unsupported Media Type");
            return;
        }
        String from = user(r.from());
        GbDevice device = from == null ? null : registry.get(from).or(() -> registry.ownerOf(from)).orElse(null);
        Instant now = scheduler.now();
        if (device == null || !device.registered() || device.expiresAt().isBefore(now)) {
            metrics.counter("gb28181.unregistered_messages").increment();
            reply(tx, 403, "Not registered");
            return;
        }
        ManscdpResult decoded = ManscdpDecoder.INSTANCE.decode(r.body());
        if (decoded instanceof ManscdpResult.Invalid inv) {
            metrics.counter("gb28181.invalid_manscdp", "reason", inv.error().name()).increment();
            reply(tx, 400, inv.reason());
            return;
        }
        ManscdpDocument doc = ((ManscdpResult.Decoded) decoded).document();
        if (!trusted.trusts(device.peer(), tx.source()) && !authenticateMoved(tx, device, doc, now)) {
            return;
        }
        if (notify) {
            Sub sub = subscriptions.get(r.callId());
            if (sub == null || !sub.dialog.matches(r)) {
                reply(tx, 481, "Subscription Does Not Exist");
                return;
            }
            String state = r.header("Subscription-State");
            if (state != null && state.toLowerCase(java.util.Locale.ROOT).startsWith("terminated")) {
                sub.cancel();
            }
        }
        String kind = doc.kind();
        String cmd = doc.cmdType();
        if (kind.equals("Notify") && cmd.equalsIgnoreCase("Keepalive")) {
            keepalives.increment();
            registry.update(device.id(), d -> d == null ? null : new GbDevice(d.id(), d.registered(), d.online(),
                    d.registeredAt(), d.expiresAt(), now, d.peer(), d.contact(), d.charset(), d.edition(),
                    d.timeZone(), d.userAgent(), d.channels()));
            supervisor.checkIn(deviceKey(device.id()), tx.source().toString(), now);
            reply(tx, 200, "OK");
            return;
        }
        if (kind.equals("Notify") && cmd.equalsIgnoreCase("Alarm")) {
            onAlarm(tx, device, doc, now);
            return;
        }
        if (kind.equals("Notify") && cmd.equalsIgnoreCase("MobilePosition")) {
            registry.recordPosition(device.id(), org.arc4j.gb28181.manscdp.MobilePosition.of(doc));
        } else if (cmd.equalsIgnoreCase("Catalog")) {
            CatalogResponse part = CatalogResponse.of(doc);
            registry.mergeCatalog(device.id(), part.items());
            if (kind.equals("Response")) {
                complete(device.id(), "Catalog", doc.sn(), part.items(), part.sumNum());
            }
        } else if (kind.equals("Response")) {
            switch (cmd) {
                case "RecordInfo" -> {
                    RecordInfoResponse rec = RecordInfoResponse.of(doc);
                    complete(device.id(), cmd, doc.sn(), rec.records(), rec.sumNum());
                }
                default -> complete(device.id(), cmd, doc.sn(), List.of(doc), -1);
            }
        }
        // answered after the registry and the pending query have it, so that the device's next step sees it
        reply(tx, 200, "OK");
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
                    hold(tx, device, doc, now);
                }
                challenge(tx, algorithmFor(device), v.outcome() == DeviceAuthentication.Outcome.STALE);
                return false;
            }
            default -> {
                if (alarm) {
                    AlarmInput in = alarmInput(tx, device, doc, now);
                    HeldAlarm h = held.remove(in.key);
                    if (h != null) {
                        h.timer.cancel();
                    }
                    suspect(new HeldAlarm(in, tx.source(), null), v.reason());
                }
                refuse(tx, device.id(), v.reason());
                return false;
            }
        }
    }

    /** An alarm read from a MANSCDP document, with the key that recognises its retransmissions. */
    private record AlarmInput(String deviceId, AlarmEvent event, IdempotencyKey key) {
    }

    /** An alarm held while its sender is challenged. */
    private record HeldAlarm(AlarmInput input, SipPeer source, Cancellable timer) {
    }

    private void hold(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now) {
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
        audit(h.input.deviceId, h.source, "MESSAGE Alarm", "suspected spoof: " + why);
        AlarmEvent flagged = h.input.event.toBuilder().extended(FLAG, SUSPECTED_SPOOF)
                .extended("source", h.source.toString()).build();
        try {
            // the adapter's key with the sender's address in front: its own retransmissions still match
            IdempotencyKey key = IdempotencyKey.ofValue(IdempotencyKey.of(NAMESPACE, SUSPECTED_SPOOF,
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
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        IdempotencyKey key = a.sn() >= 0
                ? IdempotencyKey.of(NAMESPACE, device.id(), channel, Long.toString(a.sn()),
                        doc.text("AlarmTime"))
                : IdempotencyKey.of(NAMESPACE, device.id(), r.callId(), r.header("CSeq"));
        return new AlarmInput(device.id(), b.build(), key);
    }

    private void onAlarm(ServerTransaction tx, GbDevice device, ManscdpDocument doc, Instant now) {
        AlarmInput in = alarmInput(tx, device, doc, now);
        HeldAlarm h = held.remove(in.key);
        if (h != null) {
            h.timer.cancel(); // the authenticated copy of an alarm held while its sender was challenged
        }
        submit(in, tx);
    }

    /** Hands an authenticated alarm to the intake; the 200 OK (when there is a transaction) waits for it. */
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
                    reply(tx, 200, "OK");
                }
            } else {
                // silence: the device will send the alarm again
                alarmsRefused.increment();
                LOG.warn("alarm from {} refused by the intake: {}", in.deviceId, err != null ? err : rc);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private <T> void complete(String deviceId, String cmd, long snValue, List<T> items, int sumNum) {
        String k = pendingKey(deviceId, cmd, snValue);
        PendingAnswer<T> p = (PendingAnswer<T>) pending.get(k);
        if (p != null && p.add(items, sumNum)) {
            pending.remove(k, p);
        }
    }

    private static String pendingKey(String deviceId, String cmd, long snValue) {
        return deviceId + "|" + cmd.toLowerCase(java.util.Locale.ROOT) + "|" + snValue;
    }

    // =============================================================== outbound

    private GbDevice registered(String deviceId) {
        GbDevice d = registry.get(deviceId).orElse(null);
        if (d == null || !d.registered()) {
            throw new IllegalStateException("device not registered: " + deviceId);
        }
        return d;
    }

    private SipRequest request(String method, GbDevice d, String targetId, byte[] body, SipHeaders extra) {
        SipPeer p = destination(d);
        String host = p.address().getAddress().getHostAddress();
        String deviceDomain = targetId.length() == 20 ? targetId.substring(0, 10) : config.domain;
        SipHeaders.Builder h = SipHeaders.builder()
                .add("From", "<sip:" + config.platformId + "@" + config.domain + ">;tag=" + stack.newToken())
                .add("To", "<sip:" + targetId + "@" + deviceDomain + ">")
                .add("Call-ID", stack.newToken() + "@" + stack.advertisedHost())
                .add("CSeq", cseq.getAndIncrement() + " " + method)
                .add("Max-Forwards", "70")
                .add("User-Agent", "arc4j");
        if (d.edition() == GbEdition.GB2022) {
            h.add("X-GB-Ver", d.edition().version());
        }
        if (extra != null) {
            for (SipHeaders.Field f : extra) {
                h.add(f.name(), f.value());
            }
        }
        if (body != null) {
            h.add("Content-Type", MANSCDP);
        }
        return SipRequest.of(method, "sip:" + targetId + "@" + host + ":" + p.address().getPort(), h.build(), body);
    }

    private CompletionStage<SipResponse> message(GbDevice d, String targetId, byte[] body) {
        return stack.send(request(SipRequest.MESSAGE, d, targetId, body, null), destination(d));
    }

    /**
     * Where requests to a device go: where its messages come from (NAT-safe), except over TCP when that
     * connection has closed: its source port was ephemeral, so the Contact it registered is tried instead.
     */
    private SipPeer destination(GbDevice d) {
        SipPeer p = d.peer();
        if (p.transport() != org.arc4j.gb28181.sip.SipTransport.TCP || stack.isConnected(p.address())
                || d.contact() == null) {
            return p;
        }
        SipUri c = SipUri.parse(d.contact());
        if (c == null || c.port() <= 0 || !isIpLiteral(c.host())) {
            return p;
        }
        return new SipPeer(p.transport(), new java.net.InetSocketAddress(c.host(), c.port()));
    }

    private static boolean isIpLiteral(String host) {
        if (host.startsWith("[")) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char ch = host.charAt(i);
            if ((ch < '0' || ch > '9') && ch != '.') {
                return false;
            }
        }
        return !host.isEmpty();
    }

    private <T> CompletableFuture<List<T>> query(String deviceId, String targetId, String cmd,
                                                  java.util.function.Function<T, String> unique,
                                                  java.util.function.LongFunction<byte[]> body) {
        GbDevice d;
        try {
            d = registered(deviceId);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (pending.size() >= config.maxPendingQueries || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(closed ? "platform closed"
                    : "too many queries awaiting answers (" + config.maxPendingQueries + ")"));
        }
        long n = sn.getAndIncrement();
        String k = pendingKey(deviceId, cmd, n);
        PendingAnswer<T> p = new PendingAnswer<>(unique);
        pending.put(k, p);
        Cancellable t = scheduler.schedule(config.queryTimeout, () -> {
            if (pending.remove(k, p)) {
                p.result().completeExceptionally(new TimeoutException(cmd + " answer from " + deviceId + ": "
                        + p.received() + " item(s) in " + config.queryTimeout.toSeconds() + " s"));
            }
        });
        p.timeout(t);
        message(d, targetId, body.apply(n)).whenComplete((resp, err) -> {
            if (err != null || resp.status() >= 300) {
                if (pending.remove(k, p)) {
                    t.cancel();
                    p.result().completeExceptionally(err != null ? err
                            : new IllegalStateException(cmd + " refused by " + deviceId + ": " + resp.status()));
                }
            }
        });
        return p.result();
    }

    private ManscdpEncoder encoder(String deviceId) {
        return ManscdpEncoder.of(registry.get(deviceId).map(GbDevice::charset).orElse(config.charset(deviceId)));
    }

    /**
     * Queries a device's Catalog (GB/T 28181-2016 §9.5.2); the answer may come in several MESSAGEs and completes
     * when SumNum unique items have arrived. The registry's channels are updated as parts arrive.
     *
     * @param deviceId the device
     * @return the items, or a {@link TimeoutException} after the query timeout
     */
    public CompletableFuture<List<CatalogItem>> queryCatalog(String deviceId) {
        return query(deviceId, deviceId, "Catalog", CatalogItem::deviceId,
                n -> encoder(deviceId).catalogQuery(n, deviceId));
    }

    /**
     * @param deviceId the device
     * @return its DeviceInfo answer
     */
    public CompletableFuture<DeviceInfoResponse> queryDeviceInfo(String deviceId) {
        return this.<ManscdpDocument>query(deviceId, deviceId, "DeviceInfo", null,
                n -> encoder(deviceId).deviceInfoQuery(n, deviceId)).thenApply(l -> DeviceInfoResponse.of(l.get(0)));
    }

    /**
     * @param deviceId the device
     * @return its DeviceStatus answer
     */
    public CompletableFuture<DeviceStatusResponse> queryDeviceStatus(String deviceId) {
        return this.<ManscdpDocument>query(deviceId, deviceId, "DeviceStatus", null,
                n -> encoder(deviceId).deviceStatusQuery(n, deviceId))
                .thenApply(l -> DeviceStatusResponse.of(l.get(0)));
    }

    /**
     * @param deviceId  the device
     * @param channelId the channel
     * @return its presets
     */
    public CompletableFuture<PresetQueryResponse> queryPresets(String deviceId, String channelId) {
        return this.<ManscdpDocument>query(deviceId, channelId, "PresetQuery", null,
                n -> encoder(deviceId).presetQuery(n, channelId)).thenApply(l -> PresetQueryResponse.of(l.get(0)));
    }

    /**
     * Queries recordings of a channel with {@code <Type>all</Type>}; completes when SumNum items arrived.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @param start     start, device-local
     * @param end       end, device-local
     * @return the record items
     */
    public CompletableFuture<List<Map<String, String>>> queryRecordInfo(String deviceId, String channelId,
                                                                        LocalDateTime start, LocalDateTime end) {
        return query(deviceId, channelId, "RecordInfo", null,
                n -> encoder(deviceId).recordInfoQuery(n, channelId, start, end, 0, "all"));
    }

    /**
     * Queries alarms (GB/T 28181-2016 A.2.4.7), all priorities and methods.
     *
     * @param deviceId the device
     * @param start    start, device-local
     * @param end      end, device-local
     * @return the first answer document
     */
    public CompletableFuture<ManscdpDocument> queryAlarms(String deviceId, LocalDateTime start, LocalDateTime end) {
        return this.<ManscdpDocument>query(deviceId, deviceId, "Alarm", null,
                n -> encoder(deviceId).alarmQuery(n, deviceId, 0, 0, "0", start, end)).thenApply(l -> l.get(0));
    }

    private CompletionStage<SipResponse> control(String deviceId, String targetId,
                                                 java.util.function.LongFunction<byte[]> body) {
        GbDevice d;
        try {
            d = registered(deviceId);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return message(d, targetId, body.apply(sn.getAndIncrement()));
    }

    /**
     * PTZ control of a channel.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @param cmd       the PTZCmd
     * @return the SIP response to the control MESSAGE
     */
    public CompletionStage<SipResponse> ptz(String deviceId, String channelId, PtzCmd cmd) {
        return control(deviceId, channelId, n -> encoder(deviceId).ptz(n, channelId, cmd, 5));
    }

    /**
     * Arms ({@code SetGuard}) or disarms ({@code ResetGuard}) a device.
     *
     * @param deviceId the device
     * @param arm      true to arm
     * @return the SIP response
     */
    public CompletionStage<SipResponse> guard(String deviceId, boolean arm) {
        return control(deviceId, deviceId, n -> encoder(deviceId).guard(n, deviceId, arm));
    }

    /**
     * Resets an alarm.
     *
     * @param deviceId the device
     * @param method   AlarmMethod, or null
     * @param type     AlarmType, or null
     * @return the SIP response
     */
    public CompletionStage<SipResponse> resetAlarm(String deviceId, Integer method, Integer type) {
        return control(deviceId, deviceId, n -> encoder(deviceId).resetAlarm(n, deviceId, method, type));
    }

    /** @param deviceId the device @return the SIP response to a TeleBoot */
    public CompletionStage<SipResponse> teleBoot(String deviceId) {
        return control(deviceId, deviceId, n -> encoder(deviceId).teleBoot(n, deviceId));
    }

    /**
     * @param deviceId  the device
     * @param channelId the channel
     * @param start     start or stop recording
     * @return the SIP response
     */
    public CompletionStage<SipResponse> record(String deviceId, String channelId, boolean start) {
        return control(deviceId, channelId, n -> encoder(deviceId).record(n, channelId, start));
    }

    /** @param deviceId the device @param channelId the channel @return the SIP response to IFameCmd */
    public CompletionStage<SipResponse> requestKeyFrame(String deviceId, String channelId) {
        return control(deviceId, channelId, n -> encoder(deviceId).iFrame(n, channelId));
    }

    /**
     * @param deviceId    the device
     * @param channelId   the channel
     * @param enabled     return home when idle
     * @param resetTime   idle seconds
     * @param presetIndex home preset
     * @return the SIP response
     */
    public CompletionStage<SipResponse> homePosition(String deviceId, String channelId, boolean enabled,
                                                     int resetTime, int presetIndex) {
        return control(deviceId, channelId,
                n -> encoder(deviceId).homePosition(n, channelId, enabled, resetTime, presetIndex));
    }

    /**
     * Sets BasicParam (name, registration expiry, heartbeat interval and count).
     *
     * @param deviceId          the device
     * @param name              its name
     * @param expiration        registration expiry, seconds
     * @param heartBeatInterval keepalive interval, seconds
     * @param heartBeatCount    missed keepalives allowed
     * @return the SIP response
     */
    public CompletionStage<SipResponse> configureBasic(String deviceId, String name, int expiration,
                                                       int heartBeatInterval, int heartBeatCount) {
        return control(deviceId, deviceId,
                n -> encoder(deviceId).basicParam(n, deviceId, name, expiration, heartBeatInterval, heartBeatCount));
    }

    // =============================================================== subscriptions

    private final class Sub {
        final String deviceId;
        final GbSubscription.Kind kind;
        final Dialog dialog;
        final byte[] body;
        final Duration expires;
        volatile Instant expiresAt;
        volatile Cancellable refresh;
        volatile boolean cancelled;

        Sub(String deviceId, GbSubscription.Kind kind, Dialog dialog, byte[] body, Duration expires, Instant at) {
            this.deviceId = deviceId;
            this.kind = kind;
            this.dialog = dialog;
            this.body = body;
            this.expires = expires;
            this.expiresAt = at;
        }

        GbSubscription snapshot() {
            return new GbSubscription(deviceId, kind, dialog, expiresAt);
        }

        void scheduleRefresh() {
            if (cancelled || closed) {
                return;
            }
            long ms = Math.max(1000, expires.toMillis() * 4 / 5);
            refresh = scheduler.schedule(Duration.ofMillis(ms), this::refresh);
        }

        void refresh() {
            if (cancelled) {
                return;
            }
            // a refresh is a new request: a new SN and, for alarms, a window that starts now (GB/T 28181 §9.11)
            GbDevice d = registry.get(deviceId).orElse(null);
            byte[] fresh = d == null ? body : subscriptionBody(d, kind, expires);
            SipRequest r = dialog.newRequest(SipRequest.SUBSCRIBE, subscribeHeaders(kind, expires, true), fresh);
            stack.send(r, dialog.peer()).whenComplete((resp, err) -> {
                if (err == null && resp.status() < 300) {
                    expiresAt = scheduler.now().plus(expires);
                    scheduleRefresh();
                } else {
                    LOG.info("refresh of {} subscription at {} failed: {}", kind, deviceId,
                            err != null ? err.toString() : resp.status());
                    subscriptions.remove(dialog.callId(), this);
                }
            });
        }

        void cancel() {
            cancelled = true;
            Cancellable c = refresh;
            if (c != null) {
                c.cancel();
            }
            subscriptions.remove(dialog.callId(), this);
        }
    }

    private byte[] subscriptionBody(GbDevice d, GbSubscription.Kind kind, Duration expires) {
        long n = sn.getAndIncrement();
        ManscdpEncoder enc = encoder(d.id());
        LocalDateTime now = LocalDateTime.ofInstant(scheduler.now(), d.timeZone());
        return switch (kind) {
            case CATALOG -> enc.catalogSubscription(n, d.id());
            case ALARM -> enc.alarmSubscription(n, d.id(), now, now.plus(expires));
            case MOBILE_POSITION -> enc.mobilePositionSubscription(n, d.id(), 5);
        };
    }

    private static SipHeaders subscribeHeaders(GbSubscription.Kind kind, Duration expires, boolean body) {
        SipHeaders.Builder b = SipHeaders.builder().add("Event", kind.event())
                .add("Expires", Long.toString(expires.toSeconds()));
        if (body) {
            b.add("Content-Type", MANSCDP);
        }
        return b.build();
    }

    /**
     * Subscribes to a device's Catalog changes, alarms or mobile positions (GB/T 28181-2016 §9.11); the
     * subscription is refreshed at 80 % of its lifetime until {@link #unsubscribe}.
     *
     * @param deviceId the device
     * @param kind     what to subscribe to
     * @param expires  the subscription lifetime
     * @return the subscription once the device accepted it
     */
    public CompletableFuture<GbSubscription> subscribe(String deviceId, GbSubscription.Kind kind, Duration expires) {
        GbDevice d;
        try {
            d = registered(deviceId);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] body = subscriptionBody(d, kind, expires);
        SipRequest base = request(SipRequest.SUBSCRIBE, d, deviceId, null, null);
        SipHeaders h = base.headers().toBuilder()
                .add("Contact", "<sip:" + config.platformId + "@" + stack.advertisedHost() + ":"
                        + (d.peer().transport() == org.arc4j.gb28181.sip.SipTransport.UDP
                        ? stack.udpAddress().getPort() : stack.tcpAddress().getPort()) + ">")
                .build();
        SipHeaders all = h.toBuilder().add("Event", kind.event()).add("Expires", Long.toString(expires.toSeconds()))
                .add("Content-Type", MANSCDP).build();
        SipRequest r = SipRequest.of(SipRequest.SUBSCRIBE, base.uri(), all, body);
        CompletableFuture<GbSubscription> out = new CompletableFuture<>();
        SipPeer to = destination(d);
        stack.send(r, to).whenComplete((resp, err) -> {
            if (err != null) {
                out.completeExceptionally(err);
                return;
            }
            if (resp.status() >= 300) {
                out.completeExceptionally(new IllegalStateException("SUBSCRIBE refused: " + resp.status()));
                return;
            }
            Dialog dialog = Dialog.asClient(r, resp, to);
            if (dialog == null) {
                out.completeExceptionally(new IllegalStateException("SUBSCRIBE answer without To tag"));
                return;
            }
            Sub s = new Sub(deviceId, kind, dialog, body, expires, scheduler.now().plus(expires));
            subscriptions.put(dialog.callId(), s);
            s.scheduleRefresh();
            out.complete(s.snapshot());
        });
        return out;
    }

    /**
     * Ends a subscription with an in-dialog SUBSCRIBE of {@code Expires: 0}.
     *
     * @param subscription the subscription
     * @return the device's answer
     */
    public CompletionStage<SipResponse> unsubscribe(GbSubscription subscription) {
        Sub s = subscriptions.get(subscription.dialog().callId());
        if (s != null) {
            s.cancel();
        }
        SipRequest r = subscription.dialog().newRequest(SipRequest.SUBSCRIBE,
                subscribeHeaders(subscription.kind(), Duration.ZERO, false), null);
        return stack.send(r, subscription.dialog().peer());
    }
}
