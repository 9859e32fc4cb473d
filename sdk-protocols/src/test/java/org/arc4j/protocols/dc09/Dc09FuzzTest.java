package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of the decoder and data parser: random bytes and mutated frames. Nothing may escape as an
 * exception, and no input that the independent {@link FuzzOracle} rejects may produce a frame (and so an
 * event). Seeds come from {@code fuzz/Dc09FuzzTest.seeds}, then fresh ones
 * ({@link org.arc4j.core.testsupport.FuzzSeeds}); a failure names its seed, rerun it with {@code -Dfuzz.seed=…}.
 */
class Dc09FuzzTest {
    private static final int INPUTS = 150_000;

    /** The kept corpus (src/test/resources/fuzz/Dc09FuzzTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(Dc09FuzzTest.class, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void randomAndMutatedFramesNeverEscapeAndNeverPassAgainstTheOracle(FuzzSeeds.Seed fuzz) {
        fuzz.check(() -> {
            long seed = fuzz.value();
            Random rnd = new Random(seed);
            Dc09Key key = Dc09Key.ofHex("2B7E151628AED2A6ABF7158809CF4F3C");
            Dc09Decoder strict = Dc09Decoder.builder().strict(true).keys((r, l, a) -> key).build();
            Dc09Decoder tolerant = Dc09Decoder.builder().keys((r, l, a) -> key).build();
            Dc09Encoder encoder = new Dc09Encoder(new Random(seed));
            int valid = 0;
            int events = 0;
            for (int n = 0; n < INPUTS; n++) {
                byte[] input = input(rnd, encoder, key);
                try {
                    Dc09DecodeResult s = strict.decode(input, 0, input.length);
                    Dc09DecodeResult t = tolerant.decode(input, 0, input.length);
                    if (s instanceof Dc09DecodeResult.Valid) {
                        assertThat(FuzzOracle.strictFramingOk(input)).as("seed %d input %d", seed, n).isTrue();
                    }
                    if (t instanceof Dc09DecodeResult.Valid v) {
                        assertThat(FuzzOracle.tolerantCrcOk(input)).as("seed %d input %d", seed, n).isTrue();
                        valid++;
                        if (v.frame().token() == Dc09Token.SIA_DCS || v.frame().token() == Dc09Token.ADM_CID) {
                            Dc09DataParser.Result d = Dc09DataParser.INSTANCE.parse(v.frame());
                            if (!(d instanceof Dc09DataParser.Invalid)) {
                                events++;
                            }
                        }
                    } else {
                        assertThat(((Dc09DecodeResult.Invalid) t).error()).isNotNull();
                    }
                } catch (RuntimeException | AssertionError e) {
                    throw new AssertionError("seed " + seed + " input " + n + ": " + e, e);
                }
            }
            System.out.println("Dc09FuzzTest " + INPUTS + " inputs, " + valid + " valid frames, " + events
                    + " with events");
            assertThat(valid).isGreaterThan(INPUTS / 20);
        });
    }

    private static final String[] DATA = {"#1234|Nri1/BA001", "#1234|1130 01 003", "", "|Nri1/CL501",
        "#12|NRR|Atest", "Nri1BA503/id12OP001^Front^"};

    private static byte[] input(Random rnd, Dc09Encoder enc, Dc09Key key) {
        int kind = rnd.nextInt(10);
        if (kind == 0) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            return b;
        }
        Dc09Token token = Dc09Token.values()[rnd.nextInt(Dc09Token.values().length)];
        boolean encrypted = rnd.nextInt(4) == 0;
        Dc09Frame f = new Dc09Frame(token, encrypted, String.format("%04d", rnd.nextInt(10_000)),
                rnd.nextBoolean() ? Integer.toHexString(rnd.nextInt(0xFFFFFF) + 1).toUpperCase() : null,
                rnd.nextBoolean() ? "0" : null, rnd.nextInt(5) == 0 ? null : "1234",
                DATA[rnd.nextInt(DATA.length)],
                rnd.nextInt(5) == 0 ? List.of(new Dc09ExtendedData('X', "006E07.7777777")) : List.of(),
                encrypted || rnd.nextBoolean() ? Instant.ofEpochSecond(1_700_000_000L + rnd.nextInt(100_000_000))
                        : null);
        byte[] b = enc.encode(f, Dc09CrcStyle.values()[rnd.nextInt(3)], key);
        int mutations = kind <= 2 ? 0 : 1 + rnd.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            b = mutate(rnd, b);
        }
        if (kind == 9 && b.length > 10 && b[0] == '\n' && b[9] == '"') {
            // re-frame a mutated content with a correct CRC, so the parser behind the framing is fuzzed too
            int crc = FuzzOracle.crc(b, 9, b.length - 10);
            String head = String.format("\n%04X0%03X", crc, (b.length - 10) & 0xFFF);
            for (int i = 0; i < 9; i++) {
                b[i] = (byte) head.charAt(i);
            }
            b[b.length - 1] = '\r';
        }
        return b;
    }

    private static byte[] mutate(Random rnd, byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(5)) {
            case 0: {
                byte[] c = b.clone();
                c[at] = (byte) rnd.nextInt(256);
                return c;
            }
            case 1: {
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << rnd.nextInt(8));
                return c;
            }
            case 2: {
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) "[]|^/#_\"*\r\n0AZaz".charAt(rnd.nextInt(16));
                System.arraycopy(b, at, c, at + 1, b.length - at);
                return c;
            }
            case 3: {
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                return c;
            }
            default:
                return java.util.Arrays.copyOf(b, at);
        }
    }
}
