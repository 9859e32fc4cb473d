package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The guard, police and customer terminals (GA 1383 终端部分) in headless Chromium against the packaged centre, each
 * user with its own role and scope. A DC-09 intrusion alarm is dispatched by an operator to the guard, whose phone
 * layout shows the order with address, plan and contacts, times departure against 2 min, records arrival and an
 * on-site report with a photo (made by ffmpeg; a text file is refused by type, an oversized picture by size); the
 * photo comes back with {@code Cache-Control: no-store}, shown from memory with no download link, and no service
 * worker is registered. A fire alarm is forwarded to the police by rule; the police terminal's confirmation stops
 * the forwarding clock. The customer terminal shows its own two alarms (another customer's user none), flashes
 * when a third arrives, and arms the site's GB/T 28181 device, sipp, whose answer shows.
 */
class TerminalsBrowserIT {
    @TempDir
    Path dir;
    private CenterProcess centre;
    private HeadlessChromium chromium;
    private WebDriver browser;
    private Process sipp;
    private final SystemScheduler scheduler = new SystemScheduler();

    @BeforeEach
    void start() throws Exception {
        RealPeers.require(new File("/usr/bin/sipp").canExecute(), "sipp (Debian package sip-tester)");
        RealPeers.requirePrograms("ffmpeg");
        Path config = Files.writeString(dir.resolve("center.yaml"), String.join("\n",
                "customers:",
                "  - id: C1",
                "    name: 东城支行",
                "    address: 北京市东城区示例路 1 号",
                "    contacts:",
                "      - { name: 王经理, phone: \"13800000001\", role: manager }",
                "    sites:",
                "      - id: S1",
                "        name: 营业厅",
                "        address: 北京市东城区示例路 1 号 1 层",
                "        zones: [ { number: \"002\", name: 金库门 }, { number: \"003\", name: 烟感 } ]",
                "        accounts:",
                "          - { account: \"1234\", transport: IP, dc09Key: \"" + ReferenceCenterTest.KEY + "\" }",
                "  - id: C2",
                "    name: 邻居",
                "    sites:",
                "      - { id: S2, name: 二号仓库 }",
                "gb28181:",
                "  armOnRegister: false",
                "  devices:",
                "    - { id: \"" + RemoteControlIT.DEVICE + "\", password: \"" + RemoteControlIT.SIP_PASSWORD
                        + "\", customer: C1, site: S1 }",
                "rules:",
                "  forwarding:",
                "    - { category: FIRE, to: police, automatic: true }",
                "actionPlans:",
                "  - category: INTRUSION",
                "    steps: [调取现场视频核实, 电话联系客户联系人]",
                ""));
        centre = CenterProcess.start(dir.resolve("data"), Map.of("ARC4J_ADMIN_PASSWORD",
                RemoteControlIT.ADMIN_PASSWORD), "--config", config.toString());
        chromium = HeadlessChromium.start(dir.resolve("chromium-profile"), "--autoplay-policy=no-user-gesture-required", "--window-size=412,915");
        browser = chromium.browser;
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (sipp != null && sipp.isAlive()) {
            sipp.destroy();
            sipp.waitFor(10, TimeUnit.SECONDS);
        }
        if (centre != null) {
            centre.close();
        }
        scheduler.close();
    }

    private void login(String page, String user) {
        chromium.login(centre.base() + "/" + page, user);
        chromium.shown("#app-view");
    }

    private void logout() {
        browser.findElement(By.cssSelector("#logout")).click();
        chromium.shown("#login-view");
    }

    private String alarm(String sia) throws Exception {
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", centre.dc09Tcp);
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(ReferenceCenterTest.KEY)).build()) {
            assertThat(tx.sendSia(sia).toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
        return sia;
    }

    @Test
    void guardPoliceAndCustomerTerminalsEachSeeTheirOwnAndAct() throws Exception {
        CenterClient admin = new CenterClient(centre.base());
        assertThat(admin.login("admin", RemoteControlIT.ADMIN_PASSWORD).status()).isEqualTo(200);
        CenterClient op = RemoteControlIT.user(admin, "zhao", "operator", null);
        CenterClient guard = RemoteControlIT.user(admin, "wang", "guard", null);
        RemoteControlIT.user(admin, "li", "police", null);
        RemoteControlIT.user(admin, "kehu", "customer", "C1");
        CenterClient neighbour = RemoteControlIT.user(admin, "lin", "customer", "C2");

        alarm("#1234|NBA002");
        JsonNode intrusion = op.await("/api/cases", b -> b.path("cases").size() == 1).path("cases").get(0);
        String caseId = intrusion.path("id").asText();
        assertThat(op.call("POST", "/api/cases/" + caseId + "/displayed", null).status()).isEqualTo(200);
        for (String a : List.of("{\"action\":\"take\"}", "{\"action\":\"dispatch\",\"guard\":\"wang\"}")) {
            CenterClient.Reply r = op.call("POST", "/api/cases/" + caseId + "/actions", CenterClient.JSON.readTree(a));
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        }

        // the guard's phone: the order, its departure clock, the steps, the report with a photo
        login("guard.html", "wang");
        WebElement order = chromium.shown(".order[data-case-id='" + caseId + "']");
        assertThat(order.findElement(By.cssSelector(".address")).getText()).isEqualTo("北京市东城区示例路 1 号 1 层");
        assertThat(order.findElement(By.cssSelector(".plan")).getText()).contains("调取现场视频核实");
        assertThat(order.findElement(By.cssSelector(".contacts")).getText()).contains("王经理").contains("13800000001");
        chromium.waiting().until(d -> "running".equals(d.findElement(By.cssSelector(".depart-clock"))
                .getAttribute("data-status")));
        assertThat(browser.findElement(By.cssSelector(".depart-clock")).getText()).contains("/ 120 s");
        browser.findElement(By.cssSelector("[data-step=depart]")).click();
        chromium.waiting().until(d -> "met".equals(d.findElement(By.cssSelector(".depart-clock")).getAttribute("data-status")));
        chromium.waiting().until(d -> {
            WebElement b = d.findElement(By.cssSelector("[data-step=arrive]"));
            return b.isEnabled() ? b : null;
        }).click();
        chromium.waiting().until(d -> !d.findElement(By.cssSelector(".arrive-info")).getText().isEmpty());
        JsonNode detail = op.get("/api/cases/" + caseId).body();
        JsonNode departure = clock(detail, "GUARD_DEPARTURE");
        assertThat(departure).as(detail.toString()).isNotNull();
        assertThat(departure.path("limitSeconds").asDouble()).isEqualTo(120.0);
        assertThat(departure.path("measuredSeconds").asDouble()).isLessThan(120.0);

        Path txt = Files.writeString(dir.resolve("note.txt"), "not a picture");
        WebElement form = browser.findElement(By.cssSelector("form.report"));
        form.findElement(By.name("photos")).sendKeys(txt.toString());
        form.findElement(By.cssSelector("button[type=submit]")).click();
        chromium.waiting().until(d -> d.findElement(By.cssSelector(".report-error")).getText().contains("JPEG"));
        Path jpeg = dir.resolve("site.jpg");
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240",
                "-frames:v", "1", jpeg.toString()).redirectErrorStream(true).start();
        assertThat(ff.waitFor(30, TimeUnit.SECONDS) && ff.exitValue() == 0).isTrue();
        form = browser.findElement(By.cssSelector("form.report"));
        form.findElement(By.name("photos")).sendKeys(jpeg.toString());
        form.findElement(By.name("text")).sendKeys("后门玻璃破碎，已控制现场");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement img = chromium.shown(".photos img[data-n='1']");
        chromium.waiting().until(d -> img.getAttribute("src").startsWith("blob:")
                && (Long) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth", img) == 320L);
        chromium.waiting().until(d -> "true".equals(d.findElement(By.cssSelector(".order")).getAttribute("data-reported")));
        assertThat(browser.findElements(By.cssSelector("a[download], a[href*='/photos/']"))).isEmpty();
        Object workers = ((JavascriptExecutor) browser).executeAsyncScript("var done = arguments[0];"
                + "navigator.serviceWorker.getRegistrations().then(function (r) { done(r.length); });");
        assertThat(((Number) workers).intValue()).isZero();
        JsonNode reported = op.await("/api/cases/" + caseId, b -> b.path("steps").findValuesAsText("step")
                .contains("ONSITE_REPORT"));
        assertThat(reported.toString()).contains("后门玻璃破碎");
        // the photo itself: not to be kept on the device
        HttpResponse<byte[]> photo = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(centre.base()
                        + "/api/terminal/guard/orders/" + caseId + "/photos/1"))
                .header("Authorization", "Bearer " + guard.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(photo.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(photo.body()).isEqualTo(Files.readAllBytes(jpeg));
        assertThat(photoUpload(guard, caseId, "image/png", new byte[600 * 1024])).isEqualTo(413);
        assertThat(photoUpload(guard, caseId, "image/png", Files.readAllBytes(jpeg))).isEqualTo(415);
        // other terminals' calls are not the guard's
        assertThat(guard.get("/api/terminal/police/alarms").status()).isEqualTo(403);
        logout();

        // a fire goes to the police by rule; the police terminal confirms receipt and the forwarding clock stops
        alarm("#1234|NFA003");
        JsonNode fire = op.await("/api/cases", b -> b.path("cases").size() == 2).path("cases");
        String fireId = fire.get(0).path("category").asText().equals("FIRE") ? fire.get(0).path("id").asText()
                : fire.get(1).path("id").asText();
        login("police.html", "li");
        WebElement alarm = chromium.shown(".alarm[data-case-id='" + fireId + "']");
        assertThat(browser.findElements(By.cssSelector(".alarm"))).hasSize(1);
        assertThat(alarm.findElement(By.cssSelector(".address")).getText()).contains("示例路 1 号");
        assertThat(alarm.findElement(By.cssSelector(".phones")).getText()).contains("13800000001");
        assertThat(alarm.findElement(By.cssSelector(".receipt")).getAttribute("data-confirmed")).isEqualTo("false");
        alarm.findElement(By.cssSelector("[data-action=confirm]")).click();
        chromium.waiting().until(d -> "true".equals(d.findElement(By.cssSelector(".receipt")).getAttribute("data-confirmed")));
        JsonNode forwarded = op.get("/api/cases/" + fireId).body();
        JsonNode clock = clock(forwarded, "FORWARDING");
        assertThat(clock).as(forwarded.toString()).isNotNull();
        assertThat(clock.has("measuredSeconds")).as(clock.toString()).isTrue();
        assertThat(forwarded.path("forwards").get(0).path("deliveredAt").isNull()).isFalse();
        // how the terminals render a clip (none was recorded here: no camera): a video offering no download
        Object video = ((JavascriptExecutor) browser).executeScript("var v = Terminal.media('/api/terminal/cases/"
                + fireId + "/clips/0', 'video'); return [v.getAttribute('controlsList'), v.disablePictureInPicture];");
        assertThat(video.toString()).isEqualTo("[nodownload noremoteplayback, true]");
        logout();

        // the customer: its own alarms only, and arming its site's GB/T 28181 device
        Path sippDir = Files.createDirectories(dir.resolve("sipp"));
        sipp = RemoteControlIT.startDevice(sippDir, centre.sipUdp);
        admin.await("/api/devices", b -> b.path("devices").findValuesAsText("device").stream()
                .anyMatch(d -> d.contains(RemoteControlIT.DEVICE)));
        login("customer.html", "kehu");
        chromium.waiting().until(d -> d.findElements(By.cssSelector(".alarm")).size() == 2);
        assertThat(neighbour.get("/api/terminal/customer/alarms").body().path("alarms")).isEmpty();
        // a new alarm while the page is open: sound and light (the page counts its prompts)
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-alerts")).isNull();
        alarm("#1234|NPA003");
        chromium.waiting().until(d -> d.findElements(By.cssSelector(".alarm")).size() == 3);
        chromium.waiting().until(d -> "1".equals(d.findElement(By.tagName("body")).getAttribute("data-alerts")));
        assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).contains("alarm-flash");
        chromium.shown(".device[data-device='" + RemoteControlIT.DEVICE + "'] [data-guard=arm]").click();
        chromium.waiting().until(d -> "OK".equals(d.findElement(By.cssSelector(".command-result")).getAttribute("data-state")));
        assertThat(browser.findElement(By.cssSelector(".command-result")).getText()).contains("arm").contains("OK");
        assertThat(RemoteControlIT.sippMessages(sippDir)).contains("<GuardCmd>SetGuard</GuardCmd>");
    }

    /** The case's GA 1383 clock whose step starts so, or null. */
    private static JsonNode clock(JsonNode detail, String step) {
        for (JsonNode k : detail.path("sla")) {
            if (k.path("step").asText().startsWith(step)) {
                return k;
            }
        }
        return null;
    }

    private int photoUpload(CenterClient c, String caseId, String type, byte[] body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(centre.base()
                        + "/api/terminal/guard/orders/" + caseId + "/photos")).header("Authorization", "Bearer "
                        + c.token()).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
