package org.arc4j.gb28181.cascade;

import static org.arc4j.gb28181.cascade.CascadeTesting.await;
import static org.arc4j.gb28181.cascade.CascadeTesting.freeUdpPort;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.manscdp.CatalogItem;
import org.arc4j.gb28181.manscdp.DeviceInfoResponse;
import org.arc4j.gb28181.manscdp.MobilePosition;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.platform.GbChannel;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.gb28181.platform.GbSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two arc4j platforms in one test: the SDK's {@link GbPlatform} as the upper platform and a {@link GbCascade}
 * registered under it as a lower platform, over UDP on loopback, on virtual time. The upper queries the lower's
 * catalog (paged), its DeviceInfo, sends PTZ; an alarm forwarded by the lower reaches the upper's intake; a forward
 * to an upper that is down is journalled and delivered after a restart of the lower; exported IDs survive the
 * restart.
 */
class CascadeToGbPlatformTest {
    static final String LOCAL = "34020000002000000001";
    static final String UPPER = "11000000002000000001";
    static final String PASSWORD = "cascade-pw";
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    final List<String> transitions = new CopyOnWriteArrayList<>();
    final List<String> deliveries = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    volatile List<ExportedItem> catalog = List.of(
            ExportedItem.group("site-1", "一号站点", null),
            ExportedItem.camera("cam-1", "前门摄像机", "site-1", true),
            ExportedItem.alarmInput("zone-3", "前门红外", "site-1", false));
    ExecutorService exec;
    GbPlatform upper;
    GbCascade cascade;
    Journal journal;

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        if (cascade != null) {
            cascade.close();
        }
        if (journal != null) {
            journal.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        intake.close();
    }

    GbPlatform upper(int port) throws InterruptedException {
        return upper(port, true);
    }

    GbPlatform upper(int port, boolean queryCatalogOnRegister) throws InterruptedException {
        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, LOCAL),
                new Credential(LOCAL, Secret.ofUtf8(PASSWORD), Map.of()));
        upper = GbPlatform.start(GbPlatformConfig.builder(UPPER).bindHost("127.0.0.1").udpPort(port).tcpPort(-1)
                .queryCatalogOnRegister(queryCatalogOnRegister).build(), scheduler, intake, supervisor, vault,
                new SimpleMetrics());
        closeables.add(upper);
        return upper;
    }

    GbCascade lower(int upperPort) throws InterruptedException {
        if (journal == null) {
            journal = Journal.builder(dir.resolve("journal")).clock(scheduler.clock()).open();
        }
        exec = Executors.newSingleThreadExecutor();
        CascadeSource source = new CascadeSource() {
            @Override
            public List<ExportedItem> catalog() {
                return catalog;
            }

            @Override
            public CompletionStage<Boolean> ptz(String localKey, PtzCmd cmd) {
                commands.add("ptz " + localKey + " " + cmd.kind());
                return CompletableFuture.completedFuture(true);
            }
        };
        cascade = GbCascade.start(GbCascadeConfig.builder(LOCAL).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                        .catalogPageSize(2).upper(UpperPlatform.of(UPPER, "127.0.0.1", upperPort,
                                Secret.ofUtf8(PASSWORD))).build(), scheduler, journal, source,
                new CascadeListener() {
                    @Override
                    public void linkStateChanged(UpperPlatformLink link, LinkState from, LinkState to, String why) {
                        transitions.add(to + " " + why);
                    }

                    @Override
                    public void alarmDelivered(UpperPlatform up, CascadeAlarm alarm, Instant at, int attempts) {
                        deliveries.add(alarm.reference() + " at " + at);
                    }
                }, exec);
        return cascade;
    }


    void drain() throws Exception {
        CascadeTesting.drain(exec);
    }

    /** Advances virtual time a second at a time until a condition holds, at most a limit. */
    void advanceUntil(String what, Duration limit, BooleanSupplier cond) throws Exception {
        for (long s = 0; s < limit.toSeconds() && !cond.getAsBoolean(); s++) {
            scheduler.advance(Duration.ofSeconds(1));
            drain();
            Thread.sleep(5); // let loopback datagrams land before the next virtual second
        }
        await(what, cond);
    }


    boolean registeredAbove() {
        return !transitions.isEmpty() && transitions.get(transitions.size() - 1).startsWith("REGISTERED");
    }

    @Test
    void theUpperSeesTheCatalogQueriesControlsAndReceivesTheAlarm() throws Exception {
        upper(0);
        lower(upper.stack().udpAddress().getPort());
        await("registered with the upper", this::registeredAbove);
        // the upper queries the catalog on registration: three items in two Response MESSAGEs
        await("catalog at the upper", () -> upper.registry().get(LOCAL).map(d -> d.channels().size() == 3)
                .orElse(false));
        String site = cascade.exportedId(UPPER, "site-1").orElseThrow();
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        String zone = cascade.exportedId(UPPER, "zone-3").orElseThrow();
        assertThat(site).startsWith("3402000000216");
        assertThat(cam).startsWith("3402000000131");
        assertThat(zone).startsWith("3402000000134");
        assertThat(List.of(site, cam, zone)).doesNotHaveDuplicates();
        Map<String, GbChannel> channels = upper.registry().get(LOCAL).orElseThrow().channels();
        assertThat(channels.get(cam).name()).isEqualTo("前门摄像机");
        assertThat(channels.get(cam).parentId()).isEqualTo(site);
        assertThat(channels.get(zone).online()).isFalse();
        assertThat(channels.get(site).parentId()).isEqualTo(LOCAL);

        List<CatalogItem> again = upper.queryCatalog(LOCAL).get(10, TimeUnit.SECONDS);
        assertThat(again).extracting(CatalogItem::deviceId).containsExactlyInAnyOrder(site, cam, zone);

        DeviceInfoResponse info = upper.queryDeviceInfo(LOCAL).get(10, TimeUnit.SECONDS);
        assertThat(info.result()).isEqualTo("OK");
        assertThat(info.deviceName()).isEqualTo("arc4j centre");

        assertThat(upper.ptz(LOCAL, cam, PtzCmd.stop()).toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(200);
        await("PTZ relayed", () -> commands.contains("ptz cam-1 " + PtzCmd.stop().kind()));

        Instant decided = scheduler.now();
        Instant at = cascade.forwardAlarm(UPPER, new CascadeAlarm("case-7", "zone-3", 1, 2, 2, T0, "前门红外入侵"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(at).isAfterOrEqualTo(decided);
        List<AlarmEvent> events = intake.events();
        assertThat(events).hasSize(1);
        AlarmEvent e = events.get(0);
        assertThat(e.account()).isEqualTo(LOCAL);
        assertThat(e.extended().get("channel")).isEqualTo(zone);
        assertThat(e.description()).isEqualTo("前门红外入侵");
        assertThat(e.triggeredAt()).isEqualTo(T0);
        assertThat(deliveries).containsExactly("case-7 at " + at);
    }

    @Test
    void aForwardToAnUpperThatIsDownIsDeliveredAfterARestartOfTheLower() throws Exception {
        int port = freeUdpPort();
        lower(port);
        CompletionStage<Instant> first = cascade.forwardAlarm(UPPER,
                new CascadeAlarm("case-9", null, 2, 2, null, T0, "周界报警"));
        await("journalled", () -> cascade.link(UPPER).orElseThrow().pendingAlarms() == 1);
        drain();
        cascade.close();
        assertThat(first.toCompletableFuture()).isCompletedExceptionally();
        journal.close();
        journal = null;

        upper(port);
        lower(port); // the same journal, reopened
        assertThat(cascade.link(UPPER).orElseThrow().pendingAlarms()).isEqualTo(1);
        advanceUntil("delivered after the restart", Duration.ofMinutes(2), () -> !deliveries.isEmpty());
        assertThat(deliveries.get(0)).startsWith("case-9 at ");
        await("at the upper", () -> intake.events().size() == 1);
        assertThat(intake.events().get(0).description()).isEqualTo("周界报警");
        assertThat(intake.events().get(0).account()).isEqualTo(LOCAL);
        await("journalled as delivered", () -> cascade.link(UPPER).orElseThrow().pendingAlarms() == 0);
    }

    @Test
    void exportedIdsSurviveARestartAndNewItemsGetNewOnes() throws Exception {
        upper(0);
        int port = upper.stack().udpAddress().getPort();
        lower(port);
        await("catalog at the upper", () -> upper.registry().get(LOCAL).map(d -> d.channels().size() == 3)
                .orElse(false));
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        String zone = cascade.exportedId(UPPER, "zone-3").orElseThrow();
        cascade.close();
        journal.close();
        journal = null;

        catalog = List.of(ExportedItem.camera("cam-2", "后门摄像机", null, true),
                ExportedItem.camera("cam-1", "前门摄像机", null, true),
                ExportedItem.alarmInput("zone-3", "前门红外", null, true),
                ExportedItem.camera("cam-9", "配置的摄像机", null, true).withConfiguredId("34020000001310000099"));
        lower(port);
        await("registered again", this::registeredAbove);
        List<CatalogItem> items = upper.queryCatalog(LOCAL).get(10, TimeUnit.SECONDS);
        assertThat(items).hasSize(4);
        assertThat(cascade.exportedId(UPPER, "cam-1")).contains(cam);
        assertThat(cascade.exportedId(UPPER, "zone-3")).contains(zone);
        assertThat(cascade.exportedId(UPPER, "cam-9")).contains("34020000001310000099");
        String cam2 = cascade.exportedId(UPPER, "cam-2").orElseThrow();
        assertThat(cam2).isNotIn(cam, zone).startsWith("3402000000131");
    }

    Map<String, GbChannel> channelsAbove() {
        return upper.registry().get(LOCAL).map(d -> d.channels()).orElse(Map.of());
    }

    @Test
    void aCatalogSubscriptionGetsTheWholeCatalogThenWhatChanged() throws Exception {
        upper(0, false); // no Catalog query: what the upper learns comes in NOTIFYs
        lower(upper.stack().udpAddress().getPort());
        await("registered with the upper", this::registeredAbove);
        GbSubscription sub = upper.subscribe(LOCAL, GbSubscription.Kind.CATALOG, Duration.ofHours(1))
                .get(10, TimeUnit.SECONDS);
        assertThat(sub.expiresAt()).isEqualTo(scheduler.now().plus(Duration.ofHours(1)));
        await("the whole catalog notified", () -> channelsAbove().size() == 3);
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        String zone = cascade.exportedId(UPPER, "zone-3").orElseThrow();
        assertThat(channelsAbove().get(zone).online()).isFalse();
        assertThat(channelsAbove().get(cam).online()).isTrue();

        catalog = List.of(
                ExportedItem.group("site-1", "一号站点", null),
                ExportedItem.camera("cam-1", "前门摄像机", "site-1", true),
                ExportedItem.alarmInput("zone-3", "前门红外", "site-1", true),
                ExportedItem.camera("cam-2", "后门摄像机", "site-1", true));
        cascade.catalogChanged();
        await("an item added, one online", () -> channelsAbove().size() == 4
                && channelsAbove().get(zone).online());
        String cam2 = cascade.exportedId(UPPER, "cam-2").orElseThrow();
        assertThat(channelsAbove().get(cam2).name()).isEqualTo("后门摄像机");

        catalog = List.of(
                ExportedItem.group("site-1", "一号站点", null),
                ExportedItem.alarmInput("zone-3", "前门红外", "site-1", true),
                ExportedItem.camera("cam-2", "后门摄像机", "site-1", true));
        cascade.catalogChanged();
        await("an item removed", () -> !channelsAbove().containsKey(cam));
        assertThat(channelsAbove()).containsOnlyKeys(cascade.exportedId(UPPER, "site-1").orElseThrow(), zone, cam2);

        assertThat(upper.unsubscribe(sub).toCompletableFuture().get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void alarmAndMobilePositionSubscriptionsGetTheirNotifies() throws Exception {
        upper(0);
        lower(upper.stack().udpAddress().getPort());
        await("the catalog above", () -> channelsAbove().size() == 3);
        upper.subscribe(LOCAL, GbSubscription.Kind.ALARM, Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        GbSubscription positions = upper.subscribe(LOCAL, GbSubscription.Kind.MOBILE_POSITION, Duration.ofHours(1))
                .get(10, TimeUnit.SECONDS);
        String zone = cascade.exportedId(UPPER, "zone-3").orElseThrow();
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();

        // the upper's subscription covers alarms from the time it subscribed (its StartAlarmTime): an alarm of an
        // hour before is not sent; the two after it arrive, and only they
        cascade.alarmRaised(new CascadeAlarm("case-10", "zone-3", 1, 2, 2, scheduler.now().minusSeconds(3600),
                "一小时前"));
        // a new alarm goes to the alarm subscription as a NOTIFY, into the upper's intake; nothing is journalled
        cascade.alarmRaised(new CascadeAlarm("case-11", "zone-3", 1, 2, 2, T0, "前门红外入侵"));
        cascade.alarmRaised(new CascadeAlarm("case-12", null, 3, 6, null, T0, "设备故障"));
        await("both alarms above", () -> intake.events().size() >= 2);
        assertThat(intake.events()).extracting(e -> e.description()).containsExactly("前门红外入侵", "设备故障");
        assertThat(intake.events().get(0).extended()).containsEntry("channel", zone).containsEntry("priority", "1");
        assertThat(intake.events().get(0).description()).isEqualTo("前门红外入侵");
        assertThat(intake.events().get(1).extended()).containsEntry("channel", LOCAL);
        assertThat(cascade.link(UPPER).orElseThrow().pendingAlarms()).isZero();

        // positions: the first at once, a second within the 5 s interval only when it is over, newest first
        cascade.positionReported("cam-1", new MobilePosition(null, null, 116.397128, 39.916527, 12.5, 90.0, null));
        await("the first position above", () -> upper.registry().position(cam).isPresent());
        assertThat(upper.registry().position(cam).orElseThrow().longitude()).isEqualTo(116.397128);
        assertThat(upper.registry().position(cam).orElseThrow().speed()).isEqualTo(12.5);
        cascade.positionReported("cam-1", new MobilePosition(null, null, 116.4, 39.9, 30.0, 90.0, null));
        cascade.positionReported("cam-1", new MobilePosition(null, null, 116.5, 39.8, 40.0, 90.0, null));
        // a marker after them: an alarm NOTIFY sent on the same thread to the same upper; once it is there, a
        // position sent before it would be there too
        cascade.alarmRaised(new CascadeAlarm("marker-1", null, 1, 7, null, scheduler.now(), "marker 1"));
        await("the first marker above", () -> intake.events().size() == 3);
        assertThat(upper.registry().position(cam).orElseThrow().longitude()).isEqualTo(116.397128);
        advanceUntil("the newest position after the interval",
                Duration.ofSeconds(6), () -> upper.registry().position(cam).orElseThrow().longitude() == 116.5);

        // the subscription ended: no more positions
        assertThat(upper.unsubscribe(positions).toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(200);
        scheduler.advance(Duration.ofSeconds(10));
        cascade.positionReported("cam-1", new MobilePosition(null, null, 117.0, 39.0, 0.0, 0.0, null));
        cascade.alarmRaised(new CascadeAlarm("marker-2", null, 1, 7, null, scheduler.now(), "marker 2"));
        await("the second marker above", () -> intake.events().size() == 4);
        assertThat(upper.registry().position(cam).orElseThrow().longitude()).isEqualTo(116.5);
    }
}
