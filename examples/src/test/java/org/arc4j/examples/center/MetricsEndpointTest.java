package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of the reference centre in this JVM: after an alarm the scrape holds the GA 1383 step
 * timers with their percentiles, in Prometheus' text format; who may scrape follows {@code ARC4J_METRICS_TOKEN}.
 */
class MetricsEndpointTest {
    @TempDir
    Path dir;
    private ReferenceCenter centre;
    private final SystemScheduler scheduler = new SystemScheduler();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (centre != null) {
            centre.close();
        }
        scheduler.close();
    }

    private void start(Map<String, String> env) throws Exception {
        CenterOptions o = CenterOptions.parse("--data", dir.resolve("data").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0", "--config",
                Path.of("config/center.yaml").toString());
        centre = ReferenceCenter.start(o, env,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + centre.httpAddress().getPort() + "/metrics"))
                .timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void alarm() throws Exception {
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", centre.dc09TcpPort());
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(ReferenceCenterTest.KEY)).attemptsPerPath(1).build()) {
            assertThat(tx.sendSia("#1234|NBA002").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }
    }

    @Test
    void aScrapeAfterAnAlarmHoldsTheStepTimersPercentiles() throws Exception {
        start(Map.of("ARC4J_ADMIN_PASSWORD", ReferenceCenterTest.ADMIN_PASSWORD));
        alarm();
        // an operator displays the case: the GA 1383 response step (alarm to display) ends and is timed
        CenterClient op = operator();
        String id = op.await("/api/cases", b -> b.path("cases").size() == 1).path("cases").get(0).path("id").asText();
        assertThat(op.call("POST", "/api/cases/" + id + "/displayed", CenterClient.JSON.createObjectNode()).status())
                .isEqualTo(200);

        HttpResponse<String> r = scrape(null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        String body = r.body();
        List<String> lines = body.lines().toList();
        assertThat(lines).as(body).contains("pipeline_step_seconds_count{step=\"RESPONSE\"} 1");
        // the step's p99 over its recent window: one sample, so every percentile is that sample (> 0 s)
        assertThat(lines).anyMatch(l -> l.matches(
                "pipeline_step_percentile_seconds\\{phi=\"0\\.99\",step=\"RESPONSE\"} [0-9]+\\.[0-9]+(E-[0-9]+)?")
                && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
        assertThat(lines).anyMatch(l -> l.startsWith("pipeline_step_percentile_seconds{phi=\"0.999\",step=\"RESPONSE\"}"));
        // and the buckets Prometheus computes any quantile from (histogram_quantile), aggregatable over centres
        assertThat(lines).anyMatch(l -> l.startsWith("pipeline_step_seconds_bucket{step=\"RESPONSE\",le=\"+Inf\"} 1"));
        // the receive path and the journal report there too
        assertThat(lines).contains("dc09_frames_total{outcome=\"ack\",reason=\"accepted\"} 1.0");
        assertThat(lines).anyMatch(l -> l.startsWith("journal_force_seconds_count "));
    }

    private CenterClient operator() throws Exception {
        String base = "http://127.0.0.1:" + centre.httpAddress().getPort();
        CenterClient admin = new CenterClient(base);
        assertThat(admin.login("admin", ReferenceCenterTest.ADMIN_PASSWORD).status()).isEqualTo(200);
        assertThat(admin.call("POST", "/api/users", CenterClient.JSON.createObjectNode().put("username", "wang")
                .put("password", "Tmp-Pass-4821!q").put("role", "operator")).status()).isEqualTo(201);
        CenterClient first = new CenterClient(base);
        assertThat(first.login("wang", "Tmp-Pass-4821!q").status()).isEqualTo(200);
        assertThat(first.call("PUT", "/api/users/wang/password", CenterClient.JSON.createObjectNode()
                .put("current", "Tmp-Pass-4821!q").put("password", "Own-Secret-9174?k")).status()).isEqualTo(200);
        CenterClient op = new CenterClient(base);
        assertThat(op.login("wang", "Own-Secret-9174?k").status()).isEqualTo(200);
        return op;
    }

    @Test
    void withATokenSetOnlyItsBearerMayScrape() throws Exception {
        start(Map.of("ARC4J_ADMIN_PASSWORD", ReferenceCenterTest.ADMIN_PASSWORD,
                "ARC4J_METRICS_TOKEN", "s3cret-scrape-token"));
        assertThat(scrape(null).statusCode()).isEqualTo(401);
        assertThat(scrape("s3cret-scrape-tokeN").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = scrape("s3cret-scrape-token");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("# TYPE pipeline_step_seconds");
    }

    @Test
    void withoutATokenOnlyLoopbackClientsMayScrape() {
        MetricsEndpoint endpoint = new MetricsEndpoint(null);
        assertThat(endpoint.scrape(request("/127.0.0.1:40000")).status()).isEqualTo(200);
        assertThat(endpoint.scrape(request("/[0:0:0:0:0:0:0:1]:40000")).status()).isEqualTo(200);
        assertThatThrownBy(() -> endpoint.scrape(request("/192.0.2.7:40000")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> endpoint.scrape(request("/[2001:db8:0:0:0:0:0:1]:40000")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    private static org.arc4j.examples.center.http.HttpRequest request(String remote) {
        return new org.arc4j.examples.center.http.HttpRequest("GET", "/metrics", Map.of(), Map.of(), Map.of(),
                new byte[0], remote);
    }
}
