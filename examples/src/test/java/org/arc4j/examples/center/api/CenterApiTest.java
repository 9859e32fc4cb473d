package org.arc4j.examples.center.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arc4j.core.pipeline.CaseException;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.http.WebSocketHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API's mapping of the pipeline's refusals to HTTP statuses, over real HTTP through the centre's
 * {@link HttpServer}: every {@link CaseException.Reason} has its status, the client sees the pipeline's detail
 * without the reason and the case id, and other errors keep the server's own mapping.
 */
class CenterApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ExecutorService workers;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Router router = new Router()
                .get("/api/refused/{reason}", CenterApi.caseErrors(req -> {
                    throw new CaseException(CaseException.Reason.valueOf(req.param("reason")), "01J0CASE",
                            "already taken by wang");
                }))
                .get("/api/api-error", CenterApi.caseErrors(req -> {
                    throw new ApiException(423, "account locked");
                }))
                .get("/api/bug", CenterApi.caseErrors(req -> {
                    throw new IllegalStateException("internal detail");
                }));
        workers = Executors.newFixedThreadPool(2);
        server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), router, workers, new WebSocketHub(),
                t -> false);
        base = "http://127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        workers.shutdownNow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @CsvSource({"NOT_FOUND, 404", "DENIED, 403", "ILLEGAL_STATE, 409", "VIDEO_REQUIRED, 409", "DRILL, 409"})
    void eachRefusalHasItsStatusAndTheDetailAsItsMessage(String reason, int status) throws Exception {
        HttpResponse<String> r = get("/api/refused/" + reason);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("already taken by wang");
        assertThat(body.path("status").asInt()).isEqualTo(status);
    }

    @Test
    void everyReasonIsMapped() {
        for (CaseException.Reason reason : CaseException.Reason.values()) {
            ApiException e = CenterApi.caseError(new CaseException(reason, "01J0CASE", "detail"));
            assertThat(e.status()).as("%s", reason).isIn(403, 404, 409);
            assertThat(e.getMessage()).isEqualTo("detail");
        }
    }

    @Test
    void otherErrorsKeepTheServersMapping() throws Exception {
        HttpResponse<String> api = get("/api/api-error");
        assertThat(api.statusCode()).isEqualTo(423);
        assertThat(JSON.readTree(api.body()).path("error").asText()).isEqualTo("account locked");
        HttpResponse<String> bug = get("/api/bug");
        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(bug.body()).contains("internal error").doesNotContain("internal detail");
    }
}
