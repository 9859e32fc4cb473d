package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditEntry;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.AuditQuery;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.examples.center.terminal.RemoteControl;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.protocols.onvif.OnvifClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testkit.Await;

/**
 * What remote control shows when the device does not carry a command out: sipp as the GB/T 28181 device answers
 * {@code Result ERROR}, or takes the MESSAGE and never answers, which on the platform's virtual clock ends as a
 * timeout after the query timeout (30 s) and not a moment before. Both ends are audited.
 */
class RemoteControlAnswersIT {
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    /** How long sipp may take to register and answer: a bound on a hang, not a measured time. */
    private static final Duration SIPP = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final InMemoryRecordStore journal = new InMemoryRecordStore();
    final List<RemoteControl.Command> changes = new CopyOnWriteArrayList<>();
    GbPlatform platform;
    RemoteControl control;
    Process sipp;

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, RemoteControlIT.DEVICE),
                new Credential(RemoteControlIT.DEVICE, Secret.ofUtf8(RemoteControlIT.SIP_PASSWORD), Map.of()));
        platform = GbPlatform.start(GbPlatformConfig.builder(CenterOptions.DEFAULT_SIP_ID)
                .domain(CenterOptions.DEFAULT_SIP_ID.substring(0, 10)).bindHost("127.0.0.1").udpPort(0).tcpPort(0)
                .queryTimeout(Duration.ofSeconds(30)).build(), scheduler, intake, new InMemorySupervisor(scheduler),
                store, new SimpleMetrics());
        control = new RemoteControl(platform, Map.of(RemoteControlIT.DEVICE, "S1"), Map::of,
                OnvifClient.builder(scheduler, store).build(), new AuditLog(journal, scheduler.clock()),
                scheduler.clock(), changes::add);
    }

    @AfterEach
    void stop() throws Exception {
        if (sipp != null && sipp.isAlive()) {
            sipp.destroy();
            sipp.waitFor(10, TimeUnit.SECONDS);
        }
        control.close();
        platform.close();
        intake.close();
    }

    private void device(String ooc, String result) throws Exception {
        sipp = RemoteControlIT.startDevice(dir, platform.stack().udpAddress().getPort(), ooc, result);
        Await.until(SIPP, () -> platform.registry().get(RemoteControlIT.DEVICE).map(d -> d.registered()).orElse(false),
                () -> "sipp registers: " + sippLog());
    }

    /** What sipp logged so far, for a wait's condition or failure message. */
    private String sippLog() {
        try {
            return RemoteControlIT.sippMessages(dir);
        } catch (Exception e) {
            throw new AssertionError("sipp's logs in " + dir, e);
        }
    }

    /**
     * Waits until the test's one command has ended and its end is audited and told: the command's state changes
     * first, the audit append and the change message follow on the answering thread.
     */
    private RemoteControl.Command awaitEnd(String id) {
        Await.until(SIPP, () -> control.command(id).state() != RemoteControl.State.SENT && audit().size() >= 2
                        && changes.size() >= 2,
                () -> "the command's end, audited (" + audit().size() + " entries): " + sippLog());
        return control.command(id);
    }

    private List<AuditEntry> audit() {
        return new AuditLog(journal, scheduler.clock()).query(AuditQuery.ALL.byAction(AuditAction.REMOTE_CONTROL));
    }

    @Test
    void aDeviceThatRefusesShowsError() throws Exception {
        device("gb28181_guard_ooc.xml", "ERROR");
        RemoteControl.Command c = control.guard(RemoteControlIT.DEVICE, true, Actor.of("zhao", "127.0.0.1"));
        RemoteControl.Command done = awaitEnd(c.id());
        assertThat(done.state()).isEqualTo(RemoteControl.State.ERROR);
        assertThat(done.result()).isEqualTo("ERROR");
        assertThat(audit()).extracting(e -> e.details().get("state")).containsExactly("SENT", "ERROR");
        assertThat(changes).extracting(RemoteControl.Command::state).containsExactly(RemoteControl.State.SENT,
                RemoteControl.State.ERROR);
    }

    @Test
    void aDeviceThatNeverAnswersTimesOutOnTheQueryTimeout() throws Exception {
        device("gb28181_guard_silent_ooc.xml", "OK");
        RemoteControl.Command c = control.guard(RemoteControlIT.DEVICE, false, Actor.of("zhao", "127.0.0.1"));
        Await.until(SIPP, () -> sippLog().contains("<GuardCmd>ResetGuard</GuardCmd>"),
                () -> "sipp got the ResetGuard: " + sippLog());
        scheduler.advance(Duration.ofSeconds(29));
        assertThat(control.command(c.id()).state()).isEqualTo(RemoteControl.State.SENT);
        scheduler.advance(Duration.ofSeconds(1));
        RemoteControl.Command done = awaitEnd(c.id());
        assertThat(done.state()).isEqualTo(RemoteControl.State.TIMEOUT);
        assertThat(done.answeredAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(audit()).extracting(e -> e.details().get("state")).containsExactly("SENT", "TIMEOUT");
    }
}
