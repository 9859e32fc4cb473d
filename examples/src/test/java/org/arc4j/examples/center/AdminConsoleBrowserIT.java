package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The administration pages in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) against
 * the packaged centre: reached from the console's link with the console's session; a customer refused with the
 * bad field marked, then created, changed and deleted through the form, each change read back through the API
 * and listed in the audit page; a user disabled from the users page; the compliance report shown with a verdict
 * on every row; a drill injected from the reports page; a panel account and a maintenance work order managed from
 * their tabs.
 */
class AdminConsoleBrowserIT {
    private static final String ADMIN_PASSWORD = "Wr4!kLm9#Xs2-bNq";

    @TempDir
    Path dir;
    private CenterProcess centre;
    private WebDriver browser;
    private HeadlessChromium chromium;

    @BeforeEach
    void start() throws Exception {
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD));
        chromium = HeadlessChromium.start(dir.resolve("chromium-profile"));
        browser = chromium.browser;
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (centre != null) {
            centre.close();
        }
    }

    private WebDriverWait waiting() {
        return chromium.waiting();
    }

    private WebElement shown(String css) {
        return chromium.shown(css);
    }

    private void type(String css, String text) {
        WebElement e = shown(css);
        e.clear();
        e.sendKeys(text);
    }

    @Test
    void administratorManagesACustomerAndAUserAndReadsAuditAndComplianceReport() throws Exception {
        CenterClient api = new CenterClient(centre.base());
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(api.call("POST", "/api/users", CenterClient.JSON.createObjectNode().put("username", "sun")
                .put("password", "Init-Pass-6612!s").put("role", "operator")).status()).isEqualTo(201);

        // the console's session carries over to the administration pages through its link
        browser.get(centre.base() + "/");
        shown("#username").sendKeys("admin");
        browser.findElement(By.cssSelector("#password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("#login-button")).click();
        shown("#admin-link").click();
        shown("#tab-customers");
        assertThat(browser.findElement(By.cssSelector("#admin-login")).isDisplayed()).isFalse();

        // bad input: the API's 400 names the field, the form marks it
        type("#customer-form input[name=id]", "C700");
        shown("#customer-save").click();
        waiting().until(d -> !d.findElement(By.cssSelector("#customer-error")).getText().isEmpty());
        assertThat(browser.findElement(By.cssSelector("#customer-error")).getText()).contains("name");
        assertThat(browser.findElement(By.cssSelector("#customer-form input[name=name]")).getAttribute("class"))
                .contains("invalid");
        assertThat(api.get("/api/admin/customers/C700").status()).isEqualTo(404);

        type("#customer-form input[name=name]", "Jewellers Ltd");
        new Select(browser.findElement(By.cssSelector("#customer-form select[name=type]"))).selectByValue("commercial");
        shown("#customer-save").click();
        WebElement row = shown("#customers-table tr[data-customer-id=C700]");
        assertThat(row.getText()).contains("Jewellers Ltd").contains("commercial");
        assertThat(api.get("/api/admin/customers/C700").body().path("type").asText()).isEqualTo("commercial");

        row.findElement(By.cssSelector("button.edit-customer")).click();
        type("#customer-form input[name=name]", "Jewellers Ltd (Branch 2)");
        shown("#customer-save").click();
        waiting().until(d -> d.findElement(By.cssSelector("#customers-table tr[data-customer-id=C700]")).getText()
                .contains("Branch 2"));
        assertThat(api.get("/api/admin/customers/C700").body().path("name").asText())
                .isEqualTo("Jewellers Ltd (Branch 2)");

        shown("#customers-table tr[data-customer-id=C700] button.delete-customer").click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(d -> d.findElements(By.cssSelector("#customers-table tr[data-customer-id=C700]")).isEmpty());
        assertThat(api.get("/api/admin/customers/C700").status()).isEqualTo(404);

        // users: disable one
        shown("#admin-nav a[data-tab=users]").click();
        shown("#users-table tr[data-user=sun] button.user-toggle").click();
        waiting().until(d -> d.findElement(By.cssSelector("#users-table tr[data-user=sun]")).getText()
                .contains("disabled"));
        JsonNode sun = null;
        for (JsonNode u : api.get("/api/users").body().path("users")) {
            if (u.path("name").asText().equals("sun")) {
                sun = u;
            }
        }
        assertThat(sun).isNotNull();
        assertThat(sun.path("enabled").asBoolean()).isFalse();

        // audit: the three customer changes, newest first
        shown("#admin-nav a[data-tab=audit]").click();
        new Select(shown("#audit-form select[name=action]")).selectByValue("configuration-change");
        shown("#audit-form button[type=submit]").click();
        waiting().until(d -> d.findElements(By.cssSelector("#audit-table tbody tr")).size() == 3);
        String audit = browser.findElement(By.cssSelector("#audit-table tbody")).getText();
        assertThat(audit).contains("customer:C700").contains("op=delete").contains("op=put");

        // the compliance report: every row has a verdict
        shown("#admin-nav a[data-tab=reports]").click();
        waiting().until(d -> d.findElements(By.cssSelector("#compliance-table tr[data-row]")).size() > 20);
        JsonNode report = api.get("/api/compliance").body().path("rows");
        assertThat(browser.findElements(By.cssSelector("#compliance-table tr[data-row]"))).hasSize(report.size());
        for (JsonNode r : report) {
            WebElement tr = browser.findElement(By.cssSelector("#compliance-table tr[data-row='"
                    + r.path("id").asText() + "']"));
            assertThat(tr.getAttribute("data-status")).isEqualTo(r.path("status").asText());
        }
        assertThat(browser.findElement(By.cssSelector("#compliance-table tr[data-row=backups]")).getText())
                .contains("met");

        // a drill injected from the page becomes a case marked as a drill
        type("#drill-form input[name=account]", "4321");
        shown("#drill-button").click();
        waiting().until(d -> d.findElement(By.cssSelector("#drill-result")).getText().contains("drill injected"));
        JsonNode cases = api.await("/api/cases", b -> b.path("cases").size() == 1).path("cases");
        assertThat(cases.get(0).path("drill").asBoolean()).isTrue();
        assertThat(cases.get(0).path("account").asText()).isEqualTo("4321");

        // a forwarding rule: a bad category refused by field, then saved, listed, in the API and deleted
        shown("#admin-nav a[data-tab=rules]").click();
        type("#rule-form input[name=name]", "fire-to-brigade");
        type("#rule-form input[name=categories]", "fire, flood");
        type("#rule-form input[name=recipient]", "fire-brigade");
        shown("#rule-save").click();
        waiting().until(d -> d.findElement(By.cssSelector("#rule-error")).getText().contains("categories[1]"));
        type("#rule-form input[name=categories]", "fire");
        shown("#rule-save").click();
        assertThat(shown("#rules-table tr[data-rule=fire-to-brigade]").getText()).contains("fire-brigade");
        JsonNode rule = api.get("/api/admin/rules").body().path("rules").get(0);
        assertThat(rule.path("categories").toString()).isEqualTo("[\"fire\"]");
        assertThat(rule.path("channel").asText()).isEqualTo("ip");
        shown("#rules-table tr[data-rule=fire-to-brigade] button.delete-rule").click();
        waiting().until(d -> d.findElements(By.cssSelector("#rules-table tr[data-rule]")).isEmpty());
        assertThat(api.get("/api/admin/rules").body().path("rules")).isEmpty();

        // panel accounts (admin-ops.js): refused by field without a customer, then created, listed and deleted
        assertThat(api.call("POST", "/api/admin/customers", CenterClient.JSON.createObjectNode().put("id", "C710")
                .put("name", "Depot")).status()).isEqualTo(201);
        assertThat(api.call("PUT", "/api/admin/sites/S710", CenterClient.JSON.createObjectNode()
                .put("customerId", "C710").put("name", "Yard")).status()).isEqualTo(200);
        shown("#admin-nav a[data-tab=accounts]").click();
        type("#account-form input[name=account]", "ABCD");
        shown("#account-save").click();
        waiting().until(d -> d.findElement(By.cssSelector("#account-error")).getText().contains("customer.id"));
        assertThat(browser.findElement(By.cssSelector("#account-form input[name=customer]")).getAttribute("class"))
                .contains("invalid");
        type("#account-form input[name=customer]", "C710");
        type("#account-form input[name=site]", "S710");
        new Select(browser.findElement(By.cssSelector("#account-form select[name=transport]"))).selectByValue("PSTN");
        type("#account-form input[name=pollInterval]", "1h");
        shown("#account-save").click();
        assertThat(shown("#accounts-table tr[data-account=ABCD]").getText()).contains("C710", "S710", "PSTN", "PT1H");
        JsonNode abcd = api.get("/api/admin/accounts/ABCD").body().path("entries").get(0);
        assertThat(abcd.path("transport").asText()).isEqualTo("PSTN");
        assertThat(abcd.path("site").asText()).isEqualTo("S710");
        shown("#accounts-table tr[data-account=ABCD] button.delete-account").click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(d -> d.findElements(By.cssSelector("#accounts-table tr[data-account=ABCD]")).isEmpty());
        assertThat(api.get("/api/admin/accounts/ABCD").status()).isEqualTo(404);

        // maintenance work orders: a front-end repair without its device refused by field, opened, closed
        shown("#admin-nav a[data-tab=work-orders]").click();
        shown("#work-order-open").click();
        waiting().until(d -> d.findElement(By.cssSelector("#work-order-error")).getText().contains("device"));
        type("#work-order-form input[name=device]", "panel-7");
        type("#work-order-form input[name=description]", "siren silent");
        shown("#work-order-open").click();
        WebElement order = shown("#work-orders-table tr[data-work-order=WO-1]");
        assertThat(order.getText()).contains("front-end", "panel-7", "24 h", "siren silent");
        order.findElement(By.cssSelector("input[name=note]")).sendKeys("new siren fitted");
        order.findElement(By.cssSelector("button.close-work-order")).click();
        waiting().until(d -> d.findElement(By.cssSelector("#work-orders-table tr[data-work-order=WO-1]")).getText()
                .contains("closed"));
        JsonNode wo = api.get("/api/admin/work-orders").body().path("workOrders").get(0);
        assertThat(wo.path("note").asText()).isEqualTo("new siren fitted");
        assertThat(wo.path("withinLimit").asBoolean()).isTrue();
    }
}
