package org.arc4j.examples.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Receiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The panel simulator briefly against the SDK's DC-09 receiver in this JVM: every event is answered and counted
 * once, the latency histogram holds one value per ACK, NULL polls are counted apart, and failures show in the
 * counts and the exit verdict.
 */
class PanelSimulatorTest {
    private static final String KEY = "6C1E9A4F27D80B53E4A19C7F0D26B8E5";

    private SystemScheduler scheduler;
    private InMemoryAlarmIntake intake;
    private Dc09Receiver receiver;
    private final List<AlarmEvent> events = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        scheduler = new SystemScheduler();
        intake = new InMemoryAlarmIntake(scheduler.clock());
        intake.addListener(r -> {
            synchronized (events) {
                events.addAll(r.events());
            }
        });
        InMemoryCredentialStore keys = new InMemoryCredentialStore();
        keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "L7"), Credential.of(Secret.ofHex(KEY)));
        receiver = Dc09Receiver.builder(intake, keys, new InMemorySupervisor(scheduler), scheduler)
                .tcp(new InetSocketAddress("127.0.0.1", 0)).udp(new InetSocketAddress("127.0.0.1", 0)).build()
                .start();
    }

    @AfterEach
    void stop() {
        receiver.close();
        scheduler.close();
    }

    private PanelSimulator.Result run(String... args) throws InterruptedException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PanelSimulator.Result r = new PanelSimulator(SimOptions.parse(args))
                .run(new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("panels connected");
        return r;
    }

    @ParameterizedTest(name = "{0} aes={1}")
    @CsvSource({"tcp,false", "tcp,true", "udp,false", "udp,true"})
    void everyEventIsAcknowledgedOnceAndMeasured(String transport, boolean aes) throws Exception {
        boolean udp = transport.equals("udp");
        int port = udp ? receiver.udpPort() : receiver.tcpPort();
        List<String> args = new ArrayList<>(List.of("--target", "127.0.0.1:" + port, "--panels", "8", "--rate", "400",
                "--duration", "1", "--line", "7", "--null-interval", "0.25", "--source-ips",
                "127.0.0.1,127.0.0.2", "--timeout", "5000"));
        if (udp) {
            args.add("--udp");
        }
        if (aes) {
            args.addAll(List.of("--key", KEY));
        }
        PanelSimulator.Result r = run(args.toArray(String[]::new));
        assertThat(r.sent()).isEqualTo(400);
        assertThat(r.acked()).isEqualTo(400);
        assertThat(r.naks() + r.duhs() + r.timeouts()).isZero();
        assertThat(r.allAcknowledged()).isTrue();
        assertThat(r.latency().getTotalCount()).isEqualTo(400);
        assertThat(r.pollsSent()).isPositive();
        assertThat(r.pollsAcked()).isEqualTo(r.pollsSent());
        synchronized (events) {
            assertThat(events).hasSize(400);
            assertThat(events.stream().map(AlarmEvent::account).distinct().count()).isEqualTo(8);
            assertThat(events.stream().map(AlarmEvent::code).distinct().toList()).containsExactly("RP");
        }
        assertThat(r.summary()).contains("p99.9").contains("acked 400");
    }

    @Test
    void aSecondRunIsNotTakenForRetransmissionsOfTheFirst() throws Exception {
        for (int i = 0; i < 2; i++) {
            PanelSimulator.Result r = run("--target", "127.0.0.1:" + receiver.tcpPort(), "--panels", "3", "--rate",
                    "300", "--duration", "0.5", "--timeout", "5000");
            assertThat(r.acked()).isEqualTo(150);
        }
        synchronized (events) {
            assertThat(events).hasSize(300);
        }
    }

    @Test
    void aWrongKeyIsCountedAsNakAndFailsTheRun() throws Exception {
        PanelSimulator.Result r = run("--target", "127.0.0.1:" + receiver.tcpPort(), "--panels", "2", "--rate", "20",
                "--duration", "0.5", "--line", "7", "--key", "0F1E2D3C4B5A69788796A5B4C3D2E1F0", "--timeout", "5000");
        assertThat(r.sent()).isEqualTo(10);
        assertThat(r.naks()).isEqualTo(10);
        assertThat(r.allAcknowledged()).isFalse();
    }

    @Test
    void aDeadTargetFailsTheRun() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        PanelSimulator.Result r = run("--target", "127.0.0.1:" + dead, "--panels", "2", "--rate", "10",
                "--duration", "0.2", "--timeout", "500");
        assertThat(r.connectFailures()).isEqualTo(2);
        assertThat(r.acked()).isZero();
        assertThat(r.allAcknowledged()).isFalse();
    }

    @Test
    void panelsFailOverToTheSecondaryPathAndLogEveryAckedEvent(@TempDir Path dir) throws Exception {
        // the primary accepts connections and reads, but never answers: a centre that cannot make events durable
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(h -> {
                        try {
                            h.close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path acked = dir.resolve("acked.log");
            SimOptions o = SimOptions.parse("--target", "127.0.0.1:" + silent.getLocalPort() + ",127.0.0.1:"
                    + receiver.tcpPort(), "--acked-log", acked.toString(), "--panels", "4", "--rate", "20",
                    "--duration", "1", "--timeout", "300", "--retries", "2");
            assertThat(o.panelMode()).isTrue();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            FailoverPanels panels = new FailoverPanels(o);
            PanelSimulator.Result r = panels.run(new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(r.sent()).isEqualTo(20);
            assertThat(r.acked()).isEqualTo(20);
            assertThat(r.allAcknowledged()).isTrue();
            assertThat(panels.failovers()).as("each panel gave up on the silent primary once").isEqualTo(4);
            List<String> lines = Files.readAllLines(acked);
            assertThat(lines).hasSize(20).allMatch(l -> l.endsWith(" 127.0.0.1:" + receiver.tcpPort()));
            synchronized (events) {
                assertThat(events).hasSize(20);
                assertThat(lines).allSatisfy(l -> {
                    String[] f = l.split(" ");
                    assertThat(events).anyMatch(e -> e.account().equals(f[0]) && f[2].equals(e.zone()));
                });
            }
        }
    }

    @Test
    void aPanelWithNoAnsweringPathLogsNothing(@TempDir Path dir) throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Path acked = dir.resolve("acked.log");
        PanelSimulator.Result r = new FailoverPanels(SimOptions.parse("--target", "127.0.0.1:" + dead,
                "--acked-log", acked.toString(), "--rate", "10", "--duration", "0.2", "--timeout", "200"))
                .run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(r.sent()).isEqualTo(2);
        assertThat(r.acked()).isZero();
        assertThat(r.timeouts()).isEqualTo(2);
        assertThat(Files.readAllLines(acked)).isEmpty();
    }

    @Test
    void badOptionsAreOneLine() {
        assertThatThrownBy(() -> SimOptions.parse("--panels", "3")).hasMessage("--target HOST:PORT is required");
        assertThatThrownBy(() -> SimOptions.parse("--target", "x")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> SimOptions.parse("--target", "h:1", "--key", "abc")).hasMessageContaining("hex");
        assertThatThrownBy(() -> SimOptions.parse("--target", "h:1", "--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> SimOptions.parse("--target", "h:1,h:2,h:3")).hasMessageContaining("one or two");
        assertThatThrownBy(() -> SimOptions.parse("--target", "h:1,h:2", "--udp")).hasMessageContaining("TCP only");
    }

    @Test
    void theSelfTestsNullReceiverAnswersEveryFrameAndTheSimulatorCountsEachOnce() throws Exception {
        try (NullReceiver nul = new NullReceiver()) {
            PanelSimulator.Result r = run("--target", "127.0.0.1:" + nul.address().getPort(), "--panels", "20",
                    "--rate", "500", "--duration", "1", "--timeout", "5000");
            assertThat(r.sent()).isEqualTo(500);
            assertThat(r.acked()).isEqualTo(500);
            assertThat(r.latency().getTotalCount()).isEqualTo(500);
            // the priming polls before the measured run are answered too, and counted nowhere in the result
            assertThat(nul.answered()).isGreaterThan(500);
            assertThat(r.pollsSent()).isZero();
            assertThat(r.pollsAcked()).isZero();
        }
    }

    @Test
    void digitsArePaddedWithoutFormat() {
        assertThat(PanelSimulator.digits(7, 4)).isEqualTo("0007");
        assertThat(PanelSimulator.digits(9999, 4)).isEqualTo("9999");
        assertThat(PanelSimulator.digits(42, 3)).isEqualTo("042");
    }
}
