package org.arc4j.gb28181.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.sip.SipTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.arc4j.core.testsupport.RealPeers;

/**
 * The platform against sipp (Debian package sip-tester) playing a GB/T 28181 device from the scenario files in
 * {@code src/test/resources/sipp}: digest registration, keepalive, a Catalog in two parts, an alarm, and a wrong
 * password; then, on virtual time, the silence after sipp has gone takes the device offline.
 */
class SippDeviceIT {
    static final String PLATFORM = "34020000002000000001";
    static final String DEVICE = "34020000001320000001";
    static final String PASSWORD = "12345678";
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    static final List<String> FILES = List.of("gb28181_device.xml", "gb28181_device_ooc.xml",
            "gb28181_device_wrong_password.xml", "gb2312_keepalive.xml", "gb2312_alarm_notify.xml",
            "gb2312_catalog_head.xml", "gb2312_catalog_part1.xml", "gb2312_catalog_part2.xml");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final List<SupervisionEvent> supervision = new CopyOnWriteArrayList<>();
    GbPlatform platform;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        for (String f : FILES) {
            try (InputStream in = SippDeviceIT.class.getResourceAsStream("/sipp/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential(DEVICE, Secret.ofUtf8(PASSWORD), Map.of()));
        supervisor.addListener(supervision::add);
        platform = GbPlatform.start(GbPlatformConfig.builder(PLATFORM).bindHost("127.0.0.1").udpPort(0).tcpPort(0)
                .build(), scheduler, intake, supervisor, store, new SimpleMetrics());
    }

    @AfterEach
    void stop() {
        if (platform != null) {
            platform.close();
        }
        intake.close();
    }

    private int sipp(SipTransport t, String scenario, String password, boolean ooc) throws Exception {
        int remote = t == SipTransport.UDP ? platform.stack().udpAddress().getPort()
                : platform.stack().tcpAddress().getPort();
        List<String> cmd = new ArrayList<>(List.of("sipp", "127.0.0.1:" + remote, "-sf", scenario,
                "-t", t == SipTransport.UDP ? "u1" : "t1", "-i", "127.0.0.1", "-p", Integer.toString(freePort(t)),
                "-m", "1", "-key", "dev", DEVICE, "-key", "platform", PLATFORM, "-key", "domain", "3402000000",
                "-au", DEVICE, "-ap", password, "-timeout", "30s", "-timeout_error", "-nostdin",
                "-trace_err", "-trace_msg"));
        if (ooc) {
            cmd.addAll(List.of("-oocsf", "gb28181_device_ooc.xml"));
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sipp.out").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sipp did not finish");
        }
        return p.exitValue();
    }

    private String logs() throws IOException {
        return org.arc4j.gb28181.SippLogs.of(dir);
    }

    private static int freePort(SipTransport t) throws IOException {
        if (t == SipTransport.UDP) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void deviceRegistersKeepsAliveAnswersCatalogRaisesAnAlarmThenFallsSilent(SipTransport t) throws Exception {
        int rc = sipp(t, "gb28181_device.xml", PASSWORD, true);
        assertThat(rc).as(logs()).isZero();

        GbDevice d = platform.registry().get(DEVICE).orElseThrow();
        assertThat(d.registered()).isTrue();
        assertThat(d.peer().transport()).isEqualTo(t);
        assertThat(d.userAgent()).isEqualTo("sipp GB28181 device");
        assertThat(d.lastKeepalive()).isEqualTo(T0);
        assertThat(d.channels()).as(logs()).hasSize(3);
        assertThat(d.channels().get(DEVICE).name()).isEqualTo("前门摄像机");
        assertThat(d.alarmInputs()).extracting(GbChannel::zone).containsExactlyInAnyOrder("1", "2");

        List<AlarmEvent> events = intake.events();
        assertThat(events).hasSize(1);
        AlarmEvent e = events.get(0);
        assertThat(e.account()).isEqualTo(DEVICE);
        assertThat(e.code()).isEqualTo("2");
        assertThat(e.category()).isEqualTo(Category.INTRUSION);
        assertThat(e.zone()).isEqualTo("1");
        assertThat(e.description()).isEqualTo("前门红外入侵");
        assertThat(e.triggeredAt()).isEqualTo(Instant.parse("2026-03-01T02:00:05Z"));

        // sipp has gone: no more keepalives. On virtual time the supervisor declares it offline at 3 x 60 s.
        assertThat(supervision).isEmpty();
        scheduler.advance(Duration.ofSeconds(179));
        assertThat(supervision).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(supervision).hasSize(1);
        SupervisionEvent.Offline off = (SupervisionEvent.Offline) supervision.get(0);
        assertThat(off.device()).isEqualTo(GbPlatform.deviceKey(DEVICE));
        assertThat(off.lastSeen()).isEqualTo(T0);
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void wrongPasswordIsForbidden(SipTransport t) throws Exception {
        int rc = sipp(t, "gb28181_device_wrong_password.xml", "not-" + PASSWORD, false);
        assertThat(rc).as(logs()).isZero();
        assertThat(platform.registry().get(DEVICE)).isEmpty();
        assertThat(supervisor.all()).isEmpty();
    }
}
