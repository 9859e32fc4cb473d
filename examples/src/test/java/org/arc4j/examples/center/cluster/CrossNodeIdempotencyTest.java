package org.arc4j.examples.center.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testsupport.PostgresServer;
import org.arc4j.protocols.dc09.Crc16Arc;
import org.junit.jupiter.api.Test;

/**
 * Two centre nodes on one PostgreSQL database receive the same DC-09 message (a panel's primary path to one node,
 * its retransmission over the secondary path to the other): both acknowledge it, the database holds one event,
 * and the leader's pipeline makes one case of it; a node whose appends fail in the database does not acknowledge
 * (the panel retransmits). Real PostgreSQL (Debian postgresql), real DC-09 over TCP.
 */
class CrossNodeIdempotencyTest {
    static final String MESSAGE = "#1234|NBA001";

    @Test
    void theSameMessageThroughTwoNodesIsOneEventAndOneCase() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (ClusterNode a = new ClusterNode("a", server, schema).lead()) {
            await(() -> a.lease.isLeader() && a.leadership.pipeline().isPresent());
            try (ClusterNode b = new ClusterNode("b", server, schema).lead()) {
                // one after the other: the second node finds the key the first one stored
                byte[] first = frame(41);
                assertAcked(send(a.dc09(), first));
                assertAcked(send(b.dc09(), first));
                // at the same time: one transaction waits for the other's key and then finds it
                byte[] second = frame(42);
                CompletableFuture<String> x = sendAsync(a.dc09(), second);
                CompletableFuture<String> y = sendAsync(b.dc09(), second);
                assertAcked(x.get(20, TimeUnit.SECONDS));
                assertAcked(y.get(20, TimeUnit.SECONDS));

                List<StoredRecord> events = a.store.events(EventQuery.all());
                assertThat(events).hasSize(2);
                assertThat(b.store.events(EventQuery.all())).hasSize(2);
                assertThat(b.lease.isLeader()).isFalse();
                assertThat(b.leadership.pipeline()).isEmpty();
                // sequence 41 and 42 carry the same alarm: the pipeline merges them into one case of two arrivals
                await(() -> a.leadership.pipeline().orElseThrow().openCases().stream()
                        .mapToInt(c -> c.arrivals().size()).sum() == 2);
                List<AlarmCase> cases = a.leadership.pipeline().orElseThrow().openCases();
                assertThat(cases).hasSize(1);
                assertThat(cases.get(0).arrivals()).extracting(r -> r.eventId().toString()).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void aNodeThatCannotWriteToTheDatabaseDoesNotAcknowledge() throws Exception {
        PostgresServer server = PostgresServer.get();
        String schema = server.freshSchema();
        try (ClusterNode a = new ClusterNode("alone", server, schema)) {
            assertAcked(send(a.dc09(), frame(1)));
            try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement s = c.createStatement()) {
                // every append now fails in the database, as when it is unreachable or read-only
                s.execute("ALTER TABLE " + schema + ".arc4j_record RENAME TO arc4j_record_away");
                byte[] lost = frame(2);
                assertThatThrownBy(() -> send(a.dc09(), lost, 3_000)).isInstanceOf(SocketTimeoutException.class);
                s.execute("ALTER TABLE " + schema + ".arc4j_record_away RENAME TO arc4j_record");
                // the panel retransmits: now it is stored and acknowledged, once
                assertAcked(send(a.dc09(), lost));
            }
            assertThat(a.store.events(EventQuery.all())).hasSize(2);
        }
    }

    static void assertAcked(String reply) {
        assertThat(reply).contains("\"ACK\"");
    }

    /** The bytes of one DC-09 SIA message (sequence given, timestamped now), as a panel sends it and resends it. */
    static byte[] frame(int sequence) {
        String stamp = DateTimeFormatter.ofPattern("HH:mm:ss,MM-dd-yyyy").format(LocalDateTime.now(ZoneOffset.UTC));
        String body = "\"SIA-DCS\"" + String.format("%04d", sequence) + "L0#1234[" + MESSAGE + "]_" + stamp;
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        int crc = Crc16Arc.INSTANCE.compute(b, 0, b.length);
        return ("\n" + String.format("%04X%04X", crc, b.length) + body + "\r").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends a frame over TCP to a node and returns its answer. */
    static String send(InetSocketAddress node, byte[] frame) throws IOException {
        return send(node, frame, 20_000);
    }

    static String send(InetSocketAddress node, byte[] frame, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(node, 5000);
            s.setSoTimeout(timeoutMillis);
            s.getOutputStream().write(frame);
            InputStream in = s.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                reply.append((char) c);
            }
            return reply.toString();
        }
    }

    static CompletableFuture<String> sendAsync(InetSocketAddress node, byte[] frame) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(node, frame);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
