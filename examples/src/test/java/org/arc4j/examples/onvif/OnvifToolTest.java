package org.arc4j.examples.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.protocols.onvif.ProbeMatch;
import org.arc4j.protocols.onvif.testkit.TestDiscoveryResponder;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/**
 * {@code bin/arc4j-onvif} run in-process against sdk-protocols' test ONVIF device (recorded camera answers,
 * strict WS-Security) and its WS-Discovery responder over loopback multicast: what each command prints, that a
 * wrong password is one line on stderr and exit 1, and that usage errors exit 2.
 */
class OnvifToolTest {
    static final String PASSWORD = "tool-Secret-7";
    final TestOnvifDevice camera = TestOnvifDevice.start(Clock.systemUTC(), "admin", PASSWORD);
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        camera.close();
    }

    /** One run's exit status and output. */
    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static final class Streams {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

        synchronized String out() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static Run run(Map<String, String> env, String... args) {
        Streams s = new Streams();
        int exit = OnvifTool.run(args, s.outStream, s.errStream, env, new CompletableFuture<>());
        return new Run(exit, s.out(), s.err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String... args) {
        return run(Map.of(), args);
    }

    String url() {
        return camera.address().toString();
    }

    String host() {
        return "127.0.0.1:" + camera.address().getPort();
    }

    @Test
    void infoPrintsManufacturerAndModelFromTheRecordedAnswer() throws Exception {
        Run r = run(Map.of(OnvifTool.PASSWORD_ENV, PASSWORD), "info", url(), "--user", "admin");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).hasSize(1);
        JsonNode n = json.readTree(r.outLines().get(0));
        assertThat(n.get("manufacturer").asText()).isEqualTo("Mockup Manufacturer");
        assertThat(n.get("model").asText()).isEqualTo("Mockup Model");
        assertThat(n.get("clockOffsetSeconds").isNumber()).isTrue();
        assertThat(camera.operations()).contains("GetSystemDateAndTime", "GetDeviceInformation");
    }

    @Test
    void profilesListsEachProfileWithItsStreamUriAtTheAddressReached() throws Exception {
        Run r = run("profiles", url(), "--password", PASSWORD);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).isNotEmpty();
        for (String line : r.outLines()) {
            JsonNode n = json.readTree(line);
            assertThat(n.get("token").asText()).isNotEmpty();
            // the camera reports its private address; the tool shows where the centre will really connect
            assertThat(n.get("streamUri").asText()).isEqualTo("rtsp://127.0.0.1/h264main");
            assertThat(n.get("reportedStreamUri").asText()).isEqualTo("rtsp://" + TestOnvifDevice.PRIVATE_HOST
                    + "/h264main");
        }
        assertThat(r.outLines()).anySatisfy(l -> assertThat(json.readTree(l).get("token").asText()).isEqualTo("main"));
        assertThat(camera.count("GetStreamUri")).isEqualTo(r.outLines().size());
    }

    @Test
    void wrongPasswordIsOneErrorLineAndExit1() {
        Run r = run(Map.of(OnvifTool.PASSWORD_ENV, "not-the-password"), "info", url());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("arc4j-onvif: " + host()
                + ": not authorized (wrong user or password)");
        assertThat(r.err()).doesNotContain("not-the-password");
        assertThat(camera.refusals()).isPositive();

        Run events = run("events", url(), "--password", "not-the-password", "--duration", "30s");
        assertThat(events.exit()).isEqualTo(1);
        assertThat(events.errLines()).containsExactly("arc4j-onvif: " + host()
                + ": not authorized (wrong user or password)");
    }

    @Test
    void anUnreachableDeviceIsOneErrorLineAndExit1() {
        // a port nothing listens on: the camera's, after it closed
        String gone = url();
        camera.close();
        Run r = run("info", gone, "--password", PASSWORD);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("arc4j-onvif: " + host() + ": cannot connect");
    }

    @Test
    void eventsPrintsAJsonLineForMotionWithItsGa1383Category() throws Exception {
        Streams s = new Streams();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> OnvifTool.run(
                new String[] {"events", url(), "--password", PASSWORD}, s.outStream, s.errStream, Map.of(), stop));
        // the Initialized burst: the five states the camera reports, none an alarm
        await(() -> s.out().lines().count() >= 5, s);
        camera.motion(true);
        await(() -> s.out().contains("\"NEW_EVENT\""), s);
        stop.complete(null);
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(s.err.toString(StandardCharsets.UTF_8)).isEmpty();

        List<JsonNode> lines = new ArrayList<>();
        for (String l : s.out().lines().toList()) {
            lines.add(json.readTree(l));
        }
        assertThat(lines.subList(0, 5)).allSatisfy(n -> {
            assertThat(n.get("operation").asText()).isEqualTo("Initialized");
            assertThat(n.get("alarm").isNull()).isTrue();
        });
        JsonNode motion = lines.stream().filter(n -> n.get("topic").asText().equals("tns1:VideoSource/MotionAlarm")
                && n.get("operation").asText().equals("Changed")).findFirst().orElseThrow();
        assertThat(motion.get("source").get("Source").asText()).isEqualTo("VideoSource_1");
        assertThat(motion.get("data").get("State").asText()).isEqualTo("true");
        JsonNode alarm = motion.get("alarm");
        assertThat(alarm.get("category").asText()).isEqualTo("INTRUSION");
        assertThat(alarm.get("qualifier").asText()).isEqualTo("NEW_EVENT");
        assertThat(alarm.get("code").asText()).isEqualTo("VideoSource/MotionAlarm");
        // the zone is the video source as the device's profiles name it: the test device answers Media ver10's
        // GetProfiles with another camera's recording, whose one video source is vidsrc0
        assertThat(alarm.get("zone").asText()).isEqualTo("vidsrc0");
        // Ctrl-C ends the subscription on the camera instead of leaving it to expire
        assertThat(camera.count("Unsubscribe")).isEqualTo(1);
    }

    @Test
    void discoverFindsTheResponderOverLoopbackMulticast() throws Exception {
        NetworkInterface lo = TestDiscoveryResponder.loopback();
        int port = ThreadLocalRandom.current().nextInt(40_000, 60_000);
        InetSocketAddress group = new InetSocketAddress("239.255.255.250", port);
        try (TestDiscoveryResponder a = TestDiscoveryResponder.start(group, lo, "urn:uuid:tool-1",
                "http://10.0.0.9/onvif/device_service", 2)) {
            Run r = run("discover", "--interface", lo.getName(), "--port", Integer.toString(port),
                    "--timeout", "1500ms");
            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(r.outLines()).hasSize(1); // two copies and two decoys: one device
            JsonNode n = json.readTree(r.outLines().get(0));
            assertThat(n.get("endpointReference").asText()).isEqualTo("urn:uuid:tool-1");
            assertThat(n.get("xaddrs").get(0).asText()).isEqualTo("http://10.0.0.9/onvif/device_service");
            assertThat(n.get("name").asText()).isEqualTo("PREDATOR");
            assertThat(n.get("from").asText()).startsWith("127.");
            assertThat(a.probes()).isEqualTo(1);
        }
    }

    @Test
    void discoverLineCarriesScopesDecoded() throws Exception {
        ProbeMatch m = new ProbeMatch("urn:uuid:x", List.of("dn:NetworkVideoTransmitter"),
                List.of("onvif://www.onvif.org/name/Gate%20Camera", "onvif://www.onvif.org/hardware/IPC-1"),
                List.of(URI.create("http://192.0.2.10/onvif/device_service")), 1,
                new InetSocketAddress("192.0.2.10", 3702));
        JsonNode n = json.readTree(OnvifTool.describe(json, m));
        assertThat(n.get("name").asText()).isEqualTo("Gate Camera");
        assertThat(n.get("hardware").asText()).isEqualTo("IPC-1");
        assertThat(n.get("from").asText()).isEqualTo("192.0.2.10:3702");
        assertThat(n.get("types").get(0).asText()).isEqualTo("dn:NetworkVideoTransmitter");
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        Run noPassword = run("info", url());
        assertThat(noPassword.exit()).isEqualTo(2);
        assertThat(noPassword.errLines()).containsExactly("arc4j-onvif: no password: give --password or set "
                + OnvifTool.PASSWORD_ENV);

        Run badDuration = run("events", url(), "--password", PASSWORD, "--duration", "soon");
        assertThat(badDuration.exit()).isEqualTo(2);
        assertThat(badDuration.errLines()).containsExactly("arc4j-onvif: --duration is not a duration: soon");

        Run unknown = run("info", url(), "--pasword", PASSWORD);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("arc4j-onvif: unknown option --pasword (see --help)");
        assertThat(unknown.err()).doesNotContain(PASSWORD);

        Run noCommand = run();
        assertThat(noCommand.exit()).isEqualTo(2);
        assertThat(noCommand.errLines()).hasSize(1);

        Run noUrl = run("profiles", "--password", PASSWORD);
        assertThat(noUrl.exit()).isEqualTo(2);
        assertThat(noUrl.errLines()).hasSize(1);

        Run badInterface = run("discover", "--interface", "no-such-nic0");
        assertThat(badInterface.exit()).isEqualTo(2);
        assertThat(badInterface.errLines()).containsExactly("arc4j-onvif: no network interface no-such-nic0");
    }

    @Test
    void helpAndVersion() {
        Run help = run("events", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--duration", "--password", "--user", OnvifTool.PASSWORD_ENV);
        Run top = run("--help");
        assertThat(top.out()).contains("discover", "info", "profiles", "events");
        Run version = run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("arc4j-onvif ");
    }

    @Test
    void hostAloneMeansTheUsualDeviceServicePath() {
        assertThat(OnvifTool.address("192.0.2.10")).isEqualTo(URI.create("http://192.0.2.10/onvif/device_service"));
        assertThat(OnvifTool.address("192.0.2.10:8080"))
                .isEqualTo(URI.create("http://192.0.2.10:8080/onvif/device_service"));
        assertThat(OnvifTool.address("https://cam.example/onvif/device_service"))
                .isEqualTo(URI.create("https://cam.example/onvif/device_service"));
    }

    /** Waits for the tool's I/O with the device (real time: the tool runs on the system scheduler). */
    static void await(BooleanSupplier condition, Streams s) {
        Await.until(Duration.ofSeconds(30), condition,
                () -> "out: " + s.out() + " err: " + s.err.toString(StandardCharsets.UTF_8));
    }
}
