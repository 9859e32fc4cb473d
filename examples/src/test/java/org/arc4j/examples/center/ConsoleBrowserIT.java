package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; Selenium is
 * given both files and downloads nothing) against the packaged centre: log in, see an alarm appear after a DC-09
 * message, the sound state off until the operator enables it, then take, verify and close the case.
 */
class ConsoleBrowserIT {
    private static final String ADMIN_PASSWORD = "Hv6!tNs3#Qe8-wJx";

    @TempDir
    Path dir;
    private CenterProcess centre;
    private WebDriver browser;
    private HeadlessChromium chromium;
    private final SystemScheduler scheduler = new SystemScheduler();

    @BeforeEach
    void start() throws Exception {
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                "--config", Path.of("config/center.yaml").toString());
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);
        ObjectNode user = CenterClient.JSON.createObjectNode().put("username", "zhao")
                .put("password", "Init-Pass-5274!r").put("role", "operator");
        assertThat(admin.call("POST", "/api/users", user).status()).isEqualTo(201);
        CenterClient op = new CenterClient(centre.base());
        op.login("zhao", "Init-Pass-5274!r");
        ObjectNode pw = CenterClient.JSON.createObjectNode().put("current", "Init-Pass-5274!r")
                .put("password", "Shift-Key-8391?m");
        assertThat(op.call("PUT", "/api/users/zhao/password", pw).status()).isEqualTo(200);

        chromium = HeadlessChromium.start(dir.resolve("chromium-profile"),
                "--autoplay-policy=no-user-gesture-required");
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
        scheduler.close();
    }

    private WebDriverWait waiting() {
        return chromium.waiting();
    }

    private WebElement shown(String css) {
        return chromium.shown(css);
    }

    /** Submits an action form of the open case, filling its fields, retrying if the view re-rendered meanwhile. */
    private void act(String action, Map<String, String> selects, String cause) {
        waiting().until(d -> {
            WebElement form = d.findElement(By.cssSelector("#case-actions form[data-action='" + action + "']"));
            selects.forEach((name, value) -> new Select(form.findElement(By.name(name))).selectByValue(value));
            if (cause != null) {
                WebElement in = form.findElement(By.name("cause"));
                in.clear();
                in.sendKeys(cause);
            }
            form.findElement(By.cssSelector("button[type=submit]")).click();
            return true;
        });
    }

    @Test
    void operatorSeesTheAlarmEnablesSoundAndTakesVerifiesAndClosesIt() throws Exception {
        browser.get(centre.base() + "/");
        shown("#username").sendKeys("zhao");
        browser.findElement(By.cssSelector("#password")).sendKeys("Shift-Key-8391?m");
        browser.findElement(By.cssSelector("#login-button")).click();

        // browsers block audio until a click: the console says sound is off and offers the button
        WebElement sound = shown("#sound-state");
        assertThat(sound.getAttribute("data-sound")).isEqualTo("off");
        assertThat(shown("#enable-sound").isDisplayed()).isTrue();
        // the login form is gone once logged in (a class rule must not override the hidden attribute)
        assertThat(browser.findElement(By.cssSelector("#login-view")).isDisplayed()).isFalse();
        waiting().until(d -> d.findElement(By.cssSelector("#connection")).getAttribute("class").contains("up"));

        InetSocketAddress to = new InetSocketAddress("127.0.0.1", centre.dc09Tcp);
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(ReferenceCenterTest.KEY)).build()) {
            assertThat(tx.sendSia("#1234|NBA002").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        WebElement row = shown("#queue-table tbody tr[data-case-id]");
        String caseId = row.getAttribute("data-case-id");
        assertThat(row.getText()).contains("1234").contains("002");
        // the light prompt flashes the screen's frame without hiding the queue under it
        assertThat(browser.findElement(By.cssSelector("#flash")).getCssValue("background-color"))
                .isIn("rgba(0, 0, 0, 0)", "transparent");

        browser.findElement(By.cssSelector("#enable-sound")).click();
        waiting().until(d -> "on".equals(d.findElement(By.cssSelector("#sound-state")).getAttribute("data-sound")));
        assertThat(browser.findElement(By.cssSelector("#enable-sound")).isDisplayed()).isFalse();

        // the console confirmed the display (GA 1383 报警响应) by itself when the row appeared
        CenterClient api = new CenterClient(centre.base());
        api.login("admin", ADMIN_PASSWORD);
        JsonNode presented = api.await("/api/cases/" + caseId, b -> !b.path("presentedAt").isNull());
        assertThat(presented.path("sla").get(0).path("step").asText()).isEqualTo("RESPONSE");

        waiting().until(d -> {
            d.findElement(By.cssSelector("#queue-table tbody tr[data-case-id='" + caseId + "']")).click();
            return true;
        });
        shown("#case-view");
        waiting().until(d -> d.findElement(By.cssSelector("#site-plan")).isDisplayed());
        act("take", Map.of(), null);
        shown("#case-actions form[data-action='verify']");
        act("verify", Map.of("method", "video", "result", "false"), "cat in the vault room");
        waiting().until(d -> "FALSE".equals(api.getQuietly("/api/cases/" + caseId).path("verificationResult")
                .asText()));
        act("close", Map.of("result", "false"), "cat");
        JsonNode closed = api.await("/api/cases/" + caseId, b -> "CLOSED".equals(b.path("state").asText()));
        assertThat(closed.path("takenBy").asText()).isEqualTo("zhao");
        waiting().until(d -> d.findElement(By.cssSelector("#case-actions form[data-action='archive']")) != null);
        assertThat(browser.findElement(By.cssSelector("#action-error")).getText()).isEmpty();

        // the device page lists the panel that just reported, online
        browser.findElement(By.cssSelector("nav a[data-view='devices']")).click();
        WebElement device = shown("#devices-table tbody tr[data-device*='1234']");
        assertThat(device.getAttribute("class")).doesNotContain("offline");
    }
}
