package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24 item 3, dual receiving without a shared database: two independent reference centres, each on its own
 * embedded journal, and a panel that reports every event to both over different links (DC-09 over TCP to centre A,
 * over UDP to centre B). Each centre holds every event once, each in one case; when centre A dies (SIGKILL) centre B
 * still has everything, A's events included, and keeps receiving.
 */
class DualReceivingIT {
    private static final String ADMIN_PASSWORD = "Zk4!pRt8#Wm2-qLv";

    @TempDir
    Path dir;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final List<CenterProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(CenterProcess::close);
        scheduler.close();
    }

    @Test
    void twoCentresEachReceiveEveryEventAndOneSurvivesTheOther() throws Exception {
        CenterProcess a = CenterProcess.launch(dir.resolve("a"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD));
        processes.add(a);
        CenterProcess b = CenterProcess.launch(dir.resolve("b"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD));
        processes.add(b);
        a.awaitStarted(120);
        b.awaitStarted(120);
        try (Dc09Transmitter toA = transmitter(Dc09Path.tcp(new InetSocketAddress("127.0.0.1", a.dc09Tcp)));
             Dc09Transmitter toB = transmitter(Dc09Path.udp(new InetSocketAddress("127.0.0.1", b.dc09Udp)))) {
            for (int zone = 1; zone <= 4; zone++) {
                String data = "#4321|NBA00" + zone;
                assertThat(toA.sendSia(data).toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(Dc09SendResult.Acknowledged.class);
                assertThat(toB.sendSia(data).toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(Dc09SendResult.Acknowledged.class);
            }
            CenterClient apiA = new CenterClient(a.base());
            assertThat(apiA.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
            assertThat(zones(apiA.await("/api/events", n -> n.path("events").size() == 4)))
                    .containsExactlyInAnyOrder("001", "002", "003", "004");

            a.kill();
            assertThat(toB.sendSia("#4321|NBA005").toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        CenterClient apiB = new CenterClient(b.base());
        assertThat(apiB.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        JsonNode events = apiB.await("/api/events", n -> n.path("events").size() >= 5);
        assertThat(zones(events)).as("every event once, over B's own link")
                .containsExactlyInAnyOrder("001", "002", "003", "004", "005");
        JsonNode cases = apiB.await("/api/cases", n -> n.path("cases").size() >= 5);
        assertThat(zones(cases, "cases")).as("one case per event, none twice")
                .containsExactlyInAnyOrder("001", "002", "003", "004", "005");
    }

    private Dc09Transmitter transmitter(Dc09Path path) {
        return Dc09Transmitter.builder(scheduler).path(path).account("4321").attemptsPerPath(1).build();
    }

    private static List<String> zones(JsonNode body) {
        return zones(body, "events");
    }

    private static List<String> zones(JsonNode body, String list) {
        List<String> out = new ArrayList<>();
        body.path(list).forEach(e -> out.add(e.path("zone").asText()));
        return out;
    }
}
