package org.arc4j.examples.contactid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.event.Qualifier;
import org.arc4j.protocols.audio.Resampler;
import org.arc4j.protocols.audio.ToneWriter;
import org.arc4j.protocols.audio.WavFile;
import org.arc4j.protocols.contactid.AdemcoExpressMessage;
import org.arc4j.protocols.contactid.ContactIdMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactIdDecodeTest {
    @TempDir
    Path dir;

    /** A recorded call at 8 kHz: a handshake, then messages at ten digits a second, each followed by a kissoff. */
    private static short[] call(List<String> dtmfMessages) {
        ToneWriter w = new ToneWriter(8000);
        List<short[]> parts = new ArrayList<>();
        short[] handshake = new short[w.samples(1550)];
        w.sine(handshake, w.samples(1250), w.samples(100), 1400, -9);
        w.sine(handshake, w.samples(1450), w.samples(100), 2300, -9);
        parts.add(handshake);
        for (String keys : dtmfMessages) {
            short[] m = new short[w.samples(250 + keys.length() * 100 + 200 + 900 + 100)];
            int at = w.samples(250);
            for (char k : keys.toCharArray()) {
                w.dtmf(m, at, w.samples(50), k, -7, -5, 1.0);
                at += w.samples(100);
            }
            w.sine(m, at + w.samples(200), w.samples(900), 1400, -9);
            parts.add(m);
        }
        int n = parts.stream().mapToInt(p -> p.length).sum();
        short[] all = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private List<JsonNode> decode(Path file, int expectedExit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ContactIdDecode.run(new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedExit);
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void printsOneJsonLinePerMessageFromA44kRecording() throws IOException {
        ContactIdMessage duress = ContactIdMessage.of("1234", Qualifier.NEW_EVENT, "121", "01", "001");
        ContactIdMessage close = ContactIdMessage.of("1234", Qualifier.RESTORE, "401", "02", "015");
        String damaged = duress.dtmf().substring(0, 15) + (duress.dtmf().charAt(15) == '5' ? '6' : '5');
        short[] at8k = call(List.of(duress.dtmf(), damaged, close.dtmf()));
        Path wav = dir.resolve("call.wav");
        WavFile.write(wav, 44100, Resampler.resample(at8k, 8000, 44100));

        List<JsonNode> lines = decode(wav, 0);
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(l -> l.get("format").asText()).containsOnly("CONTACT_ID");
        JsonNode first = lines.get(0);
        assertThat(first.get("account").asText()).isEqualTo("1234");
        assertThat(first.get("qualifier").asInt()).isEqualTo(1);
        assertThat(first.get("code").asText()).isEqualTo("121");
        assertThat(first.get("partition").asText()).isEqualTo("01");
        assertThat(first.get("zone").asText()).isEqualTo("001");
        assertThat(first.get("checksum").asText()).isEqualTo("valid");
        // after the 1.25 s answer delay, the handshake and 250 ms
        assertThat(first.get("offsetSeconds").asDouble()).isBetween(1.75, 1.85);
        assertThat(lines.get(1).get("checksum").asText()).isEqualTo("invalid");
        assertThat(lines.get(1).get("error").asText()).isEqualTo("BAD_CHECKSUM");
        assertThat(lines.get(2).get("digits").asText()).isEqualTo("1234183401020150");
        assertThat(lines.get(2).get("qualifier").asInt()).isEqualTo(3);
    }

    @Test
    void recognisesAPanelSendingAdemcoExpress() throws IOException {
        String express = AdemcoExpressMessage.of(AdemcoExpressMessage.Format.FOUR_PLUS_TWO, "1234", "31").dtmf();
        Path wav = dir.resolve("express.wav");
        WavFile.write(wav, 8000, call(List.of(express)));
        List<JsonNode> lines = decode(wav, 0);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).get("format").asText()).isEqualTo("ADEMCO_EXPRESS_4_2");
        assertThat(lines.get(0).get("account").asText()).isEqualTo("1234");
        assertThat(lines.get(0).get("code").asText()).isEqualTo("31");
    }

    @Test
    void exitsZeroForARecordingWithNoMessagesAndTwoForAnUnreadableFile() throws IOException {
        Path silence = dir.resolve("silence.wav");
        WavFile.write(silence, 16000, new short[16000]);
        assertThat(decode(silence, 0)).isEmpty();
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not a wave file");
        assertThat(decode(junk, 2)).isEmpty();
        assertThat(decode(dir.resolve("missing.wav"), 2)).isEmpty();
    }
}
