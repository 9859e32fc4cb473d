package org.arc4j.examples.center.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.AuditQuery;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.examples.center.video.VideoConfig;
import org.arc4j.protocols.onvif.OnvifClient;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linkage requested before the remote control exists (cases opened by alarms the receivers accepted while the centre
 * was still starting) is held and carried out, in order, once it is ready, against sdk-protocols' ONVIF test device;
 * GB/T 28181 devices bound while the centre runs ({@link GbDevices}, as the administration API binds them) are
 * targets at once and stop being targets when deleted.
 */
class LinkageActionsTest {
    static final String USER = "admin";
    static final String PASSWORD = "cam-Pass-2931";

    final SystemScheduler scheduler = new SystemScheduler();
    final InMemoryRecordStore journal = new InMemoryRecordStore();
    final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    final List<RemoteControl.Command> changes = new CopyOnWriteArrayList<>();
    final GbDevices gbDevices = new GbDevices();
    AuditLog audit;
    TestOnvifDevice onvif;
    RemoteControl control;

    @BeforeEach
    void start() {
        audit = new AuditLog(journal, scheduler.clock());
        onvif = TestOnvifDevice.start(Clock.systemUTC(), USER, PASSWORD);
        vault.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam1"),
                new Credential(USER, Secret.ofUtf8(PASSWORD), Map.of()));
        VideoConfig.Camera cam = new VideoConfig.Camera("cam1", "gate", "S1", "1", "rtsp://127.0.0.1:9/none",
                onvif.address().toString(), USER, PASSWORD, null, null, null, null);
        control = new RemoteControl(null, gbDevices::snapshot, () -> Map.of("cam1", cam),
                OnvifClient.builder(scheduler, vault).build(), audit, scheduler.clock(), changes::add);
    }

    @AfterEach
    void stop() {
        control.close();
        onvif.close();
        scheduler.close();
    }

    private static void until(BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    void requestsBeforeTheRemoteControlIsReadyAreHeldThenCarriedOutInOrder() throws Exception {
        try (LinkageActions linkage = new LinkageActions(audit)) {
            linkage.onPipelineEvent(new PipelineEvent.LinkageRequested("case-1", "S1", "linkage-0",
                    "relay:cam1:AlarmOut_0"));
            linkage.onPipelineEvent(new PipelineEvent.LinkageRequested("case-2", "S1", "linkage-0", "relay:AlarmOut_1"));
            linkage.onPipelineEvent(new PipelineEvent.LinkageRequested("case-3", "S1", "linkage-1", "siren-on"));

            // nothing is sent, nothing is dropped
            Thread.sleep(200);
            assertThat(linkage.held()).isEqualTo(3);
            assertThat(linkage.outcomes()).isEmpty();
            assertThat(onvif.relayStates()).doesNotContainKeys("AlarmOut_0", "AlarmOut_1");
            assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.REMOTE_CONTROL))).isEmpty();

            linkage.ready(control);
            assertThat(linkage.held()).isZero();
            until(() -> linkage.outcomes().size() == 3 && changes.stream()
                    .filter(c -> c.state() != RemoteControl.State.SENT).count() == 2, "the held actions");
            assertThat(linkage.outcomes()).extracting(LinkageActions.Outcome::caseId)
                    .containsExactly("case-1", "case-2", "case-3");
            assertThat(linkage.outcomes().get(2).reason()).contains("not an action the centre carries out");
            assertThat(changes).filteredOn(c -> c.state() != RemoteControl.State.SENT)
                    .extracting(RemoteControl.Command::state).containsOnly(RemoteControl.State.OK);
            assertThat(onvif.relayStates()).containsEntry("AlarmOut_0", "active").containsEntry("AlarmOut_1", "active");

            // once ready, a new request goes at once
            linkage.onPipelineEvent(new PipelineEvent.LinkageRequested("case-4", "S1", "linkage-0",
                    "relay:cam1:AlarmOut_0:inactive"));
            until(() -> "inactive".equals(onvif.relayStates().get("AlarmOut_0")), "the request after ready");
            assertThat(linkage.held()).isZero();
        }
    }

    @Test
    void aGbDeviceBoundWhileRunningIsATargetAtOnceAndLinkedByItsSite() throws Exception {
        String device = "34020000001320000009";
        assertThat(control.target(device)).isNull();
        gbDevices.bind(device, "S1");
        assertThat(control.target(device)).isEqualTo(new RemoteControl.Target(device, "gb28181", device, "S1"));
        assertThat(control.targets()).extracting(RemoteControl.Target::id).containsExactly(device, "cam1");

        try (LinkageActions linkage = new LinkageActions(control, audit)) {
            // the site's GB/T 28181 device is found by the rule; with no platform here the command cannot be sent,
            // and the outcome names the device rather than "no device for it"
            List<LinkageActions.Outcome> out = linkage.carryOut(new PipelineEvent.LinkageRequested("case-9", "S1",
                    "linkage-0", "arm"));
            assertThat(out).singleElement().satisfies(o -> assertThat(o.reason()).contains(device));
        }

        gbDevices.bind(device, null); // deleted through the API
        assertThat(control.target(device)).isNull();
        assertThat(control.targets()).extracting(RemoteControl.Target::id).containsExactly("cam1");
    }
}
