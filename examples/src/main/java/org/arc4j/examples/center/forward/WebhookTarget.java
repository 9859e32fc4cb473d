package org.arc4j.examples.center.forward;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.sla.ForwardChannel;

/**
 * A third-party system's webhook: each forward is POSTed as JSON with
 * <ul>
 *   <li>{@code X-Arc4j-Timestamp}: the send time in Unix seconds;</li>
 *   <li>{@code X-Arc4j-Signature}: {@code sha256=} and the lower-case hex HMAC-SHA256, under the target's secret
 *       from the credential vault, of the timestamp, a full stop and the body ({@code timestamp.body}), so the
 *       receiver can check origin and integrity and refuse old replays;</li>
 *   <li>{@code X-Arc4j-Delivery}: the forward's id, the same on every retry, for the receiver to deduplicate.</li>
 * </ul>
 * Any 2xx answer is a delivery; anything else, or no answer within 10 s, is a failure the forwarder retries. A
 * target without a secret in the vault sends nothing (an unsigned forward would be worthless) and fails. Thread-safe.
 */
public final class WebhookTarget implements ForwardTarget {
    /** The signature header. */
    public static final String SIGNATURE = "X-Arc4j-Signature";
    /** The timestamp header. */
    public static final String TIMESTAMP = "X-Arc4j-Timestamp";
    /** The delivery id header. */
    public static final String DELIVERY = "X-Arc4j-Delivery";
    /** The header marking a reachability check ({@link #probe}), not a forward. */
    public static final String TEST = "X-Arc4j-Test";

    private final String name;
    private final URI url;
    private final ForwardChannel channel;
    private final Supplier<Optional<Secret>> secret;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param name    the recipient's name
     * @param url     where to POST
     * @param channel the channel its forwards are timed on (IP for a wired network)
     * @param secret  reads the HMAC secret (from the vault) at each send, so a changed secret applies at once
     * @param clock   the centre's clock, for the timestamp
     */
    public WebhookTarget(String name, URI url, ForwardChannel channel, Supplier<Optional<Secret>> secret,
                         Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.url = Objects.requireNonNull(url, "url");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ForwardChannel channel() {
        return channel;
    }

    /**
     * The signature of a body: {@code sha256=} + hex HMAC-SHA256 over {@code timestamp.body}.
     *
     * @param key       the secret
     * @param timestamp the Unix seconds sent in {@link #TIMESTAMP}
     * @param body      the body's bytes
     * @return the header value
     */
    public static String signature(byte[] key, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public CompletionStage<ForwardOutcome> deliver(ForwardRequest request) {
        return post(request.id(), request.bodyBytes(), false);
    }

    /**
     * The reachability check: a signed POST marked {@link #TEST} ({@code true}) with a body
     * {@code {"test":true,"target":…,"sentAt":…}}, which the receiver answers with 2xx and otherwise ignores.
     *
     * @return delivered when it was answered with 2xx, failed otherwise (why)
     */
    public CompletionStage<ForwardOutcome> probe() {
        Instant now = clock.instant();
        byte[] body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("test", true)
                .put("target", name).put("sentAt", now.toString()).toString().getBytes(StandardCharsets.UTF_8);
        return post("test-" + now.toEpochMilli(), body, true);
    }

    private CompletionStage<ForwardOutcome> post(String id, byte[] body, boolean test) {
        Optional<Secret> s = secret.get();
        if (s.isEmpty()) {
            return CompletableFuture.completedFuture(new ForwardOutcome.Failed("no webhook secret for " + name
                    + " in the credential vault"));
        }
        long ts = clock.instant().getEpochSecond();
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(TIMESTAMP, Long.toString(ts))
                .header(SIGNATURE, signature(s.get().copyBytes(), ts, body))
                .header(DELIVERY, id);
        if (test) {
            req.header(TEST, "true");
        }
        HttpRequest post = req.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
            if (e != null) {
                return new ForwardOutcome.Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return r.statusCode() / 100 == 2 ? new ForwardOutcome.Delivered()
                    : new ForwardOutcome.Failed("HTTP " + r.statusCode());
        });
    }
}
