package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Transport;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.dc09.internal.Dc09Processor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One vector per tolerated real-panel variant ({@code vectors/dc09/variants.tsv}, made with python3): the
 * tolerant decoder accepts it and names exactly that variant, the strict one refuses it, and the receiver
 * ACKs it in the sender's CRC style and counts the variant for the account.
 */
class Dc09VariantVectorTest {
    record Row(String name, byte[] frame, Set<Dc09Variant> expected, Dc09CrcStyle style) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        try (InputStream in = Dc09VariantVectorTest.class.getResourceAsStream("/vectors/dc09/variants.tsv")) {
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                EnumSet<Dc09Variant> expected = EnumSet.noneOf(Dc09Variant.class);
                for (String v : f[2].split(",")) {
                    expected.add(Dc09Variant.valueOf(v));
                }
                rows.add(new Row(f[0], Vectors.unescape(f[1]), expected, Dc09CrcStyle.valueOf(f[3])));
            }
            return rows.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void variantIsToleratedNamedRefusedWhenStrictAndAnsweredInKind(Row row) throws Exception {
        byte[] b = row.frame();
        Dc09DecodeResult r = Dc09Decoder.builder().build().decode(b, 0, b.length);
        assertThat(r).isInstanceOf(Dc09DecodeResult.Valid.class);
        Dc09DecodeResult.Valid v = (Dc09DecodeResult.Valid) r;
        EnumSet<Dc09Variant> seen = EnumSet.noneOf(Dc09Variant.class);
        seen.addAll(v.variants());
        Dc09DataParser.Result data = v.frame().data().isEmpty() ? null : Dc09DataParser.INSTANCE.parse(v.frame());
        if (data instanceof Dc09DataParser.Sia s) {
            seen.addAll(s.variants());
        } else if (data instanceof Dc09DataParser.Cid c) {
            seen.addAll(c.variants());
        }
        assertThat(seen).isEqualTo(row.expected());
        assertThat(v.crcStyle()).isEqualTo(row.style());

        Dc09DecodeResult strict = Dc09Decoder.builder().strict(true).build().decode(b, 0, b.length);
        boolean refused = strict instanceof Dc09DecodeResult.Invalid
                || Dc09DataParser.STRICT.parse(((Dc09DecodeResult.Valid) strict).frame())
                        instanceof Dc09DataParser.Invalid;
        assertThat(refused).as("refused when strict").isTrue();

        ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-11-24T08:00:00Z"));
        Dc09Processor p = new Dc09Processor(new Dc09Processor.Settings(new InMemoryAlarmIntake(scheduler.clock()),
                new InMemoryCredentialStore(), new InMemorySupervisor(scheduler), scheduler, new SimpleMetrics(),
                Dc09Decoder.builder(), false, Duration.ofSeconds(40), Duration.ofSeconds(20), false, a -> Transport.IP,
                () -> ReceiverFixture.table(CodeSystem.SIA, "/codes/sia-test.tsv"),
                () -> ReceiverFixture.table(CodeSystem.CONTACT_ID, "/codes/contactid-test.tsv"),
                a -> null, a -> false, t -> { }));
        byte[] reply = p.process(b, 0, b.length, new Ingress("dc09-test", "vector")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(Dc09Decoder.builder().build().decode(reply, 0, reply.length))
                .isInstanceOfSatisfying(Dc09DecodeResult.Valid.class, a -> {
                    assertThat(a.frame().token()).isEqualTo(Dc09Token.ACK);
                    assertThat(a.crcStyle()).isEqualTo(row.style());
                });
        long counted = p.variantCounts().values().stream()
                .mapToLong(m -> row.expected().stream().mapToLong(x -> m.getOrDefault(x, 0L)).sum()).sum();
        assertThat(counted).isEqualTo(row.expected().size());
    }
}
