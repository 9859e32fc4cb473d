package org.arc4j.examples.center;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.MetricId;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.Timer;
import org.arc4j.core.metrics.micrometer.MicrometerMetrics;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /metrics}: the centre's metrics in the Prometheus text exposition format, from Micrometer's
 * Prometheus registry. Every SDK instrument the centre uses goes there through {@link MicrometerMetrics}, so the
 * scrape holds the DC-09 frame counters, the journal's force timer and the GA 1383 step timers
 * ({@code pipeline_step_seconds}) with their histogram buckets and, beside them, their p50/p90/p99/p99.9
 * ({@code pipeline_step_percentile_seconds{phi="0.99"}}).
 *
 * <p>Who may scrape: with {@code ARC4J_METRICS_TOKEN} set, any client presenting it as
 * {@code Authorization: Bearer <token>} (Prometheus' {@code authorization} scrape setting) and nobody else (401);
 * without it, loopback clients only (403 for the others), so that a centre bound to {@code 0.0.0.0} for its panels
 * never shows its traffic to the network by default. The operators' session tokens do not open {@code /metrics}:
 * they expire after hours, a scraper runs for months. Thread-safe.
 */
public final class MetricsEndpoint {
    /** The Prometheus text format's content type. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final byte[] token;
    private final Set<Meter.Id> gauged = ConcurrentHashMap.newKeySet();

    /**
     * An endpoint.
     *
     * @param token the scrape token, or null for loopback clients only
     */
    public MetricsEndpoint(String token) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The SDK's metrics recorded into this endpoint's registry as well as into {@code local}.
     *
     * @param local the metrics the SDK's own views read (e.g. JMX)
     * @return metrics for the journal, the receivers and the pipeline
     */
    public Metrics metrics(Metrics local) {
        MicrometerMetrics bound = new MicrometerMetrics(registry, Objects.requireNonNull(local, "local"));
        return new Metrics() {
            @Override
            public Counter counter(String name, String... tags) {
                return bound.counter(name, tags);
            }

            @Override
            public Timer timer(String name, String... tags) {
                Timer t = bound.timer(name, tags);
                percentileGauges(name, tags);
                return t;
            }

            @Override
            public Map<MetricId, Long> counts() {
                return bound.counts();
            }

            @Override
            public Map<MetricId, Timer> timers() {
                return bound.timers();
            }
        };
    }

    /**
     * Prometheus' registry exports a timer that has a percentile histogram as buckets only (quantiles for the
     * server to compute with {@code histogram_quantile}); the client-side percentiles the timer also keeps are
     * dropped. They are what an operator reads first, exact over the whole recent window, so they are exported
     * beside the buckets as {@code <name>_percentile_seconds{phi="0.99"}}.
     */
    private void percentileGauges(String name, String... tags) {
        io.micrometer.core.instrument.Timer meter = registry.find(name).tags(tags).timer();
        if (meter == null || !gauged.add(meter.getId())) {
            return;
        }
        for (double phi : MicrometerMetrics.PERCENTILES) {
            Gauge.builder(name + ".percentile", meter, m -> percentile(m, phi)).tags(tags)
                    .tag("phi", Double.toString(phi)).baseUnit("seconds")
                    .description("the timer's client-side percentile phi over its recent window")
                    .register(registry);
        }
    }

    private static double percentile(io.micrometer.core.instrument.Timer meter, double phi) {
        for (ValueAtPercentile v : meter.takeSnapshot().percentileValues()) {
            if (v.percentile() == phi) {
                return v.value(TimeUnit.SECONDS);
            }
        }
        return Double.NaN;
    }

    /**
     * Answers a scrape.
     *
     * @param request the request
     * @return the exposition text
     * @throws ApiException 401 without the right token when one is set, 403 from a non-loopback client when none is
     */
    public HttpResponse scrape(HttpRequest request) {
        if (token != null) {
            String presented = request.bearerToken();
            if (presented == null
                    || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
                throw new ApiException(401, "/metrics needs the scrape token (Authorization: Bearer)");
            }
        } else if (!loopback(request.remoteHost())) {
            throw new ApiException(403, "/metrics answers loopback clients only unless ARC4J_METRICS_TOKEN is set");
        }
        return HttpResponse.bytes(200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // a literal address from the socket, never a name: no lookup happens
        if (!h.matches("[0-9a-fA-F:.%]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
