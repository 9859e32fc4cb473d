package org.arc4j.examples.center.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.pipeline.ForwardingRule;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testkit.Await;

/**
 * The forwarder's retry and restart on virtual time, everything on the test's thread: a target (an implementation
 * of the SPI that is down for a number of attempts; the real webhook is ForwardingIT's) is retried after 1, 2, 4,
 * 8 s and then every 8 s (the configured longest delay); its delivery ends the case's forward; a forward pending
 * when the forwarder stops is delivered by the next one from the journal, once.
 */
class ForwarderTest {
    @TempDir
    Path dir;
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-01T00:00:00Z"));
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final AlarmPipeline pipeline = AlarmPipeline.builder(store, scheduler)
            .rules(new Rules(List.of(new ForwardingRule("fire", Set.of(Category.FIRE), false, "hub",
                    ForwardChannel.IP, false)), List.of(), List.of()))
            .authorizer(CaseAuthorizer.ALLOW_ALL) // no operator steps here: the forwards come from a rule
            .build();
    private final List<String> notices = new CopyOnWriteArrayList<>(); // the webhook check tells from the HTTP client

    /** Down for the first {@code failures} attempts, then up; records when it was tried on the virtual clock. */
    private final class Hub implements ForwardTarget {
        final List<Instant> attempts = new ArrayList<>();
        final List<String> delivered = new ArrayList<>();
        final int failures;

        Hub(int failures) {
            this.failures = failures;
        }

        @Override
        public String name() {
            return "hub";
        }

        @Override
        public ForwardChannel channel() {
            return ForwardChannel.IP;
        }

        @Override
        public CompletionStage<ForwardOutcome> deliver(ForwardRequest request) {
            attempts.add(scheduler.now());
            if (attempts.size() <= failures) {
                return CompletableFuture.completedFuture(new ForwardOutcome.Failed("HTTP 503"));
            }
            delivered.add(request.id());
            return CompletableFuture.completedFuture(new ForwardOutcome.Delivered());
        }
    }

    private final List<Forwarder> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Forwarder::close);
    }

    private Forwarder forwarder(Hub hub) throws Exception {
        Forwarder f = Forwarder.start(dir, List.of(hub), pipeline, c -> JsonNodeFactory.instance.objectNode()
                .put("id", c.id()), scheduler, Duration.ofSeconds(1), Duration.ofSeconds(8), notices::add, Runnable::run);
        started.add(f);
        return f;
    }

    private AlarmCase fire() {
        AlarmEvent e = AlarmEvent.builder().account("4321").protocol(Protocol.DC09_ADM_CID).transport(Transport.IP)
                .ingress(new Ingress("test", "link-a")).link("link-a").code(CodeSystem.CONTACT_ID, "110")
                .qualifier(Qualifier.NEW_EVENT).category(Category.FIRE).zone("010").partition("01")
                .receivedAt(scheduler.now()).build().withId(new EventIdGenerator(scheduler.clock()).next());
        pipeline.ingest(e);
        return pipeline.openCases().get(0);
    }

    @Test
    void retriesWithBackOffUntilDeliveredAndTheDeliveryEndsTheForward() throws Exception {
        Hub hub = new Hub(5);
        forwarder(hub);
        Instant t0 = scheduler.now();
        String id = fire().id();
        for (int i = 0; i < 40 && hub.delivered.isEmpty(); i++) {
            scheduler.advance(Duration.ofSeconds(1));
        }
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < hub.attempts.size(); i++) {
            gaps.add(Duration.between(hub.attempts.get(i - 1), hub.attempts.get(i)).toSeconds());
        }
        assertThat(hub.attempts.get(0)).isEqualTo(t0);
        assertThat(gaps).containsExactly(1L, 2L, 4L, 8L, 8L);
        assertThat(hub.delivered).containsExactly(id + "/hub");
        AlarmCase c = pipeline.get(id).orElseThrow();
        assertThat(c.forwards()).singleElement().satisfies(fw -> assertThat(fw.deliveredAt())
                .isEqualTo(t0.plusSeconds(23)));
        assertThat(notices).singleElement().satisfies(n -> assertThat(n).contains("hub").contains("failing"));
        scheduler.advance(Duration.ofMinutes(5));
        assertThat(hub.attempts).hasSize(6);
    }

    @Test
    void aForwardPendingAtStopIsDeliveredByTheNextStartOnce() throws Exception {
        Hub down = new Hub(Integer.MAX_VALUE);
        String id;
        Forwarder first = forwarder(down);
        id = fire().id();
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(down.attempts).hasSize(3);
        first.close(); // the centre stops with the forward pending
        Hub up = new Hub(0);
        forwarder(up).close(); // started: the journalled forward is sent at once
        assertThat(up.delivered).containsExactly(id + "/hub");
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(up.attempts).hasSize(1);
        // and a third start finds nothing left to send
        Hub again = new Hub(0);
        forwarder(again);
        assertThat(again.attempts).isEmpty();
    }

    @Test
    void aDailySignedTestPostFindsAWebhookThatCannotBeReached() throws Exception {
        byte[] key = "webhook-secret-1".getBytes(StandardCharsets.UTF_8);
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            String ts = x.getRequestHeaders().getFirst(WebhookTarget.TIMESTAMP);
            boolean signed = WebhookTarget.signature(key, Long.parseLong(ts), body)
                    .equals(x.getRequestHeaders().getFirst(WebhookTarget.SIGNATURE));
            received.add(signed + " " + x.getRequestHeaders().getFirst(WebhookTarget.TEST) + " "
                    + new String(body, StandardCharsets.UTF_8));
            x.sendResponseHeaders(signed ? 204 : 401, -1);
            x.close();
        });
        receiver.start();
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        WebhookTarget hook = new WebhookTarget("insurer", url, ForwardChannel.IP,
                () -> Optional.of(Secret.of(key)), scheduler.clock());
        Forwarder f = Forwarder.start(dir, List.of(hook), pipeline, c -> JsonNodeFactory.instance.objectNode(),
                scheduler, Duration.ofSeconds(1), Duration.ofSeconds(8), notices::add, Runnable::run);
        started.add(f);
        f.checkWebhooks(Duration.ofHours(24));
        scheduler.advance(Duration.ofHours(24));
        Await.until(Duration.ofSeconds(10), () -> !received.isEmpty(), () -> "the test webhook at the receiver");
        assertThat(received).singleElement().satisfies(r -> assertThat(r).startsWith("true true ")
                .contains("\"test\":true").contains("\"target\":\"insurer\""));
        Thread.sleep(200); // the 204 is handled; nothing to tell
        assertThat(notices).isEmpty();

        receiver.stop(0); // the receiver goes away: the next day's check tells the operators
        scheduler.advance(Duration.ofHours(24));
        Await.until(Duration.ofSeconds(10), () -> !notices.isEmpty(), () -> "a notice to the operators");
        assertThat(notices).singleElement().satisfies(n -> assertThat(n).contains("insurer")
                .contains("reachability check"));
        assertThat(received).hasSize(1);
    }
}
