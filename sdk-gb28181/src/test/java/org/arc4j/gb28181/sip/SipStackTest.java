package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.arc4j.core.testkit.Await;

class SipStackTest {
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<ServerTransaction> seen = new CopyOnWriteArrayList<>();
    private final SimpleMetrics metrics = new SimpleMetrics();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private SipStack stack(SipRequestHandler h) throws InterruptedException {
        SipStack s = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(0).scheduler(scheduler)
                .metrics(metrics).handler(h).start();
        closeables.add(s);
        return s;
    }

    private SipStack answering() throws InterruptedException {
        return stack(tx -> {
            seen.add(tx);
            tx.respond(SipResponse.replyTo(tx.request(), 200, "OK", null));
        });
    }

    private static SipRequest message(String callId, int cseq) {
        return SipRequest.of(SipRequest.MESSAGE, "sip:34020000001320000001@3402000000", SipHeaders.builder()
                .add("From", "<sip:34020000002000000001@3402000000>;tag=p1")
                .add("To", "<sip:34020000001320000001@3402000000>")
                .add("Call-ID", callId).add("CSeq", cseq + " MESSAGE")
                .add("Content-Type", "Application/MANSCDP+xml").build(),
                "<?xml version=\"1.0\"?><Query/>".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void requestAndResponseOverEachTransport(SipTransport t) throws Exception {
        SipStack server = answering();
        SipStack client = stack(tx -> { });
        InetSocketAddress to = t == SipTransport.UDP ? server.udpAddress() : server.tcpAddress();
        for (int i = 1; i <= 3; i++) {
            SipResponse r = client.send(message("c" + i, i), new SipPeer(t, to)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.to().tag()).isNotNull();
            assertThat(r.callId()).isEqualTo("c" + i);
        }
        assertThat(seen).hasSize(3);
        ServerTransaction first = seen.get(0);
        assertThat(first.source().transport()).isEqualTo(t);
        assertThat(first.request().topVia().transport()).isEqualTo(t.name());
        assertThat(first.request().topVia().rport()).isEqualTo(first.source().address().getPort());
        if (t == SipTransport.TCP) {
            assertThat(client.tcpConnections()).as("one connection reused").isEqualTo(1);
            assertThat(seen).extracting(tx -> tx.source().address()).containsOnly(first.source().address());
        }
        assertThat(client.liveTransactions()).isPositive();
        scheduler.advance(Duration.ofSeconds(6)); // timer K (T4) ends the client transactions
        assertThat(client.liveTransactions()).isZero();
        scheduler.advance(Duration.ofSeconds(32)); // timer J (64*T1) ends the server ones
        assertThat(server.liveTransactions()).isZero();
    }

    @Test
    void udpBuffersHoldAFullCatalogDatagram() throws Exception {
        SipStack server = answering();
        assertThat(server.udpReceiveBufferBytes()).isGreaterThanOrEqualTo(64 * 1024);
        byte[] body = "x".repeat(60_000).getBytes(StandardCharsets.US_ASCII);
        SipRequest big = SipRequest.of(SipRequest.MESSAGE, "sip:a@b", message("big", 1).headers(), body);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            byte[] bytes = SipEncoder.INSTANCE.encode(big.withHeaders(big.headers().toBuilder()
                    .addFirst("Via", "SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bKbig").build()));
            s.send(new DatagramPacket(bytes, bytes.length, server.udpAddress()));
            SipResponse r = receive(s);
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(seen.get(0).request().bodyLength()).isEqualTo(60_000);
    }

    @Test
    void retransmittedRequestIsAbsorbedAndAnsweredAgain() throws Exception {
        SipStack server = answering();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            SipRequest m = message("retx", 5);
            byte[] bytes = SipEncoder.INSTANCE.encode(m.withHeaders(m.headers().toBuilder()
                    .addFirst("Via", "SIP/2.0/UDP 10.9.9.9:7100;rport;branch=z9hG4bKretx").build()));
            s.send(new DatagramPacket(bytes, bytes.length, server.udpAddress()));
            SipResponse first = receive(s);
            s.send(new DatagramPacket(bytes, bytes.length, server.udpAddress()));
            SipResponse again = receive(s);
            assertThat(again.header("To")).isEqualTo(first.header("To"));
            // the Via said 10.9.9.9:7100 but rport sends the answer where the request came from
            assertThat(first.topVia().received()).isEqualTo("127.0.0.1");
            assertThat(first.topVia().rport()).isEqualTo(s.getLocalPort());
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void garbageGetsA400WithAReason() throws Exception {
        SipStack server = answering();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            String bad = "MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                    + ";branch=z9hG4bKbad\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: bad\r\n"
                    + "CSeq: 1 MESSAGE\r\nContent-Length: many\r\n\r\n";
            byte[] bytes = bad.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(bytes, bytes.length, server.udpAddress()));
            SipResponse r = receive(s);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.reason()).isEqualTo("Invalid Content-Length: many");
        }
        assertThat(seen).isEmpty();
        assertThat(metrics.counts()).containsKey(org.arc4j.core.metrics.MetricId.of("sip.invalid", "reason",
                "CONTENT_LENGTH_INVALID"));
    }

    @Test
    void tcpStreamErrorAnswers400ThenCloses() throws Exception {
        SipStack server = answering();
        try (Socket s = new Socket()) {
            s.connect(server.tcpAddress(), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            SipRequest m = message("tcp-ok", 1);
            out.write(SipEncoder.INSTANCE.encode(m.withHeaders(m.headers().toBuilder()
                    .addFirst("Via", "SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKt1").build())));
            out.write(("MESSAGE sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKt2\r\n"
                    + "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: t2\r\nCSeq: 1 MESSAGE\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes(); // ends when the server closes
            String text = new String(all, StandardCharsets.US_ASCII);
            assertThat(text).startsWith("SIP/2.0 200 OK").contains("SIP/2.0 400 Missing Content-Length");
        }
    }

    @Test
    void udpClientRetransmitsOnTimerEAndTimesOutOnTimerF() throws Exception {
        SipStack client = stack(tx -> { });
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(5000);
            CompletableFuture<SipResponse> f = client.send(message("lost", 1),
                    new SipPeer(SipTransport.UDP, (InetSocketAddress) silent.getLocalSocketAddress()))
                    .toCompletableFuture();
            receiveRaw(silent);
            long[] expected = {500, 1000, 2000, 4000, 4000};
            for (long ms : expected) {
                scheduler.advance(Duration.ofMillis(ms));
                receiveRaw(silent); // one retransmission per interval: T1, 2T1, 4T1, then T2
            }
            assertThat(f).isNotDone();
            scheduler.advance(Duration.ofSeconds(32));
            assertThat(f).isCompletedExceptionally();
            try {
                f.get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(SipTimeoutException.class);
            }
        }
        assertThat(client.liveTransactions()).isZero();
    }

    private static String receiveRaw(DatagramSocket s) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static SipResponse receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response", e);
        }
        return (SipResponse) ((SipParseResult.Parsed) SipParser.INSTANCE.parseDatagram(buf, 0, p.getLength()))
                .message();
    }

    @Test
    void tcpMessagesSplitAcrossSegmentsAndJoinedInOneSegment() throws Exception {
        SipStack server = answering();
        try (Socket s = new Socket()) {
            s.connect(server.tcpAddress(), 5000);
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            byte[] one = encodeWithVia(message("seg-1", 1), "z9hG4bKs1");
            for (int i = 0; i < one.length; i += 7) { // a keep-alive CRLF pair first, then 7-byte pieces
                if (i == 0) {
                    out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write(one, i, Math.min(7, one.length - i));
                out.flush();
            }
            byte[] two = encodeWithVia(message("seg-2", 2), "z9hG4bKs2");
            byte[] three = encodeWithVia(message("seg-3", 3), "z9hG4bKs3");
            byte[] both = new byte[two.length + three.length];
            System.arraycopy(two, 0, both, 0, two.length);
            System.arraycopy(three, 0, both, two.length, three.length);
            out.write(both);
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4096];
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count(got.toString(), "SIP/2.0 200 OK") < 3 && System.nanoTime() < until) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            assertThat(count(got.toString(), "SIP/2.0 200 OK")).isEqualTo(3);
        }
        assertThat(seen).extracting(tx -> tx.request().callId()).containsExactly("seg-1", "seg-2", "seg-3");
    }

    private static byte[] encodeWithVia(SipRequest m, String branch) {
        return SipEncoder.INSTANCE.encode(m.withHeaders(m.headers().toBuilder()
                .addFirst("Via", "SIP/2.0/TCP 127.0.0.1:1;branch=" + branch).build()));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aMessageTricklingInOneByteAtATimeOverTcpIsFramedOnceAndTwoBackToBackAreBothRead() throws Exception {
        SipStack server = answering();
        byte[] one = SipEncoder.INSTANCE.encode(message("trickle", 1).withHeaders(message("trickle", 1).headers()
                .toBuilder().add("Via", "SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKtrickle").build()));
        byte[] two = SipEncoder.INSTANCE.encode(message("second", 2).withHeaders(message("second", 2).headers()
                .toBuilder().add("Via", "SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKsecond").build()));
        try (Socket sock = new Socket()) {
            sock.connect(server.tcpAddress(), 5000);
            sock.setTcpNoDelay(true);
            OutputStream out = sock.getOutputStream();
            for (byte b : one) {
                out.write(b);
                out.flush();
            }
            byte[] third = SipEncoder.INSTANCE.encode(message("third", 3).withHeaders(message("third", 3).headers()
                    .toBuilder().add("Via", "SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKthird").build()));
            out.write(two);
            out.write(third);
            out.flush();
            Await.until(Duration.ofSeconds(10), () -> seen.size() >= 3, () -> "three requests over TCP, got " + seen);
        }
        assertThat(seen).extracting(tx -> tx.request().callId()).containsExactly("trickle", "second", "third");
        assertThat(seen.get(0).request().body()).isEqualTo("<?xml version=\"1.0\"?><Query/>"
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anIdleTcpConnectionIsClosedOnTheSchedulersTime() throws Exception {
        SipStack server = SipStack.builder().bindHost("127.0.0.1").udpPort(-1).tcpPort(0).scheduler(scheduler)
                .metrics(metrics).tcpIdleTimeout(Duration.ofSeconds(180)).handler(tx -> { }).start();
        closeables.add(server);
        try (Socket sock = new Socket()) {
            sock.connect(server.tcpAddress(), 5000);
            Await.until(Duration.ofSeconds(10), () -> server.tcpConnections() >= 1, () -> "the TCP connection");
            assertThat(server.tcpConnections()).isEqualTo(1);
            scheduler.advance(Duration.ofSeconds(170));
            assertThat(server.tcpConnections()).isEqualTo(1);
            scheduler.advance(Duration.ofSeconds(60));
            sock.setSoTimeout(10_000);
            assertThat(sock.getInputStream().read()).isEqualTo(-1); // closed by the server
        }
        server.close();
        assertThat(scheduler.pending()).isZero(); // the sweep is cancelled with the stack
    }

    @Test
    void aHeaderBlockThatNeverEndsIsRefusedAtTheSizeLimit() throws Exception {
        SipStack server = SipStack.builder().bindHost("127.0.0.1").udpPort(-1).tcpPort(0).scheduler(scheduler)
                .metrics(metrics).limits(new SipLimits(4096, 1024, 64)).handler(tx -> seen.add(tx)).start();
        closeables.add(server);
        try (Socket sock = new Socket()) {
            sock.connect(server.tcpAddress(), 5000);
            OutputStream out = sock.getOutputStream();
            out.write("MESSAGE sip:a@b SIP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            sock.setSoTimeout(10_000);
            boolean closed = false;
            try {
                for (int i = 0; i < 200; i++) {
                    out.write(line);
                    out.flush();
                }
                InputStream in = sock.getInputStream();
                while (in.read() != -1) {
                    // a 400 may come first; then the connection goes
                }
                closed = true;
            } catch (java.io.IOException e) {
                closed = true; // reset by the server while we were still writing
            }
            assertThat(closed).isTrue();
        }
        assertThat(seen).isEmpty();
    }
}
