package org.arc4j.examples.center.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.examples.center.config.LinksConfig;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/**
 * A hardware receiver's TCP output that goes away mid-run is connected to again, and what it sends afterwards still
 * becomes alarms: timers on a manual scheduler, the receiver a real socket.
 */
class ReceiverLinksTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final byte ACK = 0x06;

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-05T08:00:00Z"));
    private final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());

    @Test
    void aReceiverLinkThatDropsIsOpenedAgainAndKeepsDelivering() throws Exception {
        try (ServerSocket receiver = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout((int) BOUND.toMillis());
            LinksConfig.Receive config = new LinksConfig.Receive(null, List.of(new LinksConfig.Link("mlr2", null,
                    null, "127.0.0.1:" + receiver.getLocalPort(), null, null)), List.of());
            ReceiverLinks links = ReceiverLinks.start(config, intake, new InMemorySupervisor(scheduler), scheduler,
                    new SimpleMetrics());
            try {
                try (Socket first = receiver.accept()) {
                    send(first, "5011 181234E13001003\u0014");
                    Await.until(BOUND, () -> intake.events().size() == 1, () -> "the first alarm");
                }
                // the receiver's end went away; a check after the link's reader saw it end connects again
                try (Socket second = acceptAfterChecks(receiver)) {
                    send(second, "5011 181234E13001004\u0014");
                    Await.until(BOUND, () -> intake.events().size() == 2, () -> "the alarm after the link came back");
                }
            } finally {
                links.close();
            }
        }
        assertThat(intake.events()).extracting(e -> e.zone()).containsExactly("003", "004");
    }

    /** Lets the link checks run, one {@link ReceiverLinks#RETRY} of virtual time at a time, until a connection comes. */
    private Socket acceptAfterChecks(ServerSocket receiver) throws Exception {
        receiver.setSoTimeout(200);
        long end = System.nanoTime() + BOUND.toNanos();
        while (true) {
            scheduler.advance(ReceiverLinks.RETRY);
            try {
                return receiver.accept();
            } catch (java.net.SocketTimeoutException e) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("the link was not opened again within " + BOUND);
                }
            }
        }
    }

    /** Writes one record and waits for its ACK. */
    private static void send(Socket s, String record) throws Exception {
        s.setSoTimeout((int) BOUND.toMillis());
        s.getOutputStream().write(record.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        assertThat(in.read()).as("ACK of " + record).isEqualTo(ACK);
    }
}
