package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote control and linkage of the packaged centre for what changes while it runs (issues 21 and 22):
 * <ul>
 *   <li>a GB/T 28181 device created through {@code PUT /api/admin/devices/{id}} registers (sipp, with the password
 *       the API put in the vault), is armed by an operator and by its site's linkage rule, without a restart, and
 *       cannot be commanded once deleted;</li>
 *   <li>an alarm whose case opens while the centre is still starting (here an ACKed alarm taken up by recovery
 *       after a stop; likewise one the receivers accept before the remote control exists) still gets its linkage:
 *       the ONVIF test device's relay switches.</li>
 * </ul>
 */
class RemoteControlRuntimeIT {
    static final String ADMIN_PASSWORD = RemoteControlIT.ADMIN_PASSWORD;
    static final String DEVICE = RemoteControlIT.DEVICE;

    @TempDir
    Path dir;
    private CenterProcess centre;
    private TestOnvifDevice onvif;
    private Process sipp;

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

    private static String site(String rule) {
        return String.join("\n",
                "customers:",
                "  - id: C1",
                "    name: 仓库客户",
                "    sites:",
                "      - id: S1",
                "        name: 一号仓库",
                "        zones: [ { number: \"1\", name: 前门 } ]",
                "        accounts: [ { account: \"1234\" } ]",
                "rules:",
                "  linkage:",
                "    - { category: INTRUSION, actions: " + rule + " }",
                "");
    }

    @Test
    void aDeviceCreatedThroughTheApiIsCommandedAndLinkedWithoutARestart() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        Path config = Files.writeString(dir.resolve("center.yaml"), site("[arm]")
                + "gb28181:\n  armOnRegister: false\n");
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--config", config.toString());
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient op = RemoteControlIT.user(admin, "zhao", "operator", null);
        assertThat(op.get("/api/control/devices").body().path("devices")).isEmpty();

        // a new customer with a new site, account and GB/T 28181 device, all through the administration API
        assertThat(admin.call("POST", "/api/admin/customers", CenterClient.JSON.createObjectNode().put("id", "C9")
                .put("name", "新客户")).status()).isEqualTo(201);
        assertThat(admin.call("PUT", "/api/admin/sites/S9", CenterClient.JSON.createObjectNode()
                .put("customerId", "C9").put("name", "新仓库")).status()).isEqualTo(200);
        com.fasterxml.jackson.databind.node.ObjectNode account = CenterClient.JSON.createObjectNode()
                .put("transport", "IP");
        account.putObject("customer").put("id", "C9");
        account.putObject("site").put("id", "S9");
        assertThat(admin.call("PUT", "/api/admin/accounts/9999", account).status()).isEqualTo(201);
        CenterClient neighbour = RemoteControlIT.user(admin, "lin", "customer", "C1");
        CenterClient.Reply put = admin.call("PUT", "/api/admin/devices/" + DEVICE, CenterClient.JSON
                .createObjectNode().put("customerId", "C9").put("siteId", "S9")
                .put("password", RemoteControlIT.SIP_PASSWORD));
        assertThat(put.status()).as(put.body().toString()).isEqualTo(200);
        JsonNode devices = op.get("/api/control/devices").body().path("devices");
        assertThat(devices.findValuesAsText("id")).containsExactly(DEVICE);
        assertThat(devices.get(0).path("site").asText()).isEqualTo("S9");
        // scoped by the new site's customer: another customer's user neither sees nor commands it
        assertThat(neighbour.get("/api/control/devices").body().path("devices")).isEmpty();
        assertThat(neighbour.call("POST", "/api/control/devices/" + DEVICE + "/guard",
                CenterClient.JSON.createObjectNode().put("arm", true)).status()).isEqualTo(403);

        Path sippDir = Files.createDirectories(dir.resolve("sipp"));
        sipp = RemoteControlIT.startDevice(sippDir, centre.sipUdp);
        try {
            admin.await("/api/devices", b -> b.path("devices").findValuesAsText("device").stream()
                    .anyMatch(d -> d.contains(DEVICE)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + RemoteControlIT.sippMessages(sippDir) + centre.output,
                    e);
        }
        CenterClient.Reply sent = op.call("POST", "/api/control/devices/" + DEVICE + "/guard",
                CenterClient.JSON.createObjectNode().put("arm", false));
        assertThat(sent.status()).as(sent.body().toString()).isEqualTo(202);
        JsonNode done = op.await("/api/control/commands/" + sent.body().path("id").asText(),
                b -> !"SENT".equals(b.path("state").asText()));
        assertThat(done.path("state").asText()).as(done + RemoteControlIT.sippMessages(sippDir)).isEqualTo("OK");
        assertThat(RemoteControlIT.sippMessages(sippDir)).contains("<GuardCmd>ResetGuard</GuardCmd>")
                .doesNotContain("<GuardCmd>SetGuard</GuardCmd>");

        // an intrusion at S9: the rule's "arm" goes to the site's GB/T 28181 devices, the new one
        assertThat(admin.call("POST", "/api/drills", CenterClient.JSON.createObjectNode().put("account", "9999")
                .put("category", "intrusion")).status()).isEqualTo(201);
        JsonNode linked = admin.await("/api/audit?action=REMOTE_CONTROL&actor=linkage:linkage-0",
                b -> b.path("entries").findValuesAsText("state").contains("OK"));
        assertThat(linked.path("entries").findValuesAsText("command")).containsOnly("arm");
        assertThat(linked.path("entries").findValuesAsText("state")).containsExactlyInAnyOrder("SENT", "OK");
        assertThat(RemoteControlIT.sippMessages(sippDir)).contains("<GuardCmd>SetGuard</GuardCmd>");

        // deleted through the API: no longer a device commands go to
        assertThat(admin.call("DELETE", "/api/admin/devices/" + DEVICE, null).status()).isEqualTo(200);
        assertThat(op.get("/api/control/devices").body().path("devices")).isEmpty();
        assertThat(op.call("POST", "/api/control/devices/" + DEVICE + "/guard",
                CenterClient.JSON.createObjectNode().put("arm", true)).status()).isEqualTo(404);
    }

    @Test
    void anAlarmTakenUpWhileTheCentreStartsGetsItsLinkage() throws Exception {
        onvif = TestOnvifDevice.start(Clock.systemUTC(), "admin", "cam-Pass-2931");
        Path config = Files.writeString(dir.resolve("center.yaml"), site("[\"relay:cam1:AlarmOut_1\"]") + String.join(
                "\n", "video:",
                "  cameras:",
                "    - { id: cam1, name: 仓库门, site: S1, zone: \"1\", rtsp: \"rtsp://127.0.0.1:9/none\", onvif: \""
                        + onvif.address() + "\", username: admin, password: cam-Pass-2931 }",
                ""));
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD);
        centre = CenterProcess.start(data, env, "--config", config.toString());
        assertThat(centre.stop()).isIn(0, 143);
        centre = null;

        // an intrusion the receiver had ACKed (it is durable in the journal) when the centre went down, before the
        // pipeline made a case of it: the next start takes it up in recovery, before the receivers and the remote
        // control exist
        Clock clock = Clock.systemUTC();
        try (Journal journal = Journal.builder(data.resolve("journal")).open()) {
            StoreAlarmIntake intake = StoreAlarmIntake.open(journal, clock, new EventIdGenerator(clock), 16,
                    Duration.ofHours(1));
            AlarmEvent e = AlarmEvent.builder().receiver("R0").line("L0").account("1234")
                    .protocol(Protocol.DC09_ADM_CID).transport(Transport.IP).ingress(new Ingress("dc09", "tcp"))
                    .code(CodeSystem.CONTACT_ID, "130").qualifier(Qualifier.NEW_EVENT).category(Category.INTRUSION)
                    .zone("001").receivedAt(clock.instant()).build();
            assertThat(intake.accept(List.of(e), IdempotencyKey.of("test", "crash-1")).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS)).isInstanceOf(Receipt.Accepted.class);
            intake.close();
        }
        assertThat(onvif.relayStates()).doesNotContainKey("AlarmOut_1");

        centre = CenterProcess.start(data, env, "--config", config.toString());
        Await.until(() -> "active".equals(onvif.relayStates().get("AlarmOut_1")), "the linkage's relay switched "
                + centre.output, 30);
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        JsonNode linked = admin.await("/api/audit?action=REMOTE_CONTROL&actor=linkage:linkage-0",
                b -> b.path("entries").findValuesAsText("state").contains("OK"));
        assertThat(linked.path("entries").findValuesAsText("command")).containsOnly("AlarmOut_1=active");
        // it was requested before the remote control existed, and held until it did
        assertThat(String.join("\n", centre.output))
                .contains("carrying out 1 linkage action(s) requested before the remote control was ready");
    }
}
