package org.arc4j.examples.center.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The e-map editor's changes (GA 1383 电子地图管理): an uploaded plan (a PNG the JDK's ImageIO writes) and moved
 * markers are journalled with who made them and are there again after a restart; an image that is not PNG, JPEG or
 * SVG, or is too large, is refused naming the limit, as are positions off the plan and unknown sites.
 */
class EmapEditsTest {
    @TempDir
    Path data;
    private final InMemoryRecordStore journal = new InMemoryRecordStore();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T08:00:00Z"), ZoneOffset.UTC);

    private EmapEdits open() {
        return EmapEdits.open(journal, data, clock, Set.of("S0001", "S0002"));
    }

    private static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        img.getGraphics().fillRect(8, 8, 20, 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "png", out)).isTrue();
        return out.toByteArray();
    }

    @Test
    void uploadedPlansAndMovedMarkersAreJournalledAndBackAfterARestart() throws Exception {
        EmapEdits e = open();
        assertThat(e.planImage("S0001")).isNull();
        byte[] png = png();
        e.putPlan("S0001", png, "qian").toCompletableFuture().join();
        e.putPlan(EmapEdits.OVERVIEW, "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
                .getBytes(StandardCharsets.UTF_8), "qian").toCompletableFuture().join();
        e.putPositions("S0001", Map.of("camera:cam1", new EmapEdits.Position(0.25, 0.5)), "qian")
                .toCompletableFuture().join();
        e.putPositions("S0001", Map.of("camera:cam1", new EmapEdits.Position(0.3, 0.6),
                "zone:002", new EmapEdits.Position(0.7, 0.2)), "qian").toCompletableFuture().join();
        e.putPositions(EmapEdits.OVERVIEW, Map.of("site:S0002", new EmapEdits.Position(0.9, 0.1)), "qian")
                .toCompletableFuture().join();

        List<String> records = new ArrayList<>();
        journal.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> records.add(r.subject() + " "
                + new String(r.payload(), StandardCharsets.UTF_8)));
        assertThat(records).hasSize(5);
        assertThat(records.get(0)).startsWith("center/emap/S0001 ").contains("\"type\":\"image/png\"")
                .contains("\"by\":\"qian\"").contains("\"bytes\":" + png.length);
        assertThat(records.get(1)).startsWith("center/emap/overview ").contains("image/svg+xml");

        EmapEdits again = open();
        String url = again.planImage("S0001");
        assertThat(url).startsWith("data:image/png;base64,");
        byte[] back = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1));
        assertThat(back).isEqualTo(png);
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(back)).getWidth()).isEqualTo(64);
        assertThat(again.planImage(EmapEdits.OVERVIEW)).startsWith("data:image/svg+xml;base64,");
        assertThat(again.position("S0001", "camera:cam1")).isEqualTo(new EmapEdits.Position(0.3, 0.6));
        assertThat(again.position("S0001", "zone:002")).isEqualTo(new EmapEdits.Position(0.7, 0.2));
        assertThat(again.position(EmapEdits.OVERVIEW, "site:S0002")).isEqualTo(new EmapEdits.Position(0.9, 0.1));
        assertThat(again.position("S0002", "camera:cam1")).isNull();
        try (var files = Files.list(data.resolve("emap"))) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(2).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void refusalsNameTheLimit() throws Exception {
        EmapEdits e = open();
        assertThatThrownBy(() -> e.putPlan("S0001", "GIF89a....".getBytes(StandardCharsets.US_ASCII), "qian"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a plan image must be PNG, JPEG or SVG");
        byte[] big = new byte[EmapEdits.MAX_IMAGE_BYTES + 1];
        System.arraycopy(png(), 0, big, 0, 16);
        assertThatThrownBy(() -> e.putPlan("S0001", big, "qian")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("768 KiB").hasMessageContaining(Integer.toString(big.length));
        assertThatThrownBy(() -> e.putPlan("S0009", png(), "qian")).hasMessage("no site 'S0009'");
        assertThatThrownBy(() -> e.putPositions("S0001", Map.of("camera:cam1", new EmapEdits.Position(1.2, 0.5)),
                "qian")).hasMessage("marker camera:cam1: x and y must be 0 to 1");
        assertThatThrownBy(() -> e.putPositions("S0001", Map.of("door:1", new EmapEdits.Position(0.2, 0.5)),
                "qian")).hasMessageContaining("must be camera:, zone: or site:");
        List<String> records = new ArrayList<>();
        journal.replay(1, r -> records.add(r.subject()));
        assertThat(records).isEmpty();
    }

    @Test
    void annotationsAreDrawnMovedEditedAndRemovedAndBackAfterARestart() {
        EmapEdits e = open();
        EmapEdits.Position a = new EmapEdits.Position(0.1, 0.2);
        EmapEdits.Position b = new EmapEdits.Position(0.5, 0.2);
        EmapEdits.Position c = new EmapEdits.Position(0.5, 0.6);
        e.putAnnotation("S0001", new EmapEdits.Annotation("fire-lane", "text", "消防通道", List.of(a)), "qian")
                .toCompletableFuture().join();
        e.putAnnotation("S0001", new EmapEdits.Annotation("fence", "line", "", List.of(a, b)), "qian")
                .toCompletableFuture().join();
        e.putAnnotation("S0001", new EmapEdits.Annotation("vault", "area", "金库区", List.of(a, b, c)), "qian")
                .toCompletableFuture().join();
        e.putAnnotation(EmapEdits.OVERVIEW, new EmapEdits.Annotation("river", "line", "河", List.of(a, c)), "qian")
                .toCompletableFuture().join();
        // moved and edited: the same id again
        e.putAnnotation("S0001", new EmapEdits.Annotation("fire-lane", "text", "消防通道 Fire lane", List.of(c)),
                "qian").toCompletableFuture().join();
        assertThat(e.removeAnnotation("S0001", "fence", "qian").toCompletableFuture().join()).isTrue();
        assertThat(e.removeAnnotation("S0001", "fence", "qian").toCompletableFuture().join()).isFalse();

        for (EmapEdits x : List.of(e, open())) { // and after a restart, from the journal
            assertThat(x.annotations("S0001")).extracting(EmapEdits.Annotation::id)
                    .containsExactly("fire-lane", "vault");
            assertThat(x.annotations("S0001").get(0).text()).isEqualTo("消防通道 Fire lane");
            assertThat(x.annotations("S0001").get(0).points()).containsExactly(c);
            assertThat(x.annotations("S0001").get(1).points()).containsExactly(a, b, c);
            assertThat(x.annotations(EmapEdits.OVERVIEW)).extracting(EmapEdits.Annotation::text).containsExactly("河");
            assertThat(x.annotationsJson("S0001").get(1).path("kind").asText()).isEqualTo("area");
        }
        List<String> payloads = new ArrayList<>();
        journal.replay(1, java.util.Set.of(RecordType.CONFIG_CHANGE),
                r -> payloads.add(new String(r.payload(), StandardCharsets.UTF_8)));
        assertThat(payloads).hasSize(6).allSatisfy(p -> assertThat(p).contains("\"by\":\"qian\""));
        assertThat(payloads.get(5)).contains("\"removedAnnotation\":\"fence\"");
    }

    @Test
    void aBadAnnotationIsRefusedNamingWhatIsWrong() {
        EmapEdits e = open();
        EmapEdits.Position p = new EmapEdits.Position(0.1, 0.2);
        assertThatThrownBy(() -> e.putAnnotation("S0001", new EmapEdits.Annotation("a", "circle", "x", List.of(p)),
                "q")).hasMessage("annotation a: kind must be text, line or area");
        assertThatThrownBy(() -> e.putAnnotation("S0001", new EmapEdits.Annotation("a", "text", " ", List.of(p)),
                "q")).hasMessage("annotation a: text must be 1 to 200 characters");
        assertThatThrownBy(() -> e.putAnnotation("S0001", new EmapEdits.Annotation("a", "area", "", List.of(p, p)),
                "q")).hasMessage("annotation a: an area has 3 to 100 points");
        assertThatThrownBy(() -> e.putAnnotation("S0001", new EmapEdits.Annotation("a", "line", "",
                List.of(p, new EmapEdits.Position(1.5, 0))), "q")).hasMessage("annotation a: x and y must be 0 to 1");
        assertThatThrownBy(() -> e.putAnnotation("S0001", new EmapEdits.Annotation("a b", "text", "x", List.of(p)),
                "q")).hasMessageStartingWith("annotation id must be");
        assertThatThrownBy(() -> e.putAnnotation("S9", new EmapEdits.Annotation("a", "text", "x", List.of(p)),
                "q")).hasMessage("no site 'S9'");
        assertThat(e.annotations("S0001")).isEmpty();
    }
}
