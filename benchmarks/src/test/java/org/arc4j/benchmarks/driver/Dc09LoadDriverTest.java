package org.arc4j.benchmarks.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Receiver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the independent C load driver ({@code benchmarks/driver}) with Debian's gcc and runs it briefly: against
 * its null receiver every message must be ACKed, and against arc4j's own DC-09 receiver every frame it makes must
 * be understood (ACK, not DUH or NAK), each connection as its own account; the disk probe forces as often as asked.
 * Only counts and the order of percentiles are asserted, never latencies. A missing gcc or make fails the test
 * when CI=true.
 */
class Dc09LoadDriverTest {
    private static final Path DRIVER = Path.of("driver").toAbsolutePath();
    private static final Path OUT = Path.of("target", "driver").toAbsolutePath();

    @BeforeAll
    static void build() throws Exception {
        boolean tools = onPath("gcc") && onPath("make");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(tools).as("gcc and make (Debian) are needed to build the load driver").isTrue();
        } else {
            assumeTrue(tools, "gcc and make (Debian) are needed to build the load driver");
        }
        Process make = new ProcessBuilder("make", "-s", "-C", DRIVER.toString(), "OUT=" + OUT)
                .redirectErrorStream(true).start();
        String out = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(make.waitFor(120, TimeUnit.SECONDS)).as("make finished").isTrue();
        assertThat(make.exitValue()).as("make: " + out).isZero();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theDriversHistogramReportsKnownPercentilesWithinOneSubBucket() throws Exception {
        Process p = new ProcessBuilder(OUT.resolve("dc09load").toString(), "-T").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("p99.9 want 999000 got 999").contains("histogram self-check passed")
                .doesNotContain("WRONG");
    }

    @Test
    void everyMessageIsAckedByTheNullReceiver() throws Exception {
        Path tallyFile = OUT.resolve("nullrcv.err");
        Process receiver = new ProcessBuilder(OUT.resolve("nullrcv").toString(), "-p", "0")
                .redirectError(tallyFile.toFile()).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                    StandardCharsets.US_ASCII));
            String first = r.readLine();
            assertThat(first).startsWith("port ");
            int port = Integer.parseInt(first.substring(5).trim());
            Map<String, String> result = drive(port, 20, 200, 2);
            assertThat(result.get("sent")).isEqualTo("400");
            assertThat(result.get("acked")).isEqualTo("400");
            for (String zero : List.of("nak", "timeouts", "cutoff", "unsent", "bad", "stale")) {
                assertThat(result.get(zero)).as(zero).isEqualTo("0");
            }
        } finally {
            receiver.destroy();
        }
        assertThat(receiver.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String tally = Files.readString(tallyFile, StandardCharsets.US_ASCII).trim();
        assertThat(tally).isEqualTo("frames 400 acks 400 bad 0");
    }

    @Test
    void arc4jsReceiverUnderstandsEveryFrameAndSeesOneAccountPerConnection() throws Exception {
        SystemScheduler scheduler = new SystemScheduler();
        InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
        Dc09Receiver receiver = Dc09Receiver.builder(intake, new InMemoryCredentialStore(),
                        new InMemorySupervisor(scheduler), scheduler)
                .tcp(new InetSocketAddress("127.0.0.1", 0)).threads(1).build();
        receiver.start();
        try {
            Map<String, String> result = drive(receiver.tcpPort(), 10, 50, 2, "-a", "95", "-z", "8");
            assertThat(result.get("acked")).isEqualTo("100");
            assertThat(result.get("nak")).isEqualTo("0");
            assertThat(intake.events()).hasSize(100);
            // -a 95 -z 8: accounts 00000095 to 00000104, zero-padded to eight digits, one per connection
            assertThat(intake.events().stream().map(AlarmEvent::account).distinct().sorted().toList())
                    .containsExactly("00000095", "00000096", "00000097", "00000098", "00000099", "00000100",
                            "00000101", "00000102", "00000103", "00000104");
            assertThat(intake.events()).extracting(AlarmEvent::code).containsOnly("BA");
        } finally {
            receiver.close();
            scheduler.close();
        }
    }

    @Test
    void theFsyncProbeForcesAsOftenAsAskedAndReportsOrderedPercentiles(@TempDir Path dir) throws Exception {
        Map<String, String> result = run(List.of(OUT.resolve("fsyncprobe").toString(), "-d", dir.toString(),
                "-n", "20", "-s", "512", "-l", "ci"));
        assertThat(result).containsEntry("forces", "20").containsEntry("bytes", "512").containsEntry("label", "ci");
        long p50 = Long.parseLong(result.get("p50_us"));
        long p999 = Long.parseLong(result.get("p999_us"));
        long max = Long.parseLong(result.get("max_us"));
        assertThat(p50).isPositive().isLessThanOrEqualTo(p999);
        assertThat(p999).isLessThanOrEqualTo(max);
        try (var left = Files.list(dir)) {
            assertThat(left).as("the probe removes its file").isEmpty();
        }
    }

    @Test
    void anAccountOfMoreThanSixteenDigitsIsRefused() throws Exception {
        Process p = new ProcessBuilder(OUT.resolve("dc09load").toString(), "-z", "17", "-d", "1", "-w", "0")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("an account has 3 to 16 digits");
    }

    /** Runs the driver with no warm-up and returns its RESULT line's fields. */
    private static Map<String, String> drive(int port, int conns, int rate, int seconds, String... extra)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(OUT.resolve("dc09load").toString(), "-p", Integer.toString(port),
                "-c", Integer.toString(conns), "-r", Integer.toString(rate), "-d", Integer.toString(seconds),
                "-w", "0", "-t", "5000", "-l", "ci"));
        cmd.addAll(List.of(extra));
        return run(cmd);
    }

    /** Runs one of the C tools, which must exit 0, and returns its RESULT line's fields. */
    private static Map<String, String> run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd.get(0) + " did not finish: " + out);
        }
        assertThat(p.exitValue()).as(out).isZero();
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow();
        Map<String, String> fields = new HashMap<>();
        for (String kv : line.substring(7).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
    }
}
