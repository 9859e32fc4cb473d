package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/**
 * The server transactions, keyed by what the network sends, are bounded (issue 15 item 5): a new request beyond
 * the bound is answered 503 with Retry-After and makes no transaction; once a transaction ends (timer J, virtual
 * time) a new request is taken again.
 */
class ServerTransactionBoundTest {
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));

    private static byte[] message(int port, String callId) {
        SipRequest m = SipRequest.of(SipRequest.MESSAGE, "sip:34020000002000000001@127.0.0.1", SipHeaders.builder()
                .add("Via", "SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK" + callId)
                .add("From", "<sip:34020000001320000001@3402000000>;tag=" + callId)
                .add("To", "<sip:34020000002000000001@3402000000>")
                .add("Call-ID", callId).add("CSeq", "20 MESSAGE").add("Max-Forwards", "70")
                .add("Content-Type", "Application/MANSCDP+xml").build(),
                "<?xml version=\"1.0\"?><Notify><CmdType>Keepalive</CmdType></Notify>"
                        .getBytes(StandardCharsets.US_ASCII));
        return SipEncoder.INSTANCE.encode(m);
    }

    private static String receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static void awaitSize(List<?> list, int n) {
        Await.until(Duration.ofSeconds(10), () -> list.size() >= n, () -> n + " held, got " + list);
        assertThat(list).hasSize(n);
    }

    @Test
    void aRequestBeyondTheBoundIsAnswered503AndMakesNoTransaction() throws Exception {
        List<ServerTransaction> held = new CopyOnWriteArrayList<>(); // the TU answers nothing yet
        SimpleMetrics metrics = new SimpleMetrics();
        try (SipStack server = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(-1).scheduler(scheduler)
                .metrics(metrics).maxServerTransactions(4).handler(held::add).start();
             DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            for (int i = 0; i < 4; i++) {
                byte[] b = message(s.getLocalPort(), "flood" + i);
                s.send(new DatagramPacket(b, b.length, server.udpAddress()));
            }
            awaitSize(held, 4);
            assertThat(server.liveTransactions()).isEqualTo(4);

            byte[] fifth = message(s.getLocalPort(), "flood4");
            s.send(new DatagramPacket(fifth, fifth.length, server.udpAddress()));
            String busy = receive(s);
            assertThat(busy).startsWith("SIP/2.0 503 Service Unavailable\r\n").contains("Call-ID: flood4\r\n")
                    .contains("Retry-After: 5\r\n");
            assertThat(server.liveTransactions()).isEqualTo(4);
            assertThat(held).hasSize(4);
            assertThat(metrics.counter("sip.overloaded").count()).isOne();

            // one is answered; over UDP it lives on for timer J (64·T1), then its place is free again
            held.get(0).respond(SipResponse.replyTo(held.get(0).request(), 200, "OK", "t0"));
            assertThat(receive(s)).startsWith("SIP/2.0 200 OK");
            scheduler.advance(Duration.ofSeconds(33));
            assertThat(server.liveTransactions()).isEqualTo(3);
            s.send(new DatagramPacket(fifth, fifth.length, server.udpAddress()));
            awaitSize(held, 5);
            assertThat(held.get(4).request().callId()).isEqualTo("flood4");
        }
    }
}
