package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Codec tests: CRC against python, round trips, one-byte corruption, size limits and the real-panel variants. */
class Dc09CodecTest {
    private static final Instant TS = Instant.parse("2024-01-02T12:00:00Z");
    private static final Dc09Decoder TOLERANT = Dc09Decoder.builder().build();
    private static final Dc09Decoder STRICT = Dc09Decoder.builder().strict(true).build();

    @Test
    void crc16ArcHasItsCheckValue() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16Arc.INSTANCE.compute(b, 0, b.length)).isEqualTo(0xBB3D);
    }

    /** The kept corpus (src/test/resources/fuzz/Dc09CodecTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(Dc09CodecTest.class, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void crc16ArcAgreesWithPythonOverManyLengthsAndOffsets(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            Random rnd = new Random(seed.value());
            byte[] pool = new byte[2048];
            rnd.nextBytes(pool);
            List<byte[]> inputs = new ArrayList<>();
            List<Integer> ours = new ArrayList<>();
            for (int len = 0; len <= 600; len++) {
                int off = rnd.nextInt(pool.length - len);
                byte[] slice = java.util.Arrays.copyOfRange(pool, off, off + len);
                inputs.add(slice);
                ours.add(Crc16Arc.INSTANCE.compute(pool, off, len));
            }
            assertThat(Oracles.pythonCrc(inputs)).isEqualTo(ours);
        });
    }

    @ParameterizedTest
    @EnumSource(Dc09Token.class)
    void everyTokenRoundTripsPlain(Dc09Token token) {
        Dc09Frame f = new Dc09Frame(token, false, "0042", "12AB", "3F", token == Dc09Token.NAK ? "0" : "1234",
                token.isReport() && token != Dc09Token.NULL ? "#1234|Nri1/BA001" : "",
                token == Dc09Token.SIA_DCS ? List.of(new Dc09ExtendedData('X', "006E07.7777777")) : List.of(), TS);
        for (Dc09CrcStyle style : Dc09CrcStyle.values()) {
            byte[] bytes = new Dc09Encoder().encode(f, style, null);
            Dc09DecodeResult r = TOLERANT.decode(bytes, 0, bytes.length);
            assertThat(r).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class, v -> {
                assertThat(v.frame()).isEqualTo(f);
                assertThat(v.crcStyle()).isEqualTo(style);
            });
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 24, 32})
    void everyTokenRoundTripsEncryptedForEveryKeySize(int keyBytes) {
        byte[] raw = new byte[keyBytes];
        new Random(keyBytes).nextBytes(raw);
        Dc09Key key = Dc09Key.of(raw);
        Dc09Decoder dec = Dc09Decoder.builder().strict(true).keys((r, l, a) -> key).build();
        for (Dc09Token token : Dc09Token.values()) {
            for (String data : new String[] {"", "#1234|Nri1/BA001", "#1234|1130 01 003", "x".repeat(15),
                    "y".repeat(16), "z".repeat(47)}) {
                Dc09Frame f = new Dc09Frame(token, true, "9999", null, "0", "0123456789ABCDEF", data,
                        List.of(new Dc09ExtendedData('H', "12:00:00,01-02-2024")), TS);
                byte[] bytes = new Dc09Encoder(new Random(1)).encode(f, key);
                Dc09DecodeResult r = dec.decode(bytes, 0, bytes.length);
                assertThat(r).as(token + " " + data).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class,
                        v -> assertThat(v.frame()).isEqualTo(f));
                // openssl decrypts our ciphertext to a pad and then exactly our text
                String s = new String(bytes, StandardCharsets.US_ASCII);
                byte[] plain = Oracles.openssl(false, raw,
                        HexFormat.of().parseHex(s.substring(s.indexOf('[') + 1, s.length() - 1)));
                String text = new String(plain, StandardCharsets.US_ASCII);
                String tail = (data.isEmpty() ? "" : "|" + data) + "][H12:00:00,01-02-2024]_12:00:00,01-02-2024";
                assertThat(text).endsWith(tail);
                String pad = text.substring(0, text.length() - tail.length());
                assertThat(pad).doesNotContain("[", "]", "|");
                assertThat(plain.length % 16).isZero();
            }
        }
    }

    @Test
    void padStylesSeenInTheFieldAllDecode() {
        Dc09Key key = Dc09Key.of(HexFormat.of().parseHex("2B7E151628AED2A6ABF7158809CF4F3C"));
        String rest = "|#1234|Nri1/BA001]_12:00:00,01-02-2024"; // 38 characters: pads of 10
        byte[][] pads = {"Q7xK2mP9wZ".getBytes(StandardCharsets.US_ASCII), new byte[10], fill(10, 10)};
        for (byte[] pad : pads) {
            assertThat(decrypt(key, pad, rest)).isEqualTo("#1234|Nri1/BA001");
        }
        // pad of '0' or 'p' characters without '|', empty data: the pad runs into ']'
        assertThat(decrypt(key, "00000000000".getBytes(StandardCharsets.US_ASCII), "]_12:00:00,01-02-2024")).isEmpty();
        assertThat(decrypt(key, "ppppppppppp".getBytes(StandardCharsets.US_ASCII), "]_12:00:00,01-02-2024")).isEmpty();
    }

    @Test
    void garbageThatHappensToEndInABracketIsADecryptionFailureWithoutReplyKey() {
        // what a wrong key yields about once in 256 frames: random bytes whose only ']' is the last one
        Dc09Key key = Dc09Key.of(HexFormat.of().parseHex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] plain = new byte[48];
        new Random(7).nextBytes(plain);
        for (int i = 0; i < plain.length; i++) {
            if (plain[i] == ']') {
                plain[i] = 0;
            }
        }
        plain[47] = ']';
        String hex = HexFormat.of().withUpperCase().formatHex(key.encrypt(plain, 0, plain.length));
        byte[] frame = frame("\"*SIA-DCS\"0001L0#1234[" + hex);
        Dc09DecodeResult r = Dc09Decoder.builder().keys((a, b, c) -> key).build().decode(frame, 0, frame.length);
        assertThat(r).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class, i -> {
            // a decryption failure, not an "encrypted message without timestamp" that would mislead operators
            assertThat(i.error()).isEqualTo(Dc09Error.DECRYPT_FAILED);
            assertThat(i.key()).as("no encrypted reply with a key that may be wrong").isNull();
        });
    }

    private static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    /** Builds an encrypted NULL/SIA frame from an explicit plaintext and returns its decoded data, or null. */
    private static String decrypt(Dc09Key key, byte[] pad, String rest) {
        byte[] plain = new byte[pad.length + rest.length()];
        System.arraycopy(pad, 0, plain, 0, pad.length);
        System.arraycopy(rest.getBytes(StandardCharsets.US_ASCII), 0, plain, pad.length, rest.length());
        if (plain.length % 16 != 0) {
            return null;
        }
        String hex = HexFormat.of().withUpperCase().formatHex(key.encrypt(plain, 0, plain.length));
        byte[] frame = frame("\"*SIA-DCS\"0001L0#1234[" + hex);
        Dc09DecodeResult r = Dc09Decoder.builder().keys((a, b, c) -> key).build().decode(frame, 0, frame.length);
        return r instanceof Dc09DecodeResult.Valid v ? v.frame().data() : null;
    }

    /** Frames content with a correct CRC and length, independently of the encoder. */
    static byte[] frame(String content) {
        byte[] c = content.getBytes(StandardCharsets.ISO_8859_1);
        String head = String.format("\n%04X0%03X", FuzzOracle.crc(c, 0, c.length), c.length);
        return (head + content + "\r").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyOneByteCorruptionIsReportedExactly() {
        byte[] good = new Dc09Encoder().encode(Dc09Frame.of(Dc09Token.SIA_DCS, false, "0001", "F3", "77", "1234",
                "#1234|NRR|Atest", TS), null);
        int content = 9;
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Dc09DecodeResult r = STRICT.decode(bad, 0, bad.length);
            assertThat(r).as("byte " + i).isInstanceOf(Dc09DecodeResult.Invalid.class);
            Dc09Error e = ((Dc09DecodeResult.Invalid) r).error();
            if (i == 0) {
                assertThat(e).isEqualTo(Dc09Error.NO_FRAME_START);
            } else if (i == good.length - 1) {
                assertThat(e).isEqualTo(Dc09Error.TRUNCATED);
            } else if (i == 5 || i == content) {
                assertThat(e).isEqualTo(Dc09Error.BAD_HEADER); // the '0' of 0LLL or the opening quote
            } else if (i >= 1 && i <= 4) {
                // a hex digit flipped by one bit may stop being hex ('9' becomes '8', 'D' becomes 'E')
                assertThat(e).isIn(Dc09Error.BAD_CRC, Dc09Error.BAD_HEADER);
            } else if (i >= 6 && i <= 8) {
                assertThat(e).isIn(Dc09Error.BAD_LENGTH, Dc09Error.BAD_HEADER);
            } else {
                assertThat(e).as("content byte " + i).isEqualTo(Dc09Error.BAD_CRC);
                assertThat(((Dc09DecodeResult.Invalid) r).offending()).isEqualTo(bad);
            }
        }
    }

    @Test
    void sizeLimitsAreEnforcedBeforeDecoding() {
        Dc09Decoder small = Dc09Decoder.builder().maxFrameLength(64).build();
        byte[] ok = frame("\"SIA-DCS\"0001L0#1234[#1234|" + "N".repeat(1) + "BA" + "1".repeat(20) + "]");
        assertThat(ok.length).isLessThanOrEqualTo(64);
        assertThat(small.decode(ok, 0, ok.length)).isInstanceOf(Dc09DecodeResult.Valid.class);
        byte[] big = frame("\"SIA-DCS\"0001L0#1234[#1234|NBA" + "1".repeat(40) + "]");
        assertThat(small.decode(big, 0, big.length)).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class,
                i -> assertThat(i.error()).isEqualTo(Dc09Error.OVERSIZED));
        assertThat(new String(frame("\"SIA-DCS\"0001L0#1234[]"), StandardCharsets.US_ASCII)).startsWith("\n");
        // the length field holds at most 0xFFF
        Dc09Frame huge = Dc09Frame.of(Dc09Token.SIA_DCS, false, "0001", null, "0", "1234", "N" + "A".repeat(5000),
                null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Dc09Encoder().encode(huge, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawCrcBytesIncludingLfAndCrAreAccepted() {
        // find contents whose CRC has 0x0A or 0x0D bytes, to show framing is driven by position and length
        int found = 0;
        for (int seq = 0; seq < 10_000 && found < 4; seq++) {
            Dc09Frame f = Dc09Frame.of(Dc09Token.SIA_DCS, false, String.format("%04d", seq), null, "0", "1234",
                    "#1234|NBA001", null);
            byte[] b = new Dc09Encoder().encode(f, Dc09CrcStyle.RAW_BYTES, null);
            if (b[1] == 0x0A || b[1] == 0x0D || b[2] == 0x0A || b[2] == 0x0D) {
                found++;
                Dc09DecodeResult r = TOLERANT.decode(b, 0, b.length);
                assertThat(r).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class, v -> {
                    assertThat(v.frame()).isEqualTo(f);
                    assertThat(v.variants()).containsExactly(Dc09Variant.RAW_CRC_BYTES);
                    assertThat(v.crcStyle()).isEqualTo(Dc09CrcStyle.RAW_BYTES);
                });
                assertThat(STRICT.decode(b, 0, b.length)).isInstanceOf(Dc09DecodeResult.Invalid.class);
            }
        }
        assertThat(found).isEqualTo(4);
    }

    @Test
    void eachVariantIsDetectedAndRefusedWhenStrict() {
        check("\"SIA-DCS\"0001L0#1234[#1234|NBA001]", s -> s.replace("L0#", "L#"), Dc09Variant.EMPTY_LINE_PREFIX);
        check("\"SIA-DCS\"0001L0#12ab[#12ab|NBA001]", s -> s, Dc09Variant.LOWER_CASE_HEX);
        check("\"NULL\"0001L0#1234[]", s -> s, Dc09Variant.NULL_WITHOUT_TIMESTAMP);
        // CRC over the CR (Eldes)
        byte[] c = "\"ADM-CID\"0247R4F39L4F39#4F39[#4F39|3401 01 057]".getBytes(StandardCharsets.US_ASCII);
        int crc = FuzzOracle.crc(c, 0, c.length);
        crc = FuzzOracle.update(crc, new byte[] {0x0D});
        byte[] eldes = (String.format("\n%04X0047", crc) + new String(c, StandardCharsets.US_ASCII) + "\r")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(TOLERANT.decode(eldes, 0, eldes.length)).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class,
                v -> {
                    assertThat(v.variants()).containsExactlyInAnyOrder(Dc09Variant.CRC_INCLUDES_CR,
                            Dc09Variant.DECIMAL_LENGTH);
                    assertThat(v.crcStyle()).isEqualTo(Dc09CrcStyle.HEX_INCLUDING_CR);
                });
        // strictly, neither the CRC (over the CR) nor the decimal length is right
        assertThat(STRICT.decode(eldes, 0, eldes.length)).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class,
                i -> assertThat(i.error()).isEqualTo(Dc09Error.BAD_CRC_AND_LENGTH));
        // a length that matches nothing
        byte[] good = frame("\"SIA-DCS\"0001L0#1234[#1234|NBA001]");
        good[6] = '7';
        good[7] = '7';
        good[8] = '7';
        assertThat(TOLERANT.decode(good, 0, good.length)).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class,
                v -> assertThat(v.variants()).containsExactly(Dc09Variant.LENGTH_MISMATCH));
        assertThat(STRICT.decode(good, 0, good.length)).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class,
                i -> assertThat(i.error()).isEqualTo(Dc09Error.BAD_LENGTH));
        // data-level variants
        assertThat(Dc09DataParser.INSTANCE.parseSiaDcs("|Nri1/CL501", false)).isInstanceOfSatisfying(
                Dc09DataParser.Sia.class, s -> assertThat(s.variants()).containsExactly(Dc09Variant.EMPTY_DATA_ACCOUNT));
        assertThat(Dc09DataParser.INSTANCE.parseSiaDcs("006969|Nri04/OP001", true)).isInstanceOfSatisfying(
                Dc09DataParser.Sia.class, s -> {
                    assertThat(s.data().account()).isEqualTo("006969");
                    assertThat(s.variants()).containsExactlyInAnyOrder(Dc09Variant.DATA_ACCOUNT_WITHOUT_HASH,
                            Dc09Variant.ACCOUNT_IN_DATA_ONLY);
                });
        assertThat(Dc09DataParser.STRICT.parseSiaDcs("|Nri1/CL501", false))
                .isInstanceOf(Dc09DataParser.Invalid.class);
    }

    private static void check(String content, java.util.function.UnaryOperator<String> change, Dc09Variant v) {
        byte[] b = frame(change.apply(content));
        assertThat(TOLERANT.decode(b, 0, b.length)).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class,
                r -> assertThat(r.variants()).containsExactly(v));
        assertThat(STRICT.decode(b, 0, b.length)).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class,
                i -> assertThat(i.error()).isEqualTo(Dc09Error.VARIANT_REFUSED));
    }

    @Test
    void siaDataGrammar() {
        Dc09DataParser.Result r = Dc09DataParser.STRICT.parseSiaDcs(
                "#1234|Nri1BA503/id12OP001^Front door^/ti10:15:22pi3RP0000/YK|Ano mains|Nri2TA", false);
        assertThat(r).isInstanceOfSatisfying(Dc09DataParser.Sia.class, s -> {
            assertThat(s.data().account()).isEqualTo("1234");
            List<SiaEvent> e = s.data().events();
            assertThat(e).hasSize(5);
            assertThat(e.get(0)).isEqualTo(new SiaEvent(false, "BA", "503", null, "1", null, null, null, null));
            assertThat(e.get(1)).isEqualTo(new SiaEvent(false, "OP", "001", "Front door", "1", "12", null, null, null));
            assertThat(e.get(2)).isEqualTo(new SiaEvent(false, "RP", "0000", null, "1", "12", "3", "10:15:22", null));
            assertThat(e.get(3)).isEqualTo(new SiaEvent(false, "YK", "", null, "1", "12", "3", "10:15:22", null));
            assertThat(e.get(4)).isEqualTo(new SiaEvent(false, "TA", "", null, "2", null, null, null, null));
            assertThat(s.data().texts()).containsExactly("no mains");
        });
        assertThat(Dc09DataParser.INSTANCE.parseSiaDcs("#1234|Nri1", false)).isInstanceOf(Dc09DataParser.Invalid.class);
        assertThat(Dc09DataParser.INSTANCE.parseSiaDcs("#1234|Xri1BA", false)).isInstanceOf(Dc09DataParser.Invalid.class);
        assertThat(Dc09DataParser.INSTANCE.parseSiaDcs("#1234|Nzz1BA", false)).isInstanceOf(Dc09DataParser.Invalid.class);
        assertThat(Dc09DataParser.INSTANCE.parseSiaDcs("#1234|NBA1^open", false)).isInstanceOf(Dc09DataParser.Invalid.class);
        assertThat(Dc09DataParser.INSTANCE.parseAdmCid("#1234|1130 01 003/3130 01 003", false))
                .isInstanceOfSatisfying(Dc09DataParser.Cid.class, c -> assertThat(c.data().events()).containsExactly(
                        new AdmCidEvent(1, "130", "01", "003"), new AdmCidEvent(3, "130", "01", "003")));
        assertThat(Dc09DataParser.INSTANCE.parseAdmCid("#1234|2130 01 003", false))
                .isInstanceOf(Dc09DataParser.Invalid.class);
    }

    @Test
    void timestampParsesAndFormatsAndRejectsNonsense() {
        assertThat(Dc09Timestamp.INSTANCE.format(Instant.parse("2024-02-29T00:00:01Z"))).isEqualTo("_00:00:01,02-29-2024");
        assertThat(Dc09Timestamp.INSTANCE.parse("_00:00:01,02-29-2024", 0)).isEqualTo(Instant.parse("2024-02-29T00:00:01Z"));
        assertThat(Dc09Timestamp.INSTANCE.parse("_00:00:01,02-30-2024", 0)).isNull();
        assertThat(Dc09Timestamp.INSTANCE.parse("_24:00:01,02-01-2024", 0)).isNull();
        assertThat(Dc09Timestamp.INSTANCE.parse("_00:00:01,13-01-2024", 0)).isNull();
        assertThat(Dc09Timestamp.INSTANCE.parse("_14:12:04,09-25-201", 0)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void timestampAgreesWithTheJdkCalendarOverRandomInstants(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            Random rnd = new Random(seed.value());
            for (int i = 0; i < 100_000; i++) {
                Instant t = Instant.ofEpochSecond(Math.floorMod(rnd.nextLong(), 253_402_300_800L));
                java.time.LocalDateTime jdk = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0,
                        java.time.ZoneOffset.UTC);
                String text = String.format("_%02d:%02d:%02d,%02d-%02d-%04d", jdk.getHour(), jdk.getMinute(),
                        jdk.getSecond(), jdk.getMonthValue(), jdk.getDayOfMonth(), jdk.getYear());
                assertThat(Dc09Timestamp.INSTANCE.format(t)).isEqualTo(text);
                assertThat(Dc09Timestamp.INSTANCE.parse(text, 0)).isEqualTo(t);
            }
        });
    }

    @Test
    void weakKeysAreRecognised() {
        assertThat(Dc09Key.ofHex("00000000000000000000000000000000").isWeak()).isTrue();
        assertThat(Dc09Key.ofHex("000102030405060708090A0B0C0D0E0F").isWeak()).isTrue();
        assertThat(Dc09Key.ofText("0123456789:;<=>?").isWeak()).isTrue();
        assertThat(Dc09Key.ofText("AAAAAAAAAAAAAAAA").isWeak()).isTrue();
        assertThat(Dc09Key.ofHex("2B7E151628AED2A6ABF7158809CF4F3C").isWeak()).isFalse();
        assertThat(Dc09Key.ofHex("2B7E151628AED2A6ABF7158809CF4F3C").toString()).doesNotContain("2B7E");
    }
}
