package org.arc4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** {@link JsonBytes} writes, document after document, exactly what a fresh generator writes to a stream. */
class JsonBytesTest {
    private static byte[] fresh(JsonBytes.Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            body.write(g);
        }
        return out.toByteArray();
    }

    private static JsonBytes.Body object(int i) {
        return g -> {
            g.writeStartObject();
            g.writeNumberField("n", i);
            g.writeStringField("s", "客户 \"" + i + "\"\n");
            g.writeArrayFieldStart("a");
            g.writeString("x");
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    @Test
    void successiveDocumentsAreEachExactlyAFreshGeneratorsOutput() throws IOException {
        for (int i = 0; i < 1000; i++) {
            JsonBytes.Body body = i % 7 == 0 ? g -> g.writeString("plain") : object(i);
            assertThat(JsonBytes.write(body)).isEqualTo(fresh(body));
        }
    }

    @Test
    void aLargeDocumentThenASmallOneAreBothExact() throws IOException {
        JsonBytes.Body large = g -> {
            g.writeStartArray();
            for (int i = 0; i < 20_000; i++) {
                g.writeString("value-" + i);
            }
            g.writeEndArray();
        };
        assertThat(JsonBytes.write(large)).isEqualTo(fresh(large));
        assertThat(JsonBytes.write(object(1))).isEqualTo(fresh(object(1)));
    }

    @Test
    void aNestedCallWritesItsOwnDocument() throws IOException {
        byte[][] inner = new byte[1][];
        JsonBytes.Body outer = g -> {
            g.writeStartObject();
            inner[0] = JsonBytes.write(object(2));
            g.writeStringField("inner", "done");
            g.writeEndObject();
        };
        byte[] bytes = JsonBytes.write(outer);
        assertThat(inner[0]).isEqualTo(fresh(object(2)));
        assertThat(bytes).isEqualTo(fresh(g -> {
            g.writeStartObject();
            g.writeStringField("inner", "done");
            g.writeEndObject();
        }));
    }

    @Test
    void aFailedOrUnfinishedDocumentLeavesNothingBehindForTheNext() throws IOException {
        assertThatThrownBy(() -> JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("half", "written");
            throw new IOException("disk on fire");
        })).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk on fire");
        assertThat(JsonBytes.write(object(3))).isEqualTo(fresh(object(3)));

        assertThatThrownBy(() -> JsonBytes.write(JsonGenerator::writeStartArray))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unfinished");
        assertThat(JsonBytes.write(object(4))).isEqualTo(fresh(object(4)));
    }
}
