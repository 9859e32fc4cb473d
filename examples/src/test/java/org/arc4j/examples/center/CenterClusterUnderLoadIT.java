package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.PostgresServer;
import org.arc4j.examples.sim.PanelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 24, "what it must show": two real centre processes on one real PostgreSQL database under load from
 * {@code bin/arc4j-panel-sim}'s panels, whose primary path is node A and secondary path node B
 * ({@code --target A,B}), at a low rate. The leader is killed (SIGKILL) while panels send: the panels fail over to
 * the standby once it has taken over, every event the panels saw ACKed ({@code --acked-log}) is an event in the
 * database, no event is stored twice and no event is in two cases. Then the database is killed under load: the
 * centre answers no panel (no ACK) and exits as a deposed leader, and after the database restarts every event ACKed
 * before is in it. Times are logged, not asserted.
 */
class CenterClusterUnderLoadIT {
    private static final Logger LOG = LoggerFactory.getLogger(CenterClusterUnderLoadIT.class);
    private static final String ADMIN_PASSWORD = "Qm7!vRt2#Lk9-pXw";

    @TempDir
    Path dir;
    private final List<CenterProcess> centres = new ArrayList<>();
    private final List<Process> sims = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        centres.forEach(CenterProcess::close);
        sims.forEach(Process::destroyForcibly);
    }

    @Test
    void noAckedEventIsLostWhenTheLeaderOrTheDatabaseDies() throws Exception {
        PostgresServer server = PostgresServer.get();
        String db = "load" + ProcessHandle.current().pid();
        sql(server, "postgres", "CREATE DATABASE " + db);
        String url = "postgresql://arc4j@127.0.0.1:" + server.port() + "/" + db;
        int portA = freePort();
        int portB = freePort();

        CenterProcess a = CenterProcess.start(dir.resolve("a"), env("a"), "--store", url, "--dc09-tcp",
                String.valueOf(portA));
        centres.add(a);
        CenterProcess b = CenterProcess.launch(dir.resolve("b"), env("b"), "--store", url, "--dc09-tcp",
                String.valueOf(portB));
        centres.add(b);
        Await.until(() -> b.output.stream().anyMatch(l -> l.contains("standby")), "standby waits", 60);

        // 1. SIGKILL the leader under load: the panels fail over to B once it leads
        Path ackedLog = dir.resolve("acked-1.log");
        Sim sim = Sim.start(dir.resolve("sim-1.out"), "--target", "127.0.0.1:" + portA + ",127.0.0.1:" + portB,
                "--acked-log", ackedLog.toString(), "--panels", "4", "--rate", "8", "--duration", "20",
                "--timeout", "3000", "--retries", "2", "--account-base", "200000");
        sims.add(sim.process);
        Await.until(() -> lines(ackedLog) >= 20, "panels ACKed by the leader", 60);
        long killed = System.nanoTime();
        a.kill();
        b.awaitStarted(120);
        LOG.info("standby listening {} ms after the leader's SIGKILL",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        int exit = sim.await(120);
        String out = Files.readString(sim.output);
        LOG.info("panel-sim across the takeover:\n{}", out);
        assertThat(out).contains("failovers between paths").doesNotContain(" 0 failovers");
        assertThat(exit).as("every event ACKed in the end: " + out).isZero();
        List<String> acked = Files.readAllLines(ackedLog);
        assertThat(acked).hasSize(160);
        assertThat(acked).anyMatch(l -> l.endsWith(":" + portA)).anyMatch(l -> l.endsWith(":" + portB));
        assertAllStoredOnceInOneCase(server, db, acked);
        // the takeover is in the compliance evidence, recorded by the node that took over (GA 1383 双机热备)
        Await.until(() -> switchovers(server, db).stream().anyMatch(j -> j.contains("\"from\":\"a\"")
                && j.contains("\"to\":\"b\"") && j.contains("\"test\":false")), "takeover recorded", 30);
        LOG.info("switchovers recorded: {}", switchovers(server, db));

        // 2. kill the database under load: no panel gets an ACK for what cannot be made durable
        Path ackedLog2 = dir.resolve("acked-2.log");
        Sim sim2 = Sim.start(dir.resolve("sim-2.out"), "--target", "127.0.0.1:" + portA + ",127.0.0.1:" + portB,
                "--acked-log", ackedLog2.toString(), "--panels", "4", "--rate", "8", "--duration", "12",
                "--timeout", "1000", "--retries", "1", "--account-base", "300000");
        sims.add(sim2.process);
        Await.until(() -> lines(ackedLog2) >= 16, "panels ACKed before the database dies", 60);
        try {
            server.crash();
            assertThat(b.process.waitFor(60, TimeUnit.SECONDS)).as("the leader without its database exits: " + String.join("\n", b.output)).isTrue();
            assertThat(b.process.exitValue()).isEqualTo(3);
            int ackedAtExit = lines(ackedLog2);
            int exit2 = sim2.await(120);
            String out2 = Files.readString(sim2.output);
            LOG.info("panel-sim across the database's death:\n{}", out2);
            assertThat(exit2).as("events went unanswered").isEqualTo(1);
            assertThat(lines(ackedLog2)).as("no ACK once the leader is gone").isEqualTo(ackedAtExit);
        } finally {
            server.start();
        }
        List<String> acked2 = Files.readAllLines(ackedLog2);
        assertThat(acked2).hasSizeGreaterThanOrEqualTo(16).hasSizeLessThan(96);
        assertAllStoredOnceInOneCase(server, db, acked2);
    }

    /** Every ACKed line is exactly one event in the database, and no event is in two cases. */
    private static void assertAllStoredOnceInOneCase(PostgresServer server, String db, List<String> acked)
            throws Exception {
        Map<String, Integer> stored = new HashMap<>();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl().replace("/postgres?", "/" + db + "?"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT account, convert_from(payload, 'UTF8')::json->>'zone'"
                    + " FROM arc4j_record WHERE type = 1")) {
                while (rs.next()) {
                    stored.merge(rs.getString(1) + " " + rs.getString(2), 1, Integer::sum);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT case_id), count(*) FROM arc4j_case_event")) {
                rs.next();
                LOG.info("{} cases hold {} events", rs.getLong(1), rs.getLong(2));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM (SELECT event_id FROM arc4j_case_event"
                    + " GROUP BY event_id HAVING count(*) > 1) twice")) {
                rs.next();
                assertThat(rs.getLong(1)).as("events in more than one case").isZero();
            }
        }
        for (String line : acked) {
            String[] f = line.split(" ");
            assertThat(stored.get(f[0] + " " + f[2])).as("events stored for ACKed " + line).isEqualTo(1);
        }
    }

    private static List<String> switchovers(PostgresServer server, String db) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl().replace("/postgres?", "/" + db + "?"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT convert_from(payload, 'UTF8') FROM arc4j_record"
                     + " WHERE subject = 'center/switchover' ORDER BY position")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            return out;
        }
        return out;
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> env(String node) {
        return Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD, "ARC4J_NODE", node);
    }

    private static void sql(PostgresServer server, String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl().replace("/postgres?", "/" + db + "?"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@code bin/arc4j-panel-sim}'s main class as its own process, from this test's class path. */
    private record Sim(Process process, Path output) {
        static Sim start(Path output, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    PanelSimulator.class.getName()));
            cmd.addAll(List.of(args));
            return new Sim(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start(),
                    output);
        }

        int await(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("panel-sim did not end");
            }
            return process.exitValue();
        }
    }
}
