package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testsupport.RealPeers;

/**
 * End to end: the packaged centre as its own JVM, DC-09 from the SDK's transmitter over TCP and UDP, plain and
 * AES, read back through the REST API; SIGTERM stops it cleanly; SIGKILL in the middle of a load run followed by
 * a restart loses no acknowledged event.
 */
class CenterProcessIT {
    private static final String ADMIN_PASSWORD = "Zk4!pRt8#Wm2-qLv";
    private static final Map<String, String> ENV = Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD);

    @TempDir
    Path dir;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final List<CenterProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (CenterProcess p : processes) {
            p.close();
        }
        scheduler.close();
    }

    private CenterProcess start(String... extra) throws Exception {
        CenterProcess p = CenterProcess.start(dir.resolve("data"), ENV, extra);
        processes.add(p);
        return p;
    }

    private Dc09Transmitter transmitter(CenterProcess p, boolean udp, String account, String key) {
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", udp ? p.dc09Udp : p.dc09Tcp);
        return Dc09Transmitter.builder(scheduler).path(udp ? Dc09Path.udp(to) : Dc09Path.tcp(to)).account(account)
                .key(key == null ? null : Dc09Key.ofHex(key)).attemptsPerPath(1).build();
    }

    @Test
    void plainAndEncryptedAlarmsOverTcpAndUdpAreReadBackThroughTheApi() throws Exception {
        CenterProcess p = start("--config", Path.of("config/center.yaml").toString());
        try (Dc09Transmitter plainTcp = transmitter(p, false, "5678", null);
             Dc09Transmitter aesUdp = transmitter(p, true, "1234", ReferenceCenterTest.KEY);
             Dc09Transmitter aesTcp = transmitter(p, false, "1234", ReferenceCenterTest.KEY)) {
            assertThat(plainTcp.sendSia("#5678|NFA010").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
            assertThat(aesUdp.sendContactId("#1234|1130 01 002").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
            assertThat(aesTcp.sendSia("#1234|NPA003").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        CenterClient api = new CenterClient(p.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        JsonNode events = api.await("/api/events", b -> b.path("events").size() == 3).path("events");
        Set<String> seen = new HashSet<>();
        events.forEach(e -> seen.add(e.path("account").asText() + " " + e.path("category").asText() + " "
                + e.path("zone").asText() + " " + e.path("extended").path("encrypted").asText("false")));
        assertThat(seen).containsExactlyInAnyOrder("5678 FIRE 010 false", "1234 INTRUSION 002 true",
                "1234 EMERGENCY 003 true");
        JsonNode cases = api.await("/api/cases", b -> b.path("cases").size() == 3).path("cases");
        // queue order: fire and panic before intrusion
        assertThat(cases.get(cases.size() - 1).path("category").asText()).isEqualTo("INTRUSION");

        assertThat(p.stop()).isIn(0, 143);
        assertThat(String.join("\n", p.output)).contains("stopped; journal closed");
    }

    @Test
    void gb28181AlarmFromSippIsReadBackThroughTheApi() throws Exception {
        RealPeers.require(new java.io.File("/usr/bin/sipp").canExecute(),
                "sipp (Debian package sip-tester)");
        String device = "34020000001320000001";
        Path sipp = java.nio.file.Files.createDirectories(dir.resolve("sipp"));
        for (String f : List.of("gb28181_device.xml", "gb28181_device_ooc.xml", "gb2312_keepalive.xml",
                "gb2312_alarm_notify.xml", "gb2312_catalog_head.xml", "gb2312_catalog_part1.xml",
                "gb2312_catalog_part2.xml")) {
            try (java.io.InputStream in = CenterProcessIT.class.getResourceAsStream("/sipp/" + f)) {
                java.nio.file.Files.copy(in, sipp.resolve(f));
            }
        }
        Path config = dir.resolve("gb.yaml");
        java.nio.file.Files.writeString(config, String.join("\n",
                "customers:",
                "  - id: C9",
                "    name: 仓库客户",
                "    sites:",
                "      - id: S9",
                "        name: 一号仓库",
                "        zones: [ { number: \"1\", name: 前门 } ]",
                "gb28181:",
                "  armOnRegister: false",
                "  devices:",
                "    - { id: \"" + device + "\", password: \"Cam-Reg-2026!x\", customer: C9, site: S9 }",
                ""));
        CenterProcess p = start("--config", config.toString());
        assertThat(p.sipUdp).isPositive();
        List<String> cmd = List.of("sipp", "127.0.0.1:" + p.sipUdp, "-sf", "gb28181_device.xml", "-oocsf",
                "gb28181_device_ooc.xml", "-t", "u1", "-i", "127.0.0.1", "-p", "0", "-m", "1",
                "-key", "dev", device, "-key", "platform", CenterOptions.DEFAULT_SIP_ID, "-key", "domain",
                CenterOptions.DEFAULT_SIP_ID.substring(0, 10), "-au", device, "-ap", "Cam-Reg-2026!x",
                "-timeout", "30s", "-timeout_error", "-nostdin", "-trace_err");
        Process sippProcess = new ProcessBuilder(cmd).directory(sipp.toFile()).redirectErrorStream(true)
                .redirectOutput(sipp.resolve("sipp.out").toFile()).start();
        assertThat(sippProcess.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(sippProcess.exitValue()).as(() -> {
            try {
                return java.nio.file.Files.readString(sipp.resolve("sipp.out"),
                        java.nio.charset.StandardCharsets.ISO_8859_1) + p.output;
            } catch (java.io.IOException e) {
                return e.toString();
            }
        }).isZero();
        CenterClient api = new CenterClient(p.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        JsonNode events = api.await("/api/events", b -> b.path("events").size() >= 1).path("events");
        JsonNode alarm = events.get(0);
        assertThat(alarm.path("account").asText()).isEqualTo(device);
        assertThat(alarm.path("category").asText()).isEqualTo("INTRUSION");
        assertThat(alarm.path("extended").has("flag")).isFalse();
        JsonNode cases = api.await("/api/cases", b -> b.path("cases").size() == 1).path("cases");
        assertThat(cases.get(0).path("customer").asText()).isEqualTo("仓库客户");
        assertThat(cases.get(0).path("zoneName").asText()).isEqualTo("前门");
        JsonNode devices = api.get("/api/devices").body().path("devices");
        assertThat(devices.findValuesAsText("device")).anyMatch(d -> d.contains(device));
        ObjectNode pw = CenterClient.JSON.createObjectNode().put("password", "New-Cam-Pass-77!");
        assertThat(api.call("PUT", "/api/gb28181/devices/" + device, pw).status()).isEqualTo(200);
        assertThat(api.call("PUT", "/api/gb28181/devices/" + device,
                CenterClient.JSON.createObjectNode().put("password", "12345678")).status()).isEqualTo(400);
    }

    private static String[] failedStart(String... args) throws Exception {
        java.util.List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), ReferenceCenter.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        // the test class path holds a second SLF4J provider (sdk-core's test kit), which SLF4J reports; the launcher's
        // class path has only one
        return err.strip().lines().filter(l -> !l.startsWith("SLF4J(")).toArray(String[]::new);
    }

    @Test
    void badFlagsAndBadConfigurationGiveOneLineAndExit2() throws Exception {
        assertThat(failedStart("--http", "eighty")).containsExactly(
                "arc4j-center: --http must be a port number 0-65535, got 'eighty'");
        assertThat(failedStart("--frobnicate", "1")).containsExactly(
                "arc4j-center: unknown option --frobnicate (see --help)");
        Path bad = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(bad, "customers:\n  - { id: C1, name: x, sites: [ { id: S1, accounts: "
                + "[ { account: \"12\" } ] } ] }\n");
        String[] lines = failedStart("--data", dir.resolve("d").toString(), "--config", bad.toString());
        assertThat(lines).hasSize(1);
        assertThat(lines[0]).startsWith("arc4j-center: config ").contains("3 to 16 hex digits");
    }

    @Test
    void sigkillDuringALoadRunLosesNoAcknowledgedEvent() throws Exception {
        CenterProcess p = start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        CountDownLatch enoughAcked = new CountDownLatch(300);
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> panels = new ArrayList<>();
        List<Dc09Transmitter> txs = new ArrayList<>();
        for (int panel = 0; panel < 8; panel++) {
            String account = "7" + String.format("%03d", panel);
            Dc09Transmitter tx = transmitter(p, panel % 2 == 1, account, null);
            txs.add(tx);
            panels.add(CompletableFuture.runAsync(() -> {
                for (int zone = 1; zone < 1000 && !stop.get(); zone++) {
                    String data = "#" + account + "|NBA" + String.format("%03d", zone);
                    try {
                        Dc09SendResult r = tx.sendSia(data).toCompletableFuture().get(30, TimeUnit.SECONDS);
                        if (r.isAcknowledged()) {
                            acked.add(account + "/" + String.format("%03d", zone));
                            enoughAcked.countDown();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
        }
        enoughAcked.await(60, TimeUnit.SECONDS);
        p.kill(); // SIGKILL while the panels keep sending
        stop.set(true);
        for (CompletableFuture<Void> f : panels) {
            f.get(60, TimeUnit.SECONDS);
        }
        txs.forEach(Dc09Transmitter::close);
        Set<String> ackedAtKill = Set.copyOf(acked);
        assertThat(ackedAtKill).hasSizeGreaterThanOrEqualTo(300);

        CenterProcess again = start();
        CenterClient api = new CenterClient(again.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        JsonNode events = api.get("/api/events?limit=100000").body().path("events");
        Set<String> stored = new HashSet<>();
        events.forEach(e -> stored.add(e.path("account").asText() + "/" + e.path("zone").asText()));
        assertThat(stored).containsAll(ackedAtKill);
        // every event is there once, also those whose ACK the kill cut off
        assertThat(events.size()).isEqualTo(stored.size());
        // the restarted centre recovered the open cases of those alarms
        assertThat(api.get("/api/cases").body().path("cases").size()).isEqualTo(stored.size());
    }

    @Test
    void statisticsAreTheSameAfterASigkillAndARestart() throws Exception {
        CenterProcess p = start();
        CenterClient admin = new CenterClient(p.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient op = operator(admin, p);
        // two alarms worked through the API: one verified false (pet), one forwarded to the police, closed and
        // marked a false alarm
        try (Dc09Transmitter tx = transmitter(p, false, "8001", null)) {
            assertThat(tx.sendSia("#8001|NBA001").toCompletableFuture().get(30, TimeUnit.SECONDS).isAcknowledged())
                    .isTrue();
            assertThat(tx.sendSia("#8001|NFA002").toCompletableFuture().get(30, TimeUnit.SECONDS).isAcknowledged())
                    .isTrue();
        }
        JsonNode cases = op.await("/api/cases", b -> b.path("cases").size() == 2).path("cases");
        for (JsonNode c : cases) {
            String id = c.path("id").asText();
            boolean fire = c.toString().contains("FIRE");
            assertThat(op.call("POST", "/api/cases/" + id + "/displayed", CenterClient.JSON.createObjectNode())
                    .status()).isEqualTo(200);
            assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("take")).status()).isEqualTo(200);
            assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("verify").put("method", "video")
                    .put("result", fire ? "real" : "false").put("cause", fire ? null : "pet")).status())
                    .isEqualTo(200);
            if (fire) {
                assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("forward")).status())
                        .isEqualTo(200);
            }
            assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("close").put("result", "done"))
                    .status()).isEqualTo(200);
            if (fire) { // the police found nothing: a false alarm of the centre's making (警情误报)
                assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("mark-false-alarm")
                        .put("cause", "centre-error")).status()).isEqualTo(200);
            }
        }
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        assertThat(admin.call("POST", "/api/missed-alarms", CenterClient.JSON.createObjectNode()
                .put("description", "8001 hold-up never shown")).status()).isEqualTo(201);
        assertThat(admin.call("POST", "/api/faults", CenterClient.JSON.createObjectNode().put("id", "F1")
                .put("classification", "communication")).status()).isEqualTo(201);
        assertThat(admin.call("POST", "/api/faults", CenterClient.JSON.createObjectNode().put("id", "F2")
                .put("classification", "power").put("openedAt", Instant.now().minusSeconds(3600).toString())
                .put("closedAt", Instant.now().toString())).status()).isEqualTo(201);
        assertThat(admin.call("POST", "/api/satisfaction", CenterClient.JSON.createObjectNode()
                .put("customerId", "C1").put("score", 75)).status()).isEqualTo(201);
        Instant now = Instant.now();
        String period = "/api/stats?from=" + now.minusSeconds(86_400) + "&to=" + now.plusSeconds(86_400);
        JsonNode before = admin.get(period).body();
        JsonNode monthBefore = admin.get("/api/stats/faults?month=" + month).body();
        assertThat(before.path("policeForwards").asLong()).isEqualTo(1);
        assertThat(before.path("falseAlarms").asLong()).isEqualTo(1);
        assertThat(before.path("missedAlarms").asLong()).isEqualTo(1);
        assertThat(before.path("faults").asLong()).isEqualTo(2);
        assertThat(before.path("repairedIn24h").asLong()).isEqualTo(1);
        assertThat(before.path("satisfaction").asDouble()).isEqualTo(75.0);
        assertThat(monthBefore.path("falseAlarmCauses").path("pet").asLong()).isEqualTo(1);
        assertThat(monthBefore.path("faultsByClass").size()).isEqualTo(2);
        assertThat(monthBefore.path("alarmsByCategory").size()).isEqualTo(2);

        p.kill();
        CenterProcess again = start();
        CenterClient after = new CenterClient(again.base());
        assertThat(after.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(after.get(period).body()).isEqualTo(before);
        assertThat(after.get("/api/stats/faults?month=" + month).body()).isEqualTo(monthBefore);
    }

    /** An operator with the own password set (nothing is allowed before that). */
    private static CenterClient operator(CenterClient admin, CenterProcess p) throws Exception {
        return admin.newUser("wang", "operator");
    }

    private static ObjectNode action(String a) {
        return CenterClient.JSON.createObjectNode().put("action", a);
    }
}
