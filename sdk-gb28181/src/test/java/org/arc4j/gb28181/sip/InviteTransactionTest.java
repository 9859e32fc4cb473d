package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/** INVITE client and server transactions (RFC 3261 §17.1.1, §17.2.1) with timers A, B, D, G, H, I, and dialogs. */
class InviteTransactionTest {
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SipRequest> acks = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private SipStack stack(SipRequestHandler h) throws InterruptedException {
        SipStack s = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(0).scheduler(scheduler).handler(h)
                .start();
        closeables.add(s);
        return s;
    }

    private static SipRequest invite(String callId) {
        return SipRequest.of(SipRequest.INVITE, "sip:34020000001320000001@127.0.0.1", SipHeaders.builder()
                .add("From", "<sip:34020000002000000001@3402000000>;tag=inv1")
                .add("To", "<sip:34020000001320000001@3402000000>")
                .add("Call-ID", callId).add("CSeq", "1 INVITE")
                .add("Contact", "<sip:34020000002000000001@127.0.0.1>")
                .add("Content-Type", "application/sdp").build(), "v=0\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void rejectedInviteIsAcknowledgedByTheTransaction() throws Exception {
        SipStack server = stack(new SipRequestHandler() {
            @Override
            public void onRequest(ServerTransaction tx) {
                tx.respond(SipResponse.replyTo(tx.request(), 486, "Busy Here", null));
            }
        });
        SipStack client = stack(tx -> { });
        SipResponse r = client.send(invite("busy"), new SipPeer(SipTransport.UDP, server.udpAddress()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(486);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.liveTransactions() > 0 && System.nanoTime() < until) {
            scheduler.advance(Duration.ofSeconds(5)); // the ACK confirmed it; timer I (T4) ends it
            Thread.onSpinWait();
        }
        assertThat(server.liveTransactions()).isZero();
        scheduler.advance(Duration.ofSeconds(32)); // timer D
        assertThat(client.liveTransactions()).isZero();
    }

    @Test
    void acceptedInviteMakesDialogsOnBothSides() throws Exception {
        List<ServerTransaction> seen = new CopyOnWriteArrayList<>();
        SipStack server = stack(new SipRequestHandler() {
            @Override
            public void onRequest(ServerTransaction tx) {
                seen.add(tx);
                tx.respond(SipResponse.of(200, "OK", SipResponse.replyHeaders(tx.request(), 200, "OK", "srv1")
                        .add("Contact", "<sip:34020000001320000001@127.0.0.1:" + tx.request().topVia().port() + ">")
                        .build(), null));
            }

            @Override
            public void onAck(SipRequest ack, SipPeer source) {
                acks.add(ack);
            }
        });
        SipStack client = stack(tx -> tx.respond(SipResponse.replyTo(tx.request(), 200, "OK", null)));
        SipPeer peer = new SipPeer(SipTransport.UDP, server.udpAddress());
        SipRequest inv = invite("call-1");
        SipResponse ok = client.send(inv, peer).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ok.status()).isEqualTo(200);
        Dialog uac = Dialog.asClient(inv, ok, peer);
        assertThat(uac.localTag()).isEqualTo("inv1");
        assertThat(uac.remoteTag()).isEqualTo("srv1");
        client.sendStateless(uac.ack(1), peer);
        Await.until(Duration.ofSeconds(10), () -> !acks.isEmpty(), () -> "the ACK at the server");
        assertThat(acks).hasSize(1);
        assertThat(acks.get(0).cseq()).isEqualTo(new CSeq(1, "ACK"));
        Dialog uas = Dialog.asServer(seen.get(0).request(), "srv1", peer);
        assertThat(uas.matches(uac.newRequest(SipRequest.BYE, null, null))).isTrue();
        SipRequest bye = uac.newRequest(SipRequest.BYE, null, null);
        assertThat(bye.cseq()).isEqualTo(new CSeq(3, "BYE"));
        assertThat(bye.to().tag()).isEqualTo("srv1");
        assertThat(bye.uri()).startsWith("sip:34020000001320000001@127.0.0.1:");
        assertThat(uas.matches(invite("other"))).isFalse();
    }

    @Test
    void serverRetransmitsTheFinalResponseOnTimerGUntilTimerH() throws Exception {
        SipStack server = stack(tx -> tx.respond(SipResponse.replyTo(tx.request(), 603, "Decline", null)));
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            SipRequest inv = invite("no-ack");
            byte[] bytes = SipEncoder.INSTANCE.encode(inv.withHeaders(inv.headers().toBuilder()
                    .addFirst("Via", "SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bKnoack").build()));
            s.send(new DatagramPacket(bytes, bytes.length, server.udpAddress()));
            assertThat(receive(s)).startsWith("SIP/2.0 100 Trying");
            assertThat(receive(s)).startsWith("SIP/2.0 603 Decline");
            for (long ms : new long[] {500, 1000, 2000, 4000, 4000}) { // T1 doubling, capped at T2
                scheduler.advance(Duration.ofMillis(ms));
                assertThat(receive(s)).startsWith("SIP/2.0 603 Decline");
            }
            assertThat(server.liveTransactions()).isOne();
            scheduler.advance(Duration.ofSeconds(32)); // timer H
            assertThat(server.liveTransactions()).isZero();
        }
    }

    @Test
    void inviteRetransmitsOnTimerAAndTimesOutOnTimerB() throws Exception {
        SipStack client = stack(tx -> { });
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(5000);
            CompletableFuture<SipResponse> f = client.send(invite("lost"),
                    new SipPeer(SipTransport.UDP, (InetSocketAddress) silent.getLocalSocketAddress()))
                    .toCompletableFuture();
            assertThat(receive(silent)).startsWith("INVITE ");
            for (long ms : new long[] {500, 1000, 2000, 4000, 8000, 16000}) { // timer A doubles without a cap
                scheduler.advance(Duration.ofMillis(ms));
                assertThat(receive(silent)).startsWith("INVITE ");
            }
            assertThat(f).isNotDone();
            scheduler.advance(Duration.ofMillis(500)); // 32 s: timer B
            assertThat(f).isCompletedExceptionally();
            try {
                f.get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(SipTimeoutException.class)
                        .hasMessageContaining("INVITE");
            }
        }
    }

    private static String receive(DatagramSocket s) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void cancelEndsAPendingInviteWith487() throws Exception {
        List<ServerTransaction> ringing = new CopyOnWriteArrayList<>();
        SipStack server = stack(ringing::add); // the TU never answers: the phone rings
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            String via = "SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bKring";
            SipRequest inv = invite("ring");
            byte[] bytes = SipEncoder.INSTANCE.encode(inv.withHeaders(inv.headers().toBuilder()
                    .addFirst("Via", via).build()));
            s.send(new DatagramPacket(bytes, bytes.length, server.udpAddress()));
            assertThat(receive(s)).startsWith("SIP/2.0 100 Trying");
            SipRequest cancel = SipRequest.of(SipRequest.CANCEL, inv.uri(), SipHeaders.builder().add("Via", via)
                    .add("From", inv.header("From")).add("To", inv.header("To")).add("Call-ID", "ring")
                    .add("CSeq", "1 CANCEL").build(), null);
            byte[] c = SipEncoder.INSTANCE.encode(cancel);
            s.send(new DatagramPacket(c, c.length, server.udpAddress()));
            List<String> got = List.of(receive(s), receive(s));
            assertThat(got).anyMatch(m -> m.startsWith("SIP/2.0 200 OK") && m.contains("CSeq: 1 CANCEL"));
            assertThat(got).anyMatch(m -> m.startsWith("SIP/2.0 487 Request Terminated") && m.contains("CSeq: 1 INVITE"));
        }
        assertThat(ringing).hasSize(1);
        assertThat(ringing.get(0).isAnswered()).isTrue();
        assertThat(ringing.get(0).respond(SipResponse.replyTo(ringing.get(0).request(), 200, "OK", null))).isFalse();
    }
}
