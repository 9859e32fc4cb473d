package org.arc4j.examples.center;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.testsupport.RealPeers;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver (Selenium is given both files and downloads nothing), for
 * the browser tests, with waits that tolerate the pages re-rendering.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";

    final WebDriver browser;
    private final ChromeDriverService service;

    private HeadlessChromium(WebDriver browser, ChromeDriverService service) {
        this.browser = browser;
        this.service = service;
    }

    /**
     * @param profile a fresh directory for the browser's profile
     * @param extra   more command line switches
     * @return the browser
     * @throws Exception if it cannot start (missing packages fail under CI=true)
     */
    static HeadlessChromium start(Path profile, String... extra) throws Exception {
        RealPeers.require(Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM)),
                "chromium and chromium-driver (Debian packages)");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        List<String> args = new ArrayList<>(List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-GB",
                "--user-data-dir=" + Files.createDirectories(profile)));
        args.addAll(List.of(extra));
        options.addArguments(args);
        try {
            return new HeadlessChromium(new ChromeDriver(service, options), service);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(30));
        w.ignoring(NoSuchElementException.class);
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    WebElement shown(String css) {
        return waiting().until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            return e.isDisplayed() ? e : null;
        });
    }

    /** Logs in on a page of the centre with the tests' changed password. */
    void login(String url, String user) {
        browser.get(url);
        shown("#username").sendKeys(user);
        browser.findElement(By.cssSelector("#password")).sendKeys("Shift-Key-8391?m");
        browser.findElement(By.cssSelector("#login-button")).click();
    }

    @Override
    public void close() {
        browser.quit();
        service.stop();
    }
}
