package org.arc4j.gb28181.platform;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.CatalogItem;
import org.arc4j.gb28181.manscdp.DeviceInfoResponse;
import org.arc4j.gb28181.manscdp.DeviceStatusResponse;
import org.arc4j.gb28181.manscdp.GbAlarmCategories;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.PresetQueryResponse;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.media.BroadcastSession;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.media.RtpPayloadInterceptor;
import org.arc4j.gb28181.media.Snapshot;
import org.arc4j.gb28181.media.TalkListener;
import org.arc4j.gb28181.media.TalkSession;
import org.arc4j.gb28181.media.internal.MediaSessions;
import org.arc4j.gb28181.media.internal.Signalling;
import org.arc4j.gb28181.platform.internal.DeviceAuthentication;
import org.arc4j.gb28181.platform.internal.TrustedPeers;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipInterceptor;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipRequestHandler;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTolerance;

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
 * <p>A facade over its parts, one concern each: {@link Registrar} (REGISTER and supervision), {@link
 * MessageRouter} (MESSAGE/NOTIFY by CmdType, device authentication from a new address), {@link AlarmReceiver}
 * (alarms into the intake, held and flagged alarms), {@link QueryClient} (queries and their answers), {@link
 * DeviceRequests} (where and how requests go to a device, controls) and {@link Subscriptions}.
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

    private final Supervisor supervisor;
    private final DeviceRegistry registry;
    private final TrustedPeers trusted = new TrustedPeers();
    private final SipStack stack;
    private final Metrics metrics;
    private final DeviceRequests requests;
    private final QueryClient queries;
    private final Subscriptions subscriptions;
    private final AlarmReceiver alarms;
    private final Registrar registrar;
    private final MessageRouter router;
    private final Consumer<SupervisionEvent> supervisionListener;
    private final MediaSessions media;
    private final Consumer<SupervisionEvent> mediaGone;
    /** Set once every part exists: a request that arrives while the sockets are being bound gets 503. */
    private volatile boolean ready;

    private GbPlatform(GbPlatformConfig config, Scheduler scheduler, AlarmIntake intake, Supervisor supervisor,
                       CredentialStore credentials, Metrics metrics, AuditLog audit) throws InterruptedException {
        this.supervisor = supervisor;
        this.metrics = metrics;
        this.registry = new DeviceRegistry(config.maxDevices, config.maxChannelsPerDevice);
        DigestAuthenticator authenticator = new DigestAuthenticator(scheduler.clock(), config.domain,
                config.algorithm, config.offerQop, config.nonceLifetime, 100_000);
        DeviceAuthentication deviceAuth = new DeviceAuthentication(authenticator, credentials, config.defaultPassword);
        SecurityAudit security = new SecurityAudit(audit, metrics);
        this.stack = SipStack.builder().bindHost(config.bindHost).advertisedHost(config.advertisedHost)
                .udpPort(config.udpPort).tcpPort(config.tcpPort).scheduler(scheduler).metrics(metrics)
                .timers(config.timers).tcpIdleTimeout(config.tcpIdleTimeout).handler(new Handler()).start();
        Ingress ingress = new Ingress(NAMESPACE, config.bindHost + ":"
                + (stack.udpAddress() != null ? stack.udpAddress().getPort() : stack.tcpAddress().getPort()));
        this.requests = new DeviceRequests(config, stack, registry);
        this.queries = new QueryClient(config, scheduler, requests);
        this.subscriptions = new Subscriptions(config, scheduler, stack, registry, requests);
        this.alarms = new AlarmReceiver(config, scheduler, intake, registry, trusted, security, ingress, metrics);
        this.registrar = new Registrar(config, scheduler, supervisor, registry, trusted, authenticator, deviceAuth,
                security, queries, requests, metrics);
        this.router = new MessageRouter(scheduler, supervisor, registry, trusted, deviceAuth, security, registrar,
                alarms, queries, subscriptions, metrics);
        this.supervisionListener = registrar::onSupervision;
        supervisor.addListener(supervisionListener);
        this.media = new MediaSessions(stack, scheduler, new MediaSignalling(), config.platformId, config.domain,
                config.bindHost, metrics);
        router.mediaStatus(media::onMediaStatus);
        this.mediaGone = e -> {
            if (e instanceof SupervisionEvent.Offline off && NAMESPACE.equals(off.device().namespace())) {
                media.onDeviceGone(off.device().id());
            }
        };
        supervisor.addListener(mediaGone);
        this.ready = true;
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

    public DeviceRegistry registry() {
        return registry;
    }

    public SipStack stack() {
        return stack;
    }

    public GbPlatformConfig config() {
        return requests.config();
    }

    /** @return the live subscriptions */
    public Collection<GbSubscription> subscriptions() {
        return subscriptions.all();
    }

    /** @return the alarms held while their sender is challenged */
    public int heldAlarms() {
        return alarms.held();
    }

    /** @return the queries awaiting an answer */
    public int pendingQueries() {
        return queries.pending();
    }

    /**
     * Stops the platform: closes its sockets and cancels every timer and listener it made (subscription
     * refreshes, query timeouts, held alarms, SIP transaction timers, the TCP idle sweep). Pending queries fail
     * with a {@link java.util.concurrent.CancellationException}; alarms still held are handed to the intake
     * flagged, so none is lost.
     */
    @Override
    public void close() {
        ready = false;
        supervisor.removeListener(supervisionListener);
        supervisor.removeListener(mediaGone);
        media.close();
        subscriptions.close();
        queries.close();
        alarms.close();
        stack.close();
    }

    private final class Handler implements SipRequestHandler {
        @Override
        public void onRequest(ServerTransaction tx) {
            SipRequest r = tx.request();
            for (SipTolerance t : tx.tolerances()) {
                metrics.counter("gb28181.tolerated", "what", t.name()).increment();
            }
            if (!ready) {
                Replies.reply(tx, 503, "Service Unavailable");
                return;
            }
            switch (r.method()) {
                case SipRequest.REGISTER -> registrar.onRegister(tx);
                case SipRequest.MESSAGE -> router.onMessage(tx, false);
                case SipRequest.NOTIFY -> router.onMessage(tx, true);
                case SipRequest.OPTIONS -> Replies.reply(tx, 200, "OK");
                case SipRequest.INVITE -> media.onInvite(tx);
                case SipRequest.BYE -> media.onBye(tx);
                case SipRequest.INFO -> media.onInfo(tx);
                default -> Replies.reply(tx, 405, "Method Not Allowed");
            }
        }

        @Override
        public void onConnectionClosed(SipPeer peer) {
            trusted.closed(peer);
        }
    }

    /**
     * Queries a device's Catalog (GB/T 28181-2016 §9.5.2); the answer may come in several MESSAGEs and completes
     * when SumNum unique items have arrived. The registry's channels are updated as parts arrive.
     *
     * @param deviceId the device
     * @return the items, or a {@link TimeoutException} after the query timeout
     */
    public CompletableFuture<List<CatalogItem>> queryCatalog(String deviceId) {
        return queries.queryCatalog(deviceId);
    }

    /**
     * @param deviceId the device
     * @return its DeviceInfo answer
     */
    public CompletableFuture<DeviceInfoResponse> queryDeviceInfo(String deviceId) {
        return queries.queryDeviceInfo(deviceId);
    }

    /**
     * @param deviceId the device
     * @return its DeviceStatus answer
     */
    public CompletableFuture<DeviceStatusResponse> queryDeviceStatus(String deviceId) {
        return queries.queryDeviceStatus(deviceId);
    }

    /**
     * @param deviceId  the device
     * @param channelId the channel
     * @return its presets
     */
    public CompletableFuture<PresetQueryResponse> queryPresets(String deviceId, String channelId) {
        return queries.queryPresets(deviceId, channelId);
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
        return queries.queryRecordInfo(deviceId, channelId, start, end);
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
        return queries.queryAlarms(deviceId, start, end);
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
        return requests.control(deviceId, channelId, n -> requests.encoder(deviceId).ptz(n, channelId, cmd, 5));
    }

    /**
     * Arms ({@code SetGuard}) or disarms ({@code ResetGuard}) a device.
     *
     * @param deviceId the device
     * @param arm      true to arm
     * @return the SIP response
     */
    public CompletionStage<SipResponse> guard(String deviceId, boolean arm) {
        return requests.control(deviceId, deviceId, n -> requests.encoder(deviceId).guard(n, deviceId, arm));
    }

    /**
     * Arms ({@code SetGuard}) or disarms ({@code ResetGuard}) a device and waits for its answer: the DeviceControl
     * Response whose {@code Result} says whether the device carried it out (GB/T 28181-2016 §9.3, A.2.6.1), not
     * only the SIP 200 that says the MESSAGE arrived.
     *
     * @param deviceId the device
     * @param arm      true to arm
     * @return the device's answer ({@code text("Result")} is {@code OK} or {@code ERROR}); fails with a
     *         {@link java.util.concurrent.TimeoutException} after the query timeout, or at once when the device is
     *         not registered or refuses the MESSAGE
     */
    public CompletableFuture<ManscdpDocument> guardAnswered(String deviceId, boolean arm) {
        return queries.control(deviceId, deviceId, n -> requests.encoder(deviceId).guard(n, deviceId, arm));
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
        return requests.control(deviceId, deviceId, n -> requests.encoder(deviceId).resetAlarm(n, deviceId, method, type));
    }

    /**
     * Resets a device's alarm ({@code DeviceControl AlarmCmd ResetAlarm}, GB/T 28181-2016 A.2.3.1.5) and waits for
     * its answer: the DeviceControl Response whose {@code Result} says whether the device reset it.
     *
     * @param deviceId the device
     * @param method   AlarmMethod to reset, or null for every method
     * @param type     AlarmType to reset, or null for every type
     * @return the device's answer; fails with a {@link java.util.concurrent.TimeoutException} after the query
     *         timeout, or at once when the device is not registered or refuses the MESSAGE
     */
    public CompletableFuture<ManscdpDocument> resetAlarmAnswered(String deviceId, Integer method, Integer type) {
        return queries.control(deviceId, deviceId,
                n -> requests.encoder(deviceId).resetAlarm(n, deviceId, method, type));
    }

    public CompletionStage<SipResponse> teleBoot(String deviceId) {
        return requests.control(deviceId, deviceId, n -> requests.encoder(deviceId).teleBoot(n, deviceId));
    }

    /**
     * @param deviceId  the device
     * @param channelId the channel
     * @param start     start or stop recording
     * @return the SIP response
     */
    public CompletionStage<SipResponse> record(String deviceId, String channelId, boolean start) {
        return requests.control(deviceId, channelId, n -> requests.encoder(deviceId).record(n, channelId, start));
    }

    public CompletionStage<SipResponse> requestKeyFrame(String deviceId, String channelId) {
        return requests.control(deviceId, channelId, n -> requests.encoder(deviceId).iFrame(n, channelId));
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
        return requests.control(deviceId, channelId,
                n -> requests.encoder(deviceId).homePosition(n, channelId, enabled, resetTime, presetIndex));
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
        return requests.control(deviceId, deviceId,
                n -> requests.encoder(deviceId).basicParam(n, deviceId, name, expiration, heartBeatInterval, heartBeatCount));
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
        return subscriptions.subscribe(deviceId, kind, expires);
    }

    /**
     * Ends a subscription with an in-dialog SUBSCRIBE of {@code Expires: 0}.
     *
     * @param subscription the subscription
     * @return the device's answer
     */
    public CompletionStage<SipResponse> unsubscribe(GbSubscription subscription) {
        return subscriptions.unsubscribe(subscription);
    }

    /**
     * Asks a device for media (GB/T 28181-2016 §9.2 real-time video, §9.8 playback and download): an INVITE with
     * an SDP offer ({@code s=Play}, {@code Playback} or {@code Download}; {@code u=} and {@code t=} for a
     * recording; {@code a=downloadspeed}; {@code y=} SSRC last, allocated per Annex F), over the transport the
     * request names, then ACK. The device's PS over RTP is reordered, demultiplexed and handed to the listener as
     * access units. The session fails, with a BYE, when no RTP arrives or RTP stops for the request's media
     * timeout, or when the device goes offline; a device's BYE ends it; {@link #close()} ends every session.
     *
     * <p>Media may reach the listener just before the returned future completes (the device starts sending on
     * its 2xx). Cancelling the future gives the session up: a 2xx that still comes is acknowledged and answered
     * with BYE.
     *
     * @param request  what to ask for
     * @param listener where media and the session's end go
     * @return the established session, or a {@link MediaFailureException} saying why it could not start (the
     *         device's SIP error, no answer, an unusable answer, no media, an unregistered device)
     */
    public CompletableFuture<MediaSession> invite(MediaRequest request, MediaListener listener) {
        return media.invite(Objects.requireNonNull(request, "request"), Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts a voice broadcast to a device's loudspeaker (GB/T 28181-2016 §9.12): a {@code Broadcast} notification
     * (A.2.5) names the platform as source and the device's audio output channel as target; the device then
     * INVITEs the platform with its G.711 audio offer, the platform answers send-only, and the returned session
     * sends G.711 over RTP until either side sends BYE: over UDP, or over TCP (RFC 4571) when the device offers
     * {@code TCP/RTP/AVP} — the platform listens for a device that is {@code a=setup:active} and connects to one
     * that is {@code passive}.
     *
     * @param deviceId the registered device
     * @param targetId its audio output channel (or the device ID)
     * @return the session once the device's INVITE is answered, or a {@link MediaFailureException}: the device
     *         refused the notification ({@code REJECTED}), never INVITEd within 10 s ({@code NO_ANSWER}), offered
     *         something other than G.711 ({@code BAD_ANSWER}), or is not registered ({@code LOCAL})
     */
    public CompletableFuture<BroadcastSession> broadcast(String deviceId, String targetId) {
        return media.broadcast(Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(targetId,
                "targetId"));
    }

    /**
     * Starts a two-way talk (语音对讲) with a device's audio channel: the platform INVITEs the channel with a
     * {@code sendrecv} G.711 audio offer (PCMA, PCMU; RTP over UDP); once the device answers, the session sends the
     * platform's G.711 to the address in the answer and hands the device's audio to {@code listener}, until either
     * side sends BYE.
     *
     * @param deviceId  the registered device
     * @param channelId its audio channel (or the device ID)
     * @param listener  gets the device's audio and the end of the talk
     * @return the session once the device answered, or a {@link MediaFailureException}: the device refused
     *         ({@code REJECTED}), did not answer ({@code NO_ANSWER}), answered something other than G.711 over UDP
     *         ({@code BAD_ANSWER}), or is not registered ({@code LOCAL})
     */
    public CompletableFuture<TalkSession> talk(String deviceId, String channelId, TalkListener listener) {
        return talk(deviceId, channelId, MediaTransport.UDP, listener);
    }

    /**
     * Starts a two-way talk as {@link #talk(String, String, TalkListener)} does, over a chosen transport: UDP, or RTP
     * over TCP with RFC 4571 framing, the platform listening ({@link MediaTransport#TCP_PASSIVE}, the one that
     * passes a device's NAT) or connecting to the device ({@link MediaTransport#TCP_ACTIVE}); both directions share
     * the one connection.
     *
     * @param deviceId  the registered device
     * @param channelId its audio channel (or the device ID)
     * @param transport how the audio travels
     * @param listener  gets the device's audio and the end of the talk
     * @return the session once the device answered (and, for TCP active, the platform connected), or a
     *         {@link MediaFailureException} as for the UDP talk; an answer over another transport than offered is
     *         {@code BAD_ANSWER}
     */
    public CompletableFuture<TalkSession> talk(String deviceId, String channelId, MediaTransport transport,
                                               TalkListener listener) {
        return media.talk(Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(channelId,
                "channelId"), Objects.requireNonNull(transport, "transport"), Objects.requireNonNull(listener,
                "listener"));
    }

    /**
     * Asks a device's channel for pictures (GB/T 28181-2022 §9.14, image capture): a DeviceConfig control with
     * {@code SnapShotConfig} (how many, their interval, an upload URL on the platform's own HTTP endpoint and a
     * session ID); the device captures and uploads each picture by HTTP, then notifies
     * {@code UploadSnapShotFinished}. {@link Snapshot#toBufferedFrame()} puts a picture into sdk-media's pre-alarm
     * picture buffer.
     *
     * @param deviceId  the registered device
     * @param channelId the channel to capture
     * @param count     how many pictures, 1–10
     * @param interval  between them, whole seconds, at least 1
     * @return the pictures, once all arrived or, at the time they should have (plus 30 s), those that did; a
     *         {@link MediaFailureException} when the device refused ({@code REJECTED}) or uploaded none
     *         ({@code NO_MEDIA})
     */
    public CompletableFuture<List<Snapshot>> snapshot(String deviceId, String channelId, int count,
                                                      Duration interval) {
        if (count < 1 || count > 10 || interval.toSeconds() < 1) {
            throw new IllegalArgumentException("1-10 pictures at least 1 s apart: " + count + ", " + interval);
        }
        return media.snapshot(Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(channelId,
                "channelId"), count, interval);
    }

    /**
     * Plugs a security layer (GB 35114: signing, encryption) into the platform: every SIP message sent and received
     * passes through {@code sip}, every RTP packet received in a media session or a talk through {@code rtp}.
     *
     * @param sip the SIP hook, or {@link SipInterceptor#NONE}
     * @param rtp the RTP hook, or null for none
     */
    public void securityInterceptors(SipInterceptor sip,
                                     RtpPayloadInterceptor rtp) {
        stack.interceptor(sip);
        media.rtpInterceptor(rtp);
    }

    /** @return media sessions being set up or established */
    public int mediaSessions() {
        return media.size();
    }

    /** Media sessions' requests go out as the platform's other requests to a device do. */
    private final class MediaSignalling implements Signalling {
        @Override
        public SipRequest request(String method, String deviceId, String targetId, SipHeaders extra) {
            return requests.request(method, requests.registered(deviceId), targetId, null, extra);
        }

        @Override
        public SipPeer destination(String deviceId) {
            return requests.destination(requests.registered(deviceId));
        }

        @Override
        public long nextSn() {
            return requests.nextSn();
        }

        @Override
        public boolean is2022(String deviceId) {
            return requests.registered(deviceId).edition() == GbEdition.GB2022;
        }
    }
}
