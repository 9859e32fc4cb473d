package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The switchover test of GA 1383 (安全性、可靠性: hot standby, a switchover test at least every 30 days) on demand,
 * with two real centre processes on one real PostgreSQL database: {@code POST /api/maintenance/switchovers/test} on
 * the leader hands over to the standby and exits 3; restarted (as a service manager would) it waits as the standby;
 * the new leader records the switchover and hands back; the first node leads again and records the second one. Both
 * are recorded by the nodes themselves, with the time measured, and the compliance report's {@code hot-standby-30d}
 * row is met without any manual entry.
 */
class SwitchoverTestIT {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchoverTestIT.class);
    private static final String ADMIN_PASSWORD = "Qm7!vRt2#Lk9-pXw";

    @TempDir
    Path dir;
    private final List<CenterProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(CenterProcess::close);
    }

    @Test
    void aSwitchoverTestFailsTheLeaderOverAndBackAndRecordsBothSwitchovers() throws Exception {
        PostgresServer server = PostgresServer.get();
        String db = "switch" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        String url = "postgresql://arc4j@127.0.0.1:" + server.port() + "/" + db;
        CenterProcess a = CenterProcess.start(dir.resolve("a"), env("a"), "--store", url);
        processes.add(a);
        CenterClient api = new CenterClient(a.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(api.call("POST", "/api/maintenance/switchovers/test", null).status())
                .as("no standby connected yet").isEqualTo(409);

        CenterProcess b = CenterProcess.launch(dir.resolve("b"), env("b"), "--store", url);
        processes.add(b);
        Await.until(() -> b.output.stream().anyMatch(l -> l.contains("standby")), "standby waits", 60);
        CenterClient.Reply started = api.call("POST", "/api/maintenance/switchovers/test", null);
        assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
        long t0 = System.nanoTime();
        assertThat(a.process.waitFor(60, TimeUnit.SECONDS)).as("the leader hands over and exits").isTrue();
        assertThat(a.process.exitValue()).isEqualTo(3);

        // the service manager's restart: node a comes back and waits as the standby, and is handed the lease back
        CenterProcess a2 = CenterProcess.launch(dir.resolve("a"), env("a"), "--store", url);
        processes.add(a2);
        b.awaitStarted(120);
        assertThat(b.process.waitFor(120, TimeUnit.SECONDS)).as("b hands back and exits: " + b.output).isTrue();
        assertThat(b.process.exitValue()).isEqualTo(3);
        a2.awaitStarted(120);
        LOG.info("over and back in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

        CenterClient api2 = new CenterClient(a2.base());
        assertThat(api2.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        JsonNode list = api2.await("/api/maintenance/switchovers", n -> n.path("switchovers").size() >= 2);
        LOG.info("switchovers recorded: {}", list);
        JsonNode over = list.path("switchovers").get(0);
        JsonNode back = list.path("switchovers").get(1);
        assertThat(over.path("from").asText() + ">" + over.path("to").asText()).isEqualTo("a>b");
        assertThat(back.path("from").asText() + ">" + back.path("to").asText()).isEqualTo("b>a");
        assertThat(over.path("test").asBoolean()).isTrue();
        assertThat(back.path("test").asBoolean()).isTrue();
        assertThat(over.path("tookMs").asLong()).isNotNegative();
        assertThat(back.path("tookMs").asLong()).isNotNegative();
        assertThat(over.path("by").asText()).isEqualTo("node b");

        JsonNode row = null;
        for (JsonNode r : api2.get("/api/compliance").body().path("rows")) {
            if (r.path("id").asText().equals("hot-standby-30d")) {
                row = r;
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.path("status").asText()).as("%s", row).isEqualTo("met");
    }

    private static Map<String, String> env(String node) {
        return Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD, "ARC4J_NODE", node);
    }
}
