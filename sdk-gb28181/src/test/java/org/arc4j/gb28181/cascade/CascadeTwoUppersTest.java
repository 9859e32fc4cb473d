package org.arc4j.gb28181.cascade;

import static org.arc4j.gb28181.cascade.CascadeTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.platform.GbChannel;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.gb28181.platform.GbSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One centre under two upper platforms at once, both the SDK's {@link GbPlatform}: the police platform sees the
 * whole catalog, a customer's platform only its own site ({@link CascadeSource#catalog(String)}). Each gets its own
 * catalog; what the customer does not see is unknown to it (PTZ 404) and its alarms reach it only as the centre's
 * own; alarm subscriptions get only alarms of what they see; closing the cascade un-registers from both.
 */
class CascadeTwoUppersTest {
    static final String LOCAL = "34020000002000000001";
    static final String POLICE = "11000000002000000001";
    static final String CUSTOMER = "11000000002000000002";
    static final String CAM_1 = "34020000001310000001";
    static final String CAM_2 = "34020000001310000002";
    static final String PASSWORD = "cascade-pw";
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryAlarmIntake policeIntake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryAlarmIntake customerIntake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    final List<String> ptz = new CopyOnWriteArrayList<>();
    final List<ExportedItem> catalog = List.of(
            ExportedItem.group("site-1", "营业厅", null),
            ExportedItem.camera("cam-1", "金库摄像机", "site-1", true).withConfiguredId(CAM_1),
            ExportedItem.group("site-2", "住宅", null),
            ExportedItem.camera("cam-2", "入户门摄像机", "site-2", true).withConfiguredId(CAM_2));
    GbPlatform police;
    GbPlatform customer;
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
        for (GbPlatform p : new GbPlatform[] {police, customer}) {
            if (p != null) {
                p.close();
            }
        }
        policeIntake.close();
        customerIntake.close();
    }

    GbPlatform upper(String id, InMemoryAlarmIntake intake) throws InterruptedException {
        return GbPlatform.start(GbPlatformConfig.builder(id).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .queryCatalogOnRegister(true).build(), scheduler, intake, new InMemorySupervisor(scheduler), vault,
                new SimpleMetrics());
    }

    Map<String, GbChannel> channels(GbPlatform p) {
        return p.registry().get(LOCAL).map(d -> d.channels()).orElse(Map.of());
    }

    @Test
    void eachUpperSeesItsOwnViewAndCloseUnregistersFromBoth() throws Exception {
        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, LOCAL),
                new Credential(LOCAL, Secret.ofUtf8(PASSWORD), Map.of()));
        police = upper(POLICE, policeIntake);
        customer = upper(CUSTOMER, customerIntake);
        journal = Journal.builder(dir.resolve("journal")).clock(scheduler.clock()).open();
        CascadeSource source = new CascadeSource() {
            @Override
            public List<ExportedItem> catalog() {
                return catalog;
            }

            @Override
            public List<ExportedItem> catalog(String upperId) {
                return upperId.equals(CUSTOMER) ? List.of(catalog.get(2), catalog.get(3)) : catalog;
            }

            @Override
            public CompletionStage<Boolean> ptz(String localKey, PtzCmd cmd) {
                ptz.add(localKey);
                return CompletableFuture.completedFuture(true);
            }
        };
        cascade = GbCascade.start(GbCascadeConfig.builder(LOCAL).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .upper(UpperPlatform.of(POLICE, "127.0.0.1", police.stack().udpAddress().getPort(),
                        Secret.ofUtf8(PASSWORD)))
                .upper(UpperPlatform.of(CUSTOMER, "127.0.0.1", customer.stack().udpAddress().getPort(),
                        Secret.ofUtf8(PASSWORD)).withRecipient("customer")).build(),
                scheduler, journal, source, new CascadeListener() { });

        await("both catalogs", () -> channels(police).size() == 4 && channels(customer).size() == 2);
        assertThat(channels(police)).containsKeys(CAM_1, CAM_2);
        assertThat(channels(customer)).containsKey(CAM_2).doesNotContainKey(CAM_1);
        assertThat(channels(customer).get(CAM_2).name()).isEqualTo("入户门摄像机");

        // PTZ: the customer's platform cannot reach a camera it does not see
        assertThat(customer.ptz(LOCAL, CAM_1, PtzCmd.stop()).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .status()).isEqualTo(404);
        assertThat(customer.ptz(LOCAL, CAM_2, PtzCmd.stop()).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .status()).isEqualTo(200);
        assertThat(police.ptz(LOCAL, CAM_1, PtzCmd.stop()).toCompletableFuture().get(10, TimeUnit.SECONDS)
                .status()).isEqualTo(200);
        await("two PTZ relayed", () -> ptz.size() == 2);
        assertThat(ptz).containsExactlyInAnyOrder("cam-2", "cam-1");

        // a forward of cam-1's alarm reaches the customer as the centre's own alarm
        cascade.forwardAlarm(CUSTOMER, new CascadeAlarm("case-1", "cam-1", 1, 5, null, T0, "金库移动侦测"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(customerIntake.events()).hasSize(1);
        assertThat(customerIntake.events().get(0).extended()).containsEntry("channel", LOCAL);

        // alarm subscriptions: cam-1's alarm to the police only, cam-2's to both
        police.subscribe(LOCAL, GbSubscription.Kind.ALARM, Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        customer.subscribe(LOCAL, GbSubscription.Kind.ALARM, Duration.ofHours(1)).get(10, TimeUnit.SECONDS);
        cascade.alarmRaised(new CascadeAlarm("case-2", "cam-1", 1, 5, null, T0, "金库移动侦测"));
        cascade.alarmRaised(new CascadeAlarm("case-3", "cam-2", 2, 5, null, T0, "入户门移动侦测"));
        await("both alarms at the police", () -> policeIntake.events().size() == 2);
        await("one more at the customer", () -> customerIntake.events().size() == 2);
        assertThat(policeIntake.events()).extracting(e -> e.extended().get("channel"))
                .containsExactlyInAnyOrder(CAM_1, CAM_2);
        assertThat(customerIntake.events().get(1).extended()).containsEntry("channel", CAM_2);

        assertThat(police.registry().get(LOCAL).orElseThrow().registered()).isTrue();
        assertThat(customer.registry().get(LOCAL).orElseThrow().registered()).isTrue();
        cascade.close();
        cascade = null;
        assertThat(police.registry().get(LOCAL).orElseThrow().registered()).as("un-registered from the police")
                .isFalse();
        assertThat(customer.registry().get(LOCAL).orElseThrow().registered()).as("from the customer").isFalse();
    }
}
