package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administration API against the packaged centre as its own JVM: a customer and a site created, changed and
 * deleted, bad input refused with 400 naming the field, every change kept across a SIGKILL and restart and
 * shown in the audit log; users listed, disabled and given another role, which also survives the restart; a
 * backup taken after each change is restored into an empty data directory through {@code ARC4J_RESTORE_FROM}.
 * A forwarding rule and an action plan changed through the API are followed by the next drill's case, also after a
 * SIGKILL and restart, while an open case keeps what it was opened with; a GB/T 28181 device is bound to a site
 * with its password kept out of every file but the encrypted vault.
 */
class CenterAdminProcessIT {
    private static final String ADMIN_PASSWORD = "Qm7!vRt2#Lk9-pXw";
    private static final String DEVICE = "34020000001320000001";
    private static final String DEVICE_PASSWORD = "Gb-Dev1ce-Pass!93q";
    private static final Map<String, String> ENV = Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD);

    @TempDir
    Path dir;
    private final List<CenterProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        processes.forEach(CenterProcess::close);
    }

    private CenterProcess start(Path data, Map<String, String> env) throws Exception {
        CenterProcess p = CenterProcess.start(data, env);
        processes.add(p);
        return p;
    }

    private static CenterClient admin(CenterProcess p) throws Exception {
        CenterClient api = new CenterClient(p.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        return api;
    }

    private static ObjectNode json() {
        return CenterClient.JSON.createObjectNode();
    }

    @Test
    void customersAndUsersChangedThroughTheApiSurviveARestartAndAreAudited() throws Exception {
        Path data = dir.resolve("data");
        CenterProcess p = start(data, ENV);
        CenterClient api = admin(p);

        ObjectNode c = json().put("id", "C100").put("name", "Bank of Test").put("type", "financial")
                .put("keyCustomer", true);
        c.putArray("contacts").addObject().put("name", "Li Wei").put("phone", "+86 10 5555 0100")
                .put("role", "keyholder");
        assertThat(api.call("POST", "/api/admin/customers", c).status()).isEqualTo(201);
        assertThat(api.call("POST", "/api/admin/customers", c).status()).isEqualTo(409);
        CenterClient.Reply edited = api.call("PUT", "/api/admin/customers/C100",
                c.deepCopy().put("name", "Bank of Test, Branch 2"));
        assertThat(edited.status()).isEqualTo(200);
        ObjectNode site = json().put("customerId", "C100").put("name", "Vault");
        site.putArray("zones").addObject().put("number", "001").put("name", "Strongroom door");
        assertThat(api.call("PUT", "/api/admin/sites/S100", site).status()).isEqualTo(200);
        ObjectNode badZone = site.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) badZone.path("zones")).addObject().put("number", "0 2");
        CenterClient.Reply zoneRefused = api.call("PUT", "/api/admin/sites/S100", badZone);
        assertThat(zoneRefused.status()).isEqualTo(400);
        assertThat(zoneRefused.body().path("field").asText()).isEqualTo("zones[1].number");
        ObjectNode gone = json().put("id", "C200").put("name", "Short-lived");
        assertThat(api.call("POST", "/api/admin/customers", gone).status()).isEqualTo(201);
        assertThat(api.call("PUT", "/api/admin/sites/S200", json().put("customerId", "C200").put("name", "Kiosk"))
                .status()).isEqualTo(200);
        ObjectNode goneAccount = json().put("transport", "IP");
        goneAccount.putObject("customer").put("id", "C200");
        goneAccount.putObject("site").put("id", "S200");
        assertThat(api.call("PUT", "/api/admin/accounts/C2C2", goneAccount).status()).isEqualTo(201);
        assertThat(api.call("DELETE", "/api/admin/customers/C200", null).status()).isEqualTo(200);
        // its site and account went with it
        assertThat(api.get("/api/admin/accounts/C2C2").status()).isEqualTo(404);
        assertThat(api.get("/api/admin/sites").body().path("sites").findValuesAsText("id")).doesNotContain("S200");
        assertThat(api.call("DELETE", "/api/admin/customers/C200", null).status()).isEqualTo(404);

        // bad input: 400 naming the field, nothing stored
        CenterClient.Reply noName = api.call("POST", "/api/admin/customers", json().put("id", "C300"));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.body().path("field").asText()).isEqualTo("name");
        CenterClient.Reply badId = api.call("POST", "/api/admin/customers", json().put("id", "a b").put("name", "x"));
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().path("field").asText()).isEqualTo("id");
        ObjectNode badPhone = json().put("id", "C301").put("name", "x");
        badPhone.putArray("contacts").addObject().put("name", "y").put("phone", "call me");
        assertThat(api.call("POST", "/api/admin/customers", badPhone).body().path("field").asText())
                .isEqualTo("contacts[0].phone");
        assertThat(api.call("POST", "/api/admin/customers", json().put("id", "C302").put("name", "x")
                .put("type", "castle")).body().path("field").asText()).isEqualTo("type");
        assertThat(api.call("PUT", "/api/admin/sites/S9", json().put("customerId", "NOPE").put("name", "x"))
                .body().path("field").asText()).isEqualTo("customerId");

        // users: created, role changed, disabled
        assertThat(api.call("POST", "/api/users", json().put("username", "wang").put("password", "Init-Pass-7719!q")
                .put("role", "operator")).status()).isEqualTo(201);
        assertThat(api.call("PUT", "/api/users/wang", json().put("role", "supervisor").put("enabled", false))
                .status()).isEqualTo(200);
        assertThat(api.call("PUT", "/api/users/wang", json().put("role", "king")).status()).isEqualTo(400);
        assertThat(api.call("PUT", "/api/users/admin", json().put("enabled", false)).status()).isEqualTo(409);

        // an operator may not administer
        assertThat(api.call("POST", "/api/users", json().put("username", "zhou").put("password", "Init-Pass-4410!z")
                .put("role", "operator")).status()).isEqualTo(201);
        CenterClient op = new CenterClient(p.base());
        op.login("zhou", "Init-Pass-4410!z");
        assertThat(op.call("PUT", "/api/users/zhou/password", json().put("current", "Init-Pass-4410!z")
                .put("password", "Desk-Shift-9921?k")).status()).isEqualTo(200);
        op.login("zhou", "Desk-Shift-9921?k");
        assertThat(op.call("POST", "/api/admin/customers", json().put("id", "C400").put("name", "x")).status())
                .isEqualTo(403);
        assertThat(op.get("/api/audit").status()).isEqualTo(403);
        assertThat(op.get("/api/admin/accounts").status()).isEqualTo(403);
        assertThat(op.call("PUT", "/api/admin/rules/r1", json().put("type", "linkage")).status()).isEqualTo(403);
        // an administrator resets a password: a weak one refused by the centre's policy, a strong one taken
        assertThat(api.call("PUT", "/api/users/zhou/password", json().put("password", "password")).status())
                .isEqualTo(400);
        assertThat(api.call("PUT", "/api/users/wang/password", json().put("password", "Reset-Pass-3318!w"))
                .status()).isEqualTo(200);

        // accounts: created, changed, refused by field, deleted
        ObjectNode account = json().put("transport", "PSTN").put("pollInterval", "1h");
        account.putObject("customer").put("id", "C100");
        account.putObject("site").put("id", "S100");
        assertThat(api.call("PUT", "/api/admin/accounts/ABC1", account).status()).isEqualTo(201);
        assertThat(api.call("PUT", "/api/admin/accounts/ABC1", json().put("transport", "WIRELESS")).status())
                .isEqualTo(200);
        assertThat(api.call("PUT", "/api/admin/accounts/XYZ", account).body().path("field").asText())
                .isEqualTo("account");
        assertThat(api.call("PUT", "/api/admin/accounts/ABC2", account.deepCopy().put("transport", "pigeon"))
                .body().path("field").asText()).isEqualTo("transport");
        assertThat(api.call("PUT", "/api/admin/accounts/ABC2", account.deepCopy().put("pollInterval", "soon"))
                .body().path("field").asText()).isEqualTo("pollInterval");
        CenterClient.Reply noCustomer = api.call("PUT", "/api/admin/accounts/ABC2", json());
        assertThat(noCustomer.status()).isEqualTo(400);
        assertThat(noCustomer.body().path("field").asText()).isEqualTo("customer.id");
        assertThat(api.call("PUT", "/api/admin/accounts/DEF1", account).status()).isEqualTo(201);
        assertThat(api.call("DELETE", "/api/admin/accounts/DEF1", null).status()).isEqualTo(200);
        assertThat(api.call("DELETE", "/api/admin/accounts/DEF1", null).status()).isEqualTo(404);

        p.kill();
        CenterProcess again = start(data, ENV);
        CenterClient after = admin(again);
        JsonNode customer = after.get("/api/admin/customers/C100").body();
        assertThat(customer.path("name").asText()).isEqualTo("Bank of Test, Branch 2");
        assertThat(customer.path("type").asText()).isEqualTo("financial");
        assertThat(customer.path("contacts").get(0).path("phone").asText()).isEqualTo("+86 10 5555 0100");
        assertThat(customer.path("sites").get(0).path("id").asText()).isEqualTo("S100");
        assertThat(customer.path("sites").get(0).path("zones").get(0).path("name").asText())
                .isEqualTo("Strongroom door");
        assertThat(customer.path("sites").get(0).path("zones")).hasSize(1);
        assertThat(after.get("/api/admin/customers/C200").status()).isEqualTo(404);
        assertThat(after.get("/api/admin/customers").body().path("customers").findValuesAsText("id"))
                .doesNotContain("C200");
        assertThat(after.get("/api/admin/accounts/C2C2").status()).isEqualTo(404);
        // an alarm of the deleted customer's account is an unknown account's, not the deleted customer's
        CenterClient.Reply orphan = after.call("POST", "/api/drills", json().put("account", "C2C2"));
        assertThat(orphan.status()).isEqualTo(201);
        JsonNode orphanCase = caseOfEvent(after, orphan.body().path("eventId").asText());
        assertThat(orphanCase.path("customerId").isNull()).as(orphanCase.toString()).isTrue();
        assertThat(orphanCase.path("flag").asText()).isEqualTo("unknown account");
        assertThat(after.get("/api/admin/customers/C300").status()).isEqualTo(404);
        JsonNode abc1 = after.get("/api/admin/accounts/ABC1").body().path("entries").get(0);
        assertThat(abc1.path("transport").asText()).isEqualTo("WIRELESS");
        assertThat(abc1.path("site").asText()).isEqualTo("S100");
        assertThat(abc1.path("customer").asText()).isEqualTo("C100");
        assertThat(abc1.path("pollInterval").asText()).isEqualTo("PT1H");
        assertThat(after.get("/api/admin/accounts/DEF1").status()).isEqualTo(404);
        assertThat(after.get("/api/admin/accounts/ABC2").status()).isEqualTo(404);
        // started without a configuration file: the API's account is the only one
        assertThat(after.get("/api/admin/accounts").body().path("accounts").findValuesAsText("account"))
                .containsExactly("ABC1");
        JsonNode users = after.get("/api/users").body().path("users");
        JsonNode wang = null;
        for (JsonNode u : users) {
            if (u.path("name").asText().equals("wang")) {
                wang = u;
            }
        }
        assertThat(wang).isNotNull();
        assertThat(wang.path("role").asText()).isEqualTo("supervisor");
        assertThat(wang.path("enabled").asBoolean()).isFalse();
        assertThat(new CenterClient(again.base()).login("wang", "Init-Pass-7719!q").status()).isNotEqualTo(200);

        JsonNode audit = after.get("/api/audit?action=configuration-change").body().path("entries");
        List<String> seen = new ArrayList<>();
        audit.forEach(e -> seen.add(e.path("actor").asText() + " " + e.path("target").asText() + " "
                + e.path("details").path("op").asText()));
        assertThat(seen).filteredOn(e -> e.contains(" account:")).containsExactly("admin account:DEF1 delete",
                "admin account:DEF1 create", "admin account:ABC1 update", "admin account:ABC1 create",
                "admin account:C2C2 create");
        seen.removeIf(e -> e.contains(" account:"));
        assertThat(seen).containsExactly("admin customer:C200 delete", "admin site:S200 put",
                "admin customer:C200 put", "admin site:S100 put", "admin customer:C100 put", "admin customer:C100 put");
        JsonNode denied = after.get("/api/audit?action=access-denied&actor=zhou").body().path("entries");
        assertThat(denied.size()).isEqualTo(4);
        assertThat(after.get("/api/audit?action=nonsense").status()).isEqualTo(400);

        // every change was backed up before and after; the newest backup restores into an empty data directory
        JsonNode backups = after.get("/api/maintenance/backups").body().path("backups");
        // 6 customer and site changes, 4 user changes, 5 account changes (the refused ones took none)
        assertThat(backups.size()).isEqualTo(30);
        assertThat(backups.get(0).path("reason").asText()).isEqualTo("before put customer C100");
        List<String> reasons = new ArrayList<>();
        backups.forEach(b -> reasons.add(b.path("reason").asText()));
        assertThat(reasons).containsSubsequence("before put account C2C2", "after put account C2C2",
                "before delete customer C200", "after delete customer C200", "before put account ABC1",
                "after put account ABC1", "before delete account DEF1", "after delete account DEF1");
        assertThat(reasons).containsSubsequence("before put user wang", "after put user wang",
                "before put user wang", "after put user wang", "before put user zhou", "after put user zhou",
                "before reset-password user wang", "after reset-password user wang");
        String newest = backups.get(backups.size() - 1).path("directory").asText();
        assertThat(newest).contains("after-delete-account-def1");
        // a backup taken now holds the users made since, in its copy of the vault
        CenterClient.Reply taken = after.call("POST", "/api/maintenance/backups",
                json().put("reason", "restore test"));
        assertThat(taken.status()).isEqualTo(201);
        newest = taken.body().path("directory").asText();
        again.stop();
        Path restored = dir.resolve("restored");
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("ARC4J_RESTORE_FROM", newest);
        // the backup holds the vault (users, keys) and its generated key: nothing is copied by hand
        assertThat(backups.get(backups.size() - 1).path("vault").toString())
                .isEqualTo("[\"credentials.vault\",\"vault.kek\"]");
        assertThat(taken.body().path("vault").toString()).isEqualTo("[\"credentials.vault\",\"vault.kek\"]");
        assertThat(Files.getPosixFilePermissions(Path.of(newest, "vault", "vault.kek")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.exists(dir.resolve("restored.kek"))).isFalse();
        CenterProcess third = start(restored, env);
        assertThat(String.join("\n", third.output)).contains("restored the journal from")
                .contains("restored " + restored.resolve("credentials.vault"))
                .contains("restored " + dir.resolve("restored.kek"));
        assertThat(Files.readString(dir.resolve("restored.kek"))).isEqualTo(Files.readString(dir.resolve("data.kek")));
        // the restored vault knows the users: the administrator logs in with the same password, wang stays off
        CenterClient back = admin(third);
        assertThat(back.get("/api/admin/customers/C100").body().path("name").asText())
                .isEqualTo("Bank of Test, Branch 2");
        assertThat(back.get("/api/admin/customers/C200").status()).isEqualTo(404);
        assertThat(new CenterClient(third.base()).login("wang", "Reset-Pass-3318!w").status()).isNotEqualTo(200);
        assertThat(new CenterClient(third.base()).login("zhou", "Desk-Shift-9921?k").status()).isEqualTo(200);
        assertThat(back.get("/api/users").body().path("users").findValuesAsText("name")).contains("wang", "zhou");
    }

    /** The detail of the case a drill's event opened, once the pipeline has it. */
    private static JsonNode caseOfEvent(CenterClient api, String eventId) throws Exception {
        JsonNode[] found = new JsonNode[1];
        api.await("/api/cases", list -> {
            for (JsonNode c : list.path("cases")) {
                try {
                    JsonNode d = api.get("/api/cases/" + c.path("id").asText()).body();
                    if (eventId.equals(d.path("eventId").asText())) {
                        found[0] = d;
                        return true;
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            return false;
        });
        return found[0];
    }

    /** A fire drill in its own zone, so that it opens a case of its own instead of merging into an open one. */
    private static JsonNode fireDrill(CenterClient api, String zone) throws Exception {
        CenterClient.Reply drill = api.call("POST", "/api/drills", json().put("account", "F1FE").put("category",
                "fire").put("zone", zone));
        assertThat(drill.status()).isEqualTo(201);
        return caseOfEvent(api, drill.body().path("eventId").asText());
    }

    @Test
    void aForwardingRuleAnActionPlanAndADeviceChangedThroughTheApiStayInForceAfterARestart() throws Exception {
        Path data = dir.resolve("rules");
        CenterProcess p = start(data, ENV);
        CenterClient api = admin(p);
        assertThat(api.call("POST", "/api/admin/customers", json().put("id", "C500").put("name", "Depot"))
                .status()).isEqualTo(201);
        assertThat(api.call("PUT", "/api/admin/sites/S500", json().put("customerId", "C500").put("name", "Yard"))
                .status()).isEqualTo(200);
        ObjectNode account = json().put("transport", "IP");
        account.putObject("customer").put("id", "C500");
        account.putObject("site").put("id", "S500");
        assertThat(api.call("PUT", "/api/admin/accounts/F1FE", account).status()).isEqualTo(201);
        // no rule yet: a fire is neither forwarded nor given a plan
        JsonNode before = fireDrill(api, "001");
        assertThat(before.path("forwards")).isEmpty();

        ObjectNode rule = json().put("type", "forwarding").put("recipient", "fire-brigade").put("channel", "phone");
        rule.putArray("categories").add("fire");
        assertThat(api.call("PUT", "/api/admin/rules/fire-to-brigade", rule).status()).isEqualTo(200);
        ObjectNode plan = json();
        plan.putArray("categories").add("fire");
        plan.putArray("steps").add("call the keyholder").add("dispatch a guard");
        assertThat(api.call("PUT", "/api/admin/action-plans/fire-plan", plan).status()).isEqualTo(200);
        // bad input: 400 naming the field
        ObjectNode flood = rule.deepCopy();
        flood.putArray("categories").add("flood");
        assertThat(api.call("PUT", "/api/admin/rules/x", flood).body().path("field").asText())
                .isEqualTo("categories[0]");
        assertThat(api.call("PUT", "/api/admin/rules/x", rule.deepCopy().put("type", "magic")).body()
                .path("field").asText()).isEqualTo("type");
        assertThat(api.call("PUT", "/api/admin/rules/x", rule.deepCopy().put("channel", "pigeon")).body()
                .path("field").asText()).isEqualTo("channel");
        ObjectNode noActions = json().put("type", "linkage");
        noActions.putArray("categories").add("fire");
        assertThat(api.call("PUT", "/api/admin/rules/x", noActions).body().path("field").asText())
                .isEqualTo("actions");
        assertThat(api.call("PUT", "/api/admin/action-plans/x", plan.deepCopy().put("severity", "urgent")).body()
                .path("field").asText()).isEqualTo("severity");
        CenterClient.Reply badName = api.call("PUT", "/api/admin/rules/a%20b", rule);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body().path("field").asText()).isEqualTo("name");
        // a GB/T 28181 device bound to the site, its password into the vault only
        String device = "/api/admin/devices/" + DEVICE;
        ObjectNode gb = json().put("customerId", "C500").put("siteId", "S500").put("password", DEVICE_PASSWORD);
        assertThat(api.call("PUT", "/api/admin/devices/3402000000132000001", gb).body().path("field").asText())
                .isEqualTo("id");
        assertThat(api.call("PUT", device, gb.deepCopy().put("siteId", "S999")).body().path("field").asText())
                .isEqualTo("siteId");
        assertThat(api.call("PUT", device, gb.deepCopy().put("password", "password")).body().path("field")
                .asText()).isEqualTo("password");
        assertThat(api.call("PUT", device, gb.deepCopy().putNull("password")).body().path("field").asText())
                .isEqualTo("password");
        assertThat(api.call("POST", "/api/admin/customers", json().put("id", "C501").put("name", "Other"))
                .status()).isEqualTo(201);
        assertThat(api.call("PUT", device, gb.deepCopy().put("customerId", "C501")).status()).isEqualTo(409);
        CenterClient.Reply put = api.call("PUT", device, gb);
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().toString()).doesNotContain(DEVICE_PASSWORD);
        // the open case keeps what it was opened with
        assertThat(api.get("/api/cases/" + before.path("id").asText()).body().path("forwards")).isEmpty();

        p.kill();
        CenterProcess again = start(data, ENV);
        CenterClient after = admin(again);
        assertThat(after.get("/api/admin/rules").body().path("rules").findValuesAsText("name"))
                .containsExactly("fire-to-brigade");
        assertThat(after.get("/api/admin/action-plans").body().path("actionPlans").findValuesAsText("name"))
                .containsExactly("fire-plan");
        JsonNode devices = after.get("/api/admin/devices").body().path("devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).path("siteId").asText()).isEqualTo("S500");
        assertThat(devices.get(0).path("passwordSet").asBoolean()).isTrue();
        assertThat(after.get("/api/admin/accounts").body().path("accounts").findValuesAsText("account"))
                .contains(DEVICE);
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as("%s", f).doesNotContain(DEVICE_PASSWORD);
            }
        }
        assertThat(after.call("DELETE", "/api/admin/devices/" + DEVICE, null).status()).isEqualTo(200);
        assertThat(after.get("/api/admin/devices").body().path("devices")).isEmpty();
        assertThat(after.get("/api/admin/accounts").body().path("accounts").findValuesAsText("account"))
                .doesNotContain(DEVICE);
        JsonNode fire = fireDrill(after, "002");
        assertThat(fire.path("forwards")).hasSize(1);
        assertThat(fire.path("forwards").get(0).path("recipient").asText()).isEqualTo("fire-brigade");
        assertThat(fire.path("forwards").get(0).path("channel").asText()).isEqualTo("PHONE");
        assertThat(fire.path("forwards").get(0).path("automatic").asBoolean()).isTrue();
        assertThat(fire.path("actionPlanName").asText()).isEqualTo("fire-plan");
        assertThat(fire.path("actionPlan").toString()).isEqualTo("[\"call the keyholder\",\"dispatch a guard\"]");

        assertThat(after.call("DELETE", "/api/admin/rules/fire-to-brigade", null).status()).isEqualTo(200);
        assertThat(after.call("DELETE", "/api/admin/rules/fire-to-brigade", null).status()).isEqualTo(404);
        assertThat(fireDrill(after, "003").path("forwards")).isEmpty();
        List<String> seen = new ArrayList<>();
        after.get("/api/audit?action=configuration-change").body().path("entries").forEach(e -> seen.add(
                e.path("target").asText() + " " + e.path("details").path("op").asText()));
        assertThat(seen).filteredOn(e -> !e.contains("account:") && !e.contains("customer:")
                && !e.contains("site:")).containsExactly("rule:fire-to-brigade delete", "device:" + DEVICE + " delete",
                "device:" + DEVICE + " put", "action-plan:fire-plan put", "rule:fire-to-brigade put");
    }
}
