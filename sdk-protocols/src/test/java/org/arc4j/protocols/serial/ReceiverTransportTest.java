package org.arc4j.protocols.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.event.Category;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testsupport.Events;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.audio.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.core.testkit.Await;

/**
 * The same serial record exchange over a pseudo-terminal pair made by socat (a pty ignores baud rate and modem
 * lines, so those are not what this proves) and over TCP: bytes, ACK/NAK, resends and timeouts. Timers run on a
 * manual scheduler; only the arrival of bytes is waited for, with a bound.
 */
class ReceiverTransportTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-11-24T06:00:00Z"));
    private final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    private final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    private Process socat;
    private ServerSocket server;
    private ByteLink a;
    private ByteLink b;

    @TempDir
    Path dir;

    private void connect(String transport) throws Exception {
        if (transport.equals("pty")) {
            RealPeers.require(Tools.has("socat"), "socat (Debian package socat)");
            Path pa = dir.resolve("a");
            Path pb = dir.resolve("b");
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + pa, "pty,raw,echo=0,link=" + pb)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            waitFor(() -> Files.exists(pa) && Files.exists(pb), "socat's pty links");
            a = new SerialPortLink(pa.toRealPath().toString(), 9600);
            b = new SerialPortLink(pb.toRealPath().toString(), 9600);
        } else {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            a = TcpLink.connect("127.0.0.1", server.getLocalPort(), 5000);
            server.setSoTimeout((int) BOUND.toMillis());
            b = new TcpLink(server.accept());
        }
    }

    @AfterEach
    void close() throws IOException {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
        if (socat != null) {
            // socat removes its pty links as it exits: wait for that, or the temporary directory's clean-up
            // races it and fails on a link that vanished while it was being deleted
            socat.destroy();
            try {
                if (!socat.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    socat.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        Await.until(BOUND, condition, () -> what);
    }

    private static String next(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("bytes within " + BOUND).isNotNull();
        return s;
    }

    /** Reads whole records (up to DC4) or single control bytes from a link. */
    private static BlockingQueue<String> collect(ByteLink link) throws IOException {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        StringBuilder sb = new StringBuilder();
        link.start(bytes -> {
            for (byte x : bytes) {
                sb.append((char) (x & 0xFF));
                if (x == 0x14 || x == 0x06 || x == 0x15) {
                    q.add(sb.toString());
                    sb.setLength(0);
                }
            }
        });
        return q;
    }

    @Test
    void aTcpLinkWhosePeerHangsUpIsNoLongerOpen() throws Exception {
        connect("tcp");
        collect(a);
        assertThat(a.isOpen()).isTrue();
        b.close();
        waitFor(() -> !a.isOpen(), "end of the link after the peer closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pty", "tcp"})
    void aClosedLinkIsNotOpen(String transport) throws Exception {
        connect(transport);
        collect(a);
        assertThat(a.isOpen()).isTrue();
        a.close();
        assertThat(a.isOpen()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pty", "tcp"})
    void arc4jOutputFeedsArc4jInput(String transport) throws Exception {
        connect(transport);
        ReceiverOutput out = new ReceiverOutput(a, scheduler, ReceiverOutput.Settings.surGard());
        ReceiverInput in = ReceiverInputOutputTest.input(b, intake, supervisor, scheduler.clock());
        in.start();
        out.start();
        intake.hold();
        for (int zone = 1; zone <= 3; zone++) {
            out.publish(Events.burglary("1234", Integer.toString(zone), scheduler.now()));
        }
        // the first record arrived and was handed to the intake, but no ACK before the receipt
        waitFor(() -> in.received() == 1, "first record");
        assertThat(in.acknowledged()).isZero();
        assertThat(out.pending()).isEqualTo(3);
        // the receiver side stays silent while the receipt is pending
        assertThat(out.acknowledged()).isZero();
        intake.release();
        waitFor(() -> out.acknowledged() == 3, "three ACKs");
        assertThat(intake.events()).extracting(e -> new String(e.raw(), StandardCharsets.ISO_8859_1))
                .containsExactly("3011      1234BA0001\u0014", "3011      1234BA0002\u0014", "3011      1234BA0003\u0014");
        assertThat(intake.events()).extracting(e -> e.category()).containsOnly(Category.INTRUSION);
        assertThat(out.resends()).isZero();
        // an idle link carries heartbeats, which are check-ins on the far side
        scheduler.advance(Duration.ofSeconds(30));
        waitFor(() -> in.acknowledged() == 4, "heartbeat ACK");
        assertThat(supervisor.all()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pty", "tcp"})
    void outputResendsOnNakAndTimeoutOverTheWire(String transport) throws Exception {
        connect(transport);
        ReceiverOutput out = new ReceiverOutput(a, scheduler, ReceiverOutput.Settings.surGard());
        out.start();
        BlockingQueue<String> far = collect(b);
        out.publish(Events.burglary("42", "9", scheduler.now()));
        String record = "3011        42BA0009\u0014";
        assertThat(next(far)).isEqualTo(record);
        b.write(new byte[] {0x15});
        assertThat(next(far)).isEqualTo(record);
        waitFor(() -> out.resends() == 1, "resend after NAK");
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(next(far)).isEqualTo(record);
        b.write(new byte[] {0x06});
        waitFor(() -> out.acknowledged() == 1, "ACK");
        assertThat(out.pending()).isZero();
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(far.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pty", "tcp"})
    void inputNaksGarbageAndAcksAfterTheReceipt(String transport) throws Exception {
        connect(transport);
        ReceiverInput in = ReceiverInputOutputTest.input(b, intake, supervisor, scheduler.clock());
        in.start();
        BlockingQueue<String> back = collect(a);
        a.write("5011 18123".getBytes(StandardCharsets.ISO_8859_1));
        a.write("4E12101001\u0014".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(next(back)).isEqualTo("\u0006");
        assertThat(intake.events()).extracting(e -> e.code()).containsExactly("121");
        a.write("5011 18XXXXE12101001\u0014".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(next(back)).isEqualTo("\u0015");
        intake.hold();
        a.write("\n11 7777 18 E110 00 C001\r".getBytes(StandardCharsets.US_ASCII));
        waitFor(() -> in.received() == 3, "record held by the intake");
        assertThat(intake.events()).hasSize(1);
        assertThat(back.poll(200, TimeUnit.MILLISECONDS)).isNull();
        intake.release();
        assertThat(next(back)).isEqualTo("\u0006");
        assertThat(intake.events()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pty", "tcp"})
    void pipelinedRecordsAreAnsweredInTheOrderTheyCame(String transport) throws Exception {
        connect(transport);
        ReceiverInput in = ReceiverInputOutputTest.input(b, intake, supervisor, scheduler.clock());
        in.start();
        BlockingQueue<String> back = collect(a);
        intake.hold();
        // an alarm whose receipt is held, then a heartbeat and garbage right behind it, in one write
        a.write(("5011 181234E12101001\u0014" + "1011           @    \u0014" + "garbage\u0014")
                .getBytes(StandardCharsets.ISO_8859_1));
        waitFor(() -> in.received() == 3, "three records");
        assertThat(back.poll(200, TimeUnit.MILLISECONDS)).as("nothing overtakes the alarm's ACK").isNull();
        intake.release();
        assertThat(next(back)).isEqualTo("\u0006");
        assertThat(next(back)).isEqualTo("\u0006");
        assertThat(next(back)).isEqualTo("\u0015");
    }
}
