package org.arc4j.protocols.onvif;

// Over 500 lines because it is the device's whole operation list (Core, Media, Media2, PTZ, DeviceIO, events), each a thin
// pair of request writer and reader call over the one connection, clock offset and authentication state the
// device holds; the parsing lives in internal.Readers and the transport in internal.

import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestClient;
import org.arc4j.protocols.onvif.OnvifException.Kind;
import org.arc4j.protocols.onvif.internal.AuthGuard;
import org.arc4j.protocols.onvif.internal.HttpTransport;
import org.arc4j.protocols.onvif.internal.Namespaces;
import org.arc4j.protocols.onvif.internal.Readers;
import org.arc4j.protocols.onvif.internal.Soap;
import org.arc4j.protocols.onvif.internal.XmlElement;

/**
 * One ONVIF device (camera, encoder, NVR) as the centre talks to it: device management (ONVIF Core §8), Media
 * (ver10) and Media2 (ver20), PTZ, relay outputs and digital inputs, and the event pull point (Core §9.3).
 *
 * <h2>Authentication</h2>
 * Each authenticated request carries a WS-Security UsernameToken with PasswordDigest (a fresh 16-byte nonce from
 * {@link java.security.SecureRandom}, {@code Created} in UTC on the device's clock: ours corrected by the offset
 * learned from an unauthenticated {@code GetSystemDateAndTime}). A 401 with a Digest challenge is answered once
 * with HTTP Digest (sdk-core's {@link DigestClient}), which later requests then send up front, together with
 * WS-Security; Basic is sent only when {@link OnvifDeviceConfig#basicAuth()} says so. A refusal
 * ({@code ter:NotAuthorized}, or a 401 to an answered challenge) re-learns the clock offset and retries once.
 * Two refusals in a row stop authenticated requests for the lockout pause (10 minutes by default), failing them
 * with {@link Kind#LOCKED_OUT}, so the client never locks the camera account.
 *
 * <p>Passwords are read from the credential store for each request, used as bytes and zeroed; they never appear
 * in a log line or exception message.
 *
 * <p>Thread-safe; every method returns at once with a future completed off the event loops.
 */
public final class OnvifDevice {
    private static final String SOAP_CONTENT_TYPE = "application/soap+xml; charset=utf-8";
    private static final String TDS = "xmlns:tds=\"" + Namespaces.TDS + "\"";
    private static final String TT = "xmlns:tt=\"" + Namespaces.TT + "\"";

    private final OnvifClient client;
    private final OnvifDeviceConfig config;
    private final AuthGuard guard;
    private volatile Duration clockOffset;
    private volatile boolean clockAsked;
    private volatile DigestClient digest;
    private volatile CompletableFuture<Map<String, URI>> services;

    OnvifDevice(OnvifClient client, OnvifDeviceConfig config) {
        this.client = client;
        this.config = config;
        this.guard = new AuthGuard(client.scheduler().clock(), client.lockoutThreshold(), client.lockoutPause());
    }

    /** @return the configuration */
    public OnvifDeviceConfig config() {
        return config;
    }

    /** @return the device clock's offset (device minus ours) last learned, or null before the first */
    public Duration clockOffset() {
        return clockOffset;
    }

    /** @return when the lockout pause ends, or null when authenticated requests may be sent */
    public Instant lockedUntil() {
        return guard.lockedUntil();
    }

    OnvifClient client() {
        return client;
    }

    // ---------------------------------------------------------------- device service (ONVIF Core §8)

    /**
     * {@code GetSystemDateAndTime}, unauthenticated (Core §5.9.4 requires devices to allow it); also re-learns the
     * clock offset used for WS-Security.
     *
     * <p>Some cameras refuse it without credentials (a 401 or a {@code NotAuthorized} fault), which would leave
     * WS-Security on our clock and every request refused once their clocks differ by more than their window. The
     * HTTP {@code Date} header of such a refusal (RFC 9110 §6.6.1) still carries the device's clock, to the second:
     * the offset is then learned from it (the middle of that second), and the future still fails with the refusal.
     * The same holds for an answer without a UTC time.
     *
     * @return the device clock
     */
    public CompletableFuture<SystemDateAndTime> getSystemDateAndTime() {
        Instant before = client.scheduler().now();
        clockAsked = true;
        URI uri = config.address();
        return plainExchange(uri, "<tds:GetSystemDateAndTime " + TDS + "/>").thenApply(r -> {
            Instant after = client.scheduler().now();
            Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
            SystemDateAndTime t;
            try {
                t = Readers.systemDateAndTime(plainPayload(r, uri));
            } catch (OnvifException e) {
                learnFromDate(r.date(), mid);
                throw new CompletionException(e);
            }
            Duration err = t.clockError(mid);
            if (err != null) {
                clockOffset = err;
            } else {
                learnFromDate(r.date(), mid);
            }
            return t;
        });
    }

    private void learnFromDate(String date, Instant centreNow) {
        if (date == null) {
            return;
        }
        try {
            Instant d = DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.trim(), Instant::from);
            // the header is truncated to the second: the device's clock was somewhere in it, most likely mid-way
            clockOffset = Duration.between(centreNow, d.plusMillis(500));
        } catch (DateTimeParseException e) {
            // an unreadable Date tells nothing; the offset stays as it was
        }
    }

    /**
     * {@code SetSystemDateAndTime} to a manual UTC time (Core §8.3.2), e.g. to correct a clock error found by
     * {@link #getSystemDateAndTime()}; the clock offset is re-learned afterwards.
     *
     * @param utc the time to set
     * @return completes when the device accepted it
     */
    public CompletableFuture<Void> setSystemDateAndTime(Instant utc) {
        ZonedDateTime z = utc.atZone(ZoneOffset.UTC);
        String body = "<tds:SetSystemDateAndTime " + TDS + " " + TT + "><tds:DateTimeType>Manual</tds:DateTimeType>"
                + "<tds:DaylightSavings>false</tds:DaylightSavings><tds:UTCDateTime><tt:Time><tt:Hour>" + z.getHour()
                + "</tt:Hour><tt:Minute>" + z.getMinute() + "</tt:Minute><tt:Second>" + z.getSecond()
                + "</tt:Second></tt:Time><tt:Date><tt:Year>" + z.getYear() + "</tt:Year><tt:Month>"
                + z.getMonthValue() + "</tt:Month><tt:Day>" + z.getDayOfMonth()
                + "</tt:Day></tt:Date></tds:UTCDateTime></tds:SetSystemDateAndTime>";
        return call(config.address(), body, null)
                .thenCompose(p -> getSystemDateAndTime().handle((t, e) -> (Void) null));
    }

    /** @return {@code GetDeviceInformation} (Core §8.3.3) */
    public CompletableFuture<DeviceInformation> getDeviceInformation() {
        return call(config.address(), "<tds:GetDeviceInformation " + TDS + "/>", null)
                .thenApply(p -> Readers.deviceInformation(p));
    }

    /** @return {@code GetServices} (Core §8.1.2.1), addresses as reported */
    public CompletableFuture<List<OnvifService>> getServices() {
        return call(config.address(), "<tds:GetServices " + TDS
                + "><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>", null)
                .thenApply(Readers::services);
    }

    /** @return {@code GetCapabilities} for all categories (Core §8.1.2.2), addresses as reported */
    public CompletableFuture<OnvifCapabilities> getCapabilities() {
        return call(config.address(), "<tds:GetCapabilities " + TDS
                + "><tds:Category>All</tds:Category></tds:GetCapabilities>", null)
                .thenApply(Readers::capabilities);
    }

    /** @return {@code GetNetworkInterfaces} (Core §8.2.8) */
    public CompletableFuture<List<OnvifNetworkInterface>> getNetworkInterfaces() {
        return call(config.address(), "<tds:GetNetworkInterfaces " + TDS + "/>", null)
                .thenApply(Readers::networkInterfaces);
    }

    /** @return {@code SystemReboot} (Core §8.3.8): the device's message */
    public CompletableFuture<String> systemReboot() {
        return call(config.address(), "<tds:SystemReboot " + TDS + "/>", null).thenApply(p -> {
            String m = p.text("Message");
            return m == null ? "" : m;
        });
    }

    /** @return {@code GetRelayOutputs} of the device service (Core §8.5.1) */
    public CompletableFuture<List<RelayOutput>> getRelayOutputs() {
        return call(config.address(), "<tds:GetRelayOutputs " + TDS + "/>", null).thenApply(Readers::relayOutputs);
    }

    /**
     * {@code SetRelayOutputState} (Core §8.5.3).
     *
     * @param token  the relay token
     * @param active true for {@code active}, false for {@code inactive}
     * @return completes when accepted
     */
    public CompletableFuture<Void> setRelayOutputState(String token, boolean active) {
        return call(config.address(), "<tds:SetRelayOutputState " + TDS + " " + TT + "><tds:RelayOutputToken>"
                + Soap.escape(token) + "</tds:RelayOutputToken><tds:LogicalState>" + (active ? "active" : "inactive")
                + "</tds:LogicalState></tds:SetRelayOutputState>", null).thenApply(p -> null);
    }

    /** @return DeviceIO {@code GetDigitalInputs} (DeviceIO §5.7); fails {@link Kind#UNSUPPORTED} without DeviceIO */
    public CompletableFuture<List<DigitalInput>> getDigitalInputs() {
        return service(Namespaces.TMD).thenCompose(u -> call(u, "<tmd:GetDigitalInputs xmlns:tmd=\""
                + Namespaces.TMD + "\"/>", null)).thenApply(Readers::digitalInputs);
    }

    // ---------------------------------------------------------------- media (ver10) and media2 (ver20)

    /**
     * Which media service the client uses: 2 when the device offers Media2 in {@code GetServices} (where H.265
     * profiles are visible), else 1.
     *
     * @return 1 or 2
     */
    public CompletableFuture<Integer> mediaVersion() {
        return services().thenApply(m -> {
            if (m.containsKey(Namespaces.TR2)) {
                return 2;
            }
            if (m.containsKey(Namespaces.TRT)) {
                return 1;
            }
            throw new CompletionException(new OnvifException(Kind.UNSUPPORTED, "device offers no media service"));
        });
    }

    /** @return {@code GetProfiles} of Media2 when offered, else of Media */
    public CompletableFuture<List<MediaProfile>> getProfiles() {
        return mediaVersion().thenCompose(v -> v == 2
                ? service(Namespaces.TR2).thenCompose(u -> call(u, "<tr2:GetProfiles xmlns:tr2=\"" + Namespaces.TR2
                        + "\"><tr2:Type>All</tr2:Type></tr2:GetProfiles>", null)).thenApply(p -> Readers.profiles(p, 2))
                : service(Namespaces.TRT).thenCompose(u -> call(u, "<trt:GetProfiles xmlns:trt=\"" + Namespaces.TRT
                        + "\"/>", null)).thenApply(p -> Readers.profiles(p, 1)));
    }

    /**
     * {@code GetStreamUri} for RTSP (RTP over RTSP unicast), through Media2 when offered.
     *
     * @param profileToken the profile
     * @return the URI, with the address policy applied
     */
    public CompletableFuture<MediaUri> getStreamUri(String profileToken) {
        String tok = Soap.escape(profileToken);
        return mediaVersion().thenCompose(v -> v == 2
                ? service(Namespaces.TR2).thenCompose(u -> call(u, "<tr2:GetStreamUri xmlns:tr2=\"" + Namespaces.TR2
                        + "\"><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>" + tok
                        + "</tr2:ProfileToken></tr2:GetStreamUri>", null))
                : service(Namespaces.TRT).thenCompose(u -> call(u, "<trt:GetStreamUri xmlns:trt=\"" + Namespaces.TRT
                        + "\" " + TT + "><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>"
                        + "<tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>" + tok
                        + "</trt:ProfileToken></trt:GetStreamUri>", null)))
                .thenApply(p -> mediaUri(read(p, Readers::mediaUri)));
    }

    /**
     * {@code GetSnapshotUri}, through Media2 when offered.
     *
     * @param profileToken the profile
     * @return the URI, with the address policy applied
     */
    public CompletableFuture<MediaUri> getSnapshotUri(String profileToken) {
        String tok = Soap.escape(profileToken);
        return mediaVersion().thenCompose(v -> {
            String ns = v == 2 ? Namespaces.TR2 : Namespaces.TRT;
            String pf = v == 2 ? "tr2" : "trt";
            return service(ns).thenCompose(u -> call(u, "<" + pf + ":GetSnapshotUri xmlns:" + pf + "=\"" + ns + "\"><"
                    + pf + ":ProfileToken>" + tok + "</" + pf + ":ProfileToken></" + pf + ":GetSnapshotUri>", null));
        }).thenApply(p -> mediaUri(read(p, Readers::mediaUri)));
    }

    /**
     * Fetches a snapshot: HTTP GET of the snapshot URI with the device's HTTP authentication (Digest on a
     * challenge, Basic where configured).
     *
     * @param profileToken the profile
     * @return the JPEG bytes; fails {@link Kind#MALFORMED} when the answer is not a JPEG image
     */
    public CompletableFuture<byte[]> fetchSnapshot(String profileToken) {
        return getSnapshotUri(profileToken).thenCompose(u -> fetchSnapshot(u.uri()));
    }

    /**
     * Fetches a snapshot from a known URI with the device's HTTP authentication.
     *
     * @param uri the snapshot URI
     * @return the JPEG bytes
     */
    public CompletableFuture<byte[]> fetchSnapshot(URI uri) {
        return get(uri, new Attempt()).thenApply(r -> {
            byte[] b = r.body();
            if (b.length < 3 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
                throw new CompletionException(new OnvifException(Kind.MALFORMED, "snapshot from " + hostOf(uri)
                        + " is not a JPEG image (" + b.length + " bytes, " + r.contentType() + ")", r.status(), null));
            }
            return b;
        });
    }

    private MediaUri mediaUri(URI reported) {
        return new MediaUri(config.addressPolicy().apply(reported, config.address()), reported);
    }

    // ---------------------------------------------------------------- PTZ (ONVIF PTZ service §5.3, §5.4)

    /**
     * {@code ContinuousMove}: moves at a velocity until {@link #stop} or the timeout.
     *
     * @param profileToken the profile with a PTZ configuration
     * @param velocity     speeds in [-1, 1]
     * @param timeout      how long to move, or null for the device default
     * @return completes when accepted
     */
    public CompletableFuture<Void> continuousMove(String profileToken, PtzVector velocity, Duration timeout) {
        return ptz("ContinuousMove", profileToken, vector("Velocity", velocity)
                + (timeout == null ? "" : "<tptz:Timeout>" + timeout + "</tptz:Timeout>"));
    }

    /**
     * {@code AbsoluteMove} to a position in the generic space.
     *
     * @param profileToken the profile
     * @param position     the position
     * @param speed        the speed, or null
     * @return completes when accepted
     */
    public CompletableFuture<Void> absoluteMove(String profileToken, PtzVector position, PtzVector speed) {
        return ptz("AbsoluteMove", profileToken, vector("Position", position) + vector("Speed", speed));
    }

    /**
     * {@code RelativeMove} by a translation.
     *
     * @param profileToken the profile
     * @param translation  the translation
     * @param speed        the speed, or null
     * @return completes when accepted
     */
    public CompletableFuture<Void> relativeMove(String profileToken, PtzVector translation, PtzVector speed) {
        return ptz("RelativeMove", profileToken, vector("Translation", translation) + vector("Speed", speed));
    }

    /**
     * {@code Stop}.
     *
     * @param profileToken the profile
     * @param panTilt      stop pan and tilt
     * @param zoom         stop zoom
     * @return completes when accepted
     */
    public CompletableFuture<Void> stop(String profileToken, boolean panTilt, boolean zoom) {
        return ptz("Stop", profileToken, "<tptz:PanTilt>" + panTilt + "</tptz:PanTilt><tptz:Zoom>" + zoom
                + "</tptz:Zoom>");
    }

    /**
     * {@code GetPresets}.
     *
     * @param profileToken the profile
     * @return the presets
     */
    public CompletableFuture<List<PtzPreset>> getPresets(String profileToken) {
        return ptzCall("GetPresets", profileToken, "").thenApply(Readers::presets);
    }

    /**
     * {@code SetPreset}: stores the current position.
     *
     * @param profileToken the profile
     * @param name         the preset name, or null
     * @param presetToken  an existing preset to overwrite, or null for a new one
     * @return the preset's token
     */
    public CompletableFuture<String> setPreset(String profileToken, String name, String presetToken) {
        return ptzCall("SetPreset", profileToken, (name == null ? "" : "<tptz:PresetName>" + Soap.escape(name)
                + "</tptz:PresetName>") + (presetToken == null ? "" : "<tptz:PresetToken>" + Soap.escape(presetToken)
                + "</tptz:PresetToken>")).thenApply(p -> {
                    String t = p.text("PresetToken");
                    return t == null ? (presetToken == null ? "" : presetToken) : t;
                });
    }

    /**
     * {@code GotoPreset}.
     *
     * @param profileToken the profile
     * @param presetToken  the preset
     * @param speed        the speed, or null
     * @return completes when accepted
     */
    public CompletableFuture<Void> gotoPreset(String profileToken, String presetToken, PtzVector speed) {
        return ptz("GotoPreset", profileToken, "<tptz:PresetToken>" + Soap.escape(presetToken)
                + "</tptz:PresetToken>" + vector("Speed", speed));
    }

    /**
     * {@code RemovePreset}.
     *
     * @param profileToken the profile
     * @param presetToken  the preset
     * @return completes when accepted
     */
    public CompletableFuture<Void> removePreset(String profileToken, String presetToken) {
        return ptz("RemovePreset", profileToken, "<tptz:PresetToken>" + Soap.escape(presetToken)
                + "</tptz:PresetToken>");
    }

    /**
     * {@code GotoHomePosition}.
     *
     * @param profileToken the profile
     * @param speed        the speed, or null
     * @return completes when accepted
     */
    public CompletableFuture<Void> gotoHomePosition(String profileToken, PtzVector speed) {
        return ptz("GotoHomePosition", profileToken, vector("Speed", speed));
    }

    /**
     * {@code SetHomePosition}: the current position becomes home.
     *
     * @param profileToken the profile
     * @return completes when accepted
     */
    public CompletableFuture<Void> setHomePosition(String profileToken) {
        return ptz("SetHomePosition", profileToken, "");
    }

    private CompletableFuture<Void> ptz(String op, String profileToken, String rest) {
        return ptzCall(op, profileToken, rest).thenApply(p -> null);
    }

    private CompletableFuture<XmlElement> ptzCall(String op, String profileToken, String rest) {
        String body = "<tptz:" + op + " xmlns:tptz=\"" + Namespaces.TPTZ + "\" " + TT + "><tptz:ProfileToken>"
                + Soap.escape(profileToken) + "</tptz:ProfileToken>" + rest + "</tptz:" + op + ">";
        return service(Namespaces.TPTZ).thenCompose(u -> call(u, body, null));
    }

    private static String vector(String element, PtzVector v) {
        if (v == null || (v.pan() == null && v.zoom() == null)) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<tptz:").append(element).append('>');
        if (v.pan() != null) {
            sb.append("<tt:PanTilt x=\"").append(num(v.pan())).append("\" y=\"")
                    .append(num(v.tilt() == null ? 0.0 : v.tilt())).append("\"/>");
        }
        if (v.zoom() != null) {
            sb.append("<tt:Zoom x=\"").append(num(v.zoom())).append("\"/>");
        }
        return sb.append("</tptz:").append(element).append('>').toString();
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }

    // ---------------------------------------------------------------- events (ONVIF Core §9.3 pull point)

    /**
     * {@code CreatePullPointSubscription}.
     *
     * @param initialTermination the requested lifetime
     * @return the subscription, its address after the address policy
     */
    public CompletableFuture<PullPointSubscription> createPullPointSubscription(Duration initialTermination) {
        String body = "<tev:CreatePullPointSubscription xmlns:tev=\"" + Namespaces.TEV + "\"><tev:InitialTerminationTime>"
                + initialTermination + "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>";
        return service(Namespaces.TEV).thenCompose(u -> call(u, body, new String[] {
                Namespaces.TEV + "/EventPortType/CreatePullPointSubscriptionRequest", u.toString()}).thenApply(p -> {
                    PullPointSubscription s = Readers.subscription(p);
                    if (s.address() == null) {
                        throw new CompletionException(new OnvifException(Kind.MALFORMED,
                                "CreatePullPointSubscription answer without a subscription address"));
                    }
                    return new PullPointSubscription(config.addressPolicy().apply(s.address(), config.address()),
                            s.currentTime(), s.terminationTime());
                }));
    }

    /**
     * WS-BaseNotification {@code Subscribe} (ONVIF Core §9.2 "Basic Notification Interface"): the device pushes
     * {@code Notify} messages to {@code consumer}, e.g. an {@link OnvifNotificationListener}'s address. The
     * subscription must be renewed ({@link #renew}) before its termination time;
     * {@link OnvifNotificationSubscription} does that, and subscribes again when a renewal fails.
     *
     * @param consumer           where the device sends notifications
     * @param initialTermination the requested lifetime
     * @return the subscription (its manager's address after the address policy)
     */
    public CompletableFuture<PullPointSubscription> subscribe(URI consumer, Duration initialTermination) {
        String body = "<wsnt:Subscribe xmlns:wsnt=\"" + Namespaces.WSNT + "\" xmlns:wsa=\"" + Namespaces.WSA
                + "\"><wsnt:ConsumerReference><wsa:Address>" + Soap.escape(consumer.toString())
                + "</wsa:Address></wsnt:ConsumerReference><wsnt:InitialTerminationTime>" + initialTermination
                + "</wsnt:InitialTerminationTime></wsnt:Subscribe>";
        return service(Namespaces.TEV).thenCompose(u -> call(u, body, new String[] {
                "http://docs.oasis-open.org/wsn/bw-2/NotificationProducer/SubscribeRequest", u.toString()})
                .thenApply(p -> {
                    PullPointSubscription s = Readers.subscription(p);
                    if (s.address() == null) {
                        throw new CompletionException(new OnvifException(Kind.MALFORMED,
                                "Subscribe answer without a subscription address"));
                    }
                    return new PullPointSubscription(config.addressPolicy().apply(s.address(), config.address()),
                            s.currentTime(), s.terminationTime());
                }));
    }

    /**
     * {@code PullMessages}: waits on the device up to {@code timeout} for up to {@code limit} messages.
     *
     * @param subscription the subscription
     * @param timeout      the wait on the device
     * @param limit        the most messages
     * @return the messages
     */
    public CompletableFuture<PullMessagesResult> pullMessages(PullPointSubscription subscription, Duration timeout,
                                                              int limit) {
        String body = "<tev:PullMessages xmlns:tev=\"" + Namespaces.TEV + "\"><tev:Timeout>" + timeout
                + "</tev:Timeout><tev:MessageLimit>" + limit + "</tev:MessageLimit></tev:PullMessages>";
        return call(subscription.address(), body, new String[] {
                Namespaces.TEV + "/PullPointSubscription/PullMessagesRequest", subscription.address().toString()},
                timeout.plusSeconds(10)).thenApply(Readers::pullMessages);
    }

    /**
     * WS-BaseNotification {@code Renew}.
     *
     * @param subscription the subscription
     * @param termination  the new lifetime from now
     * @return the subscription with its new termination time
     */
    public CompletableFuture<PullPointSubscription> renew(PullPointSubscription subscription, Duration termination) {
        String body = "<wsnt:Renew xmlns:wsnt=\"" + Namespaces.WSNT + "\"><wsnt:TerminationTime>" + termination
                + "</wsnt:TerminationTime></wsnt:Renew>";
        return call(subscription.address(), body, new String[] {
                "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest",
                subscription.address().toString()}).thenApply(p -> {
                    PullPointSubscription s = Readers.subscription(p);
                    return new PullPointSubscription(subscription.address(), s.currentTime(), s.terminationTime());
                });
    }

    /**
     * WS-BaseNotification {@code Unsubscribe}.
     *
     * @param subscription the subscription
     * @return completes when the device answered
     */
    public CompletableFuture<Void> unsubscribe(PullPointSubscription subscription) {
        return call(subscription.address(), "<wsnt:Unsubscribe xmlns:wsnt=\"" + Namespaces.WSNT + "\"/>",
                new String[] {"http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest",
                        subscription.address().toString()}).thenApply(p -> null);
    }

    // ---------------------------------------------------------------- service addresses

    /**
     * The service addresses by namespace, from {@code GetServices} (falling back to {@code GetCapabilities} for
     * devices without it), after the address policy; fetched once and kept.
     *
     * @return namespace → address
     */
    public CompletableFuture<Map<String, URI>> services() {
        CompletableFuture<Map<String, URI>> f = services;
        if (f != null && !f.isCompletedExceptionally()) {
            return f;
        }
        CompletableFuture<Map<String, URI>> fresh = getServices().thenApply(list -> {
            Map<String, URI> m = new LinkedHashMap<>();
            for (OnvifService s : list) {
                m.put(s.namespace(), config.addressPolicy().apply(s.xaddr(), config.address()));
            }
            return m;
        }).exceptionallyCompose(e -> {
            OnvifException oe = unwrap(e);
            if (oe != null && oe.kind() == Kind.FAULT && !oe.isAuthenticationFailure()) {
                return getCapabilities().thenApply(this::fromCapabilities);
            }
            return CompletableFuture.failedFuture(e instanceof CompletionException ? e.getCause() : e);
        });
        services = fresh;
        return fresh;
    }

    /** Forgets the service addresses, e.g. after the device restarted with another configuration. */
    public void forgetServices() {
        services = null;
    }

    private Map<String, URI> fromCapabilities(OnvifCapabilities c) {
        Map<String, String> ns = Map.of("Device", Namespaces.TDS, "Media", Namespaces.TRT, "PTZ", Namespaces.TPTZ,
                "Events", Namespaces.TEV, "DeviceIO", Namespaces.TMD, "Imaging", "http://www.onvif.org/ver20/imaging/wsdl");
        Map<String, URI> m = new LinkedHashMap<>();
        c.xaddrs().forEach((cat, u) -> {
            if (ns.containsKey(cat)) {
                m.put(ns.get(cat), config.addressPolicy().apply(u, config.address()));
            }
        });
        return m;
    }

    private CompletableFuture<URI> service(String namespace) {
        return services().thenApply(m -> {
            URI u = m.get(namespace);
            if (u == null) {
                throw new CompletionException(new OnvifException(Kind.UNSUPPORTED, "device "
                        + hostOf(config.address()) + " offers no service " + namespace));
            }
            return u;
        });
    }

    // ---------------------------------------------------------------- SOAP calls and authentication

    /** A reader of a payload that may refuse it. */
    @FunctionalInterface
    interface PayloadReader<T> {
        T read(XmlElement payload) throws OnvifException;
    }

    private static <T> T read(XmlElement p, PayloadReader<T> r) {
        try {
            return r.read(p);
        } catch (OnvifException e) {
            throw new CompletionException(e);
        }
    }

    static OnvifException unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof OnvifException oe ? oe : null;
    }

    private static String hostOf(URI u) {
        return u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    /** Per-request retry state. */
    private static final class Attempt {
        boolean challengeAnswered;
        boolean relearned;
    }

    CompletableFuture<XmlElement> call(URI uri, String body, String[] action) {
        return call(uri, body, action, null);
    }

    CompletableFuture<XmlElement> call(URI uri, String body, String[] action, Duration timeout) {
        if (guard.lockedUntil() != null) {
            return locked();
        }
        if (login().isEmpty()) {
            return CompletableFuture.failedFuture(new OnvifException(Kind.NO_CREDENTIALS,
                    "no ONVIF login stored for " + config.credentialScope()));
        }
        // asked once up front; a device that refuses it gets our clock until a NotAuthorized asks again
        CompletableFuture<Void> ready = config.wsSecurity() && clockOffset == null && !clockAsked
                ? getSystemDateAndTime().handle((t, e) -> null)
                : CompletableFuture.completedFuture(null);
        return ready.thenCompose(v -> attempt(uri, body, action, timeout, new Attempt()));
    }

    private <T> CompletableFuture<T> locked() {
        return CompletableFuture.failedFuture(new OnvifException(Kind.LOCKED_OUT, "device "
                + hostOf(config.address()) + " refused the credentials twice; no authenticated request until "
                + guard.lockedUntil()));
    }

    private Optional<Credential> login() {
        return client.credentials().find(CredentialKey.of(CredentialKind.ONVIF_LOGIN, config.credentialScope()))
                .filter(c -> c.username() != null);
    }

    private DigestClient digestClient(String username) {
        DigestClient d = digest;
        if (d == null) {
            synchronized (this) {
                d = digest;
                if (d == null) {
                    d = new DigestClient(username, client.random());
                    digest = d;
                }
            }
        }
        return d;
    }

    private String authorization(Credential c, HttpMethod method, URI uri) {
        byte[] pw = c.secret().copyBytes();
        try {
            if (config.basicAuth()) {
                byte[] user = (c.username() + ":").getBytes(StandardCharsets.UTF_8);
                byte[] both = Arrays.copyOf(user, user.length + pw.length);
                System.arraycopy(pw, 0, both, user.length, pw.length);
                String v = "Basic " + Base64.getEncoder().encodeToString(both);
                Arrays.fill(both, (byte) 0);
                return v;
            }
            DigestClient d = digestClient(c.username());
            if (d.hasChallenge()) {
                return d.answer(method.name(), target(uri), pw).toHeaderValue();
            }
            return null;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static String target(URI u) {
        String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
    }

    private CompletableFuture<XmlElement> attempt(URI uri, String body, String[] action, Duration timeout, Attempt st) {
        if (guard.lockedUntil() != null) {
            return locked();
        }
        Optional<Credential> login = login();
        if (login.isEmpty()) {
            return CompletableFuture.failedFuture(new OnvifException(Kind.NO_CREDENTIALS,
                    "no ONVIF login stored for " + config.credentialScope()));
        }
        Credential c = login.get();
        String security = null;
        if (config.wsSecurity()) {
            byte[] nonce = new byte[16];
            client.random().nextBytes(nonce);
            Duration off = clockOffset == null ? Duration.ZERO : clockOffset;
            byte[] pw = c.secret().copyBytes();
            try {
                security = Soap.usernameToken(c.username(), nonce, client.scheduler().now().plus(off), pw);
            } finally {
                Arrays.fill(pw, (byte) 0);
            }
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", SOAP_CONTENT_TYPE);
        String auth = authorization(c, HttpMethod.POST, uri);
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        boolean sentHttpAuth = auth != null;
        boolean sentAnyAuth = sentHttpAuth || security != null;
        byte[] envelope = Soap.envelope(security, action, body);
        return client.http().execute(new HttpTransport.Request(HttpMethod.POST, uri, headers, envelope),
                config.pinnedCertificateSha256(), timeout).thenCompose(r -> {
                    if (r.status() == 401) {
                        DigestChallenge ch = digestChallenge(r.wwwAuthenticate());
                        if (ch != null && !config.basicAuth() && (!sentHttpAuth || ch.stale()) && !st.challengeAnswered) {
                            digestClient(c.username()).challenged(ch);
                            st.challengeAnswered = true;
                            return attempt(uri, body, action, timeout, st);
                        }
                        OnvifException refusal = new OnvifException(Kind.NOT_AUTHORIZED, "device "
                                + hostOf(uri) + " refused the credentials (HTTP 401)", 401, null);
                        try {
                            Readers.payload(r.body(), 401);
                        } catch (OnvifFault f) {
                            if (f.isAuthenticationFailure()) {
                                return refused(f, uri, body, action, timeout, st);
                            }
                        } catch (OnvifException ignored) {
                            // a 401 without a SOAP body: the refusal below says it
                        }
                        if (!sentAnyAuth) {
                            return CompletableFuture.failedFuture(refusal);
                        }
                        return refused(refusal, uri, body, action, timeout, st);
                    }
                    XmlElement p;
                    try {
                        p = Readers.payload(r.body(), r.status());
                    } catch (OnvifFault f) {
                        if (f.isAuthenticationFailure()) {
                            return refused(f, uri, body, action, timeout, st);
                        }
                        guard.accepted();
                        return CompletableFuture.failedFuture(f);
                    } catch (OnvifException e) {
                        if (r.status() / 100 != 2) {
                            return CompletableFuture.failedFuture(new OnvifException(Kind.HTTP_STATUS, "HTTP "
                                    + r.status() + " from " + hostOf(uri), r.status(), null));
                        }
                        return CompletableFuture.failedFuture(e);
                    }
                    if (r.status() / 100 != 2) {
                        return CompletableFuture.failedFuture(new OnvifException(Kind.HTTP_STATUS, "HTTP "
                                + r.status() + " from " + hostOf(uri) + " without a fault", r.status(), null));
                    }
                    guard.accepted();
                    return CompletableFuture.completedFuture(p);
                });
    }

    private CompletableFuture<XmlElement> refused(OnvifException refusal, URI uri, String body, String[] action,
                                                  Duration timeout, Attempt st) {
        guard.refused();
        if (!st.relearned && config.wsSecurity() && guard.lockedUntil() == null) {
            // the usual cause is a Created outside the device's window: learn its clock again and retry once
            st.relearned = true;
            return getSystemDateAndTime().handle((t, e) -> null)
                    .thenCompose(v -> attempt(uri, body, action, timeout, st));
        }
        return CompletableFuture.failedFuture(refusal);
    }

    private static DigestChallenge digestChallenge(List<String> values) {
        for (String v : values) {
            DigestChallenge c = DigestChallenge.parse(v);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private CompletableFuture<HttpTransport.Response> plainExchange(URI uri, String body) {
        Map<String, String> headers = Map.of("Content-Type", SOAP_CONTENT_TYPE);
        return client.http().execute(new HttpTransport.Request(HttpMethod.POST, uri, headers, Soap.envelope(null, body)),
                config.pinnedCertificateSha256(), null);
    }

    private static XmlElement plainPayload(HttpTransport.Response r, URI uri) throws OnvifException {
        try {
            return Readers.payload(r.body(), r.status());
        } catch (OnvifException e) {
            throw r.status() / 100 != 2 && e.kind() == Kind.MALFORMED
                    ? new OnvifException(r.status() == 401 ? Kind.NOT_AUTHORIZED : Kind.HTTP_STATUS,
                            "HTTP " + r.status() + " from " + hostOf(uri), r.status(), null)
                    : e;
        }
    }

    private CompletableFuture<HttpTransport.Response> get(URI uri, Attempt st) {
        if (guard.lockedUntil() != null) {
            return locked();
        }
        Optional<Credential> login = login();
        Map<String, String> headers = new HashMap<>();
        String auth = login.map(c -> authorization(c, HttpMethod.GET, uri)).orElse(null);
        if (auth != null) {
            headers.put("Authorization", auth);
        }
        return client.http().execute(new HttpTransport.Request(HttpMethod.GET, uri, headers, null),
                config.pinnedCertificateSha256(), null).thenCompose(r -> {
                    if (r.status() == 401 && login.isPresent()) {
                        DigestChallenge ch = digestChallenge(r.wwwAuthenticate());
                        if (ch != null && !config.basicAuth() && (auth == null || ch.stale()) && !st.challengeAnswered) {
                            digestClient(login.get().username()).challenged(ch);
                            st.challengeAnswered = true;
                            return get(uri, st);
                        }
                        if (auth != null) {
                            guard.refused();
                        }
                        return CompletableFuture.failedFuture(new OnvifException(Kind.NOT_AUTHORIZED, "device "
                                + hostOf(uri) + " refused the credentials (HTTP 401)", 401, null));
                    }
                    if (r.status() / 100 != 2) {
                        return CompletableFuture.failedFuture(new OnvifException(Kind.HTTP_STATUS, "HTTP "
                                + r.status() + " from " + hostOf(uri), r.status(), null));
                    }
                    if (auth != null) {
                        guard.accepted();
                    }
                    return CompletableFuture.completedFuture(r);
                });
    }
}
