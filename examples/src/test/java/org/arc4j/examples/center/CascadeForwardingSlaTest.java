package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.Contact;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.CustomerType;
import org.arc4j.core.customer.GeoPoint;
import org.arc4j.core.customer.Site;
import org.arc4j.core.customer.Zone;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.SlaBreach;
import org.arc4j.core.sla.SlaStep;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GA 1383 警情转发 through the cascade, on virtual time: {@link CascadeWiring} between an {@link AlarmPipeline} and
 * the SDK's {@link GbPlatform} as the police platform, all on one {@link ManualScheduler}. A case forwarded to
 * {@code police} over IP is delivered when the police platform answers the Alarm Notify with 200: the
 * {@code FORWARDING} step ends there and, answered at once, is within its 4 s. With the police platform down, the
 * forward is retried, the step breaches its 4 s limit one tick after it (a {@link SlaBreach} event and in the case),
 * and once the platform is back the late delivery ends the step with its whole measured time.
 */
class CascadeForwardingSlaTest {
    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    static final String CENTRE = "34020000002000000002";
    static final String POLICE = "11000000002000000001";
    static final String PASSWORD = "Up-Cascade-2026";
    static final AccountKey PANEL = new AccountKey("R1", "L1", "1234");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryAlarmIntake policeIntake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryCredentialStore policeVault = new InMemoryCredentialStore();
    final List<SlaBreach> breaches = new CopyOnWriteArrayList<>();
    final EventIdGenerator ids = new EventIdGenerator(scheduler.clock());
    GbPlatform police;
    Journal journal;
    AlarmPipeline pipeline;
    CascadeWiring cascade;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (cascade != null) {
            cascade.close();
        }
        if (police != null) {
            police.close();
        }
        if (journal != null) {
            journal.close();
        }
        policeIntake.close();
    }

    GbPlatform police(int port) throws InterruptedException {
        return GbPlatform.start(GbPlatformConfig.builder(POLICE).bindHost("127.0.0.1").udpPort(port).tcpPort(-1)
                .queryCatalogOnRegister(false).build(), scheduler, policeIntake, new InMemorySupervisor(scheduler),
                policeVault, new SimpleMetrics());
    }

    @Test
    void aForwardIsTimedAgainstFourSecondsAndBreachesWhileThePoliceAreDown() throws Exception {
        policeVault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, CENTRE),
                new Credential(CENTRE, Secret.ofUtf8(PASSWORD), Map.of()));
        police = police(0);
        int policePort = police.stack().udpAddress().getPort();
        journal = Journal.builder(dir.resolve("journal")).clock(scheduler.clock()).open();
        CustomerDirectory directory = new CustomerDirectory(journal, scheduler.clock());
        directory.put(new Customer("C0001", "东城支行", CustomerType.FINANCIAL, "示例路 1 号",
                List.of(new Contact("王经理", "13800000001", "manager")), false, null));
        directory.put(Site.of("S0001", "C0001", "营业厅", "示例路 1 号", new GeoPoint(39.93, 116.42), null,
                List.of(new Zone("001", "前门", "1 层"), new Zone("002", "金库门", "地下 1 层"))));
        directory.put(new Account(PANEL, "S0001", Transport.IP, null, null));
        pipeline = AlarmPipeline.builder(journal, scheduler).directory(directory)
                .authorizer(CaseAuthorizer.ALLOW_ALL).build();
        pipeline.addListener(e -> {
            if (e instanceof PipelineEvent.Breached b) {
                breaches.add(b.breach());
            }
        });
        Path yaml = Files.writeString(dir.resolve("center.yaml"), "customers:\n  - id: C0001\n    name: 东城支行\n"
                + "    sites:\n      - id: S0001\n        name: 营业厅\n        zones:\n"
                + "          - { number: \"001\", name: 前门 }\n"
                + "gb28181:\n  cascade:\n    id: \"" + CENTRE + "\"\n    port: 0\n    uppers:\n"
                + "      - { id: \"" + POLICE + "\", host: 127.0.0.1, port: " + policePort + ", password: \""
                + PASSWORD + "\", recipient: police }\n", StandardCharsets.UTF_8);
        CenterOptions options = CenterOptions.parse("--data", dir.resolve("data").toString(), "--bind", "127.0.0.1");
        cascade = CascadeWiring.start(options, CenterConfig.load(yaml), scheduler, journal, pipeline,
                new InMemoryCredentialStore(), new InMemorySupervisor(scheduler), null, null);
        await("registered with the police", () -> police.registry().get(CENTRE).map(d -> d.registered())
                .orElse(false));
        // answered at once: the forward's time is what virtual time passed, nothing, within the 4 s
        String first = open("001");
        pipeline.forward(first, "op1", "police", ForwardChannel.IP, true);
        await("the first forward delivered", () -> delivered(first));
        assertThat(policeIntake.events()).hasSize(1);
        assertThat(policeIntake.events().get(0).account()).isEqualTo(CENTRE);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(breaches).isEmpty();
        assertThat(pipeline.get(first).orElseThrow().stepDurations()).containsEntry(SlaStep.FORWARDING,
                Duration.ZERO);
        // the police platform goes away: the forward is sent again every second and breaches after 4 s
        police.close();
        String second = open("002");
        Instant decided = scheduler.now();
        pipeline.forward(second, "op1", "police", ForwardChannel.IP, true);
        for (int s = 0; s < 4; s++) {
            step(Duration.ofSeconds(1));
        }
        assertThat(breaches).isEmpty();
        step(Duration.ofMillis(1));
        await("the breach", () -> !breaches.isEmpty());
        assertThat(breaches).singleElement().satisfies(b -> {
            assertThat(b.caseId()).isEqualTo(second);
            assertThat(b.step()).isEqualTo(SlaStep.FORWARDING);
            assertThat(b.limit()).isEqualTo(Duration.ofSeconds(4));
            assertThat(b.measured()).isEqualTo(Duration.ofSeconds(4).plusMillis(1));
        });
        assertThat(delivered(second)).isFalse();
        await("the forward journalled as pending", () -> cascade.cascade().link(POLICE).orElseThrow()
                .pendingAlarms() == 1);
        // back on the same port: the link registers again (keepalives unanswered) and the forward gets its 200
        police = police(policePort);
        for (int s = 0; s < 600 && !delivered(second); s++) {
            step(Duration.ofSeconds(1));
        }
        await("the second forward delivered", () -> delivered(second));
        AlarmCase late = pipeline.get(second).orElseThrow();
        Duration measured = late.stepDurations().get(SlaStep.FORWARDING);
        assertThat(measured).isGreaterThan(Duration.ofSeconds(4))
                .isEqualTo(Duration.between(decided, late.forwards().get(0).deliveredAt()));
        assertThat(late.breaches()).hasSize(1);
        assertThat(breaches).hasSize(1); // delivered late, not breached twice
        assertThat(policeIntake.events()).hasSize(2);
    }

    /** Opens a case from a burglary on a zone of the panel; returns its id. */
    private String open(String zone) {
        AlarmEvent e = AlarmEvent.builder().receiver(PANEL.receiver()).line(PANEL.line()).account(PANEL.account())
                .protocol(Protocol.DC09_ADM_CID).ingress(new Ingress("test", "link-a")).link("link-a")
                .code(CodeSystem.CONTACT_ID, "130").qualifier(Qualifier.NEW_EVENT).category(Category.INTRUSION)
                .zone(zone).partition("01").receivedAt(scheduler.now()).build().withId(ids.next());
        pipeline.ingest(e);
        String id = "C" + e.id();
        // on an operator's screen at once: the response step is met, only forwarding is timed here
        pipeline.present(id, "console-1");
        pipeline.take(id, "op1");
        return id;
    }

    private boolean delivered(String caseId) {
        return pipeline.get(caseId).map(c -> !c.forwards().isEmpty() && c.forwards().get(0).deliveredAt() != null)
                .orElse(false);
    }

    /** Moves virtual time on and lets loopback datagrams land before the next step. */
    private void step(Duration d) throws InterruptedException {
        scheduler.advance(d);
        Thread.sleep(10);
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) { // a bound on a hang on a loaded machine; it measures nothing
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
