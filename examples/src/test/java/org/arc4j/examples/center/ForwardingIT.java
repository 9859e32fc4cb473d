package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding that reaches someone: a fire alarm is forwarded by rule to a third party's webhook — a real HTTP
 * server in this test that checks the HMAC-SHA256 signature itself — while that server is down (it answers 503);
 * the centre retries, is restarted, and delivers the journalled forward once the server is back, which stops the
 * case's forwarding clock. The same alarm goes to a police terminal's queue, delivered when the terminal
 * acknowledges it.
 */
class ForwardingIT {
    private static final String ADMIN_PASSWORD = "Qz7!mVr2#Lp9-xWt";
    private static final String SECRET = "hook-secret-7f3a9c";

    @TempDir
    Path dir;
    private CenterProcess centre;
    private HttpServer receiver;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final AtomicInteger refuse = new AtomicInteger(Integer.MAX_VALUE);
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (centre != null) {
            centre.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        scheduler.close();
    }

    /** The third party: checks X-Arc4j-Signature over "timestamp.body" with the shared secret. */
    private void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            String ts = x.getRequestHeaders().getFirst("X-Arc4j-Timestamp");
            String sig = x.getRequestHeaders().getFirst("X-Arc4j-Signature");
            int status;
            if (ts == null || sig == null || !MessageDigest.isEqual(sig.getBytes(StandardCharsets.US_ASCII),
                    expected(ts, body).getBytes(StandardCharsets.US_ASCII))) {
                badSignatures.add(sig + " " + ts);
                status = 401;
            } else if (refuse.getAndDecrement() > 0) {
                refused.add(x.getRequestHeaders().getFirst("X-Arc4j-Delivery"));
                status = 503;
            } else {
                long age = Instant.now().getEpochSecond() - Long.parseLong(ts);
                status = Math.abs(age) <= 300 ? 200 : 400; // a receiver refuses replays of old requests
                if (status == 200) {
                    delivered.add(CenterClient.JSON.readTree(body));
                }
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        receiver.start();
    }

    private static String expected(String ts, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The centre as its own JVM. */
    private CenterProcess startCentre(Path config) throws Exception {
        return CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD), "--config",
                config.toString());
    }

    private CenterClient admin() throws Exception {
        CenterClient c = new CenterClient(centre.base());
        assertThat(c.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        return c;
    }

    @Test
    void aSignedForwardSurvivesTheReceiversOutageAndARestart() throws Exception {
        startReceiver();
        Path config = dir.resolve("center.yaml");
        Files.writeString(config, """
                customers:
                  - id: C1
                    name: Shop
                    sites:
                      - id: S1
                        name: Store
                        accounts:
                          - { account: "4321", transport: IP }
                rules:
                  forwarding:
                    - { category: FIRE, to: alarm-hub, automatic: true }
                    - { category: FIRE, to: police-terminal, automatic: true }
                forward:
                  retryFirst: 200ms
                  retryMax: 1s
                  targets:
                    - { name: alarm-hub, type: webhook, url: "http://127.0.0.1:%d/hook", secret: "%s" }
                    - { name: police-terminal, type: terminal, police: true }
                    - { name: duty-phone, type: phone, number: "110" }
                """.formatted(receiver.getAddress().getPort(), SECRET));
        centre = startCentre(config);
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler)
                .path(Dc09Path.tcp(new InetSocketAddress("127.0.0.1", centre.dc09Tcp)))
                .account("4321").attemptsPerPath(1).build()) {
            Dc09SendResult r = tx.sendContactId("#4321|1110 01 010").toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        CenterClient admin = admin();
        // the receiver is down: the centre keeps trying, and says so
        Await.until(() -> refused.size() >= 3, "three refused attempts", 20);
        JsonNode pending = admin.get("/api/forwards").body().path("forwards");
        assertThat(pending.findValuesAsText("recipient")).contains("alarm-hub", "police-terminal");
        CenterClient before = admin;
        Await.until(() -> before.getQuietly("/api/prompts").path("prompts").findValuesAsText("text").stream()
                .anyMatch(t -> t.contains("alarm-hub") && t.contains("failing")), "a prompt about the failing forward",
                10);
        String caseId = admin.get("/api/cases").body().path("cases").get(0).path("id").asText();
        assertThat(refused).allSatisfy(id -> assertThat(id).isEqualTo(caseId + "/alarm-hub"));

        // the centre restarts while the forward is pending; the receiver comes back
        assertThat(centre.stop()).isIn(0, 143);
        centre = null;
        refuse.set(0);
        centre = startCentre(config);
        admin = admin();
        Await.until(() -> delivered.size() >= 1, "the forward delivered after the restart", 20);
        JsonNode got = delivered.get(0);
        assertThat(got.path("id").asText()).isEqualTo(caseId + "/alarm-hub");
        assertThat(got.path("case").path("category").asText()).isEqualTo("FIRE");
        assertThat(got.path("case").path("account").asText()).isEqualTo("4321");
        assertThat(badSignatures).isEmpty();

        // the police terminal fetches its queue and acknowledges: that is its delivery
        CenterClient a = admin;
        Await.until(() -> a.getQuietly("/api/terminals/police-terminal/forwards").path("forwards").size() == 1,
                "the terminal's queue", 10);
        // fetching its queue is the terminal's communication check: supervised like a device
        assertThat(admin.get("/api/devices").body().path("devices").findValuesAsText("device"))
                .anySatisfy(d -> assertThat(d).contains("terminal").contains("police-terminal"));
        assertThat(admin.call("POST", "/api/terminals/police-terminal/ack", CenterClient.JSON.createObjectNode()
                .put("id", caseId + "/police-terminal")).status()).isEqualTo(200);

        // both deliveries stop their forwarding clocks on the case, by the recipients
        Await.until(() -> a.getQuietly("/api/cases/" + caseId).path("forwards").findValuesAsText("deliveredAt").stream()
                .filter(v -> !v.equals("null")).count() == 2, "both forwards delivered on the case", 10);
        JsonNode k = admin.get("/api/cases/" + caseId).body();
        assertThat(k.path("steps").findValuesAsText("by")).contains("external:alarm-hub",
                "external:police-terminal");
        assertThat(admin.get("/api/forwards").body().path("forwards").size()).isZero();
        // timed against GA 1383 警情转发: each forwarding clock stopped at its delivery, with the time it took
        List<JsonNode> clocks = new java.util.ArrayList<>();
        k.path("sla").forEach(n -> {
            if (n.path("step").asText().contains("FORWARDING")) {
                clocks.add(n);
            }
        });
        assertThat(clocks).as("forwarding clocks %s", k.path("sla")).hasSize(2)
                .allSatisfy(n -> assertThat(n.path("measuredSeconds").isNumber()).as(n.toString()).isTrue());
        assertThat(got.path("forwardedAt").asText()).isNotEmpty();
        // by phone: the operator forwards, the console prompts the number, the confirmation is the delivery (2 min)
        CenterClient op = admin.newUser("wang", "operator");
        assertThat(op.call("POST", "/api/cases/" + caseId + "/displayed", CenterClient.JSON.createObjectNode())
                .status()).isEqualTo(200);
        assertThat(op.call("POST", "/api/cases/" + caseId + "/actions", CenterClient.JSON.createObjectNode()
                .put("action", "take")).status()).isEqualTo(200);
        assertThat(op.call("POST", "/api/cases/" + caseId + "/actions", CenterClient.JSON.createObjectNode()
                .put("action", "forward").put("recipient", "duty-phone").put("channel", "PHONE")).status())
                .isEqualTo(200);
        Await.until(() -> a.getQuietly("/api/prompts").path("prompts").findValuesAsText("text").stream()
                .anyMatch(t -> t.contains("call duty-phone on 110")), "the prompt to call 110", 10);
        assertThat(op.call("POST", "/api/cases/" + caseId + "/actions", CenterClient.JSON.createObjectNode()
                .put("action", "confirm-forward").put("recipient", "duty-phone")).status()).isEqualTo(200);
        Await.until(() -> a.getQuietly("/api/cases/" + caseId).path("forwards").findValuesAsText("deliveredAt").stream()
                .filter(v -> !v.equals("null")).count() == 3, "the phone forward delivered", 10);
        JsonNode phone = null;
        for (JsonNode f : admin.get("/api/cases/" + caseId).body().path("forwards")) {
            if (f.path("recipient").asText().equals("duty-phone")) {
                phone = f;
            }
        }
        assertThat(phone.path("channel").asText()).isEqualTo("PHONE");
        assertThat(admin.get("/api/cases/" + caseId).body().path("steps").findValuesAsText("by"))
                .contains("operator:wang");

        // the webhook got it once though the centre restarted with it both in its journal and on the open case
        assertThat(delivered).hasSize(1);
    }
}
