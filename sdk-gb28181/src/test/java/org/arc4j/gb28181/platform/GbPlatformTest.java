package org.arc4j.gb28181.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.Vectors;
import org.arc4j.gb28181.manscdp.CatalogItem;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.core.security.digest.Digest;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.arc4j.core.testkit.Await;

/** The platform against devices played by in-process SIP stacks, on virtual time. */
class GbPlatformTest {
    static final String PLATFORM = "34020000002000000001";
    static final String DEVICE = "34020000001320000001";
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final List<SupervisionEvent> supervision = new CopyOnWriteArrayList<>();
    final List<ServerTransaction> deviceInbox = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    final SimpleMetrics metrics = new SimpleMetrics();
    volatile Consumer<ServerTransaction> deviceBehaviour = tx -> tx.respond(
            SipResponse.replyTo(tx.request(), 200, "OK", null));
    GbPlatform platform;
    int cseq = 1;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        intake.close();
    }

    GbPlatform platform(GbPlatformConfig.Builder b) throws InterruptedException {
        return platform(b, intake);
    }

    GbPlatform platform(GbPlatformConfig.Builder b, InMemoryAlarmIntake alarmIntake) throws InterruptedException {
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential(null, Secret.ofUtf8("12345678"), Map.of()));
        supervisor.addListener(supervision::add);
        platform = GbPlatform.start(b.bindHost("127.0.0.1").udpPort(0).tcpPort(0).build(), scheduler, alarmIntake,
                supervisor, store, metrics);
        closeables.add(platform);
        return platform;
    }

    SipStack device() throws InterruptedException {
        SipStack s = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(0).scheduler(scheduler)
                .handler(tx -> {
                    deviceInbox.add(tx);
                    deviceBehaviour.accept(tx);
                }).start();
        closeables.add(s);
        return s;
    }

    SipPeer to(SipTransport t) {
        return new SipPeer(t, t == SipTransport.UDP ? platform.stack().udpAddress() : platform.stack().tcpAddress());
    }

    SipRequest register(SipStack dev, int expires, String authorization) {
        SipHeaders.Builder h = SipHeaders.builder()
                .add("From", "<sip:" + DEVICE + "@3402000000>;tag=d1")
                .add("To", "<sip:" + DEVICE + "@3402000000>")
                .add("Call-ID", "reg-" + dev.udpAddress().getPort())
                .add("CSeq", (cseq++) + " REGISTER")
                .add("Contact", "<sip:" + DEVICE + "@127.0.0.1:" + dev.udpAddress().getPort() + ">")
                .add("Expires", Integer.toString(expires));
        if (authorization != null) {
            h.add("Authorization", authorization);
        }
        return SipRequest.of(SipRequest.REGISTER, "sip:" + PLATFORM + "@3402000000", h.build(), null);
    }

    SipResponse send(SipStack dev, SipRequest r, SipTransport t) throws Exception {
        return dev.send(r, to(t)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    SipResponse registerWithDigest(SipStack dev, SipTransport t, String password, int expires) throws Exception {
        SipResponse challenge = send(dev, register(dev, expires, null), t);
        assertThat(challenge.status()).isEqualTo(401);
        DigestChallenge ch = DigestChallenge.parse(challenge.header("WWW-Authenticate"));
        String uri = "sip:" + PLATFORM + "@3402000000";
        String nc = ch.qop() == null ? null : "00000001";
        String cnonce = ch.qop() == null ? null : "0a4f113b";
        String resp = Digest.INSTANCE.response(ch.algorithm(), DEVICE, ch.realm(),
                password.getBytes(StandardCharsets.UTF_8), "REGISTER", uri, ch.nonce(), nc, cnonce, ch.qop());
        String auth = new DigestCredentials(DEVICE, ch.realm(), ch.nonce(), uri, resp, ch.algorithm().token(), cnonce,
                nc, ch.qop(), ch.opaque()).toHeaderValue();
        return send(dev, register(dev, expires, auth), t);
    }

    SipRequest manscdp(String method, String body, Charset cs) {
        return SipRequest.of(method, "sip:" + PLATFORM + "@3402000000", SipHeaders.builder()
                .add("From", "<sip:" + DEVICE + "@3402000000>;tag=m" + cseq)
                .add("To", "<sip:" + PLATFORM + "@3402000000>")
                .add("Call-ID", "msg-" + cseq).add("CSeq", (cseq++) + " " + method)
                .add("Content-Type", "application/MANSCDP+XML").build(), body.getBytes(cs));
    }

    static String keepalive(int sn) {
        return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>" + sn
                + "</SN>\r\n<DeviceID>" + DEVICE + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n";
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void registerKeepaliveAndOfflineOnVirtualTime(SipTransport t) throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        SipResponse ok = registerWithDigest(dev, t, "12345678", 3600);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Date")).isEqualTo("2026-03-01T10:00:00.000"); // Asia/Shanghai, GB form
        assertThat(ok.header("Expires")).isEqualTo("3600");
        GbDevice d = platform.registry().get(DEVICE).orElseThrow();
        assertThat(d.registered()).isTrue();
        assertThat(d.peer().transport()).isEqualTo(t);
        assertThat(d.edition()).isEqualTo(GbEdition.GB2016);
        assertThat(supervisor.status(GbPlatform.deviceKey(DEVICE)).orElseThrow().maxSilence())
                .isEqualTo(Duration.ofSeconds(180)); // min(3600 s, 60 s x 3)

        scheduler.advance(Duration.ofSeconds(60));
        assertThat(send(dev, manscdp("MESSAGE", keepalive(1), Charset.forName("GB2312")), t).status()).isEqualTo(200);
        assertThat(platform.registry().get(DEVICE).orElseThrow().lastKeepalive()).isEqualTo(T0.plusSeconds(60));
        scheduler.advance(Duration.ofSeconds(179));
        assertThat(supervision).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(supervision).hasSize(1);
        assertThat(supervision.get(0)).isInstanceOf(SupervisionEvent.Offline.class);
        assertThat(supervision.get(0).at()).isEqualTo(T0.plusSeconds(240));
        assertThat(platform.registry().get(DEVICE).orElseThrow().online()).isFalse();

        // back on the next keepalive, here from a new source port (NAT rebinding): the device must answer a
        // digest challenge there before the platform believes it (GA 1383 device authentication)
        SipStack moved = device();
        SipResponse challenged = send(moved, manscdp("MESSAGE", keepalive(2), StandardCharsets.US_ASCII), t);
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(supervision).hasSize(1);
        org.arc4j.core.security.digest.DigestClient client = new org.arc4j.core.security.digest.DigestClient(DEVICE);
        client.challenged(DigestChallenge.parse(challenged.header("WWW-Authenticate")));
        SipRequest again = manscdp("MESSAGE", keepalive(2), StandardCharsets.US_ASCII);
        again = again.withHeaders(again.headers().toBuilder().add("Authorization", client.answer("MESSAGE",
                again.uri(), "12345678".getBytes(StandardCharsets.UTF_8)).toHeaderValue()).build());
        assertThat(send(moved, again, t).status()).isEqualTo(200);
        assertThat(supervision).hasSize(2);
        assertThat(supervision.get(1)).isInstanceOf(SupervisionEvent.Online.class);
        assertThat(platform.registry().get(DEVICE).orElseThrow().online()).isTrue();
        InetSocketAddress now = platform.registry().get(DEVICE).orElseThrow().peer().address();
        assertThat(now.getPort()).isEqualTo(t == SipTransport.UDP ? moved.udpAddress().getPort()
                : now.getPort());
        assertThat(now.getPort()).isNotEqualTo(d.peer().address().getPort());
    }

    @Test
    void shortRegistrationExpiryBoundsSupervisionAndExpiresZeroDeregisters() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false).dateHeader(false));
        SipStack dev = device();
        SipResponse ok = registerWithDigest(dev, SipTransport.UDP, "12345678", 120);
        assertThat(ok.header("Date")).isNull();
        assertThat(supervisor.status(GbPlatform.deviceKey(DEVICE)).orElseThrow().maxSilence())
                .isEqualTo(Duration.ofSeconds(120));
        scheduler.advance(Duration.ofSeconds(121)); // the registration lapses: the device must register again
        assertThat(send(dev, manscdp("MESSAGE", keepalive(9), StandardCharsets.US_ASCII), SipTransport.UDP).status())
                .isEqualTo(403);
        SipResponse bye = registerWithDigest(dev, SipTransport.UDP, "12345678", 0);
        assertThat(bye.status()).isEqualTo(200);
        assertThat(platform.registry().get(DEVICE).orElseThrow().registered()).isFalse();
        assertThat(supervisor.status(GbPlatform.deviceKey(DEVICE))).isEmpty();
        assertThat(send(dev, manscdp("MESSAGE", keepalive(3), StandardCharsets.US_ASCII), SipTransport.UDP).status())
                .isEqualTo(403);
    }

    @Test
    void wrongPasswordIsForbidden() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM));
        SipStack dev = device();
        assertThat(registerWithDigest(dev, SipTransport.UDP, "wrong", 3600).status()).isEqualTo(403);
        assertThat(platform.registry().get(DEVICE)).isEmpty();
        assertThat(supervisor.all()).isEmpty();
    }

    @Test
    void alarmIsAcknowledgedOnlyAfterTheIntakeReceipt() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        String alarm = new String(Vectors.bytes("manscdp/alarm_notify_hik_gb2312_reconstructed.xml"),
                Charset.forName("GB18030"));
        intake.hold();
        CompletableFuture<SipResponse> answer = dev.send(manscdp("MESSAGE", alarm, Charset.forName("GB2312")),
                to(SipTransport.UDP)).toCompletableFuture();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (intake.events().isEmpty() && System.nanoTime() < until) {
            Thread.onSpinWait(); // bounded wait for real I/O
        }
        assertThat(answer).isNotDone();
        intake.release();
        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        List<AlarmEvent> events = intake.events();
        assertThat(events).hasSize(1);
        AlarmEvent e = events.get(0);
        assertThat(e.account()).isEqualTo(DEVICE);
        assertThat(e.codeSystem()).isEqualTo(CodeSystem.GB28181);
        assertThat(e.code()).isEqualTo("5");
        assertThat(e.category()).isEqualTo(Category.UNKNOWN_CODE);
        assertThat(e.description()).isEqualTo("视频遮挡");
        assertThat(e.zone()).isEqualTo("2"); // channel 34020000001310000002
        assertThat(e.extended()).containsEntry("channel", "34020000001310000002").containsEntry("priority", "1")
                .containsEntry("gb.AlarmInfo", "10");
        assertThat(e.triggeredAt()).isEqualTo(Instant.parse("2021-09-26T09:26:16Z")); // 17:26:16 in Shanghai
    }

    @Test
    void alarmTimesUseTheDeviceTimeZone() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false)
                .deviceTimeZone(DEVICE, java.time.ZoneId.of("Asia/Urumqi")));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.TCP, "12345678", 3600);
        String alarm = new String(Vectors.bytes("manscdp/alarm_notify_alarmtype_in_info_overrides.xml"),
                StandardCharsets.UTF_8).replace("34020000001320000001", DEVICE);
        assertThat(send(dev, manscdp("MESSAGE", alarm, StandardCharsets.UTF_8), SipTransport.TCP).status())
                .isEqualTo(200);
        AlarmEvent e = intake.events().get(0);
        assertThat(e.code()).isEqualTo("5/2");
        assertThat(e.category()).isEqualTo(Category.INTRUSION);
        assertThat(e.zone()).isNull();
        assertThat(e.triggeredAt()).isEqualTo(Instant.parse("2026-06-05T04:30:00Z")); // UTC+6
        assertThat(e.extended()).containsEntry("X", "116.397").containsEntry("Y", "39.908")
                .containsEntry("tolerated", "CMDTYPE_INFERRED,SN_MISSING");
    }

    @Test
    void catalogInSeveralPartsAndControls() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        deviceBehaviour = tx -> {
            tx.respond(SipResponse.replyTo(tx.request(), 200, "OK", null));
            String body = tx.request().bodyText(Charset.forName("GB18030"));
            if (body.contains("<CmdType>Catalog</CmdType>")) {
                String snText = body.replaceAll("(?s).*<SN>(\\d+)</SN>.*", "$1");
                for (String[] part : new String[][] {{"34020000001320000001", "34020000001340000001"},
                        {"34020000001340000001", "34020000001340000002"}}) { // a resent item counts once
                    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Response>"
                            + "<CmdType>Catalog</CmdType><SN>" + snText + "</SN><DeviceID>" + DEVICE
                            + "</DeviceID><SumNum>3</SumNum><DeviceList Num=\"2\">");
                    for (String id : part) {
                        sb.append("<Item><DeviceID>").append(id).append("</DeviceID><Name>前门").append(id, 17, 20)
                                .append("</Name><Status>ON</Status></Item>");
                    }
                    sb.append("</DeviceList></Response>");
                    dev.send(manscdp("MESSAGE", sb.toString(), Charset.forName("GB2312")), to(SipTransport.UDP));
                }
            }
        };
        List<CatalogItem> items = platform.queryCatalog(DEVICE).get(10, TimeUnit.SECONDS);
        assertThat(items).extracting(CatalogItem::deviceId).containsExactly("34020000001320000001",
                "34020000001340000001", "34020000001340000002");
        GbDevice d = platform.registry().get(DEVICE).orElseThrow();
        assertThat(d.alarmInputs()).extracting(GbChannel::zone).containsExactlyInAnyOrder("1", "2");
        assertThat(d.channels().get("34020000001340000002").name()).isEqualTo("前门002");
        assertThat(platform.registry().ownerOf("34020000001340000002")).isPresent();

        deviceInbox.clear();
        assertThat(platform.ptz(DEVICE, "34020000001320000001", PtzCmd.stop()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(platform.guard(DEVICE, true).toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(200);
        assertThat(deviceInbox).hasSize(2);
        assertThat(deviceInbox.get(0).request().bodyText(StandardCharsets.US_ASCII))
                .contains("<PTZCmd>A50F0100000000B5</PTZCmd>").startsWith("<?xml version=\"1.0\" encoding=\"GB2312\"?>");
        assertThat(deviceInbox.get(1).request().bodyText(StandardCharsets.US_ASCII))
                .contains("<GuardCmd>SetGuard</GuardCmd>");
        assertThat(deviceInbox.get(0).request().header("Content-Type")).isEqualTo("Application/MANSCDP+xml");
    }

    @Test
    void unansweredQueryTimesOutOnVirtualTime() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        CompletableFuture<?> info = platform.queryDeviceInfo(DEVICE);
        Await.until(Duration.ofSeconds(10), () -> !deviceInbox.isEmpty(), () -> "the query at the device");
        scheduler.advance(Duration.ofSeconds(31));
        assertThat(info).isCompletedExceptionally();
    }

    @Test
    void subscriptionRefreshesAndCarriesNotifies() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        deviceInbox.clear();
        GbSubscription sub = platform.subscribe(DEVICE, GbSubscription.Kind.CATALOG, Duration.ofSeconds(600))
                .get(10, TimeUnit.SECONDS);
        assertThat(deviceInbox).hasSize(1);
        SipRequest subscribe = deviceInbox.get(0).request();
        assertThat(subscribe.method()).isEqualTo("SUBSCRIBE");
        assertThat(subscribe.header("Event")).isEqualTo("Catalog");
        assertThat(subscribe.header("Expires")).isEqualTo("600");
        assertThat(platform.subscriptions()).hasSize(1);

        // the device notifies a new alarm input in the dialog
        String body = "<?xml version=\"1.0\" encoding=\"GB2312\"?><Notify><CmdType>Catalog</CmdType><SN>5</SN>"
                + "<DeviceID>" + DEVICE + "</DeviceID><SumNum>1</SumNum><DeviceList Num=\"1\"><Item><DeviceID>"
                + "34020000001340000009</DeviceID><Name>后门</Name><Event>ADD</Event></Item></DeviceList></Notify>";
        SipRequest notify = SipRequest.of(SipRequest.NOTIFY, "sip:" + PLATFORM + "@127.0.0.1", SipHeaders.builder()
                .add("From", "<sip:" + DEVICE + "@3402000000>;tag=" + sub.dialog().remoteTag())
                .add("To", "<sip:" + PLATFORM + "@3402000000>;tag=" + sub.dialog().localTag())
                .add("Call-ID", sub.dialog().callId()).add("CSeq", "1 NOTIFY").add("Event", "Catalog")
                .add("Subscription-State", "active;expires=600").add("Content-Type", "Application/MANSCDP+xml")
                .build(), body.getBytes(Charset.forName("GB2312")));
        assertThat(send(dev, notify, SipTransport.UDP).status()).isEqualTo(200);
        GbChannel added = platform.registry().get(DEVICE).orElseThrow().channels().get("34020000001340000009");
        assertThat(added.name()).isEqualTo("后门");
        assertThat(added.zone()).isEqualTo("9");

        // a NOTIFY outside the dialog is refused
        SipRequest stray = notify.withHeaders(notify.headers().toBuilder().set("Call-ID", "nope")
                .set("CSeq", "2 NOTIFY").build());
        assertThat(send(dev, stray, SipTransport.UDP).status()).isEqualTo(481);

        // refreshed in the dialog at 80 % of its lifetime, on virtual time
        deviceInbox.clear();
        scheduler.advance(Duration.ofSeconds(480));
        Await.until(Duration.ofSeconds(10), () -> !deviceInbox.isEmpty(), () -> "the refresh at the device");
        assertThat(deviceInbox).hasSize(1);
        SipRequest refresh = deviceInbox.get(0).request();
        assertThat(refresh.callId()).isEqualTo(sub.dialog().callId());
        assertThat(refresh.cseq().number()).isEqualTo(subscribe.cseq().number() + 1);
        assertThat(refresh.to().tag()).isEqualTo(sub.dialog().remoteTag());

        assertThat(platform.unsubscribe(sub).toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(platform.subscriptions()).isEmpty();
        assertThat(deviceInbox.get(deviceInbox.size() - 1).request().header("Expires")).isEqualTo("0");
    }

    @Test
    void badManscdpGetsA400WithTheReason() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        SipResponse r = send(dev, manscdp("MESSAGE", "<Notify><CmdType>Keepalive</CmdType><SN>x1</SN></Notify>",
                StandardCharsets.US_ASCII), SipTransport.UDP);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.reason()).isEqualTo("MANSCDP sn invalid: x1");
        SipRequest plain = manscdp("MESSAGE", "hello", StandardCharsets.US_ASCII);
        plain = plain.withHeaders(plain.headers().toBuilder().set("Content-Type", "text/plain").build());
        assertThat(send(dev, plain, SipTransport.UDP).status()).isEqualTo(415);
    }

    @Test
    void edition2022DevicesGetSha256AndStaleNoncesAreChallengedAgain() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false)
                .digest(org.arc4j.core.security.digest.DigestAlgorithm.MD5, true, false, Duration.ofSeconds(30)));
        SipStack dev = device();
        SipRequest first = register(dev, 3600, null);
        first = first.withHeaders(first.headers().toBuilder().add("X-GB-Ver", "3.0").build());
        SipResponse challenge = send(dev, first, SipTransport.UDP);
        DigestChallenge ch = DigestChallenge.parse(challenge.header("WWW-Authenticate"));
        assertThat(ch.algorithm()).isEqualTo(org.arc4j.core.security.digest.DigestAlgorithm.SHA_256);
        assertThat(ch.qop()).isNull(); // RFC 2069 form offered by this configuration

        scheduler.advance(Duration.ofSeconds(31)); // the nonce expires before the device answers
        String uri = "sip:" + PLATFORM + "@3402000000";
        String resp = Digest.INSTANCE.response(ch.algorithm(), DEVICE, ch.realm(),
                "12345678".getBytes(StandardCharsets.UTF_8), "REGISTER", uri, ch.nonce(), null, null, null);
        SipRequest answer = register(dev, 3600, new DigestCredentials(DEVICE, ch.realm(), ch.nonce(), uri, resp,
                ch.algorithm().token(), null, null, null, ch.opaque()).toHeaderValue());
        answer = answer.withHeaders(answer.headers().toBuilder().add("X-GB-Ver", "3.0").build());
        SipResponse stale = send(dev, answer, SipTransport.UDP);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(DigestChallenge.parse(stale.header("WWW-Authenticate")).stale()).isTrue();

        DigestChallenge again = DigestChallenge.parse(stale.header("WWW-Authenticate"));
        String resp2 = Digest.INSTANCE.response(again.algorithm(), DEVICE, again.realm(),
                "12345678".getBytes(StandardCharsets.UTF_8), "REGISTER", uri, again.nonce(), null, null, null);
        SipRequest answer2 = register(dev, 3600, new DigestCredentials(DEVICE, again.realm(), again.nonce(), uri,
                resp2, again.algorithm().token(), null, null, null, again.opaque()).toHeaderValue());
        answer2 = answer2.withHeaders(answer2.headers().toBuilder().add("X-GB-Ver", "3.0").build());
        SipResponse ok = send(dev, answer2, SipTransport.UDP);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-GB-Ver")).isEqualTo("3.0");
        assertThat(platform.registry().get(DEVICE).orElseThrow().edition()).isEqualTo(GbEdition.GB2022);
        // the same answer again is a replay
        SipRequest replay = register(dev, 3600, answer2.header("Authorization"));
        assertThat(send(dev, replay, SipTransport.UDP).status()).isEqualTo(403);
    }

    @Test
    void queriesOfInfoStatusRecordsPresetsAndAlarms() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false)
                .deviceCharset(DEVICE, org.arc4j.gb28181.manscdp.ManscdpCharset.UTF_8));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.TCP, "12345678", 3600);
        deviceBehaviour = tx -> {
            tx.respond(SipResponse.replyTo(tx.request(), 200, "OK", null));
            String q = tx.request().bodyText(StandardCharsets.UTF_8);
            String cmd = q.replaceAll("(?s).*<CmdType>([A-Za-z]+)</CmdType>.*", "$1");
            String snText = q.replaceAll("(?s).*<SN>(\\d+)</SN>.*", "$1");
            String target = q.replaceAll("(?s).*<DeviceID>(\\d+)</DeviceID>.*", "$1");
            List<String> answers = new ArrayList<>();
            String head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><CmdType>" + cmd + "</CmdType><SN>"
                    + snText + "</SN><DeviceID>" + target + "</DeviceID>";
            switch (cmd) {
                case "DeviceInfo" -> answers.add(head + "<Result>OK</Result><DeviceName>门口</DeviceName>"
                        + "<Manufacturer>Acme</Manufacturer><Model>M1</Model><Firmware>V5</Firmware><Channel>4</Channel>"
                        + "</Response>");
                case "DeviceStatus" -> answers.add(head + "<Result>OK</Result><Online>ONLINE</Online><Status>OK</Status>"
                        + "<Encode>ON</Encode><Record>OFF</Record><Alarmstatus Num=\"1\"><Item><DeviceID>34020000001340000001</DeviceID>"
                        + "<DutyStatus>ONDUTY</DutyStatus></Item></Alarmstatus></Response>");
                case "RecordInfo" -> {
                    for (int part = 1; part <= 2; part++) {
                        answers.add(head + "<SumNum>2</SumNum><RecordList Num=\"1\"><Item><DeviceID>" + target
                                + "</DeviceID><Name>rec" + part + "</Name><StartTime>2026-03-01T0" + part
                                + ":00:00</StartTime><EndTime>2026-03-01T0" + part + ":30:00</EndTime><Type>time</Type>"
                                + "</Item></RecordList></Response>");
                    }
                    if (!q.contains("<Type>all</Type>")) {
                        answers.clear();
                    }
                }
                case "PresetQuery" -> answers.add(head + "<PresetList Num=\"2\"><Item><PresetID>1</PresetID>"
                        + "<PresetName>门</PresetName></Item><Item><PresetID>2</PresetID><PresetName>窗</PresetName></Item>"
                        + "</PresetList></Response>");
                case "Alarm" -> answers.add(head + "<Result>OK</Result></Response>");
                default -> { }
            }
            for (String a : answers) {
                dev.send(manscdp("MESSAGE", a, StandardCharsets.UTF_8), to(SipTransport.TCP));
            }
        };
        var info = platform.queryDeviceInfo(DEVICE).get(10, TimeUnit.SECONDS);
        assertThat(info.deviceName()).isEqualTo("门口");
        assertThat(info.channels()).isEqualTo(4);
        var status = platform.queryDeviceStatus(DEVICE).get(10, TimeUnit.SECONDS);
        assertThat(status.online()).isEqualTo("ONLINE");
        assertThat(status.encode()).isEqualTo("ON");
        assertThat(status.record()).isEqualTo("OFF");
        assertThat(status.alarms()).extracting(a -> a.dutyStatus()).containsExactly("ONDUTY");
        var records = platform.queryRecordInfo(DEVICE, DEVICE, java.time.LocalDateTime.parse("2026-03-01T00:00:00"),
                java.time.LocalDateTime.parse("2026-03-01T23:59:59")).get(10, TimeUnit.SECONDS);
        assertThat(records).extracting(r -> r.get("Name")).containsExactly("rec1", "rec2");
        var presets = platform.queryPresets(DEVICE, DEVICE).get(10, TimeUnit.SECONDS);
        assertThat(presets.presets()).extracting(p -> p.name()).containsExactly("门", "窗");
        var alarms = platform.queryAlarms(DEVICE, java.time.LocalDateTime.parse("2026-03-01T00:00:00"),
                java.time.LocalDateTime.parse("2026-03-02T00:00:00")).get(10, TimeUnit.SECONDS);
        assertThat(alarms.text("Result")).isEqualTo("OK");
        assertThat(deviceInbox).extracting(tx -> tx.request().bodyText(StandardCharsets.UTF_8))
                .allMatch(b -> b.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assertThat(platform.stack().tcpConnections()).isEqualTo(1);
    }

    @Test
    void refreshKeepsTheDeviceAndQueriesTheCatalogOnlyOnTheFirstRegistration() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM));
        SipStack dev = device();
        assertThat(registerWithDigest(dev, SipTransport.UDP, "12345678", 3600).status()).isEqualTo(200);
        Await.until(Duration.ofSeconds(10), () -> !deviceInbox.isEmpty(), () -> "the Catalog query at the device");
        assertThat(deviceInbox).hasSize(1); // the Catalog query after the first registration
        assertThat(deviceInbox.get(0).request().bodyText(StandardCharsets.US_ASCII))
                .contains("<CmdType>Catalog</CmdType>");
        scheduler.advance(Duration.ofSeconds(1800));
        assertThat(registerWithDigest(dev, SipTransport.UDP, "12345678", 600).status()).isEqualTo(200);
        GbDevice d = platform.registry().get(DEVICE).orElseThrow();
        assertThat(d.expiresAt()).isEqualTo(T0.plusSeconds(1800 + 600));
        assertThat(d.registeredAt()).isEqualTo(T0.plusSeconds(1800));
        assertThat(supervisor.status(GbPlatform.deviceKey(DEVICE)).orElseThrow().lastCheckIn())
                .isEqualTo(T0.plusSeconds(1800));
        // a refresh is not a new registration: no second query (a UDP retransmission of the first, racing virtual
        // time against the real answer, carries the same Call-ID and CSeq)
        assertThat(deviceInbox.stream().map(tx -> tx.request().callId() + " " + tx.request().cseq()).distinct())
                .hasSize(1);
        // silent for 30 minutes without keepalives: offline at 3 x 60 s; the refresh brings it back
        assertThat(supervision).hasSize(2);
        assertThat(supervision.get(0)).isInstanceOf(SupervisionEvent.Offline.class);
        assertThat(supervision.get(0).at()).isEqualTo(T0.plusSeconds(180));
        assertThat(supervision.get(1)).isInstanceOf(SupervisionEvent.Online.class);
        assertThat(supervision.get(1).at()).isEqualTo(T0.plusSeconds(1800));
    }

    @Test
    void eighteenDigitDeviceWithItsOwnUserNameAsInTheHikvisionCapture() throws Exception {
        String hik = "130909113319427420";
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, hik),
                new Credential("admin", Secret.ofUtf8("12345"), Map.of()));
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = device();
        String uri = "sip:" + PLATFORM + "@3402000000";
        java.util.function.BiFunction<Integer, String, SipRequest> reg = (n, auth) -> {
            SipHeaders.Builder h = SipHeaders.builder()
                    .add("From", "<sip:" + hik + "@127.0.0.1>;tag=382068091").add("To", "<sip:" + hik + "@127.0.0.1>")
                    .add("Call-ID", "143225205").add("CSeq", n + " REGISTER")
                    .add("Contact", "<sip:" + hik + "@127.0.0.1:" + dev.udpAddress().getPort() + ">")
                    .add("User-Agent", "Hikvision").add("Expires", "7200");
            if (auth != null) {
                h.add("Authorization", auth);
            }
            return SipRequest.of(SipRequest.REGISTER, uri, h.build(), null);
        };
        DigestChallenge ch = DigestChallenge.parse(send(dev, reg.apply(1, null), SipTransport.UDP)
                .header("WWW-Authenticate"));
        String resp = Digest.INSTANCE.response(ch.algorithm(), "admin", ch.realm(),
                "12345".getBytes(StandardCharsets.UTF_8), "REGISTER", uri, ch.nonce(), null, null, null);
        SipResponse ok = send(dev, reg.apply(2, new DigestCredentials("admin", ch.realm(), ch.nonce(), uri, resp,
                "MD5", null, null, null, ch.opaque()).toHeaderValue()), SipTransport.UDP);
        assertThat(ok.status()).isEqualTo(200);
        GbDevice d = platform.registry().get(hik).orElseThrow();
        assertThat(d.userAgent()).isEqualTo("Hikvision");
        assertThat(GbDeviceId.parse(d.id()).isStructured()).isFalse();
        // another user name with the right password is refused
        DigestChallenge ch2 = DigestChallenge.parse(send(dev, reg.apply(3, null), SipTransport.UDP)
                .header("WWW-Authenticate"));
        String resp2 = Digest.INSTANCE.response(ch2.algorithm(), "root", ch2.realm(),
                "12345".getBytes(StandardCharsets.UTF_8), "REGISTER", uri, ch2.nonce(), null, null, null);
        assertThat(send(dev, reg.apply(4, new DigestCredentials("root", ch2.realm(), ch2.nonce(), uri, resp2,
                "MD5", null, null, null, ch2.opaque()).toHeaderValue()), SipTransport.UDP).status()).isEqualTo(403);
    }

    @Test
    void armOnRegisterAndAlarmAndPositionSubscriptions() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false).armOnRegister(true));
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        Await.until(Duration.ofSeconds(10), () -> !deviceInbox.isEmpty(), () -> "the SetGuard at the device");
        assertThat(deviceInbox.get(0).request().bodyText(StandardCharsets.US_ASCII))
                .contains("<GuardCmd>SetGuard</GuardCmd>");
        deviceInbox.clear();
        GbSubscription alarms = platform.subscribe(DEVICE, GbSubscription.Kind.ALARM, Duration.ofSeconds(3600))
                .get(10, TimeUnit.SECONDS);
        GbSubscription positions = platform.subscribe(DEVICE, GbSubscription.Kind.MOBILE_POSITION,
                Duration.ofSeconds(3600)).get(10, TimeUnit.SECONDS);
        assertThat(deviceInbox).extracting(tx -> tx.request().header("Event")).containsExactly("presence", "presence");
        assertThat(deviceInbox.get(0).request().bodyText(StandardCharsets.US_ASCII))
                .contains("<CmdType>Alarm</CmdType>").contains("<StartAlarmPriority>1</StartAlarmPriority>");
        assertThat(deviceInbox.get(1).request().bodyText(StandardCharsets.US_ASCII))
                .contains("<CmdType>MobilePosition</CmdType>").contains("<Interval>5</Interval>");
        assertThat(platform.subscriptions()).hasSize(2);
        assertThat(positions.dialog().callId()).isNotEqualTo(alarms.dialog().callId());

        // an alarm arrives as a NOTIFY of the alarm subscription
        String body = new String(Vectors.bytes("manscdp/alarm_notify_video_loss_alarmtype_toplevel.xml"),
                StandardCharsets.UTF_8);
        SipRequest notify = SipRequest.of(SipRequest.NOTIFY, "sip:" + PLATFORM + "@127.0.0.1", SipHeaders.builder()
                .add("From", "<sip:" + DEVICE + "@3402000000>;tag=" + alarms.dialog().remoteTag())
                .add("To", "<sip:" + PLATFORM + "@3402000000>;tag=" + alarms.dialog().localTag())
                .add("Call-ID", alarms.dialog().callId()).add("CSeq", "1 NOTIFY").add("Event", "presence")
                .add("Subscription-State", "terminated;reason=timeout").add("Content-Type", "Application/MANSCDP+xml")
                .build(), body.getBytes(StandardCharsets.UTF_8));
        assertThat(send(dev, notify, SipTransport.UDP).status()).isEqualTo(200);
        AlarmEvent e = intake.events().get(0);
        assertThat(e.code()).isEqualTo("2/1");
        assertThat(e.category()).isEqualTo(Category.VIDEO_FAULT);
        assertThat(platform.subscriptions()).hasSize(1); // the terminated one is gone

        String pos = "<?xml version=\"1.0\" encoding=\"GB2312\"?><Notify><CmdType>MobilePosition</CmdType><SN>7</SN>"
                + "<DeviceID>" + DEVICE + "</DeviceID><Time>2026-03-01T10:00:00</Time><Longitude>121.47</Longitude>"
                + "<Latitude>31.23</Latitude><Speed>40.5</Speed><Direction>90</Direction><Altitude>4</Altitude></Notify>";
        SipRequest moved = SipRequest.of(SipRequest.NOTIFY, "sip:" + PLATFORM + "@127.0.0.1", SipHeaders.builder()
                .add("From", "<sip:" + DEVICE + "@3402000000>;tag=" + positions.dialog().remoteTag())
                .add("To", "<sip:" + PLATFORM + "@3402000000>;tag=" + positions.dialog().localTag())
                .add("Call-ID", positions.dialog().callId()).add("CSeq", "1 NOTIFY").add("Event", "presence")
                .add("Subscription-State", "active").add("Content-Type", "Application/MANSCDP+xml")
                .build(), pos.getBytes(StandardCharsets.US_ASCII));
        assertThat(send(dev, moved, SipTransport.UDP).status()).isEqualTo(200);
        var p = platform.registry().position(DEVICE).orElseThrow();
        assertThat(p.longitude()).isEqualTo(121.47);
        assertThat(p.speed()).isEqualTo(40.5);
        assertThat(p.time()).isEqualTo(java.time.LocalDateTime.parse("2026-03-01T10:00:00"));
    }

    @Test
    void refusedAlarmIsNotAnsweredAndItsTransactionExpires() throws Exception {
        InMemoryAlarmIntake small = new InMemoryAlarmIntake(scheduler.clock(),
                new org.arc4j.core.event.EventIdGenerator(scheduler.clock()), 1, Duration.ofHours(1));
        closeables.add(small);
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false), small);
        SipStack dev = device();
        registerWithDigest(dev, SipTransport.UDP, "12345678", 3600);
        scheduler.advance(Duration.ofSeconds(40)); // the REGISTER transactions are over
        small.hold();
        String body = new String(Vectors.bytes("manscdp/alarm_notify_video_loss_alarmtype_toplevel.xml"),
                StandardCharsets.UTF_8);
        CompletableFuture<SipResponse> first = dev.send(manscdp("MESSAGE", body.replace("<AlarmPriority>",
                "<SN>1</SN><AlarmPriority>"), StandardCharsets.UTF_8), to(SipTransport.UDP)).toCompletableFuture();
        awaitLive(1);
        CompletableFuture<SipResponse> second = dev.send(manscdp("MESSAGE", body.replace("<AlarmPriority>",
                "<SN>2</SN><AlarmPriority>"), StandardCharsets.UTF_8), to(SipTransport.UDP)).toCompletableFuture();
        Await.until(Duration.ofSeconds(10), () -> metrics.counter("gb28181.alarms", "outcome", "refused").count() > 0,
                () -> "a refused alarm counted");
        assertThat(metrics.counter("gb28181.alarms", "outcome", "refused").count()).isOne();
        small.release(); // the first is stored and answered; the second was refused (one in flight at most)
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second).isNotDone();
        scheduler.advance(Duration.ofSeconds(32)); // the device's timer F: it will send the alarm again
        assertThat(second).isCompletedExceptionally();
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(platform.stack().liveTransactions()).isZero();
        // the first is stored once; the refused second was never answered, but a retransmission that reaches
        // the platform after its transaction ended (UDP delivery runs in real time, the timers on virtual
        // time) finds room in the intake and is stored: once, never twice
        List<AlarmEvent> stored = small.events();
        assertThat(stored).extracting(AlarmEvent::code).containsOnly("2/1");
        List<String> raws = stored.stream().map(e -> new String(e.raw(), StandardCharsets.UTF_8)).toList();
        assertThat(raws).hasSizeBetween(1, 2).doesNotHaveDuplicates();
        assertThat(raws.get(0)).contains("<SN>1</SN>");
    }

    private void awaitLive(int n) {
        Await.until(Duration.ofSeconds(10), () -> platform.stack().liveTransactions() >= n,
                () -> n + " live transactions");
        assertThat(platform.stack().liveTransactions()).isEqualTo(n);
    }

    @Test
    void overTcpAClosedConnectionFallsBackToTheRegisteredContact() throws Exception {
        platform(GbPlatformConfig.builder(PLATFORM).queryCatalogOnRegister(false));
        SipStack listening = device(); // where the device's Contact points
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(platform.stack().tcpAddress(), 5000);
            s.setSoTimeout(10_000);
            String contact = "<sip:" + DEVICE + "@127.0.0.1:" + listening.tcpAddress().getPort() + ">";
            java.util.function.Function<String, String> reg = auth -> "REGISTER sip:" + PLATFORM + "@3402000000 SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:" + s.getLocalPort() + ";rport;branch=z9hG4bK" + (cseq++) + "\r\n"
                    + "From: <sip:" + DEVICE + "@3402000000>;tag=t1\r\nTo: <sip:" + DEVICE + "@3402000000>\r\n"
                    + "Call-ID: tcp-reg\r\nCSeq: " + cseq + " REGISTER\r\nContact: " + contact + "\r\n"
                    + (auth == null ? "" : "Authorization: " + auth + "\r\n")
                    + "Expires: 3600\r\nContent-Length: 0\r\n\r\n";
            s.getOutputStream().write(reg.apply(null).getBytes(StandardCharsets.US_ASCII));
            String challenge = readResponse(s);
            DigestChallenge ch = DigestChallenge.parse(challenge.replaceAll("(?s).*WWW-Authenticate: ([^\r]*)\r.*", "$1"));
            String uri = "sip:" + PLATFORM + "@3402000000";
            String resp = Digest.INSTANCE.response(ch.algorithm(), DEVICE, ch.realm(),
                    "12345678".getBytes(StandardCharsets.UTF_8), "REGISTER", uri, ch.nonce(), "00000001", "c1", "auth");
            s.getOutputStream().write(reg.apply(new DigestCredentials(DEVICE, ch.realm(), ch.nonce(), uri, resp, "MD5",
                    "c1", "00000001", "auth", ch.opaque()).toHeaderValue()).getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(s)).startsWith("SIP/2.0 200 OK");
        }
        Await.until(Duration.ofSeconds(10), () -> platform.stack().tcpConnections() == 0,
                () -> "the TCP connection closed at the platform");
        assertThat(platform.guard(DEVICE, true).toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(200);
        assertThat(deviceInbox).hasSize(1);
        assertThat(deviceInbox.get(0).source().transport()).isEqualTo(SipTransport.TCP);
        assertThat(deviceInbox.get(0).request().uri()).endsWith(":" + listening.tcpAddress().getPort());
    }

    private static String readResponse(java.net.Socket s) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        java.io.InputStream in = s.getInputStream();
        while (!sb.toString().contains("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
