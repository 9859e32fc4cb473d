package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditEntry;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.AuditQuery;
import org.arc4j.core.store.Journal;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference centre in this JVM on free ports, driven through its REST API with {@code java.net.http} and fed
 * by the SDK's DC-09 transmitter: the README's API, permissions, errors, the unknown-account flag, the encrypted
 * path, the WebSocket push and what survives a restart.
 */
class ReferenceCenterTest {
    static final String KEY = "3A7F19C2E84B6D05F1A2C9E7B3D48E61";
    static final String ADMIN_PASSWORD = "Qz7!mVr2#Lp9-xWt";

    @TempDir
    Path dir;
    private ReferenceCenter centre;
    private SystemScheduler scheduler;
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private CenterClient admin;

    @BeforeEach
    void start() throws Exception {
        scheduler = new SystemScheduler();
        centre = startCentre(Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD));
        admin = new CenterClient(base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
    }

    private ReferenceCenter startCentre(Map<String, String> env) throws Exception {
        CenterOptions o = CenterOptions.parse("--data", dir.resolve("data").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0", "--config",
                Path.of("config/center.yaml").toString());
        return ReferenceCenter.start(o, env, new PrintStream(terminal, true, StandardCharsets.UTF_8));
    }

    private String base() {
        return "http://127.0.0.1:" + centre.httpAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (centre != null) {
            centre.close();
        }
        scheduler.close();
    }

    private Dc09SendResult send(String account, Dc09Key key, boolean udp, String data) throws Exception {
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", udp ? centre.dc09UdpPort() : centre.dc09TcpPort());
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(udp ? Dc09Path.udp(to) : Dc09Path.tcp(to))
                .account(account).key(key).attemptsPerPath(1).build()) {
            return tx.sendSia(data).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    private CenterClient operator() throws Exception {
        return user("wang", "operator");
    }

    /** A user of a role, logged in with the own password set (the administrator's is temporary). */
    private CenterClient user(String name, String role) throws Exception {
        ObjectNode u = CenterClient.JSON.createObjectNode().put("username", name).put("password", "Tmp-Pass-4821!q")
                .put("role", role);
        assertThat(admin.call("POST", "/api/users", u).status()).isEqualTo(201);
        CenterClient op = new CenterClient(base());
        assertThat(op.login(name, "Tmp-Pass-4821!q").body().path("passwordChangeRequired").asBoolean()).isTrue();
        // set by the administrator: nothing is allowed until the user chose an own password
        assertThat(op.get("/api/cases").status()).isEqualTo(403);
        ObjectNode pw = CenterClient.JSON.createObjectNode().put("current", "Tmp-Pass-4821!q")
                .put("password", "Own-Secret-9174?k");
        assertThat(op.call("PUT", "/api/users/" + name + "/password", pw).status()).isEqualTo(200);
        CenterClient fresh = new CenterClient(base());
        assertThat(fresh.login(name, "Own-Secret-9174?k").status()).isEqualTo(200);
        return fresh;
    }

    @Test
    void firstAdministratorAndKekFile() throws Exception {
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("ARC4J_ADMIN_PASSWORD")
                .doesNotContain(ADMIN_PASSWORD).contains("data.kek");
        Path kek = dir.resolve("data.kek");
        assertThat(Files.getPosixFilePermissions(kek)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(dir.resolve("data").resolve(CenterUsers.INITIAL_PASSWORD_FILE)).doesNotExist();
        assertThat(admin.get("/api/me").body().path("user").path("role").asText()).isEqualTo("admin");
    }

    @Test
    void generatedAdministratorPasswordIsShownOnceAndWrittenWithMode0600() throws Exception {
        centre.close();
        Path data = dir.resolve("other");
        CenterOptions o = CenterOptions.parse("--data", data.toString(), "--http", "0", "--dc09-tcp", "0",
                "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        centre = ReferenceCenter.start(o, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8));
        Path file = data.resolve(CenterUsers.INITIAL_PASSWORD_FILE);
        String password = Files.readString(file).strip();
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(password);
        assertThat(new CenterClient(base()).login("admin", password).status()).isEqualTo(200);
    }

    @Test
    void weakAdministratorPasswordStopsTheStartWithTheRule() {
        centre.close();
        centre = null;
        CenterOptions o = CenterOptions.parse("--data", dir.resolve("weak").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReferenceCenter.start(o,
                        Map.of("ARC4J_ADMIN_PASSWORD", "password"), new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARC4J_ADMIN_PASSWORD");
    }

    @Test
    void plainAlarmBecomesAnEventAndACaseWithCustomerZoneAndPlan() throws Exception {
        assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NBA002")).isInstanceOf(
                Dc09SendResult.Acknowledged.class);
        JsonNode events = admin.await("/api/events?limit=10", b -> b.path("events").size() == 1);
        JsonNode e = events.path("events").get(0);
        assertThat(e.path("account").asText()).isEqualTo("1234");
        assertThat(e.path("code").asText()).isEqualTo("BA");
        assertThat(e.path("zone").asText()).isEqualTo("002");
        assertThat(e.path("category").asText()).isEqualTo("INTRUSION");
        for (String f : List.of("id", "protocol", "transport", "qualifier", "receivedAt", "link")) {
            assertThat(e.has(f)).as(f).isTrue();
        }
        JsonNode cases = admin.await("/api/cases", b -> b.path("cases").size() == 1);
        JsonNode row = cases.path("cases").get(0);
        assertThat(row.path("customer").asText()).isEqualTo("东城支行");
        assertThat(row.path("zoneName").asText()).isEqualTo("金库门");
        assertThat(row.path("sla").path("step").asText()).isEqualTo("RESPONSE");
        JsonNode detail = admin.get("/api/cases/" + row.path("id").asText()).body();
        assertThat(detail.path("site").path("planImage").asText()).startsWith("data:image/svg+xml;base64,");
        assertThat(detail.path("zonePosition").path("x").asDouble()).isEqualTo(0.70);
        assertThat(detail.path("actionPlan").get(0).asText()).isEqualTo("调取现场视频核实");
        assertThat(detail.path("sla").get(0).path("limitSeconds").asDouble()).isEqualTo(4.0);
        assertThat(detail.path("customer").path("contacts").size()).isEqualTo(2);
        // metrics over JMX: the journal's appends and the DC-09 frames of this centre
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        assertThat(jmx.queryNames(new javax.management.ObjectName("org.arc4j.center*:*"), null))
                .extracting(Object::toString).anyMatch(n -> n.contains("journal")).anyMatch(n -> n.contains("dc09"));
    }

    @Test
    void unknownAccountIsAcknowledgedAndFlagged() throws Exception {
        assertThat(send("9999", null, true, "#9999|NFA001")).isInstanceOf(Dc09SendResult.Acknowledged.class);
        JsonNode cases = admin.await("/api/cases", b -> b.path("cases").size() == 1);
        assertThat(cases.path("cases").get(0).path("flag").asText()).isEqualTo("unknown account");
        JsonNode e = admin.get("/api/events").body().path("events").get(0);
        assertThat(e.path("extended").path("flag").asText()).isEqualTo("unknown account");
    }

    @Test
    void undecryptableMessageGetsNakAndACommunicationEvent() throws Exception {
        Dc09SendResult r = send("1234", Dc09Key.ofHex("5B8E2D71C4A9F3060E1B7D94C2A58F3E"), false, "#1234|NBA001");
        assertThat(r).isInstanceOf(Dc09SendResult.Failed.class);
        JsonNode events = admin.await("/api/events", b -> b.path("events").size() >= 1);
        JsonNode e = events.path("events").get(0);
        assertThat(e.path("category").asText()).isEqualTo("COMMUNICATION");
        assertThat(e.path("code").asText()).startsWith("DC09_");
    }

    @Test
    void operatorWorksACaseThroughTheApiAndTheWebSocketPushesEachChange() throws Exception {
        CenterClient op = operator();
        List<String> pushed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> closedPushed = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + centre.httpAddress().getPort() + "/ws?token=" + op.token()),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    pushed.add(text.toString());
                                    if (text.indexOf("\"CLOSED\"") >= 0) {
                                        closedPushed.complete(null);
                                    }
                                    text.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NBA001")).isInstanceOf(
                Dc09SendResult.Acknowledged.class);
        String id = op.await("/api/cases", b -> b.path("cases").size() == 1).path("cases").get(0).path("id").asText();
        // not displayed yet: taking it is a conflict
        assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("take")).status()).isEqualTo(409);
        assertThat(op.call("POST", "/api/cases/" + id + "/displayed", CenterClient.JSON.createObjectNode()).status())
                .isEqualTo(200);
        CenterClient.Reply taken = op.call("POST", "/api/cases/" + id + "/actions", action("take"));
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.body().path("takenBy").asText()).isEqualTo("wang");
        assertThat(taken.body().path("allowedActions").toString()).contains("verify", "close");
        assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("take")).status()).isEqualTo(409);
        // the administrator sees alarms but does not work cases
        assertThat(admin.call("POST", "/api/cases/" + id + "/actions", action("close")).status()).isEqualTo(403);
        CenterClient.Reply verified = op.call("POST", "/api/cases/" + id + "/actions",
                action("verify").put("method", "video").put("result", "false").put("cause", "pet"));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.body().path("verificationResult").asText()).isEqualTo("FALSE");
        CenterClient.Reply closed = op.call("POST", "/api/cases/" + id + "/actions",
                action("close").put("result", "false").put("cause", "pet"));
        assertThat(closed.body().path("state").asText()).isEqualTo("CLOSED");
        assertThat(op.get("/api/cases").body().path("cases").size()).isZero();
        assertThat(op.get("/api/cases?state=all").body().path("cases").size()).isEqualTo(1);
        JsonNode detail = op.get("/api/cases/" + id).body();
        List<String> steps = new ArrayList<>();
        detail.path("steps").forEach(s -> steps.add(s.path("step").asText()));
        assertThat(steps).containsSubsequence("RECEIVED", "PRESENTED", "TAKEN", "VERIFICATION_STARTED", "VERIFIED",
                "CLOSED");
        assertThat(detail.path("sla").get(0).path("status").asText()).isIn("met", "breached");
        closedPushed.get(10, TimeUnit.SECONDS);
        assertThat(pushed).anyMatch(p -> p.startsWith("{\"type\":\"case\"") && p.contains("\"RECEIVED\""));
        assertThat(pushed).anyMatch(p -> p.contains("\"CLOSED\""));
        ws.abort();
    }

    @Test
    void aCustomerUserSeesOnlyTheOwnCases() throws Exception {
        ObjectNode u = CenterClient.JSON.createObjectNode().put("username", "resident").put("password",
                "Home-Owner-6612!z").put("role", "customer");
        u.putArray("customers").add("C0002");
        assertThat(admin.call("POST", "/api/users", u).status()).isEqualTo(201);
        ObjectNode unscoped = CenterClient.JSON.createObjectNode().put("username", "nobody").put("password",
                "Home-Owner-6612!z").put("role", "customer");
        assertThat(admin.call("POST", "/api/users", unscoped).status()).isEqualTo(400);
        CenterClient first = new CenterClient(base());
        first.login("resident", "Home-Owner-6612!z");
        assertThat(first.call("PUT", "/api/users/resident/password", CenterClient.JSON.createObjectNode()
                .put("current", "Home-Owner-6612!z").put("password", "Own-Home-4471?q")).status()).isEqualTo(200);
        CenterClient resident = new CenterClient(base());
        assertThat(resident.login("resident", "Own-Home-4471?q").body().path("user").path("role").asText())
                .isEqualTo("customer");
        assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NBA001")).isInstanceOf(
                Dc09SendResult.Acknowledged.class);
        assertThat(send("5678", null, false, "#5678|NFA010")).isInstanceOf(Dc09SendResult.Acknowledged.class);
        admin.await("/api/cases", b -> b.path("cases").size() == 2);
        JsonNode own = resident.get("/api/cases").body().path("cases");
        assertThat(own.size()).isEqualTo(1);
        assertThat(own.get(0).path("customerId").asText()).isEqualTo("C0002");
        // not the centre's event log, nor someone else's case
        assertThat(resident.get("/api/events").status()).isEqualTo(403);
        String other = admin.get("/api/cases").body().path("cases").findValues("id").stream().map(JsonNode::asText)
                .filter(id -> !id.equals(own.get(0).path("id").asText())).findFirst().orElseThrow();
        assertThat(resident.get("/api/cases/" + other).status()).isEqualTo(403);
    }

    private static ObjectNode action(String a) {
        return CenterClient.JSON.createObjectNode().put("action", a);
    }

    @Test
    void errorsAreJsonWithTheRightStatus() throws Exception {
        CenterClient anon = new CenterClient(base());
        assertThat(anon.get("/api/health").status()).isEqualTo(200);
        CenterClient.Reply r = anon.get("/api/events");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().path("status").asInt()).isEqualTo(401);
        assertThat(anon.login("admin", "wrong-password-1").status()).isEqualTo(401);
        assertThat(admin.get("/api/events?limit=100001").status()).isEqualTo(400);
        assertThat(admin.get("/api/events?limit=100000").status()).isEqualTo(200);
        assertThat(admin.get("/api/events?after=nonsense").status()).isEqualTo(400);
        assertThat(admin.get("/api/cases/Cnothing").status()).isEqualTo(404);
        ObjectNode weak = CenterClient.JSON.createObjectNode().put("username", "li").put("password", "12345678")
                .put("role", "operator");
        CenterClient.Reply refused = admin.call("POST", "/api/users", weak);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).containsAnyOf("MIN_LENGTH", "SEQUENCE", "COMMON_PASSWORD", "CHARACTER_MIX");
        ObjectNode badRole = CenterClient.JSON.createObjectNode().put("username", "li")
                .put("password", "Good-Pass-7713!x").put("role", "king");
        assertThat(admin.call("POST", "/api/users", badRole).status()).isEqualTo(400);
        for (int i = 0; i < 5; i++) {
            anon.login("admin", "wrong-password-" + i);
        }
        assertThat(anon.login("admin", ADMIN_PASSWORD).status()).isEqualTo(423);
    }

    @Test
    void eventsPageNewestFirst() throws Exception {
        for (int i = 1; i <= 5; i++) {
            assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NRP00" + i)).isInstanceOf(
                    Dc09SendResult.Acknowledged.class);
        }
        JsonNode all = admin.await("/api/events?limit=100", b -> b.path("events").size() == 5);
        JsonNode page1 = admin.get("/api/events?limit=2").body();
        assertThat(page1.path("events").get(0).path("id").asText()).isEqualTo(all.path("events").get(0).path("id")
                .asText());
        String next = page1.path("next").asText();
        JsonNode page2 = admin.get("/api/events?limit=2&after=" + next).body();
        assertThat(page2.path("events").get(0).path("id").asText()).isEqualTo(all.path("events").get(2).path("id")
                .asText());
        assertThat(all.path("events").get(0).path("id").asText()).isGreaterThan(all.path("events").get(4).path("id")
                .asText());
    }

    @Test
    void accountChangesThroughTheApiWinOverTheFileAfterARestart() throws Exception {
        ObjectNode change = CenterClient.JSON.createObjectNode().put("transport", "WIRELESS")
                .put("pollInterval", "10m").put("dc09Key", "8E4C21F7A0D35B96C7E81F2A4B6D09E3");
        change.putObject("customer").put("id", "C0003").put("name", "新客户").put("keyCustomer", true);
        change.putObject("site").put("id", "S0003").put("name", "仓库");
        assertThat(admin.call("PUT", "/api/accounts/4321", change).status()).isEqualTo(200);
        ObjectNode weak = CenterClient.JSON.createObjectNode().put("dc09Key", "00000000000000000000000000000000");
        assertThat(admin.call("PUT", "/api/accounts/4321", weak).status()).isEqualTo(400);
        ObjectNode move = CenterClient.JSON.createObjectNode().put("transport", "PSTN");
        move.putObject("customer").put("id", "C0002");
        move.putObject("site").put("id", "S0002");
        assertThat(admin.call("PUT", "/api/accounts/1234", move).status()).isEqualTo(200);
        centre.close();
        centre = startCentre(Map.of());
        admin = new CenterClient(base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(send("4321", Dc09Key.ofHex("8E4C21F7A0D35B96C7E81F2A4B6D09E3"), false, "#4321|NBA001"))
                .isInstanceOf(Dc09SendResult.Acknowledged.class);
        assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NFA001"))
                .isInstanceOf(Dc09SendResult.Acknowledged.class);
        JsonNode cases = admin.await("/api/cases", b -> b.path("cases").size() == 2);
        List<String> customers = new ArrayList<>();
        cases.path("cases").forEach(c -> customers.add(c.path("customer").asText() + "/" + c.path("account")
                .asText() + "/" + c.path("keyCustomer").asBoolean()));
        // the DC-09 link says IP on the event itself, which the pipeline prefers to the account's transport
        assertThat(customers).containsExactlyInAnyOrder("新客户/4321/true", "示例小区 3 号楼 501/1234/false");
    }

    @Test
    void devicesAndStatistics() throws Exception {
        assertThat(send("1234", Dc09Key.ofHex(KEY), true, "#1234|NRP001")).isInstanceOf(
                Dc09SendResult.Acknowledged.class);
        JsonNode devices = admin.await("/api/devices", b -> b.path("devices").size() >= 1);
        assertThat(devices.path("devices").get(0).path("online").asBoolean()).isTrue();
        ObjectNode fault = CenterClient.JSON.createObjectNode().put("id", "F1").put("classification", "power")
                .put("openedAt", "2026-01-01T00:00:00Z").put("closedAt", "2026-01-01T05:00:00Z");
        assertThat(admin.call("POST", "/api/faults", fault).status()).isEqualTo(201);
        ObjectNode score = CenterClient.JSON.createObjectNode().put("customerId", "C0001").put("score", 90)
                .put("at", "2026-01-02T00:00:00Z");
        assertThat(admin.call("POST", "/api/satisfaction", score).status()).isEqualTo(201);
        JsonNode stats = admin.get("/api/stats?from=2026-01-01&to=2026-02-01").body();
        assertThat(stats.path("faults").asLong()).isEqualTo(1);
        assertThat(stats.path("repairRate24hPercent").asDouble()).isEqualTo(100.0);
        assertThat(stats.path("satisfaction").asDouble()).isEqualTo(90.0);
        assertThat(stats.path("missedAlarms").asLong()).isZero();
    }

    @Test
    void statisticsInputsAreAuditedWithTheUserAndSurviveARestart() throws Exception {
        ObjectNode missed = CenterClient.JSON.createObjectNode().put("description", "1234 burglary never shown")
                .put("at", "2026-01-03T02:00:00Z");
        CenterClient.Reply recorded = admin.call("POST", "/api/missed-alarms", missed);
        assertThat(recorded.status()).isEqualTo(201);
        assertThat(recorded.body().path("at").asText()).isEqualTo("2026-01-03T02:00:00Z");
        assertThat(admin.call("POST", "/api/missed-alarms", CenterClient.JSON.createObjectNode()).status())
                .isEqualTo(400);
        ObjectNode late = CenterClient.JSON.createObjectNode().put("id", "F7").put("classification", "communication")
                .put("openedAt", "2026-01-10T00:00:00Z");
        assertThat(admin.call("POST", "/api/faults", late).status()).isEqualTo(201);
        ObjectNode repaired = CenterClient.JSON.createObjectNode().put("id", "F7").put("closedAt",
                "2026-01-11T06:00:00Z");
        assertThat(admin.call("POST", "/api/faults", repaired).body().path("repairedWithin24h").asBoolean()).isFalse();
        ObjectNode power = CenterClient.JSON.createObjectNode().put("id", "F8").put("classification", "power")
                .put("openedAt", "2026-01-20T00:00:00Z");
        assertThat(admin.call("POST", "/api/faults", power).status()).isEqualTo(201);
        ObjectNode score = CenterClient.JSON.createObjectNode().put("customerId", "C0001").put("score", 60)
                .put("at", "2026-01-05T00:00:00Z");
        assertThat(admin.call("POST", "/api/satisfaction", score).status()).isEqualTo(201);
        // an operator neither reads reports nor enters their inputs
        CenterClient op = operator();
        assertThat(op.call("POST", "/api/missed-alarms", missed).status()).isEqualTo(403);
        assertThat(op.get("/api/stats/faults?month=2026-01").status()).isEqualTo(403);
        assertThat(admin.get("/api/stats/faults?month=January").status()).isEqualTo(400);

        JsonNode stats = admin.get("/api/stats?from=2026-01-01&to=2026-02-01").body();
        assertThat(stats.path("missedAlarms").asLong()).isEqualTo(1);
        assertThat(stats.path("faults").asLong()).isEqualTo(2);
        assertThat(stats.path("repairedIn24h").asLong()).isZero();
        assertThat(stats.path("satisfaction").asDouble()).isEqualTo(60.0);
        assertThat(stats.path("meetsGa1383").asBoolean()).isFalse();
        JsonNode january = admin.get("/api/stats/faults?month=2026-01").body();
        assertThat(january.path("month").asText()).isEqualTo("2026-01");
        assertThat(january.path("faultsByClass").path("communication").asLong()).isEqualTo(1);
        assertThat(january.path("faultsByClass").path("power").asLong()).isEqualTo(1);
        assertThat(january.path("faults").findValuesAsText("id")).containsExactly("F7", "F8");
        assertThat(admin.get("/api/stats/faults?month=2026-02").body().path("faults").size()).isZero();

        centre.close();
        centre = null;
        try (Journal journal = Journal.builder(dir.resolve("data").resolve("journal")).open()) {
            List<AuditEntry> inputs = new AuditLog(journal, Clock.systemUTC())
                    .query(AuditQuery.ALL.byAction(AuditAction.STATISTICS_INPUT));
            assertThat(inputs).extracting(AuditEntry::actor).containsOnly("admin");
            assertThat(inputs).extracting(AuditEntry::target).containsExactly("missed-alarm:2026-01-03T02:00:00Z",
                    "fault:F7", "fault:F7", "fault:F8", "satisfaction:C0001");
            assertThat(inputs.get(0).details()).containsEntry("description", "1234 burglary never shown");
            assertThat(inputs.get(2).details()).containsEntry("closedAt", "2026-01-11T06:00:00Z");
        }
        centre = startCentre(Map.of());
        admin = new CenterClient(base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(admin.get("/api/stats?from=2026-01-01&to=2026-02-01").body()).isEqualTo(stats);
        assertThat(admin.get("/api/stats/faults?month=2026-01").body()).isEqualTo(january);
    }

    @Test
    void caseAccessDecidesEveryStepAndTheAuditNamesWhoActed() throws Exception {
        CenterClient op = operator();
        CenterClient li = user("li", "guard");
        assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NBA001")).isInstanceOf(
                Dc09SendResult.Acknowledged.class);
        assertThat(send("5678", null, false, "#5678|NBA002")).isInstanceOf(Dc09SendResult.Acknowledged.class);
        JsonNode queue = op.await("/api/cases", b -> b.path("cases").size() == 2).path("cases");
        String mine = queue.get(0).path("id").asText();
        String other = queue.get(1).path("id").asText();
        for (String id : List.of(mine, other)) {
            assertThat(op.call("POST", "/api/cases/" + id + "/displayed", CenterClient.JSON.createObjectNode())
                    .status()).isEqualTo(200);
            assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("take")).status()).isEqualTo(200);
            assertThat(op.call("POST", "/api/cases/" + id + "/actions", action("dispatch")
                    .put("guard", id.equals(mine) ? "li" : "zhao")).status()).isEqualTo(200);
        }

        // the guard sees the case dispatched to them and is offered only the on-site steps CaseAccess grants
        JsonNode seen = li.get("/api/cases/" + mine).body();
        assertThat(seen.path("allowedActions").toString()).isEqualTo("[\"depart\"]");
        // closing needs CLOSE_CASE, which a guard does not hold: the pipeline's authorizer refuses, 403, audited
        CenterClient.Reply close = li.call("POST", "/api/cases/" + mine + "/actions", action("close"));
        assertThat(close.status()).isEqualTo(403);
        assertThat(close.error()).contains("close_case", "permission not granted");
        // another guard's case is out of the guard's reach altogether
        assertThat(li.call("POST", "/api/cases/" + other + "/actions", action("depart")).status()).isEqualTo(403);
        assertThat(li.call("POST", "/api/cases/" + mine + "/actions", action("depart")).status()).isEqualTo(200);
        // the operator relays the arrival the guard phoned in: the operator acted, for the guard
        assertThat(op.call("POST", "/api/cases/" + mine + "/actions", action("arrive")).status()).isEqualTo(200);
        // and zhao, who has no login, reports by phone through the operator too
        assertThat(op.call("POST", "/api/cases/" + other + "/actions", action("depart")).status()).isEqualTo(200);

        JsonNode steps = op.get("/api/cases/" + mine).body().path("steps");
        List<String> by = new ArrayList<>();
        steps.forEach(st -> by.add(st.path("step").asText() + " " + st.path("by").asText() + " "
                + st.path("details").path("guard").asText("-")));
        assertThat(by).contains("GUARD_DEPARTED guard:li -", "GUARD_ARRIVED operator:wang li");
        JsonNode otherSteps = op.get("/api/cases/" + other).body().path("steps");
        assertThat(otherSteps.get(otherSteps.size() - 1).path("by").asText()).isEqualTo("operator:wang");
        assertThat(otherSteps.get(otherSteps.size() - 1).path("details").path("guard").asText()).isEqualTo("zhao");

        centre.close();
        centre = null;
        try (Journal journal = Journal.builder(dir.resolve("data").resolve("journal")).open()) {
            List<AuditEntry> denied = new AuditLog(journal, Clock.systemUTC())
                    .query(AuditQuery.ALL.byAction(AuditAction.ACCESS_DENIED).byActor("li"));
            assertThat(denied).extracting(e -> e.target() + " " + e.details().get("permission") + " "
                    + e.details().get("reason")).contains("CASE:" + mine + " CLOSE_CASE PERMISSION_NOT_GRANTED",
                    "CASE:" + other + " VIEW_ALARMS OUT_OF_SCOPE");
        }
    }

    @Test
    void customerAndPoliceUsersListTheCamerasOfTheOwnSitesOrForwardedCasesOnly() throws Exception {
        // two cameras through the API, one at each customer's site (nothing needs to answer for the listing)
        for (String[] cam : new String[][] {{"camA", "S0001"}, {"camB", "S0002"}}) {
            assertThat(admin.call("PUT", "/api/video/cameras/" + cam[0], CenterClient.JSON.createObjectNode()
                    .put("site", cam[1]).put("rtsp", "rtsp://127.0.0.1:9/" + cam[0])).status()).isEqualTo(200);
        }
        ObjectNode u = CenterClient.JSON.createObjectNode().put("username", "owner2").put("password",
                "Home-Owner-6612!z").put("role", "customer");
        u.putArray("customers").add("C0002");
        assertThat(admin.call("POST", "/api/users", u).status()).isEqualTo(201);
        CenterClient first = new CenterClient(base());
        first.login("owner2", "Home-Owner-6612!z");
        assertThat(first.call("PUT", "/api/users/owner2/password", CenterClient.JSON.createObjectNode()
                .put("current", "Home-Owner-6612!z").put("password", "Own-Home-4471?q")).status()).isEqualTo(200);
        CenterClient owner = new CenterClient(base());
        owner.login("owner2", "Own-Home-4471?q");
        CenterClient.Reply mine = owner.get("/api/video/cameras");
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body().path("cameras").findValuesAsText("id")).containsExactly("camB");
        // the administrator has no VIEW_LIVE_VIDEO at all: still refused
        assertThat(admin.get("/api/video/cameras").status()).isEqualTo(403);

        // a police user: the cameras of the sites of the cases forwarded to the police, no others
        CenterClient police = user("jing", "police");
        assertThat(police.get("/api/video/cameras").body().path("cameras")).isEmpty();
        // a burglary at S0002 is not forwarded; a fire at S0001 goes to the police at once (the sample's rule)
        assertThat(send("5678", null, false, "#5678|NBA002")).isInstanceOf(Dc09SendResult.Acknowledged.class);
        assertThat(send("1234", Dc09Key.ofHex(KEY), false, "#1234|NFA001")).isInstanceOf(
                Dc09SendResult.Acknowledged.class);
        JsonNode seen = police.await("/api/video/cameras", b -> b.path("cameras").size() > 0);
        assertThat(seen.path("cameras").findValuesAsText("id")).containsExactly("camA");
        assertThat(seen.path("cameras").get(0).path("device").asText()).isEqualTo("127.0.0.1:9");
        assertThat(seen.path("cameras").get(0).path("channel").asText()).isEqualTo("/camA");
    }
}
