package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
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
 * One vector per row of the answer table ({@code vectors/dc09/answers.tsv}, frames made with python3 and
 * openssl), through the receiver's decision logic on virtual time, without sockets.
 */
class Dc09AnswerTableTest {
    private static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");

    record Row(String situation, byte[] frame, String key, String options, String expected, int events) {
        @Override
        public String toString() {
            return situation;
        }
    }

    static Stream<Row> rows() {
        try (InputStream in = Dc09AnswerTableTest.class.getResourceAsStream("/vectors/dc09/answers.tsv")) {
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                rows.add(new Row(f[0], Vectors.unescape(f[1]), f[2], f[3], f[4], Integer.parseInt(f[5])));
            }
            return rows.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRowGetsItsAnswer(Row row) throws Exception {
        ManualScheduler scheduler = new ManualScheduler(NOW);
        InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
        if (row.options().contains("intake=closed")) {
            intake.close();
        }
        InMemoryCredentialStore keys = new InMemoryCredentialStore();
        if (!row.key().isEmpty()) {
            keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), Credential.of(Secret.ofHex(row.key())));
        }
        Dc09Processor p = new Dc09Processor(new Dc09Processor.Settings(intake, keys, new InMemorySupervisor(scheduler),
                scheduler, new SimpleMetrics(), Dc09Decoder.builder(), false, Duration.ofSeconds(40),
                Duration.ofSeconds(20), false, a -> Transport.IP,
                () -> ReceiverFixture.table(CodeSystem.SIA, "/codes/sia-test.tsv"),
                () -> ReceiverFixture.table(CodeSystem.CONTACT_ID, "/codes/contactid-test.tsv"),
                a -> null, a -> false, t -> { }));
        int repeat = row.options().contains("repeat=2") ? 2 : 1;
        for (int i = 0; i < repeat; i++) {
            byte[] reply = p.process(row.frame(), 0, row.frame().length, new Ingress("dc09-test", "vector"))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (row.expected().equals("none")) {
                assertThat(reply).isNull();
            } else {
                assertThat(reply).isNotNull();
                // strip LF, CRC and length, and the CR; the CRC is checked by decoding it strictly
                assertThat(new String(reply, 9, reply.length - 10, StandardCharsets.US_ASCII))
                        .isEqualTo(row.expected());
                assertThat(Dc09Decoder.builder().strict(true).build().decode(reply, 0, reply.length))
                        .isInstanceOf(Dc09DecodeResult.Valid.class);
            }
        }
        assertThat(intake.events()).hasSize(row.events());
    }
}
