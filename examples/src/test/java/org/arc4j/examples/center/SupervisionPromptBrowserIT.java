package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * GA 1383 设备状态检测 in the operator console, in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}): a panel polls once over DC-09 and falls silent; when its poll interval has passed the
 * supervisor declares it offline, the console shows and announces the prompt, a fault ticket is open, the
 * operator acknowledges the prompt (journalled), and the panel's next poll closes the ticket. The device clock
 * report shows the panel's DC-09 timestamp skew.
 */
class SupervisionPromptBrowserIT {
    private static final String ADMIN_PASSWORD = "Hv6!tNs3#Qe8-wJx";

    @TempDir
    Path dir;
    private ReferenceCenter centre;
    private WebDriver browser;
    private HeadlessChromium chromium;
    private final SystemScheduler scheduler = new SystemScheduler();

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

    private Dc09SendResult send(boolean poll) throws Exception {
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler)
                .path(Dc09Path.tcp(new InetSocketAddress("127.0.0.1", centre.dc09TcpPort())))
                .account("7777").attemptsPerPath(1).build()) {
            return (poll ? tx.poll() : tx.sendContactId("#7777|1130 01 001")).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void anOfflinePanelIsPromptedInTheConsoleAndAcknowledged() throws Exception {
        chromium = HeadlessChromium.start(dir.resolve("chromium-profile"),
                "--autoplay-policy=no-user-gesture-required");
        browser = chromium.browser;
        Path config = dir.resolve("center.yaml");
        Files.writeString(config, """
                customers:
                  - id: C1
                    name: Pharmacy
                    sites:
                      - id: S1
                        name: Shop
                        accounts:
                          - { account: "7777", transport: IP, pollInterval: 3s }
                supervision:
                  inspection: 24h
                  clockTolerance: 30s
                """);
        centre = ReferenceCenter.start(CenterOptions.parse("--data", dir.resolve("data").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0", "--config", config.toString()),
                Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String base = "http://127.0.0.1:" + centre.httpAddress().getPort();
        CenterClient api = new CenterClient(base);
        assertThat(api.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);

        browser.get(base + "/");
        shown("#username").sendKeys("admin");
        browser.findElement(By.cssSelector("#password")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("#login-button")).click();
        shown("#app-view");

        // an alarm with the panel's own timestamp, and a poll; then the panel falls silent
        assertThat(send(false)).isInstanceOf(Dc09SendResult.Acknowledged.class);
        assertThat(send(true)).isInstanceOf(Dc09SendResult.Acknowledged.class);

        WebElement prompt = shown("#prompts .prompt[data-kind='offline']");
        assertThat(prompt.getText()).contains("7777").contains("offline");
        assertThat(browser.findElement(By.cssSelector("body")).getAttribute("data-prompts-announced"))
                .isEqualTo("1");
        JsonNode faults = api.get("/api/faults/open").body().path("faults");
        assertThat(faults.size()).isEqualTo(1);
        assertThat(faults.get(0).path("device").asText()).contains("7777");

        // the operator acknowledges: the prompt leaves the console and the API, the ticket stays open
        prompt.findElement(By.cssSelector("button[data-ack]")).click();
        waiting().until(d -> d.findElements(By.cssSelector("#prompts .prompt")).isEmpty());
        assertThat(api.get("/api/prompts").body().path("prompts").size()).isZero();
        assertThat(api.get("/api/faults/open").body().path("faults").size()).isEqualTo(1);

        // the panel polls again: back online, the ticket is closed
        assertThat(send(true)).isInstanceOf(Dc09SendResult.Acknowledged.class);
        Await.until(() -> api.getQuietly("/api/faults/open").path("faults").size() == 0, "the ticket closed", 10);

        // the clock report: the DC-09 timestamp of the alarm against the centre's clock
        JsonNode clocks = api.get("/api/devices/clock").body().path("devices");
        JsonNode dc09 = null;
        for (JsonNode c : clocks) {
            if (c.path("device").asText().contains("7777")) {
                dc09 = c;
            }
        }
        assertThat(dc09).as("clock report %s", clocks).isNotNull();
        assertThat(dc09.path("samples").asLong()).isEqualTo(1);
        assertThat(Math.abs(dc09.path("skewSeconds").asDouble())).isLessThan(30);
        assertThat(dc09.path("withinTolerance").asBoolean()).isTrue();

        // the compliance report measures the prompt from the journal: raised at once, acknowledged
        JsonNode offline = null;
        for (JsonNode row : api.get("/api/compliance").body().path("rows")) {
            if (row.path("id").asText().equals("offline-devices")) {
                offline = row;
            }
        }
        assertThat(offline).isNotNull();
        assertThat(offline.path("status").asText()).as("%s", offline).isEqualTo("met");
        assertThat(offline.path("count").asLong()).isEqualTo(1);
        assertThat(offline.path("evidence").asText()).contains("1 acknowledged by an operator");
    }

    private WebDriverWait waiting() {
        return chromium.waiting();
    }

    private WebElement shown(String css) {
        return chromium.shown(css);
    }
}
