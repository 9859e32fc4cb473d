package org.arc4j.gb28181.cascade;

import static org.arc4j.gb28181.cascade.CascadeTesting.await;
import static org.arc4j.gb28181.cascade.CascadeTesting.freeUdpPort;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.RealPeers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cascade against sipp (Debian package sip-tester) playing the upper platform from
 * {@code src/test/resources/sipp/gb28181_upper_platform.xml}: sipp challenges the REGISTER and checks the digest answer
 * with its own verifyauth, answers the keepalive and the Alarm MESSAGE, then sends a Catalog query whose paged
 * answer it receives. What sipp received is read back from its message trace.
 */
class SippUpperPlatformIT {
    static final String LOCAL = "34020000002000000001";
    static final String UPPER = "11000000002000000001";
    static final String PASSWORD = "upper-secret";
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final List<ExportedItem> catalog = List.of(
            ExportedItem.group("site-1", "一号站点", null),
            ExportedItem.camera("cam-1", "前门摄像机", "site-1", true),
            ExportedItem.alarmInput("zone-3", "前门红外", "site-1", true));
    GbCascade cascade;
    Process sipp;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (cascade != null) {
            cascade.close();
        }
        if (sipp != null && sipp.isAlive()) {
            sipp.destroyForcibly();
        }
    }


    static boolean bound(int port) {
        try {
            new DatagramSocket(port, InetAddress.getLoopbackAddress()).close();
            return false;
        } catch (BindException e) {
            return true;
        } catch (SocketException e) {
            return true;
        }
    }


    private String logs() throws IOException {
        return org.arc4j.gb28181.SippLogs.of(dir);
    }

    private String messagesReceivedBySipp() throws IOException {
        try (var files = Files.list(dir)) {
            Path log = files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).findFirst()
                    .orElse(null);
            if (log == null) {
                throw new AssertionError("no sipp message trace: " + logs());
            }
            return new String(Files.readAllBytes(log), Charset.forName("GB2312"));
        }
    }

    @Test
    void sippAsTheUpperPlatformRegistersUsReceivesKeepaliveAndAlarmAndGetsThePagedCatalog() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        String scenario;
        try (InputStream in = SippUpperPlatformIT.class.getResourceAsStream("/sipp/gb28181_upper_platform.xml")) {
            scenario = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replace("@LOCAL@", LOCAL)
                    .replace("@UPPER@", UPPER).replace("@PASSWORD@", PASSWORD);
        }
        Files.writeString(dir.resolve("upper.xml"), scenario, StandardCharsets.ISO_8859_1);
        int port = freeUdpPort();
        // five calls: the registration, the keepalive, the alarm (and the query sent back in it), two catalog pages
        List<String> cmd = new ArrayList<>(List.of("sipp", "-sf", "upper.xml", "-t", "u1", "-i", "127.0.0.1",
                "-p", Integer.toString(port), "-m", "5", "-timeout", "60s", "-timeout_error", "-nostdin",
                "-trace_err", "-trace_msg"));
        sipp = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
        await("sipp listening", () -> bound(port) || !sipp.isAlive());
        assertThat(sipp.isAlive()).as("sipp started").isTrue();

        List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        cascade = GbCascade.start(GbCascadeConfig.builder(LOCAL).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                        .catalogPageSize(2).upper(UpperPlatform.of(UPPER, "127.0.0.1", port, Secret.ofUtf8(PASSWORD)))
                        .build(), scheduler, new InMemoryRecordStore(), () -> catalog,
                new CascadeListener() {
                    @Override
                    public void linkStateChanged(UpperPlatformLink link, LinkState from, LinkState to, String why) {
                        states.add(to + " " + why);
                    }
                });
        UpperPlatformLink link = cascade.link(UPPER).orElseThrow();
        await("registered with sipp", () -> link.lastKeepaliveAnswered() != null || !sipp.isAlive());
        assertThat(states).as(logs()).containsExactly("REGISTERED 200 OK");
        assertThat(link.registeredUntil()).isEqualTo(T0.plusSeconds(3600));

        Instant delivered = cascade.forwardAlarm(UPPER, new CascadeAlarm("case-1", "zone-3", 1, 2, 2,
                T0.minusSeconds(2), "前门红外入侵")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(delivered).isEqualTo(T0);

        assertThat(sipp.waitFor(30, TimeUnit.SECONDS)).as("sipp finished: " + logs()).isTrue();
        assertThat(sipp.exitValue()).as(logs()).isZero();

        String zone = cascade.exportedId(UPPER, "zone-3").orElseThrow();
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        String site = cascade.exportedId(UPPER, "site-1").orElseThrow();
        String received = messagesReceivedBySipp();
        assertThat(received).contains("<CmdType>Keepalive</CmdType>");
        String alarm = body(received, "Alarm");
        assertThat(alarm).contains("<DeviceID>" + zone + "</DeviceID>", "<AlarmPriority>1</AlarmPriority>",
                "<AlarmMethod>2</AlarmMethod>", "<AlarmTime>2026-03-01T09:59:58</AlarmTime>",
                "<AlarmDescription>前门红外入侵</AlarmDescription>", "<AlarmType>2</AlarmType>");
        Matcher pages = Pattern.compile("<Response>.*?</Response>", Pattern.DOTALL).matcher(received);
        List<String> catalogPages = new ArrayList<>();
        while (pages.find()) {
            if (pages.group().contains("<CmdType>Catalog</CmdType>")) {
                catalogPages.add(pages.group());
            }
        }
        assertThat(catalogPages).hasSize(2);
        for (String page : catalogPages) {
            assertThat(page).contains("<SN>17</SN>", "<SumNum>3</SumNum>", "<DeviceID>" + LOCAL + "</DeviceID>");
        }
        String all = String.join("\n", catalogPages);
        assertThat(all).contains("<DeviceID>" + site + "</DeviceID>", "<DeviceID>" + cam + "</DeviceID>",
                "<DeviceID>" + zone + "</DeviceID>", "<Name>前门摄像机</Name>", "<ParentID>" + site + "</ParentID>");
        assertThat(catalogPages.get(0)).contains("<DeviceList Num=\"2\">");
        assertThat(catalogPages.get(1)).contains("<DeviceList Num=\"1\">");
    }

    private static String body(String trace, String cmd) {
        Matcher m = Pattern.compile("<Notify>.*?</Notify>", Pattern.DOTALL).matcher(trace);
        while (m.find()) {
            if (m.group().contains("<CmdType>" + cmd + "</CmdType>")) {
                return m.group();
            }
        }
        throw new AssertionError("no " + cmd + " Notify in " + trace);
    }
}
