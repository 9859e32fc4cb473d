package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.core.testsupport.PostgresServer;
import org.arc4j.protocols.dc09.Crc16Arc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/arc4j-center --store postgresql://…}: two real centre processes on one real PostgreSQL server (Debian
 * postgresql, started by the test). The first leads and acknowledges a DC-09 alarm once it is committed; the second
 * waits as the standby; online backups are refused (409: the database's own are the way); the leader is killed
 * (SIGKILL) and the standby takes over with the alarm and its case; a leader whose epoch the database no longer
 * names exits with status 3. The takeover time is logged, not asserted.
 */
class CenterOnPostgresIT {
    private static final Logger LOG = LoggerFactory.getLogger(CenterOnPostgresIT.class);
    private static final String ADMIN_PASSWORD = "Qm7!vRt2#Lk9-pXw";
    private static final Pattern RECOVERED = Pattern.compile("\\((\\d+) events, (\\d+) open cases recovered\\)");

    @TempDir
    Path dir;
    private final List<CenterProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(CenterProcess::close);
    }

    @Test
    void anActiveStandbyPairTakesOverAndADeposedLeaderExits() throws Exception {
        PostgresServer server = PostgresServer.get();
        String db = "centre" + ProcessHandle.current().pid();
        sql(server, "postgres", "CREATE DATABASE " + db);
        String url = "postgresql://arc4j@127.0.0.1:" + server.port() + "/" + db;

        CenterProcess a = CenterProcess.start(dir.resolve("a"), env("a"), "--store", url);
        processes.add(a);
        assertThat(a.output).anyMatch(l -> l.contains("leader of postgresql://arc4j@") && l.contains("epoch 1"));
        CenterProcess b = CenterProcess.launch(dir.resolve("b"), env("b"), "--store", url);
        processes.add(b);
        Await.until(() -> b.output.stream().anyMatch(l -> l.contains("standby")), "standby waits", 60);

        assertThat(send(a.dc09Tcp, frame(1))).contains("\"ACK\"");
        assertThat(count(server, db, "SELECT count(*) FROM arc4j_record WHERE type = 1")).isEqualTo(1);
        CenterClient api = new CenterClient(a.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient.Reply backup = api.call("POST", "/api/maintenance/backups",
                CenterClient.JSON.createObjectNode().put("reason", "manual"));
        assertThat(backup.status()).isEqualTo(409);
        assertThat(backup.error()).contains("PostgreSQL");

        long killed = System.nanoTime();
        a.kill();
        b.awaitStarted(90);
        LOG.info("standby centre listening {} ms after the leader's SIGKILL",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
        assertThat(b.output).anyMatch(l -> l.contains("leader of") && l.contains("epoch 2"));
        Matcher m = b.output.stream().map(RECOVERED::matcher).filter(Matcher::find).findFirst().orElseThrow();
        assertThat(m.group(1)).as("events the new leader found").isEqualTo("1");
        assertThat(m.group(2)).as("open cases it recovered").isEqualTo("1");
        assertThat(send(b.dc09Tcp, frame(2))).contains("\"ACK\"");
        assertThat(count(server, db, "SELECT count(*) FROM arc4j_record WHERE type = 1")).isEqualTo(2);

        // another node took the lead (as a partitioned leader would find): this one stops acknowledging and exits 3
        sql(server, db, "UPDATE arc4j_leader SET epoch = epoch + 1, node = 'elsewhere'");
        assertThat(b.process.waitFor(60, TimeUnit.SECONDS)).as("deposed leader exits").isTrue();
        assertThat(b.process.exitValue()).isEqualTo(3);
        assertThat(b.output).anyMatch(l -> l.contains("lost the leader lease"));
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

    private static long count(PostgresServer server, String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl().replace("/postgres?", "/" + db + "?"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One DC-09 SIA message of account 1234 (a burglary alarm), timestamped now. */
    private static byte[] frame(int sequence) {
        String stamp = DateTimeFormatter.ofPattern("HH:mm:ss,MM-dd-yyyy").format(LocalDateTime.now(ZoneOffset.UTC));
        String body = "\"SIA-DCS\"" + String.format("%04d", sequence) + "L0#1234[#1234|NBA001]_" + stamp;
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        int crc = Crc16Arc.INSTANCE.compute(b, 0, b.length);
        return ("\n" + String.format("%04X%04X", crc, b.length) + body + "\r").getBytes(StandardCharsets.US_ASCII);
    }

    private static String send(int port, byte[] frame) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(frame);
            InputStream in = s.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                reply.append((char) c);
            }
            return reply.toString();
        }
    }
}
