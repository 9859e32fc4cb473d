package org.arc4j.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventJsonTest {

    static AlarmEvent sample() {
        return AlarmEvent.builder()
                .id(EventId.parse("01JDQ5Z3K8M4T6W2Y9A0B1C2D3"))
                .account("1234")
                .receiver("R1")
                .line("L1")
                .protocol(Protocol.DC09_SIA_DCS)
                .transport(Transport.IP)
                .ingress(new Ingress("dc09-tcp", "0.0.0.0:9000"))
                .code(CodeSystem.SIA, "BA")
                .qualifier(Qualifier.NEW_EVENT)
                .category(Category.INTRUSION)
                .description("Burglary alarm")
                .partition("1")
                .zone("003")
                .triggeredAt(Instant.parse("2026-11-24T06:30:00Z"))
                .clockSkew(Duration.ofSeconds(2))
                .receivedAt(Instant.parse("2026-11-24T06:29:58.120Z"))
                .extended("X", "E116.397")
                .extended("Y", "N39.909")
                .raw("\n0000001E\"SIA-DCS\"0001R1L1#1234[#1234|Nri1/BA003]_06:30:00,11-24-2026\r"
                        .getBytes(StandardCharsets.US_ASCII))
                .build();
    }

    @Test
    void roundTripsEveryField() {
        AlarmEvent e = sample();
        AlarmEvent back = EventJson.fromJson(EventJson.toJson(e));
        assertThat(back).isEqualTo(e);
        assertThat(back.raw()).isEqualTo(e.raw());
        assertThat(back.correctedTriggerTime()).isEqualTo(Instant.parse("2026-11-24T06:29:58Z"));
    }

    /** The kept corpus (src/test/resources/fuzz/EventJsonTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(EventJsonTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void theCompactFormIsExactlyTheGoldenFileWithRawInTheJdksBase64(FuzzSeeds.Seed seed) throws IOException {
        seed.check(() -> {
            String golden;
            try (InputStream in = getClass().getResourceAsStream("/golden/event-v1.json")) {
                golden = new ObjectMapper().readTree(in).toString();
            }
            assertThat(EventJson.toJson(sample())).isEqualTo(golden);
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed.value());
            for (int n = 1; n < 200; n++) {
                byte[] raw = new byte[n];
                for (int i = 0; i < n; i++) {
                    raw[i] = (byte) r.nextInt(256);
                }
                String json = EventJson.toJson(sample().toBuilder().raw(raw).build());
                assertThat(json).endsWith("\"raw\":\"" + java.util.Base64.getEncoder().encodeToString(raw) + "\"}");
            }
        });
    }

    @Test
    void roundTripsAMinimalEvent() {
        AlarmEvent e = AlarmEvent.builder()
                .protocol(Protocol.INTERNAL)
                .ingress(new Ingress("supervisor", "local"))
                .code(CodeSystem.ARC4J, "OFFLINE")
                .receivedAt(Instant.EPOCH)
                .build();
        String json = EventJson.toJson(e);
        assertThat(json).doesNotContain("\"id\"", "\"account\"", "\"raw\"", "zoneNumber");
        assertThat(EventJson.fromJson(json)).isEqualTo(e);
    }

    @Test
    void matchesTheGoldenFileSoTheFormatCannotDriftSilently() throws IOException {
        ObjectMapper m = new ObjectMapper();
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/event-v1.json")) {
            golden = m.readTree(in);
        }
        assertThat(m.readTree(EventJson.toJson(sample()))).isEqualTo(golden);
        assertThat(EventJson.read(golden)).isEqualTo(sample());
    }

    @Test
    void theDocumentedExampleIsTheGoldenFile() throws IOException {
        // docs/event.json is what users read; it must stay what the code writes
        Path doc = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("event.json");
        ObjectMapper m = new ObjectMapper();
        try (InputStream in = getClass().getResourceAsStream("/golden/event-v1.json")) {
            assertThat(m.readTree(Files.readString(doc))).isEqualTo(m.readTree(in));
        }
    }

    @Test
    void refusesOtherVersionsAndBrokenDocuments() {
        String json = EventJson.toJson(sample());
        assertThatThrownBy(() -> EventJson.fromJson(json.replace("\"v\":1", "\"v\":2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> EventJson.fromJson(json.replace("\"protocol\":\"DC09_SIA_DCS\",", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protocol");
        assertThatThrownBy(() -> EventJson.fromJson(json.replace("INTRUSION", "BURGLARY")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BURGLARY");
        assertThatThrownBy(() -> EventJson.fromJson("{"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() {
        String json = EventJson.toJson(sample()).replace("{\"v\":1,", "{\"v\":1,\"futureField\":[1,2],");
        assertThat(EventJson.fromJson(json)).isEqualTo(sample());
    }

    @Test
    void enumsAndInstantsHaveTheirStableForms() {
        String json = EventJson.toJson(sample());
        assertThat(json).contains("\"receivedAt\":\"2026-11-24T06:29:58.120Z\"", "\"category\":\"INTRUSION\"",
                "\"zone\":\"003\"", "\"zoneNumber\":3", "\"clockSkew\":\"PT2S\"", "\"priority\":4");
    }
}
