package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote control (GA 1383 远程控制) of the packaged centre against real devices: sipp (Debian sip-tester) plays a
 * GB/T 28181 alarm device that registers with digest and answers the centre's DeviceControl GuardCmd MESSAGEs with
 * a DeviceControl Response; the ONVIF test device of sdk-protocols' test kit takes {@code SetRelayOutputState}. An
 * operator arms, disarms, resets the device's alarm and switches a relay, and reads each result back; a customer's
 * user of another customer is refused (403, audited); every command and its answer is in the audit log. An
 * intrusion's linkage rule then does the same by itself ({@code LinkageActions}).
 */
class RemoteControlIT {
    static final String ADMIN_PASSWORD = "Hv6!tNs3#Qe8-wJx";
    static final String DEVICE = "34020000001320000007";
    static final String SIP_PASSWORD = "Cam-Reg-2026!x";

    @TempDir
    Path dir;
    private CenterProcess centre;
    private TestOnvifDevice onvif;
    private Process sipp;
    private Path sippDir;

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        onvif = TestOnvifDevice.start(Clock.systemUTC(), "admin", "cam-Pass-2931");
        Path config = Files.writeString(dir.resolve("center.yaml"), String.join("\n",
                "customers:",
                "  - id: C1",
                "    name: 仓库客户",
                "    sites:",
                "      - id: S1",
                "        name: 一号仓库",
                "        zones: [ { number: \"1\", name: 前门 } ]",
                "        accounts: [ { account: \"1234\" } ]",
                "  - id: C2",
                "    name: 邻居",
                "    sites:",
                "      - id: S2",
                "        name: 二号仓库",
                "rules:",
                "  linkage:",
                "    - { category: INTRUSION, actions: [\"relay:cam1:AlarmOut_1\", reset-alarm, siren-on] }",
                "gb28181:",
                "  armOnRegister: false",
                "  devices:",
                "    - { id: \"" + DEVICE + "\", password: \"" + SIP_PASSWORD + "\", customer: C1, site: S1 }",
                "video:",
                "  cameras:",
                "    - { id: cam1, name: 仓库门, site: S1, zone: \"1\", rtsp: \"rtsp://127.0.0.1:9/none\", onvif: \""
                        + onvif.address() + "\", username: admin, password: cam-Pass-2931 }",
                ""));
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--config", config.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (sipp != null && sipp.isAlive()) {
            sipp.destroy();
            sipp.waitFor(10, TimeUnit.SECONDS);
        }
        if (centre != null) {
            centre.close();
        }
        if (onvif != null) {
            onvif.close();
        }
    }

    /** Starts sipp as the device: it registers, then answers the centre's commands until stopped. */
    static Process startDevice(Path dir, int sipUdp) throws Exception {
        return startDevice(dir, sipUdp, "gb28181_guard_ooc.xml", "OK");
    }

    /**
     * Starts sipp as the device with an out-of-call scenario of its own.
     *
     * @param ooc    the out-of-call scenario in {@code src/test/resources/sipp}
     * @param result the Result the device answers (for the scenarios that answer)
     */
    static Process startDevice(Path dir, int sipUdp, String ooc, String result) throws Exception {
        for (String f : List.of("gb28181_guard_device.xml", ooc)) {
            try (InputStream in = RemoteControlIT.class.getResourceAsStream("/sipp/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = List.of("sipp", "127.0.0.1:" + sipUdp, "-sf", "gb28181_guard_device.xml", "-oocsf",
                ooc, "-t", "u1", "-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1",
                "-key", "dev", DEVICE, "-key", "platform", CenterOptions.DEFAULT_SIP_ID, "-key", "domain",
                CenterOptions.DEFAULT_SIP_ID.substring(0, 10), "-au", DEVICE, "-ap", SIP_PASSWORD,
                "-key", "result", result, "-timeout", "120s", "-nostdin", "-trace_err", "-trace_msg");
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
    }

    /** What sipp received and sent, from its message trace. */
    static String sippMessages(Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".out"))
                    .toList()) {
                sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    /** An operator user, its first password changed. */
    static CenterClient user(CenterClient admin, String name, String role, String customer) throws Exception {
        ObjectNode u = CenterClient.JSON.createObjectNode().put("username", name)
                .put("password", "Init-Pass-5274!r").put("role", role);
        if (customer != null) {
            u.put("customer", customer);
        }
        assertThat(admin.call("POST", "/api/users", u).status()).isEqualTo(201);
        CenterClient c = new CenterClient(admin.base());
        c.login(name, "Init-Pass-5274!r");
        ObjectNode pw = CenterClient.JSON.createObjectNode().put("current", "Init-Pass-5274!r")
                .put("password", "Shift-Key-8391?m");
        assertThat(c.call("PUT", "/api/users/" + name + "/password", pw).status()).isEqualTo(200);
        c.login(name, "Shift-Key-8391?m");
        return c;
    }

    @Test
    void operatorArmsAndDisarmsTheGbDeviceAndSwitchesAnOnvifRelay() throws Exception {
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient op = user(admin, "zhao", "operator", null);
        CenterClient neighbour = user(admin, "lin", "customer", "C2");

        sippDir = Files.createDirectories(dir.resolve("sipp"));
        sipp = startDevice(sippDir, centre.sipUdp);
        try {
            admin.await("/api/devices", b -> b.path("devices").findValuesAsText("device").stream()
                    .anyMatch(d -> d.contains(DEVICE)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + sippMessages(sippDir) + centre.output, e);
        }

        JsonNode devices = op.get("/api/control/devices").body().path("devices");
        assertThat(devices.findValuesAsText("id")).containsExactly(DEVICE, "cam1");
        assertThat(neighbour.get("/api/control/devices").body().path("devices")).isEmpty();

        for (boolean arm : List.of(true, false)) {
            CenterClient.Reply sent = op.call("POST", "/api/control/devices/" + DEVICE + "/guard",
                    CenterClient.JSON.createObjectNode().put("arm", arm));
            assertThat(sent.status()).as(sent.body().toString()).isEqualTo(202);
            assertThat(sent.body().path("command").asText()).isEqualTo(arm ? "arm" : "disarm");
            String id = sent.body().path("id").asText();
            JsonNode done;
            try {
                done = op.await("/api/control/commands/" + id, b -> !"SENT".equals(b.path("state").asText()));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + sippMessages(sippDir), e);
            }
            assertThat(done.path("state").asText()).as(done + sippMessages(sippDir)).isEqualTo("OK");
            assertThat(done.path("result").asText()).isEqualTo("OK");
            assertThat(done.path("by").asText()).isEqualTo("zhao");
        }
        String trace = sippMessages(sippDir);
        assertThat(trace).contains("<GuardCmd>SetGuard</GuardCmd>").contains("<GuardCmd>ResetGuard</GuardCmd>");

        // another customer's user may not touch this site's devices
        CenterClient.Reply refused = neighbour.call("POST", "/api/control/devices/" + DEVICE + "/guard",
                CenterClient.JSON.createObjectNode().put("arm", true));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(op.call("POST", "/api/control/devices/" + DEVICE + "/guard",
                CenterClient.JSON.createObjectNode().put("arm", "yes")).status()).isEqualTo(400);

        JsonNode relays = op.get("/api/control/devices/cam1/relays").body().path("relays");
        assertThat(relays.findValuesAsText("token")).contains("AlarmOut_0");
        CenterClient.Reply on = op.call("POST", "/api/control/devices/cam1/relays/AlarmOut_0",
                CenterClient.JSON.createObjectNode().put("active", true));
        assertThat(on.status()).isEqualTo(202);
        JsonNode relayDone = op.await("/api/control/commands/" + on.body().path("id").asText(),
                b -> !"SENT".equals(b.path("state").asText()));
        assertThat(relayDone.path("state").asText()).isEqualTo("OK");
        assertThat(onvif.relayStates()).containsEntry("AlarmOut_0", "active");

        JsonNode audit = admin.get("/api/audit?action=REMOTE_CONTROL").body().path("entries");
        assertThat(audit.findValuesAsText("state")).containsExactlyInAnyOrder("SENT", "OK", "SENT", "OK", "SENT",
                "OK");
        assertThat(audit.findValuesAsText("actor")).containsOnly("zhao");
        JsonNode denied = admin.get("/api/audit?action=ACCESS_DENIED&actor=lin").body().path("entries");
        assertThat(denied.findValuesAsText("permission")).contains("ARM_DISARM");

        // the device's alarm reset from the operator console (control.js in Chromium): AlarmCmd ResetAlarm,
        // answered by the device, its result shown (issue 21)
        try (HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            chromium.login(centre.base() + "/", "zhao");
            chromium.shown("a[data-view=devices]").click();
            chromium.shown("#control-table tr[data-device='" + DEVICE + "'] button[data-command=reset-alarm]")
                    .click();
            String state = chromium.waiting().until(d -> {
                String st = d.findElement(org.openqa.selenium.By.cssSelector("#control-table tr[data-device='"
                        + DEVICE + "'] .command-result")).getAttribute("data-state");
                return st == null || st.equals("SENT") ? null : st;
            });
            assertThat(state).as(sippMessages(sippDir)).isEqualTo("OK");
            assertThat(chromium.browser.findElement(org.openqa.selenium.By.cssSelector("#control-table"))
                    .getText()).doesNotContain("cam1").contains("reset-alarm: OK");
        }
        JsonNode resetAudit = admin.get("/api/audit?action=REMOTE_CONTROL&actor=zhao").body().path("entries");
        assertThat(resetAudit.findValuesAsText("command")).contains("reset-alarm");
        assertThat(sippMessages(sippDir)).contains("<AlarmCmd>ResetAlarm</AlarmCmd>");
        assertThat(op.call("POST", "/api/control/devices/cam1/reset-alarm", null).status()).isEqualTo(400);
        assertThat(neighbour.call("POST", "/api/control/devices/" + DEVICE + "/reset-alarm", null).status())
                .isEqualTo(403);

        // an intrusion opens a case at S1: its linkage rule switches the camera's second relay and resets the
        // site's GB/T 28181 device's alarm; the action no device understands is audited as not sent (issue 22)
        int resets = sippMessages(sippDir).split("<AlarmCmd>ResetAlarm</AlarmCmd>", -1).length - 1;
        assertThat(onvif.relayStates()).doesNotContainKey("AlarmOut_1");
        assertThat(admin.call("POST", "/api/drills", CenterClient.JSON.createObjectNode().put("account", "1234")
                .put("category", "intrusion")).status()).isEqualTo(201);
        JsonNode linked = admin.await("/api/audit?action=REMOTE_CONTROL&actor=linkage:linkage-0",
                b -> b.path("entries").findValuesAsText("state").stream().filter(x -> !x.equals("SENT")).count()
                        == 3);
        assertThat(linked.path("entries").findValuesAsText("state")).containsExactlyInAnyOrder("SENT", "OK", "SENT",
                "OK", "NOT_SENT");
        assertThat(linked.path("entries").findValuesAsText("command")).contains("AlarmOut_1=active", "reset-alarm",
                "siren-on");
        assertThat(onvif.relayStates()).containsEntry("AlarmOut_1", "active");
        assertThat(sippMessages(sippDir).split("<AlarmCmd>ResetAlarm</AlarmCmd>", -1).length - 1)
                .isGreaterThan(resets);
    }
}
