package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Transport;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.dc09.internal.Dc09Processor;
import org.junit.jupiter.api.Test;

/**
 * A flood of messages from distinct accounts nobody configured (each with a real-panel variant) leaves every
 * per-account structure of the DC-09 path within its stated bound: the variant counts and their metrics, and the
 * supervisor's entries for devices it was not told to expect.
 */
class Dc09FloodBoundsTest {
    @Test
    void tenThousandDistinctUnknownAccountsStayWithinTheBounds() throws Exception {
        Instant now = Instant.parse("2026-11-24T08:00:00Z");
        ManualScheduler scheduler = new ManualScheduler(now);
        SimpleMetrics metrics = new SimpleMetrics();
        InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
        try (InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock())) {
            Dc09Processor p = new Dc09Processor(new Dc09Processor.Settings(intake, new InMemoryCredentialStore(),
                    supervisor, scheduler, metrics, Dc09Decoder.builder(), false, Duration.ofSeconds(40),
                    Duration.ofSeconds(20), false, a -> Transport.IP,
                    () -> ReceiverFixture.table(CodeSystem.SIA, "/codes/sia-test.tsv"),
                    () -> ReceiverFixture.table(CodeSystem.CONTACT_ID, "/codes/contactid-test.tsv"),
                    a -> null, a -> false, t -> { }));
            Dc09Encoder encoder = new Dc09Encoder();
            int accounts = Dc09Processor.MAX_VARIANT_ACCOUNTS + 2_000;
            for (int i = 0; i < accounts; i++) {
                String account = Integer.toHexString(0x100000 + i).toUpperCase(java.util.Locale.ROOT);
                Dc09Frame f = Dc09Frame.of(Dc09Token.SIA_DCS, false, "0001", null, "0", account,
                        "#" + account + "|NBA001", now);
                byte[] b = encoder.encode(f, Dc09CrcStyle.RAW_BYTES, null); // a variant real panels send
                p.process(b, 0, b.length, new Ingress("dc09-test", "flood")).toCompletableFuture()
                        .get(5, TimeUnit.SECONDS);
            }
            assertThat(p.variantCounts()).hasSize(Dc09Processor.MAX_VARIANT_ACCOUNTS + 1)
                    .containsKey(Dc09Processor.OTHER_ACCOUNTS);
            assertThat(p.variantCounts().get(Dc09Processor.OTHER_ACCOUNTS).values().stream()
                    .mapToLong(Long::longValue).sum()).isEqualTo(2_000);
            long variantCounters = metrics.counts().keySet().stream()
                    .filter(id -> id.name().equals("dc09.variants")).count();
            assertThat(variantCounters).isLessThanOrEqualTo(Dc09Processor.MAX_VARIANT_ACCOUNTS + 1);
            assertThat(supervisor.all()).hasSizeLessThanOrEqualTo(JournalledSupervisor.DEFAULT_MAX_UNEXPECTED);
        }
    }
}
