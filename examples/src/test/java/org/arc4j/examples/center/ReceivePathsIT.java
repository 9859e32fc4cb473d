package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.media.rtp.G711RtpReceiver;
import org.arc4j.media.rtp.G711RtpSender;
import org.arc4j.media.rtp.RtpUdpEndpoint;
import org.arc4j.protocols.audio.G711;
import org.arc4j.protocols.contactid.ContactIdMessage;
import org.arc4j.protocols.contactid.ContactIdTransmitterSession;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.arc4j.protocols.serial.ReceiverRecord;
import org.arc4j.protocols.serial.SerialPortLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every receive path of the reference centre (the centre as its own JVM, {@link CenterProcess}) at once, each
 * against a real peer: a VoIP gateway's call played by sipp (INVITE, ACK; the centre hangs up with BYE) while the
 * SDK's {@link ContactIdTransmitterSession} sends the panel's DTMF as G.711 over RTP to the port the centre
 * negotiated; a Sur-Gard record from a hardware receiver over a socat pseudo-terminal; and the same alarm over
 * DC-09. The three arrivals become one case, and the automation output hands the alarms on as Sur-Gard records to a
 * TCP peer that ACKs them.
 */
class ReceivePathsIT {
    private static final String ADMIN_PASSWORD = "Qz7!mVr2#Lp9-xWt";
    private static final ContactIdMessage ALARM = ContactIdMessage.of("1234", Qualifier.NEW_EVENT, "130", "01", "003");

    @TempDir
    Path dir;
    private CenterProcess centre;
    private Process socat;
    private SerialPortLink receiver;
    private ServerSocket automation;
    private final SystemScheduler scheduler = new SystemScheduler();

    @AfterEach
    void stop() throws IOException, InterruptedException {
        if (centre != null) {
            centre.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (socat != null) {
            // socat removes its pty links as it exits; the temporary directory's clean-up must not race it
            socat.destroy();
            if (!socat.waitFor(30, TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor();
            }
        }
        if (automation != null) {
            automation.close();
        }
        scheduler.close();
    }

    @Test
    void pstnSerialAndDc09BecomeOneCaseAndGoOutToAutomation() throws Exception {
        RealPeers.require(RealPeers.onPath("sipp"), "sipp (Debian package sip-tester)");
        RealPeers.requirePrograms("socat", "socat");
        RealPeers.requirePrograms("sox", "sox");
        RealPeers.requirePrograms("multimon-ng", "multimon-ng");
        Path centreSide = dir.resolve("ttyCentre");
        Path receiverSide = dir.resolve("ttyReceiver");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + centreSide, "pty,raw,echo=0,link=" + receiverSide)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Await.until(() -> Files.exists(centreSide) && Files.exists(receiverSide), "socat's pty links", 10);
        automation = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Path config = dir.resolve("center.yaml");
        Files.writeString(config, """
                customers:
                  - id: C1
                    name: Bank
                    sites:
                      - id: S1
                        name: Hall
                        zones: [{ number: "003", name: Vault }]
                        accounts:
                          - { account: "1234", transport: PSTN }
                receive:
                  pstn: { lines: 2 }
                  receivers:
                    - { name: mlr2, serial: "%s", baud: 9600 }
                  automation:
                    - { name: automation, tcp: "127.0.0.1:%d", receiver: "07", line: "2" }
                """.formatted(centreSide.toRealPath(), automation.getLocalPort()));
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--config", config.toString());
        // 2 lines for 1 customer: below GA 1383's 4 trunks, so the centre warns
        assertThat(String.join("\n", centre.output)).contains("Contact ID over PSTN gateway SIP udp "
                + centre.pstnSip).contains("warning: 2 PSTN lines", "at least 4");
        automation.setSoTimeout(20_000);
        Socket auto = automation.accept();
        auto.setSoTimeout(20_000);

        // 1. the gateway's call: sipp signals, the panel's audio goes over RTP from this test
        pstnCall();

        // 2. the hardware receiver passes the same alarm on over the serial line and gets ACK once it is durable
        receiver = new SerialPortLink(receiverSide.toRealPath().toString(), 9600);
        BlockingQueue<Byte> answers = new LinkedBlockingQueue<>();
        receiver.start(b -> {
            for (byte x : b) {
                answers.add(x);
            }
        });
        receiver.write(new ReceiverRecord.SurGardContactId("01", "1", "1234", Qualifier.NEW_EVENT, "130", "01", "003")
                .encode());
        assertThat(answers.poll(20, TimeUnit.SECONDS)).as("ACK from the centre").isEqualTo(ReceiverRecord.ACK);

        // 3. and the panel's IP path: DC-09
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler)
                .path(Dc09Path.tcp(new InetSocketAddress("127.0.0.1", centre.dc09Tcp)))
                .account("1234").line(null).attemptsPerPath(1).build()) {
            Dc09SendResult r = tx.sendContactId("#1234|1130 01 003").toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Dc09SendResult.Acknowledged.class);
        }

        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        Await.until(() -> admin.getQuietly("/api/cases").path("cases").size() == 1
                && admin.getQuietly("/api/cases/" + admin.getQuietly("/api/cases").path("cases").get(0).path("id")
                .asText()).path("arrivals").size() == 3, "one case with three arrivals", 20);
        JsonNode c = admin.get("/api/cases/" + admin.get("/api/cases").body().path("cases").get(0).path("id").asText())
                .body();
        assertThat(c.path("account").asText()).isEqualTo("1234");
        assertThat(c.path("code").asText()).isEqualTo("130");
        assertThat(c.path("zoneName").asText()).isEqualTo("Vault");

        // the automation software hears every alarm as a Sur-Gard record from receiver 07 line 2, and ACKs each
        InputStream in = auto.getInputStream();
        OutputStream out = auto.getOutputStream();
        List<String> records = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        while (records.size() < 3) {
            int b = in.read();
            assertThat(b).as("automation record").isNotNegative();
            if (b == 0x14) {
                String rec = cur.toString();
                cur.setLength(0);
                out.write(ReceiverRecord.ACK);
                out.flush();
                if (!rec.startsWith("1")) { // heartbeats are ACKed and skipped
                    records.add(rec);
                }
            } else {
                cur.append((char) b);
            }
        }
        assertThat(records).allSatisfy(r -> assertThat(r).isEqualTo("5072 18" + "1234" + "E130" + "01" + "003"));
    }

    /**
     * Starts sipp as the gateway in its own directory under {@code sipp/NAME}, logging to {@code sipp.log} there.
     *
     * @param name     the run's name
     * @param scenario the scenario in {@code /sipp/}
     * @param keys     {@code -key} pairs for the scenario
     * @return the process
     */
    private Process sipp(String name, String scenario, String... keys) throws Exception {
        Path d = Files.createDirectories(dir.resolve("sipp").resolve(name));
        try (InputStream in = ReceivePathsIT.class.getResourceAsStream("/sipp/" + scenario)) {
            Files.copy(in, d.resolve(scenario));
        }
        List<String> cmd = new ArrayList<>(List.of("sipp", "127.0.0.1:" + centre.pstnSip, "-sf", scenario,
                "-t", "u1", "-i", "127.0.0.1", "-p", "0", "-m", "1", "-timeout", "60s", "-timeout_error", "-nostdin",
                "-trace_logs", "-trace_err", "-log_file", "sipp.log"));
        for (int i = 0; i + 1 < keys.length; i += 2) {
            cmd.addAll(List.of("-key", keys[i], keys[i + 1]));
        }
        return new ProcessBuilder(cmd).directory(d.toFile()).redirectErrorStream(true)
                .redirectOutput(d.resolve("sipp.out").toFile()).start();
    }

    /** Waits for a line in a sipp run's log and returns its first group, or null if sipp ended first. */
    private String sippLogged(String name, Process p, String regex) throws InterruptedException {
        Path log = dir.resolve("sipp").resolve(name).resolve("sipp.log");
        Pattern pattern = Pattern.compile(regex);
        String[] found = {null};
        Await.until(() -> {
            try {
                Matcher m = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
                if (m.find()) {
                    found[0] = m.group(1);
                }
            } catch (IOException e) {
                return false;
            }
            return found[0] != null || !p.isAlive();
        }, "sipp's log: " + regex, 20);
        return found[0];
    }

    @Test
    void theGatewayRefusesWhatItCannotTakeAndHangsUpASilentCall() throws Exception {
        RealPeers.require(RealPeers.onPath("sipp"), "sipp (Debian package sip-tester)");
        Path config = dir.resolve("center.yaml");
        Files.writeString(config, "receive:\n  pstn: { lines: 1 }\n");
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--config", config.toString());
        // an offer of G.729 only: 488 Not Acceptable Here
        Process g729 = sipp("g729", "pstn_gateway_refused.xml", "codec", "18", "rtpport", "40000");
        assertThat(sippLogged("g729", g729, "REFUSED ([0-9]+)")).as(sippOutput(dir.resolve("sipp/g729")))
                .isEqualTo("488");
        // one line, taken by a call that sends no audio ...
        Process silent = sipp("silent", "pstn_gateway_call.xml", "rtpport", "40002");
        try {
            assertThat(sippLogged("silent", silent, "CENTRE-RTP-PORT ([0-9]+)")).isNotNull();
            // ... so the next call gets 486 Busy Here
            Process busy = sipp("busy", "pstn_gateway_refused.xml", "codec", "8", "rtpport", "40004");
            assertThat(sippLogged("busy", busy, "REFUSED ([0-9]+)")).as(sippOutput(dir.resolve("sipp/busy")))
                    .isEqualTo("486");
            // the silent call is hung up by the centre (BYE) once its audio has been missing for 10 s
            assertThat(silent.waitFor(40, TimeUnit.SECONDS)).as("the centre's BYE").isTrue();
            assertThat(silent.exitValue()).as(sippOutput(dir.resolve("sipp/silent"))).isZero();
        } finally {
            silent.destroyForcibly();
        }
    }

    /** sipp plays the gateway; this method plays the panel on the RTP port the centre's 200 OK names. */
    private void pstnCall() throws Exception {
        Path sipp = dir.resolve("sipp").resolve("call");
        try (RtpUdpEndpoint panelSide = RtpUdpEndpoint.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), null)) {
            Process p = sipp("call", "pstn_gateway_call.xml", "rtpport",
                    Integer.toString(panelSide.localAddress().getPort()));
            try {
                String port = sippLogged("call", p, "CENTRE-RTP-PORT ([0-9]+)");
                assertThat(port).as("RTP port (sipp: %s)", sippOutput(sipp)).isNotNull();
                playPanel(panelSide, Integer.parseInt(port));
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("sipp ends after the centre's BYE").isTrue();
                assertThat(p.exitValue()).as(sippOutput(sipp)).isZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /**
     * The panel: Contact ID over G.711 A-law RTP, a 20 ms packet every 20 ms, each answered by one the centre plays
     * back.
     */
    private void playPanel(RtpUdpEndpoint panelSide, int centreRtp) throws Exception {
        BlockingQueue<short[]> back = new LinkedBlockingQueue<>();
        G711RtpReceiver hears = new G711RtpReceiver(-1, (pt, c, t) -> {
            short[] s = new short[c.length];
            G711.INSTANCE.decode(G711.Law.ALAW, c, 0, s, 0, c.length);
            back.add(s);
        });
        panelSide.start(d -> hears.receive(d, 0, d.length));
        ContactIdTransmitterSession panel = new ContactIdTransmitterSession(
                ContactIdTransmitterSession.Settings.typical(), List.of(ALARM));
        G711RtpSender sends = new G711RtpSender(G711RtpReceiver.PCMA, -1, 0x5151, 1, 1);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (RtpUdpEndpoint to = RtpUdpEndpoint.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), centreRtp))) {
            short[] heard = new short[160];
            long t0 = System.nanoTime();
            for (int block = 0; block < 50 * 30 && !panel.isFinished(); block++) {
                // a gateway sends a packet every 20 ms: the panel's timers run at the pace of the centre's journal
                java.util.concurrent.locks.LockSupport.parkNanos(t0 + block * 20_000_000L - System.nanoTime());
                short[] said = panel.feed(heard);
                byte[] codes = new byte[said.length];
                G711.INSTANCE.encode(G711.Law.ALAW, said, 0, codes, 0, codes.length);
                short[] onTheLine = new short[codes.length];
                G711.INSTANCE.decode(G711.Law.ALAW, codes, 0, onTheLine, 0, codes.length);
                for (short v : onTheLine) {
                    line.write(v & 0xFF);
                    line.write(v >> 8);
                }
                for (byte[] pkt : sends.audio(codes)) {
                    to.send(pkt);
                }
                heard = back.poll(5, TimeUnit.SECONDS);
                assertThat(heard).as("the centre's audio for block " + block).isNotNull();
            }
        }
        assertThat(panel.state()).isEqualTo(ContactIdTransmitterSession.State.DONE);
        // an independent DTMF decoder hears the message in the A-law audio that went over RTP: once, or more often
        // when a busy machine delayed the journal's receipt past the panel's kissoff wait and the panel repeated it
        assertThat(multimonDtmf(line.toByteArray())).matches("(" + ALARM.dtmf() + ")+");
    }

    /** The DTMF keys multimon-ng hears in 8 kHz 16-bit audio, resampled by sox to the 22,050 Hz it reads. */
    private String multimonDtmf(byte[] pcm8k) throws Exception {
        Path raw8 = dir.resolve("line8k.raw");
        Path raw22 = dir.resolve("line22k.raw");
        Files.write(raw8, pcm8k);
        run("sox", "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", "-L", raw8.toString(),
                "-t", "raw", "-r", "22050", "-e", "signed", "-b", "16", "-c", "1", "-L", raw22.toString());
        StringBuilder keys = new StringBuilder();
        for (String l : run("multimon-ng", "-q", "-c", "-a", "DTMF", "-t", "raw", raw22.toString()).split("\n")) {
            if (l.startsWith("DTMF: ")) {
                keys.append(l.substring(6).trim());
            }
        }
        return keys.toString();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private static String sippOutput(Path sipp) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(sipp)) {
            for (Path f : files.filter(f -> !f.toString().endsWith(".xml")).toList()) {
                sb.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f,
                        StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.length() > 8000 ? sb.substring(sb.length() - 8000) : sb.toString();
    }
}
