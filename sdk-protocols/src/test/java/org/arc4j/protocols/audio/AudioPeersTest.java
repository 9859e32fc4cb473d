package org.arc4j.protocols.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.arc4j.core.testsupport.RealPeers;

/** The audio path against independent peers: sox makes DTMF and G.711, espeak-ng makes speech. */
class AudioPeersTest {
    private static final String ALL = "123A456B789C*0#D";

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        RealPeers.require(Tools.has("sox") && Tools.has("espeak-ng"), "sox and espeak-ng (Debian packages)");
    }

    private Path soxDtmf(String keys, int rate) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < keys.length(); i++) {
            char k = keys.charAt(i);
            Path p = dir.resolve("k" + i + ".wav");
            Tools.run("sox", "-n", "-r", Integer.toString(rate), "-b", "16", "-c", "1", p.toString(), "synth", "0.05",
                    "sine", Double.toString(Dtmf.ROWS[Dtmf.row(k)]), "sine",
                    Double.toString(Dtmf.COLUMNS[Dtmf.column(k)]), "remix", "-", "vol", "0.4", "pad", "0.05", "0.05");
            parts.add(p.toString());
        }
        Path all = dir.resolve("dtmf-" + rate + ".wav");
        List<String> cmd = new ArrayList<>(List.of("sox"));
        cmd.addAll(parts);
        cmd.add(all.toString());
        Tools.run(cmd.toArray(new String[0]));
        return all;
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 16000, 44100, 48000})
    void decodesDtmfMadeBySoxAtAnyRate(int rate) throws IOException {
        WavFile.Audio audio = WavFile.read(soxDtmf(ALL, rate));
        assertThat(audio.sampleRate()).isEqualTo(rate);
        short[] at8k = Resampler.resample(audio.samples(), rate, 8000);
        assertThat(Signals.keys(Signals.detect(DtmfDetector.Settings.q24(), at8k))).isEqualTo(ALL);
    }

    @Test
    void readsTheSampleFormatsSoxWrites() throws IOException {
        Path src = soxDtmf("159#", 8000);
        String[][] formats = {
            {"-e", "unsigned", "-b", "8"}, {"-e", "signed", "-b", "24"}, {"-e", "signed", "-b", "32"},
            {"-e", "floating-point", "-b", "32"}, {"-e", "u-law", "-b", "8"}, {"-e", "a-law", "-b", "8"},
        };
        for (String[] f : formats) {
            Path out = dir.resolve("f" + f[1] + f[3] + ".wav");
            List<String> cmd = new ArrayList<>(List.of("sox", src.toString()));
            cmd.addAll(List.of(f));
            cmd.add(out.toString());
            Tools.run(cmd.toArray(new String[0]));
            WavFile.Audio a = WavFile.read(out);
            assertThat(Signals.keys(Signals.detect(DtmfDetector.Settings.q24(), a.samples())))
                    .as(String.join(" ", f)).isEqualTo("159#");
        }
        // stereo files are mixed down
        Path stereo = dir.resolve("stereo.wav");
        Tools.run("sox", src.toString(), "-c", "2", stereo.toString());
        assertThat(Signals.keys(Signals.detect(DtmfDetector.Settings.q24(), WavFile.read(stereo).samples())))
                .isEqualTo("159#");
    }

    @Test
    void writesWavFilesSoxReads() throws IOException {
        short[] s = Signals.dtmf("42", 60, 60, -10, -8, 1.0);
        Path pcm = dir.resolve("pcm.wav");
        WavFile.write(pcm, 8000, s);
        assertThat(Tools.run("soxi", "-r", pcm.toString()).trim()).isEqualTo("8000");
        assertThat(Tools.run("soxi", "-s", pcm.toString()).trim()).isEqualTo(Integer.toString(s.length));
        assertThat(WavFile.read(pcm).samples()).isEqualTo(s);
        byte[] codes = new byte[s.length];
        G711.INSTANCE.encode(G711.Law.ALAW, s, 0, codes, 0, s.length);
        Path alaw = dir.resolve("alaw.wav");
        WavFile.writeG711(alaw, G711.Law.ALAW, codes);
        assertThat(Tools.run("soxi", "-e", alaw.toString()).trim()).isEqualTo("A-law");
        Path back = dir.resolve("back.wav");
        Tools.run("sox", alaw.toString(), "-e", "signed", "-b", "16", back.toString());
        assertThat(Signals.keys(Signals.detect(DtmfDetector.Settings.q24(), WavFile.read(back).samples())))
                .isEqualTo("42");
    }

    @Test
    void g711AgreesWithSoxForEverySample() throws IOException {
        short[] ramp = new short[65536];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (i - 32768);
        }
        Path lin = dir.resolve("ramp.raw");
        Tools.writeRaw(lin, ramp);
        for (G711.Law law : G711.Law.values()) {
            String enc = law == G711.Law.ULAW ? "u-law" : "a-law";
            Path coded = dir.resolve(enc + ".raw");
            // -D: no dither, so that sox maps each sample by the G.711 rule alone
            Tools.run("sox", "-D", "-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", lin.toString(),
                    "-t", "raw", "-e", enc, "-b", "8", coded.toString());
            byte[] theirs = Files.readAllBytes(coded);
            byte[] ours = new byte[ramp.length];
            G711.INSTANCE.encode(law, ramp, 0, ours, 0, ramp.length);
            for (int i = 0; i < ramp.length; i++) {
                if (ours[i] != theirs[i]) {
                    assertThat(ours[i]).as(enc + " encoding of " + ramp[i]).isEqualTo(theirs[i]);
                }
            }

            // and decoding of every code
            byte[] codes = new byte[256];
            for (int i = 0; i < 256; i++) {
                codes[i] = (byte) i;
            }
            Path all = dir.resolve(enc + "-codes.raw");
            Files.write(all, codes);
            Path dec = dir.resolve(enc + "-dec.raw");
            Tools.run("sox", "-t", "raw", "-r", "8000", "-e", enc, "-b", "8", "-c", "1", all.toString(),
                    "-t", "raw", "-e", "signed", "-b", "16", dec.toString());
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dec)).order(ByteOrder.LITTLE_ENDIAN);
            short[] decoded = new short[256];
            G711.INSTANCE.decode(law, codes, 0, decoded, 0, 256);
            for (int i = 0; i < 256; i++) {
                assertThat(decoded[i]).as(enc + " code " + i).isEqualTo(b.getShort(i * 2));
            }
        }
    }

    @Test
    void readsRawStreamsSoxWrites() throws IOException {
        Path src = soxDtmf("*07#", 8000);
        String[][] kinds = {{"signed", "16", "little"}, {"signed", "16", "big"}, {"u-law", "8", "little"},
            {"a-law", "8", "little"}};
        PcmEncoding[] encodings = {PcmEncoding.LINEAR16_LE, PcmEncoding.LINEAR16_BE, PcmEncoding.ULAW,
            PcmEncoding.ALAW};
        for (int i = 0; i < kinds.length; i++) {
            Path raw = dir.resolve("raw" + i);
            Tools.run("sox", src.toString(), "-t", "raw", "-e", kinds[i][0], "-b", kinds[i][1],
                    "--endian", kinds[i][2], raw.toString());
            short[] s;
            try (java.io.InputStream in = Files.newInputStream(raw)) {
                s = encodings[i].readAll(in);
            }
            assertThat(Signals.keys(Signals.detect(DtmfDetector.Settings.q24(), s))).as(encodings[i].name())
                    .isEqualTo("*07#");
        }
    }

    @Test
    void noDigitsFromSpeech() throws IOException {
        String[] texts = {
            "one two three four five six seven eight nine zero star pound",
            "Alarm at the north gate. Please send a guard to zone fourteen immediately.",
            "The quick brown fox jumps over the lazy dog while the telephone keeps ringing and ringing.",
            "Hello, this is the monitoring centre. Can you confirm your password, please?"
        };
        String[][] voices = {{"-v", "en"}, {"-v", "en+f3", "-p", "80"}, {"-v", "en-us", "-p", "20", "-s", "200"},
            {"-v", "de"}, {"-v", "zh"}};
        int checkedSeconds = 0;
        for (String text : texts) {
            for (String[] voice : voices) {
                Path wav = dir.resolve("speech.wav");
                List<String> cmd = new ArrayList<>(List.of("espeak-ng", "-w", wav.toString()));
                cmd.addAll(List.of(voice));
                cmd.add(text);
                Tools.run(cmd.toArray(new String[0]));
                WavFile.Audio a = WavFile.read(wav);
                short[] s = Resampler.resample(a.samples(), a.sampleRate(), 8000);
                checkedSeconds += s.length / 8000;
                // loud speech, and the same speech quiet: neither may give a digit
                assertThat(Signals.detect(DtmfDetector.Settings.q24(), louder(s, 4))).as(text + " " + voice[1])
                        .isEmpty();
                assertThat(Signals.detect(DtmfDetector.Settings.q24(), s)).as(text + " " + voice[1]).isEmpty();
            }
        }
        assertThat(checkedSeconds).isGreaterThan(60);
    }

    private static short[] louder(short[] s, double gain) {
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = ToneWriter.saturate(s[i] * gain);
        }
        return out;
    }
}
