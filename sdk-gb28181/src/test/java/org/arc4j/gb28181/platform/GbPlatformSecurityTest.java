package org.arc4j.gb28181.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditEntry;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.AuditQuery;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestClient;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.gb28181.manscdp.CatalogItem;
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

/**
 * A sender that knows only a registered device's 20-digit ID cannot speak for it (GA 1383 §安全性、可靠性): it is
 * challenged, refused, audited, its alarm shown flagged and never taken as the device's; the device itself, after
 * a NAT rebinding or a TCP reconnect, proves who it is and carries on. Uses the fixture of {@link GbPlatformTest}.
 */
class GbPlatformSecurityTest {
    static final String DEVICE = GbPlatformTest.DEVICE;
    static final String PASSWORD = "12345678";

    final GbPlatformTest fx = new GbPlatformTest();
    final AuditLog audit = new AuditLog(new InMemoryRecordStore(), fx.scheduler.clock());

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    GbPlatform platform(GbPlatformConfig.Builder b) throws InterruptedException {
        return platform(b, fx.supervisor);
    }

    GbPlatform platform(GbPlatformConfig.Builder b, org.arc4j.core.supervision.Supervisor supervisor)
            throws InterruptedException {
        fx.store.put(org.arc4j.core.credentials.CredentialKey.of(
                org.arc4j.core.credentials.CredentialKind.SIP_PASSWORD, DEVICE),
                new org.arc4j.core.credentials.Credential(null,
                        org.arc4j.core.credentials.Secret.ofUtf8(PASSWORD), java.util.Map.of()));
        fx.platform = GbPlatform.start(b.bindHost("127.0.0.1").udpPort(0).tcpPort(0).build(), fx.scheduler,
                fx.intake, supervisor, fx.store, fx.metrics, audit);
        fx.closeables.add(fx.platform);
        return fx.platform;
    }

    String alarm(int sn) {
        return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Alarm</CmdType>\r\n<SN>" + sn
                + "</SN>\r\n<DeviceID>" + DEVICE + "</DeviceID>\r\n<AlarmPriority>1</AlarmPriority>\r\n"
                + "<AlarmMethod>2</AlarmMethod>\r\n<AlarmTime>2026-03-01T10:00:0" + (sn % 10)
                + "</AlarmTime>\r\n</Notify>\r\n";
    }

    /** The same request again, now carrying an answer to the challenge in {@code challenged}. */
    SipRequest answered(SipRequest r, SipResponse challenged, String password) {
        DigestClient c = new DigestClient(DEVICE);
        c.challenged(DigestChallenge.parse(challenged.header("WWW-Authenticate")));
        SipRequest again = fx.manscdp(r.method(), r.bodyText(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        return again.withHeaders(again.headers().toBuilder().add("Authorization",
                c.answer(r.method(), again.uri(), password.getBytes(StandardCharsets.UTF_8)).toHeaderValue()).build());
    }

    List<AuditEntry> audited() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<AuditEntry> l = audit.query(AuditQuery.ALL.byAction(AuditAction.DEVICE_AUTH_FAILED));
        while (l.isEmpty() && System.nanoTime() < until) {
            Thread.onSpinWait(); // the audit record is written on the SIP thread; bounded wait
            l = audit.query(AuditQuery.ALL.byAction(AuditAction.DEVICE_AUTH_FAILED));
        }
        return l;
    }

    static CatalogItem item(String id) {
        return new CatalogItem(id, "ch", null, "ON", "ADD", java.util.Map.of());
    }

    static List<AlarmEvent> unflagged(List<AlarmEvent> events) {
        return events.stream().filter(e -> !e.extended().containsKey(GbPlatform.FLAG)).toList();
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void aSecondSocketWithTheDevicesIdIsChallengedRefusedAuditedAndChangesNothing(SipTransport t) throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = fx.device();
        assertThat(fx.registerWithDigest(dev, t, PASSWORD, 3600).status()).isEqualTo(200);
        SipPeer registered = fx.platform.registry().get(DEVICE).orElseThrow().peer();
        java.time.Instant lastKeepalive = fx.platform.registry().get(DEVICE).orElseThrow().lastKeepalive();

        SipStack attacker = fx.device();
        for (SipRequest r : List.of(fx.manscdp("MESSAGE", alarm(7), StandardCharsets.US_ASCII),
                fx.manscdp("MESSAGE", GbPlatformTest.keepalive(8), StandardCharsets.US_ASCII))) {
            SipResponse challenged = fx.send(attacker, r, t);
            assertThat(challenged.status()).isEqualTo(401);
            assertThat(challenged.header("WWW-Authenticate")).startsWith("Digest ");
            assertThat(fx.send(attacker, answered(r, challenged, "wrong-password"), t).status()).isEqualTo(403);
        }
        // no event of the device; the alarm is shown, flagged, never lost
        assertThat(unflagged(fx.intake.events())).isEmpty();
        assertThat(fx.intake.events()).singleElement().satisfies(e -> {
            assertThat(e.account()).isEqualTo(DEVICE);
            assertThat(e.extended()).containsEntry(GbPlatform.FLAG, GbPlatform.SUSPECTED_SPOOF)
                    .containsKey("source");
        });
        GbDevice d = fx.platform.registry().get(DEVICE).orElseThrow();
        assertThat(d.peer()).isEqualTo(registered);
        assertThat(d.lastKeepalive()).isEqualTo(lastKeepalive);
        assertThat(fx.metrics.counter("gb28181.keepalives").count()).isZero();
        assertThat(audited()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(a -> assertThat(a.actor()).isEqualTo(DEVICE));
        assertThat(fx.platform.heldAlarms()).isZero();

        // and the device itself, from where it registered, is still believed without a challenge
        assertThat(fx.send(dev, fx.manscdp("MESSAGE", alarm(9), StandardCharsets.US_ASCII), t).status())
                .isEqualTo(200);
        assertThat(unflagged(fx.intake.events())).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void theDeviceAfterANatRebindingAuthenticatesAndItsAlarmIsTaken(SipTransport t) throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = fx.device();
        fx.registerWithDigest(dev, t, PASSWORD, 3600);
        SipStack rebound = fx.device(); // a new source port, as after a NAT rebinding or a TCP reconnect
        SipRequest r = fx.manscdp("MESSAGE", alarm(3), StandardCharsets.US_ASCII);
        SipResponse challenged = fx.send(rebound, r, t);
        assertThat(challenged.status()).isEqualTo(401);
        assertThat(fx.platform.heldAlarms()).isEqualTo(1);
        assertThat(fx.send(rebound, answered(r, challenged, PASSWORD), t).status()).isEqualTo(200);
        assertThat(fx.intake.events()).singleElement()
                .satisfies(e -> assertThat(e.extended()).doesNotContainKey(GbPlatform.FLAG));
        assertThat(fx.platform.heldAlarms()).isZero();
        SipPeer now = fx.platform.registry().get(DEVICE).orElseThrow().peer();
        int port = t == SipTransport.UDP ? rebound.udpAddress().getPort() : now.address().getPort();
        assertThat(now.address().getPort()).isEqualTo(port);
        // the old address is no longer believed
        assertThat(fx.send(dev, fx.manscdp("MESSAGE", GbPlatformTest.keepalive(4), StandardCharsets.US_ASCII), t)
                .status()).isEqualTo(401);
        assertThat(audited()).isEmpty();
    }

    @Test
    void aChallengedAlarmThatIsNeverAnsweredIsShownFlaggedAfterTheWait() throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false)
                .heldAlarms(4, Duration.ofSeconds(32)));
        fx.registerWithDigest(fx.device(), SipTransport.UDP, PASSWORD, 3600);
        SipStack stranger = fx.device();
        assertThat(fx.send(stranger, fx.manscdp("MESSAGE", alarm(1), StandardCharsets.US_ASCII), SipTransport.UDP)
                .status()).isEqualTo(401);
        fx.scheduler.advance(Duration.ofSeconds(31));
        assertThat(fx.intake.events()).isEmpty();
        fx.scheduler.advance(Duration.ofSeconds(1));
        assertThat(fx.intake.events()).singleElement().satisfies(e -> assertThat(e.extended())
                .containsEntry(GbPlatform.FLAG, GbPlatform.SUSPECTED_SPOOF));
        assertThat(fx.platform.heldAlarms()).isZero();
        assertThat(audited()).hasSize(1);
    }

    @Test
    void aHeldAlarmIsTheDevicesOwnWhenTheDeviceRegistersFromThatAddressMeanwhile() throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false));
        fx.registerWithDigest(fx.device(), SipTransport.UDP, PASSWORD, 3600);
        SipStack rebound = fx.device();
        assertThat(fx.send(rebound, fx.manscdp("MESSAGE", alarm(2), StandardCharsets.US_ASCII), SipTransport.UDP)
                .status()).isEqualTo(401);
        assertThat(fx.registerWithDigest(rebound, SipTransport.UDP, PASSWORD, 3600).status()).isEqualTo(200);
        fx.scheduler.advance(Duration.ofSeconds(32));
        assertThat(fx.intake.events()).singleElement()
                .satisfies(e -> assertThat(e.extended()).doesNotContainKey(GbPlatform.FLAG));
    }

    @Test
    void aFloodOfRandomIdsLeavesEveryMapWithinItsBounds() throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false)
                .limits(50, 100, 8).heldAlarms(16, Duration.ofSeconds(32)));
        SplittableRandom random = new SplittableRandom(28181);
        SipStack flood = fx.device();
        // registrations and messages from random IDs over the wire: none has a password, none is kept
        for (int i = 0; i < 300; i++) {
            String id = String.format("340200000013%08d", random.nextInt(100_000_000));
            SipRequest reg = fx.register(flood, 3600, null);
            reg = reg.withHeaders(reg.headers().toBuilder().set("From", "<sip:" + id + "@3402000000>;tag=f" + i)
                    .set("To", "<sip:" + id + "@3402000000>").build());
            assertThat(fx.send(flood, reg, SipTransport.UDP).status()).isEqualTo(401);
        }
        assertThat(fx.platform.registry().size()).isZero();

        // the registry itself under 100,000 random device IDs and channel IDs
        DeviceRegistry registry = new DeviceRegistry(1_000, 64);
        java.time.Instant now = fx.scheduler.now();
        String kept = "34020000001320000001";
        registry.admit(kept, now);
        registry.update(kept, d -> new GbDevice(kept, true, true, now, now.plusSeconds(3600), null, null, null,
                org.arc4j.gb28181.manscdp.ManscdpCharset.GB2312, GbEdition.GB2016,
                java.time.ZoneId.of("Asia/Shanghai"), null, java.util.Map.of()));
        for (int i = 0; i < 100_000; i++) {
            String id = String.format("3402000000132%07d", random.nextInt(10_000_000));
            if (registry.admit(id, now)) {
                long life = i % 2 == 0 ? -1 : 3600;
                registry.update(id, d -> new GbDevice(id, true, true, now, now.plusSeconds(life),
                        null, null, null, org.arc4j.gb28181.manscdp.ManscdpCharset.GB2312, GbEdition.GB2016,
                        java.time.ZoneId.of("Asia/Shanghai"), null, java.util.Map.of()));
            }
            // half the catalog items go to the device just seen, half to one device that never lapses
            String owner = i % 2 == 0 ? id : kept;
            registry.mergeCatalog(owner, List.of(item(String.format("3402000000134%07d",
                    random.nextInt(10_000_000)))));
            registry.recordPosition(owner, new org.arc4j.gb28181.manscdp.MobilePosition(
                    String.format("3402000000134%07d", random.nextInt(10_000_000)), null, 0.0, 0.0, 0.0, 0.0, 0.0));
        }
        assertThat(registry.size()).isLessThanOrEqualTo(1_000);
        assertThat(registry.channelCount()).isLessThanOrEqualTo(1_000 * 64);
        assertThat(registry.all()).allSatisfy(d -> assertThat(d.channels()).hasSizeLessThanOrEqualTo(64));
        assertThat(registry.positionCount()).isLessThanOrEqualTo(registry.channelCount() + registry.size());
        assertThat(registry.refusedChannels()).isPositive();
        assertThat(registry.get(kept).orElseThrow().channels()).hasSize(64);
        // full of live registrations: a new device is refused rather than pushing one out
        DeviceRegistry full = new DeviceRegistry(2, 4);
        for (String id : List.of("34020000001320000001", "34020000001320000002")) {
            assertThat(full.admit(id, now)).isTrue();
            full.update(id, d -> new GbDevice(id, true, true, now, now.plusSeconds(3600), null, null, null,
                    org.arc4j.gb28181.manscdp.ManscdpCharset.GB2312, GbEdition.GB2016,
                    java.time.ZoneId.of("Asia/Shanghai"), null, java.util.Map.of()));
        }
        assertThat(full.admit("34020000001320000003", now)).isFalse();
        assertThat(full.admit("34020000001320000001", now)).isTrue();
        assertThat(full.admit("34020000001320000003", now.plusSeconds(3601))).isTrue();
        assertThat(full.size()).isEqualTo(1);
    }

    @Test
    void aChannelCannotBeClaimedByASecondDevice() {
        DeviceRegistry registry = new DeviceRegistry(10, 10);
        java.time.Instant now = java.time.Instant.parse("2026-03-01T00:00:00Z");
        for (String id : List.of("34020000001320000001", "34020000001320000002")) {
            registry.admit(id, now);
            registry.update(id, d -> new GbDevice(id, true, true, now, now.plusSeconds(3600), null, null, null,
                    org.arc4j.gb28181.manscdp.ManscdpCharset.GB2312, GbEdition.GB2016,
                    java.time.ZoneId.of("Asia/Shanghai"), null, java.util.Map.of()));
        }
        registry.mergeCatalog("34020000001320000001", List.of(item("34020000001340000001")));
        registry.mergeCatalog("34020000001320000002", List.of(item("34020000001340000001"),
                item("34020000001320000001")));
        assertThat(registry.ownerOf("34020000001340000001").orElseThrow().id()).isEqualTo("34020000001320000001");
        assertThat(registry.get("34020000001320000002").orElseThrow().channels()).isEmpty();
        assertThat(registry.refusedChannels()).isEqualTo(2);
    }

    @Test
    void closeLeavesNoScheduledTaskAndNoListener() throws Exception {
        // the supervisor's own deadlines are not the platform's: they run on a scheduler of their own here
        org.arc4j.core.testkit.ManualScheduler elsewhere = new org.arc4j.core.testkit.ManualScheduler(GbPlatformTest.T0);
        org.arc4j.core.testkit.InMemorySupervisor supervisor =
                new org.arc4j.core.testkit.InMemorySupervisor(elsewhere);
        java.util.List<org.arc4j.core.supervision.SupervisionEvent> seen = new java.util.ArrayList<>();
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false), supervisor);
        SipStack dev = fx.device();
        fx.registerWithDigest(dev, SipTransport.TCP, PASSWORD, 3600);
        CompletableFuture<GbSubscription> sub = fx.platform.subscribe(DEVICE, GbSubscription.Kind.ALARM,
                Duration.ofSeconds(3600));
        assertThat(sub.get(10, TimeUnit.SECONDS)).isNotNull();
        CompletableFuture<List<CatalogItem>> query = fx.platform.queryCatalog(DEVICE); // never answered
        assertThat(fx.send(fx.device(), fx.manscdp("MESSAGE", alarm(5), StandardCharsets.US_ASCII),
                SipTransport.UDP).status()).isEqualTo(401); // an alarm held for authentication
        assertThat(fx.platform.heldAlarms()).isEqualTo(1);
        // the device side's own stacks are closed first, so only the platform's tasks can remain
        for (AutoCloseable c : fx.closeables) {
            if (c != fx.platform) {
                c.close();
            }
        }
        fx.closeables.clear();
        assertThat(fx.scheduler.pending()).isPositive();
        fx.platform.close();
        assertThat(fx.scheduler.pending()).isZero();
        assertThat(query).isCompletedExceptionally();
        // the held alarm was not lost: it went to the intake flagged
        assertThat(fx.intake.events()).singleElement().satisfies(e -> assertThat(e.extended())
                .containsEntry(GbPlatform.FLAG, GbPlatform.SUSPECTED_SPOOF));
        // the supervisor's offline decision no longer reaches the closed platform's registry
        supervisor.addListener(seen::add);
        GbDevice before = fx.platform.registry().get(DEVICE).orElseThrow();
        elsewhere.advance(Duration.ofHours(2));
        assertThat(seen).isNotEmpty();
        assertThat(fx.platform.registry().get(DEVICE).orElseThrow().online()).isEqualTo(before.online());
    }

    @Test
    void alarmSubscriptionRefreshesCarryAFreshSerialNumberAndWindow() throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false));
        SipStack dev = fx.device();
        fx.registerWithDigest(dev, SipTransport.UDP, PASSWORD, 3600);
        fx.platform.subscribe(DEVICE, GbSubscription.Kind.ALARM, Duration.ofSeconds(100)).get(10, TimeUnit.SECONDS);
        fx.scheduler.advance(Duration.ofSeconds(80));
        // the refresh travels over real UDP
        Await.until(Duration.ofSeconds(10),
                () -> fx.deviceInbox.stream().filter(x -> x.request().method().equals("SUBSCRIBE")).count() >= 2,
                () -> "the refreshed SUBSCRIBE at the device");
        List<String> bodies = fx.deviceInbox.stream().filter(x -> x.request().method().equals("SUBSCRIBE"))
                .map(x -> x.request().bodyText(StandardCharsets.US_ASCII)).toList();
        assertThat(bodies).hasSize(2);
        String sn0 = bodies.get(0).replaceAll("(?s).*<SN>(\\d+)</SN>.*", "$1");
        String sn1 = bodies.get(1).replaceAll("(?s).*<SN>(\\d+)</SN>.*", "$1");
        assertThat(sn1).isNotEqualTo(sn0);
        assertThat(bodies.get(0)).contains("<StartAlarmTime>2026-03-01T10:00:00</StartAlarmTime>");
        assertThat(bodies.get(1)).contains("<StartAlarmTime>2026-03-01T10:01:20</StartAlarmTime>");
    }

    @Test
    void queriesBeyondThePendingBoundFailAtOnce() throws Exception {
        platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false).limits(10, 10, 2));
        fx.registerWithDigest(fx.device(), SipTransport.UDP, PASSWORD, 3600);
        CompletableFuture<List<CatalogItem>> a = fx.platform.queryCatalog(DEVICE);
        CompletableFuture<?> b = fx.platform.queryDeviceInfo(DEVICE);
        CompletableFuture<?> c = fx.platform.queryDeviceStatus(DEVICE);
        assertThat(c).isCompletedExceptionally();
        assertThat(fx.platform.pendingQueries()).isEqualTo(2);
        fx.scheduler.advance(Duration.ofSeconds(31)); // the query timeout frees the places
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(fx.platform.pendingQueries()).isZero();
    }
}
