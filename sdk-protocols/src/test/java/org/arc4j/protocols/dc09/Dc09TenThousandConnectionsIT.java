package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.AlarmEvent;
import org.junit.jupiter.api.Test;

/**
 * 10,000 concurrent TCP connections to one receiver, the client side in its own JVM (so neither side's file
 * descriptors or threads are shared), started under {@code ulimit -n 65536}; the server listens with a large
 * backlog. Every connection must get its ACK, and every frame must become exactly one event.
 */
class Dc09TenThousandConnectionsIT {
    private static final int CONNECTIONS = 10_000;

    @Test
    void tenThousandConcurrentConnectionsAllGetTheirAck() throws Exception {
        try (ReceiverFixture fx = new ReceiverFixture(b -> b.backlog(16_384).idleTimeout(null))) {
            Path dir = Files.createTempDirectory("dc09-client");
            Path source = dir.resolve("TenThousandClient.java");
            try (InputStream in = getClass().getResourceAsStream("/dc09/TenThousandClient.java")) {
                Files.write(source, in.readAllBytes());
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cmd = "ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); echo FD_LIMIT $(ulimit -n); exec '" + java
                    + "' -Xmx256m '" + source + "' 127.0.0.1 " + fx.receiver.tcpPort() + " " + CONNECTIONS;
            Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
            assertThat(p.waitFor(200, TimeUnit.SECONDS)).isTrue();
            System.out.println(out);
            assertThat(out).contains("CONNECTED " + CONNECTIONS + " OF " + CONNECTIONS)
                    .contains("ACKED " + CONNECTIONS + " OF " + CONNECTIONS);
            assertThat(fx.intake.events()).hasSize(CONNECTIONS);
            assertThat(fx.intake.events().stream().map(AlarmEvent::account).distinct()).hasSize(CONNECTIONS);
            assertThat(fx.count("dc09.connections", "event", "opened")).isEqualTo(CONNECTIONS);
            Files.deleteIfExists(source);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
