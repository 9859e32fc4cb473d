package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.time.Cancellable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.arc4j.core.testkit.Await;

/** The transmitter against the receiver over loopback, and its retries, failover, clock correction and polls. */
class Dc09TransmitterTest {
    private static final String KEY = "603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4";
    private ReceiverFixture fx;
    private Dc09Transmitter tx;

    @AfterEach
    void close() {
        if (tx != null) {
            tx.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    private static Dc09SendResult await(java.util.concurrent.CompletionStage<Dc09SendResult> s) {
        try {
            return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} encrypted={1}")
    @CsvSource({"tcp,false", "tcp,true", "udp,false", "udp,true"})
    void loopbackTransmitterToReceiver(String transport, boolean encrypted) {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "0123456789ABCDEF"), Credential.of(Secret.ofHex(KEY)));
        Dc09Path path = transport.equals("tcp") ? Dc09Path.tcp(fx.tcp()) : Dc09Path.udp(fx.udp());
        tx = Dc09Transmitter.builder(fx.scheduler).path(path).account("0123456789ABCDEF").receiver("12AB").line("3F")
                .key(encrypted ? Dc09Key.ofHex(KEY) : null).build();
        Dc09SendResult r1 = await(tx.sendSia("#0123456789ABCDEF|Nri2/OP015^Front door^"));
        Dc09SendResult r2 = await(tx.sendContactId("#0123456789ABCDEF|1130 01 003"));
        Dc09SendResult r3 = await(tx.poll());
        for (Dc09SendResult r : new Dc09SendResult[] {r1, r2, r3}) {
            assertThat(r).isInstanceOfSatisfying(Dc09SendResult.Acknowledged.class, a -> {
                assertThat(a.reply().encrypted()).isEqualTo(encrypted);
                assertThat(a.reply().sequence()).isEqualTo(a.sent().sequence());
                assertThat(a.path()).isZero();
                assertThat(a.attempts()).isEqualTo(1);
            });
        }
        assertThat(((Dc09SendResult.Acknowledged) r1).sent().sequence()).isEqualTo("0001");
        assertThat(((Dc09SendResult.Acknowledged) r3).sent().sequence()).isEqualTo("0003");
        assertThat(fx.intake.events()).extracting(AlarmEvent::code).containsExactly("OP", "130");
        assertThat(fx.intake.events().get(0).extended()).containsEntry("text", "Front door");
        assertThat(fx.intake.events().get(0).qualifier()).as("an opening").isEqualTo(Qualifier.NEW_EVENT);
        assertThat(fx.supervisor.status(Dc09Receiver.deviceKey("12AB", "3F", "0123456789ABCDEF"))).isPresent();
    }

    @Test
    void timeoutRetransmitsWithTheSameSequenceThenFailsOverAndComesBack() throws Exception {
        fx = new ReceiverFixture(b -> b.idleTimeout(null)); // the only timers are then the transmitter's
        try (DatagramSocket blackHole = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress dead = new InetSocketAddress("127.0.0.1", blackHole.getLocalPort());
            tx = Dc09Transmitter.builder(fx.scheduler).path(Dc09Path.udp(dead)).path(Dc09Path.udp(dead))
                    .path(Dc09Path.tcp(fx.tcp())).account("1234").ackTimeout(Duration.ofSeconds(5))
                    .attemptsPerPath(2).metrics(fx.metrics).build();
            CompletableFuture<Dc09SendResult> f = tx.sendSia("#1234|NBA001").toCompletableFuture();
            // two attempts on each dead path, each ended by a timeout on virtual time
            for (int i = 0; i < 4; i++) {
                awaitPending(1);
                fx.scheduler.advance(Duration.ofSeconds(5));
            }
            Dc09SendResult r = f.get(20, TimeUnit.SECONDS);
            assertThat(r).isInstanceOfSatisfying(Dc09SendResult.Acknowledged.class, a -> {
                assertThat(a.path()).isEqualTo(2);
                assertThat(a.attempts()).isEqualTo(5);
                assertThat(a.sent().sequence()).isEqualTo("0001");
            });
            assertThat(fx.intake.events()).hasSize(1);
            // the primary is tried first again for the next message: "and back"
            CompletableFuture<Dc09SendResult> g = tx.sendSia("#1234|NBA002").toCompletableFuture();
            awaitPending(1);
            assertThat(g).isNotDone();
            fx.scheduler.advance(Duration.ofSeconds(5));
            awaitPending(1);
            fx.scheduler.advance(Duration.ofSeconds(5));
            awaitPending(1);
            fx.scheduler.advance(Duration.ofSeconds(5));
            awaitPending(1);
            fx.scheduler.advance(Duration.ofSeconds(5));
            assertThat(g.get(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Dc09SendResult.Acknowledged.class,
                    a -> assertThat(a.sent().sequence()).isEqualTo("0002"));
        }
    }

    @Test
    void refusedTcpConnectionFailsOverAtOnceAndAllPathsDownFails() throws Exception {
        fx = new ReceiverFixture();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        InetSocketAddress closed = new InetSocketAddress("127.0.0.1", closedPort);
        tx = Dc09Transmitter.builder(fx.scheduler).path(Dc09Path.tcp(closed)).path(Dc09Path.udp(fx.udp()))
                .account("1234").attemptsPerPath(1).build();
        assertThat(await(tx.sendSia("#1234|NBA001"))).isInstanceOfSatisfying(Dc09SendResult.Acknowledged.class,
                a -> assertThat(a.path()).isEqualTo(1));
        try (Dc09Transmitter lone = Dc09Transmitter.builder(fx.scheduler).path(Dc09Path.tcp(closed)).account("1234")
                .attemptsPerPath(2).build()) {
            assertThat(await(lone.sendSia("#1234|NBA001"))).isInstanceOfSatisfying(Dc09SendResult.Failed.class,
                    x -> assertThat(x.attempts()).isEqualTo(2));
        }
    }

    @ParameterizedTest(name = "encrypted={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void nakCorrectsTheClockAndResends(boolean encrypted) {
        fx = new ReceiverFixture();
        fx.keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), Credential.of(Secret.ofHex(KEY)));
        // the panel's clock runs 5 minutes late: the receiver NAKs with its time (encrypted when the report
        // was); the transmitter corrects
        tx = Dc09Transmitter.builder(new ShiftedScheduler(fx.scheduler, Duration.ofMinutes(-5)))
                .path(Dc09Path.udp(fx.udp())).account("1234").key(encrypted ? Dc09Key.ofHex(KEY) : null).build();
        Dc09SendResult r = await(tx.sendSia("#1234|NBA001"));
        assertThat(r).isInstanceOfSatisfying(Dc09SendResult.Acknowledged.class, a -> {
            assertThat(a.attempts()).isEqualTo(2);
            assertThat(a.sent().timestamp()).isEqualTo(ReceiverFixture.NOW);
        });
        assertThat(tx.clockOffset()).isEqualTo(Duration.ofMinutes(5));
        assertThat(fx.count("dc09.frames", "outcome", "nak", "reason", "timestamp")).isEqualTo(1);
        assertThat(fx.intake.events()).hasSize(1);
    }

    @Test
    void duhEndsTheMessageAndPollsRunOnTheScheduler() {
        fx = new ReceiverFixture();
        // ACK timeouts longer than the virtual time advanced, so that only polls are sent
        tx = Dc09Transmitter.builder(fx.scheduler).path(Dc09Path.tcp(fx.tcp())).account("1234")
                .ackTimeout(Duration.ofHours(1)).build();
        assertThat(await(tx.sendSia("#1234|Qnonsense"))).isInstanceOfSatisfying(Dc09SendResult.Failed.class,
                f -> assertThat(f.reply().token()).isEqualTo(Dc09Token.DUH));
        Cancellable polls = tx.startPolling(Duration.ofMinutes(1));
        fx.scheduler.advance(Duration.ofMinutes(1));
        awaitCount("link-test", 1);
        fx.scheduler.advance(Duration.ofMinutes(1));
        awaitCount("link-test", 2);
        polls.cancel();
        assertThat(fx.supervisor.status(Dc09Receiver.deviceKey(null, "0", "1234")).orElseThrow().lastCheckIn())
                .isEqualTo(ReceiverFixture.NOW.plus(Duration.ofMinutes(2)));
    }

    @Test
    void sequenceNumbersWrapFrom9999To0001() {
        fx = new ReceiverFixture();
        tx = Dc09Transmitter.builder(fx.scheduler).path(Dc09Path.udp(fx.udp())).account("1234").lastSequence(9998)
                .build();
        String[] seqs = new String[3];
        for (int i = 0; i < 3; i++) {
            seqs[i] = ((Dc09SendResult.Acknowledged) await(tx.sendSia("#1234|NBA00" + i))).sent().sequence();
        }
        assertThat(seqs).containsExactly("9999", "0001", "0002");
        assertThat(fx.intake.events()).hasSize(3);
    }

    @Test
    void repliesThatDoNotMatchTheMessageAreIgnored() throws Exception {
        fx = new ReceiverFixture(b -> b.idleTimeout(null));
        try (java.net.DatagramSocket fake = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            fake.setSoTimeout(10_000);
            tx = Dc09Transmitter.builder(fx.scheduler).path(Dc09Path.udp(
                    new InetSocketAddress("127.0.0.1", fake.getLocalPort()))).account("1234").build();
            CompletableFuture<Dc09SendResult> f = tx.sendSia("#1234|NBA001").toCompletableFuture();
            java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[1024], 1024);
            fake.receive(in);
            Dc09Encoder enc = new Dc09Encoder();
            byte[] wrongSeq = enc.encode(Dc09Frame.of(Dc09Token.ACK, false, "0002", null, "0", "1234", "", null), null);
            byte[] wrongAcct = enc.encode(Dc09Frame.of(Dc09Token.ACK, false, "0001", null, "0", "9999", "", null), null);
            // marked by a receiver number, so that accepting it would show
            byte[] badCrc = enc.encode(Dc09Frame.of(Dc09Token.ACK, false, "0001", "77", "0", "1234", "", null), null);
            badCrc[1] = badCrc[1] == '0' ? (byte) '1' : (byte) '0';
            byte[] good = enc.encode(Dc09Frame.of(Dc09Token.ACK, false, "0001", null, "0", "1234", "", null), null);
            for (byte[] r : new byte[][] {wrongSeq, wrongAcct, badCrc}) {
                fake.send(new java.net.DatagramPacket(r, r.length, in.getSocketAddress()));
            }
            // none of them ends the message; the right ACK does
            fake.send(new java.net.DatagramPacket(good, good.length, in.getSocketAddress()));
            assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Dc09SendResult.Acknowledged.class, a -> {
                assertThat(a.attempts()).isEqualTo(1);
                assertThat(a.reply().sequence()).isEqualTo("0001");
                assertThat(a.reply().account()).isEqualTo("1234");
                assertThat(a.reply().receiver()).isNull();
            });
        }
    }

    private void awaitCount(String reason, long n) {
        Await.until(Duration.ofSeconds(10), () -> fx.count("dc09.frames", "outcome", "ack", "reason", reason) >= n,
                () -> n + " frames ACKed for " + reason);
        assertThat(fx.count("dc09.frames", "outcome", "ack", "reason", reason)).isEqualTo(n);
    }

    /** Waits (bounded, real time) until the transmitter has armed its ACK timer on the virtual clock. */
    private void awaitPending(int n) {
        Await.until(Duration.ofSeconds(10), () -> fx.scheduler.pending() >= n, () -> n + " timers armed");
    }

    /** A panel whose clock is off: the same timers, a shifted clock. */
    private static final class ShiftedScheduler implements org.arc4j.core.time.Scheduler {
        private final org.arc4j.core.time.Scheduler inner;
        private final java.time.Clock clock;

        ShiftedScheduler(org.arc4j.core.time.Scheduler inner, Duration shift) {
            this.inner = inner;
            this.clock = java.time.Clock.offset(inner.clock(), shift);
        }

        @Override
        public java.time.Clock clock() {
            return clock;
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task, java.util.concurrent.Executor executor) {
            return inner.schedule(delay, task, executor);
        }

        @Override
        public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
            return inner.scheduleAtFixedRate(period, task);
        }
    }
}
