package org.arc4j.protocols.onvif.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.protocols.onvif.internal.DateTimes;
import org.arc4j.protocols.onvif.internal.Xml;
import org.arc4j.protocols.onvif.internal.XmlElement;

/**
 * A test ONVIF device on the JDK's HTTP server, answering from responses recorded from real cameras
 * ({@code vectors/onvif/}) and hand-written ones ({@code onvif/testdevice/}), strict where real cameras are
 * strict:
 * <ul>
 *   <li>WS-Security UsernameToken PasswordDigest checked against its own clock (the centre's clock plus a
 *       settable skew), {@code Created} within ±5 s, every nonce accepted once;</li>
 *   <li>{@link #digestOnly(boolean) HTTP-Digest-only} mode (WS-Security ignored, sdk-core's
 *       {@link DigestAuthenticator} as the server side); snapshots always need HTTP Digest;</li>
 *   <li>private addresses ({@code 192.168.x}) in every URI it returns;</li>
 *   <li>pull-point subscriptions that end at their termination time on its clock, can be
 *       {@link #expireSubscriptions() expired early} and vanish on {@link #restart()}; each new subscription
 *       starts with an {@code Initialized} burst of the current states;</li>
 *   <li>motion, tamper, digital input and video loss events ({@link #motion(boolean)}, …).</li>
 * </ul>
 * Refusals answer HTTP 400 with a SOAP 1.2 fault {@code env:Sender / ter:NotAuthorized}. Thread-safe; for tests
 * and for other modules' tests (published in sdk-protocols' test jar).
 */
public final class TestOnvifDevice implements AutoCloseable {
    /** The private host the device reports in URIs. */
    public static final String PRIVATE_HOST = "192.168.68.111";
    private static final Duration CREATED_WINDOW = Duration.ofSeconds(5);
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0,
            1, 1, 0, 0, 1, 0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9};

    private final HttpServer server;
    private final Clock centreClock;
    private final String username;
    private volatile String password;
    private volatile Duration skew = Duration.ZERO;
    private volatile boolean digestOnly;
    private volatile boolean basicOnly;
    private volatile boolean noGetServices;
    private volatile boolean media2;
    private volatile boolean down;
    private volatile boolean dateAndTimeNeedsAuth;
    private volatile int oversizeBytes;
    private volatile Duration subscriptionLifetime = Duration.ofSeconds(60);
    private final DigestAuthenticator digest;
    private final Set<String> seenNonces = Collections.newSetFromMap(new ConcurrentHashMap<>());
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final List<Instant> createdSeen = new CopyOnWriteArrayList<>();
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final Map<String, String> relays = new ConcurrentHashMap<>();

    private static final class Subscription {
        final List<String> queue = new ArrayList<>();
        volatile Instant termination;
        volatile URI consumer; // Basic Notification: where Notify goes; null for a pull point

        Subscription(Instant termination) {
            this.termination = termination;
        }
    }

    private TestOnvifDevice(Clock centreClock, String username, String password) throws IOException {
        this.centreClock = centreClock;
        this.username = username;
        this.password = password;
        this.digest = new DigestAuthenticator(centreClock, "onvif-test", DigestAlgorithm.MD5, true,
                Duration.ofMinutes(5), 64);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "test-onvif-device");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        // the states a real camera reports in its Initialized burst
        states.put("tns1:VideoSource/MotionAlarm|Source=VideoSource_1|State", "false");
        states.put("tns1:RuleEngine/TamperDetector/Tamper|VideoSourceConfigurationToken=VideoSourceToken|IsTamper",
                "false");
        states.put("tns1:Device/Trigger/DigitalInput|InputToken=AlarmIn_1|LogicalState", "false");
        states.put("tns1:Device/Trigger/DigitalInput|InputToken=AlarmIn_2|LogicalState", "true");
        states.put("tns1:VideoSource/SignalLoss|Source=VideoSource_1|State", "false");
    }

    /**
     * Starts a device.
     *
     * @param centreClock the centre's clock (a {@code ManualClock} in tests); the device's clock is it plus the skew
     * @param username    the one account's user
     * @param password    its password
     * @return the running device
     */
    public static TestOnvifDevice start(Clock centreClock, String username, String password) {
        try {
            return new TestOnvifDevice(centreClock, username, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the device service address, e.g. {@code http://127.0.0.1:PORT/onvif/device_service} */
    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/onvif/device_service");
    }

    /** @return the device's clock now */
    public Instant deviceNow() {
        return centreClock.instant().plus(skew);
    }

    /** @param s the device clock's offset against the centre's */
    public void clockSkew(Duration s) {
        this.skew = s;
    }

    /** @param on true to ignore WS-Security and require HTTP Digest on every request but GetSystemDateAndTime */
    public void digestOnly(boolean on) {
        this.digestOnly = on;
    }

    /** @param on true to ignore WS-Security and require HTTP Basic (a camera configured so) */
    public void basicOnly(boolean on) {
        this.basicOnly = on;
    }

    /** @param on true to answer GetServices with ActionNotSupported, as devices before ONVIF 2.0 */
    public void withoutGetServices(boolean on) {
        this.noGetServices = on;
    }

    /** @param on true to offer Media2 (ver20) next to Media in GetServices */
    public void media2(boolean on) {
        this.media2 = on;
    }

    /** @param p the account's new password */
    public void password(String p) {
        this.password = p;
    }

    /** @param bytes when positive, the next answers are padded beyond this many bytes */
    public void oversize(int bytes) {
        this.oversizeBytes = bytes;
    }

    /** @param d the lifetime given to new subscriptions and renewals, at most */
    public void subscriptionLifetime(Duration d) {
        this.subscriptionLifetime = d;
    }

    /**
     * Refuses an unauthenticated {@code GetSystemDateAndTime} with HTTP 401 and a {@code ter:NotAuthorized}
     * fault, as some cameras do against Core §5.9.4. The JDK's HTTP server stamps every answer's {@code Date}
     * header with the real clock (whatever is set), so a test of learning the clock from it starts the centre's
     * clock behind the real one and sets the {@link #clockSkew(Duration) skew} to match.
     *
     * @param on true to refuse it without WS-Security
     */
    public void dateAndTimeNeedsAuth(boolean on) {
        this.dateAndTimeNeedsAuth = on;
    }

    /** @param on true to answer every request with 503, as a camera that is booting */
    public void down(boolean on) {
        this.down = on;
    }

    /** Ends every subscription now, as a camera that dropped them early. */
    public void expireSubscriptions() {
        subscriptions.clear();
    }

    /** Restarts: subscriptions, used nonces and digest state are gone. */
    public void restart() {
        subscriptions.clear();
        seenNonces.clear();
        restarts.incrementAndGet();
    }

    /** @return the relay outputs' logical states ({@code active}, {@code inactive}) as last set, by token */
    public Map<String, String> relayStates() {
        return Map.copyOf(relays);
    }

    /** @return the operations received, in order (local names of the body elements, {@code GET} for snapshots) */
    public List<String> operations() {
        return List.copyOf(operations);
    }

    /**
     * @param op an operation name
     * @return how many times it was received
     */
    public long count(String op) {
        return operations.stream().filter(op::equals).count();
    }

    /** @return authenticated requests refused so far */
    public int refusals() {
        return refusals.get();
    }

    /** @return the {@code Created} values of accepted UsernameTokens, in order */
    public List<Instant> createdSeen() {
        return List.copyOf(createdSeen);
    }

    /** @return subscriptions alive now */
    public int activeSubscriptions() {
        Instant now = deviceNow();
        return (int) subscriptions.values().stream().filter(s -> now.isBefore(s.termination)).count();
    }

    /** @param on motion on VideoSource_1 ({@code VideoSource/MotionAlarm} and the cell motion detector) */
    public void motion(boolean on) {
        change("tns1:VideoSource/MotionAlarm", Map.of("Source", "VideoSource_1"), "State", on);
        change("tns1:RuleEngine/CellMotionDetector/Motion", orderedMap("VideoSourceConfigurationToken",
                "VideoSourceToken", "VideoAnalyticsConfigurationToken", "VideoAnalyticsToken", "Rule",
                "MyMotionDetectorRule"), "IsMotion", on);
    }

    /** @param on tamper on VideoSource_1 */
    public void tamper(boolean on) {
        change("tns1:RuleEngine/TamperDetector/Tamper", Map.of("VideoSourceConfigurationToken", "VideoSourceToken"),
                "IsTamper", on);
    }

    /**
     * @param token the input
     * @param on    its logical state
     */
    public void digitalInput(String token, boolean on) {
        change("tns1:Device/Trigger/DigitalInput", Map.of("InputToken", token), "LogicalState", on);
    }

    /** @param lost video signal lost on VideoSource_1 */
    public void videoLoss(boolean lost) {
        change("tns1:VideoSource/SignalLoss", Map.of("Source", "VideoSource_1"), "State", lost);
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private void change(String topic, Map<String, String> source, String item, boolean value) {
        change(topic, source, item, String.valueOf(value));
    }

    private void change(String topic, Map<String, String> source, String item, String value) {
        StringBuilder k = new StringBuilder(topic);
        source.forEach((a, b) -> k.append('|').append(a).append('=').append(b));
        states.put(k.append('|').append(item).toString(), value);
        emit(topic, source, Map.of(item, value), "Changed");
    }

    /** @param failed the camera's storage (its SD card or disk) failed: ONVIF Core's HardwareFailure/StorageFailure */
    public void storageFailure(boolean failed) {
        change("tns1:Device/HardwareFailure/StorageFailure", Map.of("Token", "SD_Disk_1"), "Failed", failed);
    }

    /**
     * @param state the camera's recording job's state (ONVIF Recording Control {@code RecordingConfig/JobState}):
     *              {@code Idle}, {@code Active}, {@code PartiallyActive} or {@code Error}
     */
    public void recordingJobState(String state) {
        change("tns1:RecordingConfig/JobState", Map.of("RecordingJobToken", "RecordingJob_1"), "State", state);
    }

    /**
     * Queues a notification on every live subscription.
     *
     * @param topic     the topic as sent ({@code tns1:…})
     * @param source    source items
     * @param data      data items
     * @param operation {@code Changed}, {@code Initialized}, or empty
     */
    public void emit(String topic, Map<String, String> source, Map<String, String> data, String operation) {
        String msg = notification(topic, source, data, operation, deviceNow());
        for (Subscription s : subscriptions.values()) {
            synchronized (s.queue) {
                s.queue.add(msg);
            }
        }
    }

    private static String notification(String topic, Map<String, String> source, Map<String, String> data, String op,
                                       Instant at) {
        StringBuilder sb = new StringBuilder("<wsnt:NotificationMessage><wsnt:Topic Dialect=\"http://www.onvif.org/ver10/"
                + "tev/topicExpression/ConcreteSet\">").append(topic).append("</wsnt:Topic><wsnt:Message><tt:Message"
                + " UtcTime=\"").append(at).append('"');
        if (op != null && !op.isEmpty()) {
            sb.append(" PropertyOperation=\"").append(op).append('"');
        }
        sb.append("><tt:Source>");
        source.forEach((k, v) -> sb.append("<tt:SimpleItem Name=\"").append(k).append("\" Value=\"").append(v)
                .append("\"/>"));
        sb.append("</tt:Source><tt:Data>");
        data.forEach((k, v) -> sb.append("<tt:SimpleItem Name=\"").append(k).append("\" Value=\"").append(v)
                .append("\"/>"));
        return sb.append("</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>").toString();
    }

    // ------------------------------------------------------------------------------------------------ serving

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] req = ex.getRequestBody().readAllBytes();
            if (down) {
                send(ex, 503, "text/plain", "booting".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            if (ex.getRequestMethod().equals("GET")) {
                operations.add("GET");
                if (!httpDigestOk(ex, "GET")) {
                    return;
                }
                send(ex, 200, "image/jpeg", JPEG);
                return;
            }
            Xml.Result parsed = Xml.INSTANCE.parse(req);
            XmlElement body = parsed.ok() ? parsed.root().child("Body") : null;
            if (body == null || body.children().isEmpty()) {
                send(ex, 400, fault("Sender", "ter:InvalidArgVal", "not a SOAP request"));
                return;
            }
            XmlElement op = body.children().get(0);
            String name = op.name();
            operations.add(name);
            if (!name.equals("GetSystemDateAndTime") || dateAndTimeNeedsAuth) {
                if (basicOnly) {
                    if (!httpBasicOk(ex)) {
                        return;
                    }
                } else if (digestOnly) {
                    if (!httpDigestOk(ex, "POST")) {
                        return;
                    }
                } else if (!wsSecurityOk(parsed.root())) {
                    refusals.incrementAndGet();
                    send(ex, name.equals("GetSystemDateAndTime") ? 401 : 400, fault("Sender", "ter:NotAuthorized",
                            "Sender not Authorized"));
                    return;
                }
            }
            answer(ex, op, ex.getRequestURI().getPath());
        } catch (RuntimeException e) {
            send(ex, 500, fault("Receiver", "ter:Action", "test device failed: " + e));
        }
    }

    private boolean httpBasicOk(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        if (expected.equals(auth)) {
            return true;
        }
        if (auth != null) {
            refusals.incrementAndGet();
        }
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"onvif-test\"");
        send(ex, 401, "text/plain", "Unauthorized".getBytes(StandardCharsets.US_ASCII));
        return false;
    }

    private boolean httpDigestOk(HttpExchange ex, String method) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        DigestCredentials c = auth == null ? null : DigestCredentials.parse(auth);
        DigestAuthenticator.Verdict v = c == null || !c.username().equals(username) ? null
                : digest.verify(method, c, password.getBytes(StandardCharsets.UTF_8));
        if (v == DigestAuthenticator.Verdict.OK) {
            return true;
        }
        if (auth != null && v != DigestAuthenticator.Verdict.STALE) {
            refusals.incrementAndGet();
        }
        ex.getResponseHeaders().add("WWW-Authenticate",
                digest.challenge(v == DigestAuthenticator.Verdict.STALE).toHeaderValue());
        send(ex, 401, "text/plain", "Unauthorized".getBytes(StandardCharsets.US_ASCII));
        return false;
    }

    private boolean wsSecurityOk(XmlElement envelope) {
        XmlElement token = envelope.path("Header", "Security", "UsernameToken");
        if (token == null) {
            return false;
        }
        String user = token.text("Username");
        String digestText = token.text("Password");
        String nonceText = token.text("Nonce");
        String createdText = token.text("Created");
        if (user == null || digestText == null || nonceText == null || createdText == null || !user.equals(username)) {
            return false;
        }
        Instant created = DateTimes.parse(createdText);
        Instant now = deviceNow();
        if (created == null || created.isBefore(now.minus(CREATED_WINDOW)) || created.isAfter(now.plus(CREATED_WINDOW))) {
            return false;
        }
        byte[] nonce = Base64.getDecoder().decode(nonceText);
        if (!seenNonces.add(nonceText)) {
            return false; // replay
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(nonce);
            sha1.update(createdText.getBytes(StandardCharsets.UTF_8));
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            if (!Base64.getEncoder().encodeToString(sha1.digest()).equals(digestText)) {
                return false;
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        createdSeen.add(created);
        return true;
    }

    private void answer(HttpExchange ex, XmlElement op, String path) throws IOException {
        String ns = op.namespace();
        switch (op.name()) {
            case "GetSystemDateAndTime" -> send(ex, 200, systemDateAndTime());
            case "SetSystemDateAndTime" -> {
                XmlElement u = op.child("UTCDateTime");
                Instant to = ZonedDateTime.of(Integer.parseInt(u.text("Date", "Year")),
                        Integer.parseInt(u.text("Date", "Month")), Integer.parseInt(u.text("Date", "Day")),
                        Integer.parseInt(u.text("Time", "Hour")), Integer.parseInt(u.text("Time", "Minute")),
                        Integer.parseInt(u.text("Time", "Second")), 0, ZoneOffset.UTC).toInstant();
                skew = Duration.between(centreClock.instant(), to);
                send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/SetSystemDateAndTime.xml"));
            }
            case "GetDeviceInformation" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/GetDeviceInformation.xml"));
            case "GetServices" -> send(ex, noGetServices ? 400 : 200, noGetServices
                    ? fault("Sender", "ter:ActionNotSupported", "GetServices not supported") : recorded(media2 ? "onvif/testdevice/GetServices-media2.xml"
                    : "vectors/onvif/agsh-onvif-v0x/GetServices.xml"));
            case "GetCapabilities" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/GetCapabilities.xml"));
            case "GetNetworkInterfaces" -> send(ex, 200,
                    recorded("vectors/onvif/agsh-onvif-v0x/device.GetNetworkInterfaces.xml"));
            case "SystemReboot" -> {
                send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/SystemReboot.xml"));
                restart();
            }
            case "GetRelayOutputs" -> send(ex, 200, recorded("onvif/testdevice/GetRelayOutputs.xml"));
            case "SetRelayOutputState" -> {
                relays.put(String.valueOf(op.text("RelayOutputToken")), String.valueOf(op.text("LogicalState")));
                send(ex, 200, envelope("<tds:SetRelayOutputStateResponse/>"));
            }
            case "GetDigitalInputs" -> send(ex, 200, recorded("onvif/testdevice/GetDigitalInputs.xml"));
            case "GetProfiles" -> send(ex, 200, recorded(ns.contains("ver20") ? "onvif/testdevice/tr2-GetProfiles.xml"
                    : "vectors/onvif/agsh-onvif-v0x/GetProfiles.xml"));
            case "GetStreamUri" -> send(ex, 200, recorded(ns.contains("ver20") ? "onvif/testdevice/tr2-GetStreamUri.xml"
                    : "vectors/onvif/agsh-onvif-v0x/GetStreamUri.xml"));
            case "GetSnapshotUri" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/GetSnapshotUri.xml"));
            case "GetPresets" -> send(ex, 200, recorded("vectors/onvif/ex_onvif/get_ptz_presets.xml"));
            case "SetPreset" -> send(ex, 200, recorded("vectors/onvif/ex_onvif/set_ptz_preset.xml"));
            case "GotoPreset" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.GotoPreset.xml"));
            case "RemovePreset" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.RemovePreset.xml"));
            case "ContinuousMove" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.ContinuousMove.xml"));
            case "AbsoluteMove" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.AbsoluteMove.xml"));
            case "RelativeMove" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.RelativeMove.xml"));
            case "Stop" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.Stop.xml"));
            case "GotoHomePosition" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.GotoHomePosition.xml"));
            case "SetHomePosition" -> send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/ptz.SetHomePosition.xml"));
            case "CreatePullPointSubscription" -> createSubscription(ex, op, null);
            case "Subscribe" -> createSubscription(ex, op, URI.create(op.text("ConsumerReference", "Address")));
            case "PullMessages" -> pull(ex, path, op);
            case "Renew" -> renew(ex, path, op);
            case "Unsubscribe" -> {
                subscriptions.remove(subscriptionId(path));
                send(ex, 200, recorded("vectors/onvif/agsh-onvif-v0x/Unsubscribe.xml"));
            }
            default -> send(ex, 400, fault("Sender", "ter:ActionNotSupported", "no " + op.name() + " here"));
        }
    }

    private static String subscriptionId(String path) {
        int i = path.lastIndexOf('/');
        return path.substring(i + 1);
    }

    private Duration lifetime(String requested) {
        Duration d = DateTimes.duration(requested);
        return d == null || d.compareTo(subscriptionLifetime) > 0 ? subscriptionLifetime : d;
    }

    private void createSubscription(HttpExchange ex, XmlElement op, URI consumer) throws IOException {
        String id = "sub" + subscriptionIds.incrementAndGet();
        Instant now = deviceNow();
        Subscription s = new Subscription(now.plus(lifetime(op.text("InitialTerminationTime"))));
        // the Initialized burst: every property's current state
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(states).entrySet()) {
            String[] parts = e.getKey().split("\\|");
            Map<String, String> src = new LinkedHashMap<>();
            for (int i = 1; i < parts.length - 1; i++) {
                String[] kv = parts[i].split("=", 2);
                src.put(kv[0], kv[1]);
            }
            s.queue.add(notification(parts[0], src, Map.of(parts[parts.length - 1], e.getValue()), "Initialized", now));
        }
        s.consumer = consumer;
        subscriptions.put(id, s);
        String answer = consumer == null ? "tev:CreatePullPointSubscriptionResponse" : "wsnt:SubscribeResponse";
        send(ex, 200, envelope("<" + answer + "><tev:SubscriptionReference><wsa:Address>"
                + "http://" + PRIVATE_HOST + "/onvif/subscription/" + id + "</wsa:Address></tev:SubscriptionReference>"
                + "<wsnt:CurrentTime>" + now + "</wsnt:CurrentTime><wsnt:TerminationTime>" + s.termination
                + "</wsnt:TerminationTime></" + answer + ">"));
    }

    /**
     * Basic Notification: sends each push subscription's queued notifications in one {@code Notify} to its
     * consumer; they are kept for the next call unless the consumer answers 2xx, as a camera retries.
     *
     * @return the HTTP status of each delivery (none when nothing was queued)
     */
    public List<Integer> deliverNotifications() {
        List<Integer> statuses = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            if (s.consumer == null) {
                continue;
            }
            List<String> batch;
            synchronized (s.queue) {
                batch = List.copyOf(s.queue);
            }
            if (batch.isEmpty()) {
                continue;
            }
            byte[] body = envelope("<wsnt:Notify>" + String.join("", batch) + "</wsnt:Notify>")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                java.net.HttpURLConnection c = (java.net.HttpURLConnection) s.consumer.toURL().openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/soap+xml; charset=utf-8");
                c.setConnectTimeout(5000);
                c.setReadTimeout(10000);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
                int status = c.getResponseCode();
                (status / 100 == 2 ? c.getInputStream() : c.getErrorStream() == null ? InputStream.nullInputStream()
                        : c.getErrorStream()).readAllBytes();
                statuses.add(status);
                if (status / 100 == 2) {
                    synchronized (s.queue) {
                        s.queue.subList(0, batch.size()).clear();
                    }
                }
            } catch (IOException e) {
                statuses.add(-1);
            }
        }
        return statuses;
    }

    private Subscription live(HttpExchange ex, String path) throws IOException {
        String id = subscriptionId(path);
        Subscription s = subscriptions.get(id);
        if (s == null || !deviceNow().isBefore(s.termination)) {
            subscriptions.remove(id);
            send(ex, 400, fault("Sender", "wsrf-rw:ResourceUnknownFault", "no such subscription"));
            return null;
        }
        return s;
    }

    private void pull(HttpExchange ex, String path, XmlElement op) throws IOException {
        Subscription s = live(ex, path);
        if (s == null) {
            return;
        }
        int limit = op.text("MessageLimit") == null ? 100 : Integer.parseInt(op.text("MessageLimit"));
        StringBuilder msgs = new StringBuilder();
        synchronized (s.queue) {
            int n = Math.min(limit, s.queue.size());
            for (int i = 0; i < n; i++) {
                msgs.append(s.queue.remove(0));
            }
        }
        send(ex, 200, envelope("<tev:PullMessagesResponse><tev:CurrentTime>" + deviceNow() + "</tev:CurrentTime>"
                + "<tev:TerminationTime>" + s.termination + "</tev:TerminationTime>" + msgs
                + "</tev:PullMessagesResponse>"));
    }

    private void renew(HttpExchange ex, String path, XmlElement op) throws IOException {
        Subscription s = live(ex, path);
        if (s == null) {
            return;
        }
        Instant now = deviceNow();
        s.termination = now.plus(lifetime(op.text("TerminationTime")));
        send(ex, 200, envelope("<wsnt:RenewResponse><wsnt:TerminationTime>" + s.termination
                + "</wsnt:TerminationTime><wsnt:CurrentTime>" + now + "</wsnt:CurrentTime></wsnt:RenewResponse>"));
    }

    private String systemDateAndTime() {
        ZonedDateTime z = deviceNow().atZone(ZoneOffset.UTC);
        return envelope("<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual"
                + "</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ>"
                + "</tt:TimeZone><tt:UTCDateTime><tt:Time><tt:Hour>" + z.getHour() + "</tt:Hour><tt:Minute>"
                + z.getMinute() + "</tt:Minute><tt:Second>" + z.getSecond() + "</tt:Second></tt:Time><tt:Date>"
                + "<tt:Year>" + z.getYear() + "</tt:Year><tt:Month>" + z.getMonthValue() + "</tt:Month><tt:Day>"
                + z.getDayOfMonth() + "</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
                + "</tds:GetSystemDateAndTimeResponse>");
    }

    private static String envelope(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:tt=\"http://www.onvif.org/ver10/schema\" xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\""
                + " xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\" xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\""
                + " xmlns:wsa=\"http://www.w3.org/2005/08/addressing\" xmlns:tns1=\"http://www.onvif.org/ver10/topics\""
                + " xmlns:ter=\"http://www.onvif.org/ver10/error\" xmlns:wsrf-rw=\"http://docs.oasis-open.org/wsrf/rw-2\">"
                + "<env:Body>" + body + "</env:Body></env:Envelope>";
    }

    private static String fault(String code, String subcode, String reason) {
        return envelope("<env:Fault><env:Code><env:Value>env:" + code + "</env:Value><env:Subcode><env:Value>" + subcode
                + "</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"en\">" + reason
                + "</env:Text></env:Reason></env:Fault>");
    }

    private static String recorded(String resource) {
        try (InputStream in = TestOnvifDevice.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send(HttpExchange ex, int status, String soap) throws IOException {
        send(ex, status, "application/soap+xml; charset=utf-8", soap.getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        byte[] b = body;
        int over = oversizeBytes;
        if (over > 0 && status == 200) {
            b = java.util.Arrays.copyOf(body, over + 1);
            java.util.Arrays.fill(b, body.length, b.length, (byte) ' ');
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** @return the number of restarts so far */
    public int restarts() {
        return restarts.get();
    }

    /** @return the distinct subscription ids created so far */
    public Set<String> subscriptionsCreated() {
        Set<String> s = new HashSet<>();
        for (int i = 1; i <= subscriptionIds.get(); i++) {
            s.add("sub" + i);
        }
        return s;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
