package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administration API's changes of accounts, customers, sites and devices in this JVM, across a restart on the
 * same data directory (issue 23): the configuration records are replayed in the order they were made, so that the
 * state after the restart is the state before it, even where an account change re-creates a customer deleted
 * before it; every change of customer data or configuration is backed up before and after (GA 1383 数据维护); the
 * file's sites are listed before any alarm of theirs; {@code ?state=all} lists the store's cases, paged, closed
 * ones included after a restart.
 */
class AdminChangesRestartTest {
    private static final String ADMIN_PASSWORD = "Qz7!mVr2#Lp9-xWt";
    private static final String DEVICE = "34020000001320000077";

    @TempDir
    Path dir;
    private ReferenceCenter centre;
    private CenterClient admin;

    @BeforeEach
    void start() throws Exception {
        centre = startCentre();
    }

    @AfterEach
    void stop() {
        if (centre != null) {
            centre.close();
        }
    }

    private ReferenceCenter startCentre() throws Exception {
        CenterOptions o = CenterOptions.parse("--data", dir.resolve("data").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0", "--config",
                Path.of("config/center.yaml").toString());
        ReferenceCenter c = ReferenceCenter.start(o, Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        admin = new CenterClient("http://127.0.0.1:" + c.httpAddress().getPort());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        return c;
    }

    private void restart() throws Exception {
        centre.close();
        centre = null;
        centre = startCentre();
    }

    private static ObjectNode json() {
        return CenterClient.JSON.createObjectNode();
    }

    private static ObjectNode account(String customer, String site) {
        ObjectNode a = json().put("transport", "IP");
        a.putObject("customer").put("id", customer);
        a.putObject("site").put("id", site);
        return a;
    }

    /** What the administration API shows of customers, sites, accounts and devices. */
    private String state() throws Exception {
        return admin.get("/api/admin/customers").body() + "\n" + admin.get("/api/admin/sites").body() + "\n"
                + admin.get("/api/admin/accounts").body() + "\n" + admin.get("/api/admin/devices").body();
    }

    private List<String> backupReasons() throws Exception {
        List<String> out = new ArrayList<>();
        admin.get("/api/maintenance/backups").body().path("backups").forEach(b -> out.add(b.path("reason").asText()));
        return out;
    }

    @Test
    void theFilesSitesAreListedBeforeAnyAlarmCameIn() throws Exception {
        // the file's accounts are for any receiver and line: none is concrete before its panel reports
        assertThat(admin.get("/api/admin/sites").body().path("sites").findValuesAsText("id"))
                .containsExactly("S0001", "S0002");
        assertThat(admin.get("/api/admin/customers/C0001").body().path("sites").findValuesAsText("id"))
                .containsExactly("S0001");
    }

    @Test
    void changesReplayInTheOrderTheyWereMadeAndEachIsBackedUpBeforeAndAfter() throws Exception {
        assertThat(admin.call("POST", "/api/admin/customers", json().put("id", "C1").put("name", "First"))
                .status()).isEqualTo(201);
        assertThat(admin.call("PUT", "/api/admin/sites/S1", json().put("customerId", "C1").put("name", "Shop"))
                .status()).isEqualTo(200);
        assertThat(admin.call("PUT", "/api/admin/accounts/A1A1", account("C1", "S1")).status()).isEqualTo(201);
        assertThat(admin.call("DELETE", "/api/admin/customers/C1", null).status()).isEqualTo(200);
        // an account change made after the deletion brings the customer back, with a new site
        ObjectNode again = account("C1", "S2");
        ((ObjectNode) again.path("customer")).put("name", "Back again");
        ((ObjectNode) again.path("site")).put("name", "Shed");
        assertThat(admin.call("PUT", "/api/admin/accounts/A2A2", again).status()).isEqualTo(201);
        JsonNode c1 = admin.get("/api/admin/customers/C1").body();
        assertThat(c1.path("name").asText()).isEqualTo("Back again");
        assertThat(c1.path("sites").findValuesAsText("id")).containsExactly("S2");
        // a refused account change is refused before any backup
        assertThat(admin.call("PUT", "/api/admin/accounts/B0B0", json()).body().path("field").asText())
                .isEqualTo("customer.id");
        // a device bound and unbound, a DC-09 key and a device password set
        ObjectNode gb = json().put("customerId", "C1").put("siteId", "S2").put("password", "Gb-Dev1ce-Pass!93q");
        assertThat(admin.call("PUT", "/api/admin/devices/" + DEVICE, gb).status()).isEqualTo(200);
        assertThat(admin.call("PUT", "/api/admin/devices/34020000001320000078", gb).status()).isEqualTo(200);
        assertThat(admin.call("DELETE", "/api/admin/devices/" + DEVICE, null).status()).isEqualTo(200);
        assertThat(admin.call("PUT", "/api/accounts/A2A2", json().put("dc09Key",
                "8E4C21F7A0D35B96C7E81F2A4B6D09E3")).status()).isEqualTo(200);
        assertThat(admin.call("PUT", "/api/gb28181/devices/34020000001320000079", json().put("password",
                "Gb-Dev1ce-Pass!94r")).status()).isEqualTo(200);
        assertThat(admin.call("DELETE", "/api/admin/accounts/A2A2", null).status()).isEqualTo(200);

        assertThat(backupReasons()).containsExactly(
                "before put customer C1", "after put customer C1",
                "before put site S1", "after put site S1",
                "before put account A1A1", "after put account A1A1",
                "before delete customer C1", "after delete customer C1",
                "before put account A2A2", "after put account A2A2",
                "before put device " + DEVICE, "after put device " + DEVICE,
                "before put device 34020000001320000078", "after put device 34020000001320000078",
                "before delete device " + DEVICE, "after delete device " + DEVICE,
                "before put account A2A2", "after put account A2A2",
                "before put device-password 34020000001320000079", "after put device-password 34020000001320000079",
                "before delete account A2A2", "after delete account A2A2");

        String before = state();
        assertThat(before).contains("Back again", "S2", "34020000001320000078").doesNotContain("A2A2", "A1A1");
        restart();
        assertThat(state()).isEqualTo(before);
        assertThat(admin.get("/api/admin/customers/C1").body().path("name").asText()).isEqualTo("Back again");
    }

    @Test
    void allCasesAreListedFromTheStorePagedClosedOnesAfterARestartToo() throws Exception {
        CenterClient op = admin.newUser("wang", "operator");
        Set<String> ids = new HashSet<>();
        for (String zone : List.of("001", "010")) {
            CenterClient.Reply drill = admin.call("POST", "/api/drills", json().put("account", "5678")
                    .put("category", "intrusion").put("zone", zone));
            assertThat(drill.status()).isEqualTo(201);
        }
        JsonNode open = op.await("/api/cases", b -> b.path("cases").size() == 2);
        open.path("cases").forEach(c -> ids.add(c.path("id").asText()));
        String first = open.path("cases").get(0).path("id").asText();
        assertThat(op.call("POST", "/api/cases/" + first + "/displayed", json()).status()).isEqualTo(200);
        assertThat(op.call("POST", "/api/cases/" + first + "/actions", json().put("action", "take")).status())
                .isEqualTo(200);
        assertThat(op.call("POST", "/api/cases/" + first + "/actions", json().put("action", "close")
                .put("result", "false").put("cause", "pet")).body().path("state").asText()).isEqualTo("CLOSED");

        restart();
        op = new CenterClient(admin.base());
        assertThat(op.login("wang", "Own-Secret-9174?k").status()).isEqualTo(200);
        // the queue holds the open case only; the store both
        assertThat(op.get("/api/cases").body().path("cases").size()).isEqualTo(1);
        JsonNode all = op.get("/api/cases?state=all").body();
        assertThat(all.path("cases").findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(all.path("cases").findValuesAsText("state")).contains("CLOSED");
        assertThat(all.path("next").isNull()).isTrue();
        // a page at a time, in the order of the whole list (newest latest step first)
        JsonNode page1 = op.get("/api/cases?state=all&limit=1").body();
        assertThat(page1.path("cases")).hasSize(1);
        assertThat(page1.path("next").isNumber()).isTrue();
        JsonNode page2 = op.get("/api/cases?state=all&limit=1&before=" + page1.path("next").asLong()).body();
        assertThat(page2.path("cases")).hasSize(1);
        assertThat(page2.path("next").isNull()).isTrue();
        assertThat(List.of(page1.path("cases").get(0).path("id").asText(), page2.path("cases").get(0).path("id")
                .asText())).isEqualTo(all.path("cases").findValuesAsText("id"));
        assertThat(op.get("/api/cases?state=all&limit=0").status()).isEqualTo(400);
        assertThat(op.get("/api/cases?state=all&before=soon").status()).isEqualTo(400);
    }

    @Test
    void eventsAreSearchedByCustomerThroughItsAccounts() throws Exception {
        for (String account : List.of("1234", "5678", "5678")) {
            assertThat(admin.call("POST", "/api/drills", json().put("account", account).put("category", "intrusion")
                    .put("zone", "001")).status()).isEqualTo(201);
        }
        JsonNode c2 = admin.get("/api/events/search?customer=C0002").body();
        assertThat(c2.path("count").asInt()).isEqualTo(2);
        assertThat(c2.path("events").findValuesAsText("account")).containsOnly("5678");
        JsonNode c1 = admin.get("/api/events/search?customer=C0001").body();
        assertThat(c1.path("events").findValuesAsText("account")).containsExactly("1234");
        assertThat(admin.get("/api/events/search?customer=C0002&account=1234").body().path("count").asInt())
                .isZero();
        assertThat(admin.get("/api/events/search?customer=C0002&category=fire").body().path("count").asInt())
                .isZero();
        assertThat(admin.get("/api/events/search?customer=C0002&limit=1").body().path("count").asInt())
                .isEqualTo(1);
        CenterClient.Reply unknown = admin.get("/api/events/search?customer=NOPE");
        assertThat(unknown.status()).isEqualTo(400);
    }
}
