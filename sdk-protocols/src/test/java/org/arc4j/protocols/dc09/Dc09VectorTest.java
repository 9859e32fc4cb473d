package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every line of the four vector files in {@code vectors/dc09} gives the outcome its file states: strict framing
 * reports exactly what is wrong with CRC and length, data blocks read as expected, encrypted vectors decrypt
 * (checked against openssl) and round-trip.
 */
class Dc09VectorTest {
    private static final Dc09Decoder STRICT = Dc09Decoder.builder().strict(true).build();
    private static final Dc09Decoder TOLERANT = Dc09Decoder.builder().build();

    static Stream<Vectors.Vector> pysiaalarm() {
        return Vectors.load("pysiaalarm.tsv").stream();
    }

    static Stream<Vectors.Vector> fioletoven() {
        return Vectors.load("fioletoven_dc09.tsv").stream();
    }

    static Stream<Vectors.Vector> generated() {
        return Vectors.load("generated_encrypted.tsv").stream();
    }

    static Stream<Vectors.Vector> contactId() {
        return Vectors.load("contactid.tsv").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pysiaalarm")
    void pysiaalarmFramingReportsExactlyWhatIsWrong(Vectors.Vector v) {
        byte[] frame = Vectors.framed(v.message());
        Dc09DecodeResult r = STRICT.decode(frame, 0, frame.length);
        boolean crcOk = Boolean.parseBoolean(v.get("crc_ok").toLowerCase());
        boolean lenOk = Boolean.parseBoolean(v.get("len_ok").toLowerCase());
        if (!new String(frame, StandardCharsets.ISO_8859_1).contains("\"")) {
            assertThat(r).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class,
                    i -> assertThat(i.error()).isEqualTo(Dc09Error.BAD_HEADER));
            return;
        }
        if (crcOk && lenOk) {
            // sound framing: the frame decodes, or (encrypted, no key given to this decoder) fails only on the key
            if (r instanceof Dc09DecodeResult.Invalid i) {
                assertThat(i.error()).as("strict framing").isEqualTo(Dc09Error.NO_KEY);
            }
            return;
        }
        Dc09Error expected = !crcOk && !lenOk ? Dc09Error.BAD_CRC_AND_LENGTH
                : !crcOk ? Dc09Error.BAD_CRC : Dc09Error.BAD_LENGTH;
        assertThat(r).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class, i -> {
            assertThat(i.error()).isEqualTo(expected);
            assertThat(i.offending()).isEqualTo(frame);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pysiaalarm")
    void pysiaalarmContentGivesTheExpectedFields(Vectors.Vector v) {
        byte[] m = v.message();
        int q = indexOf(m, (byte) '"');
        if (v.has("expect") && v.get("expect").startsWith("REJECT")) {
            Dc09DecodeResult r = q < 0 ? STRICT.decodeContent(m, 0, m.length)
                    : TOLERANT.decodeContent(m, q, m.length - q);
            assertThat(r).isInstanceOf(Dc09DecodeResult.Invalid.class);
            return;
        }
        String key = v.get("key");
        Dc09KeyResolver keys = Dc09KeyResolver.NONE;
        if (v.key() != null && !v.key().isEmpty()) {
            // README: 4141… is the ASCII text "AAAA…" used directly; a weak key, accepted here by override
            Dc09Key k = Dc09Key.of(HexFormat.of().parseHex(v.key()));
            keys = weakAccepted(k);
        } else if (key != null && key.startsWith("UNKNOWN")) {
            if (key.contains("AAAA")) {
                Dc09Key aaaa = Dc09Key.ofText("AAAAAAAAAAAAAAAA");
                Dc09DecodeResult wrong = Dc09Decoder.builder().keys(weakAccepted(aaaa)).build()
                        .decodeContent(m, q, m.length - q);
                assertThat(wrong).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class,
                        i -> assertThat(i.error()).isEqualTo(Dc09Error.DECRYPT_FAILED));
            }
            Dc09DecodeResult r = TOLERANT.decodeContent(m, q, m.length - q);
            assertThat(r).isInstanceOfSatisfying(Dc09DecodeResult.Invalid.class, i -> {
                assertThat(i.error()).isEqualTo(Dc09Error.NO_KEY);
                assertThat(i.encrypted()).isTrue();
                checkHeader(v, i.token(), true, i.sequence(), i.receiver(), i.line(), i.account());
            });
            return;
        }
        Dc09DecodeResult r = Dc09Decoder.builder().keys(keys).build().decodeContent(m, q, m.length - q);
        assertThat(r).as(v.toString()).isInstanceOf(Dc09DecodeResult.Valid.class);
        Dc09Frame f = ((Dc09DecodeResult.Valid) r).frame();
        checkFrame(v, f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fioletoven")
    void fioletovenFramesAreValidEvenStrictly(Vectors.Vector v) {
        byte[] m = v.message();
        Dc09DecodeResult r = STRICT.decode(m, 0, m.length);
        assertThat(r).isInstanceOf(Dc09DecodeResult.Valid.class);
        Dc09Frame f = ((Dc09DecodeResult.Valid) r).frame();
        checkFrame(v, f);
        assertThat(new Dc09Encoder().encode(f, null)).as("re-encodes byte for byte").isEqualTo(m);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generated")
    void generatedEncryptedVectorsDecryptAsOpensslDoesAndRoundTrip(Vectors.Vector v) {
        Dc09Key key = v.key().startsWith("text:") ? Dc09Key.ofText(v.key().substring(5))
                : Dc09Key.ofHex(v.key());
        byte[] keyBytes = v.key().startsWith("text:")
                ? v.key().substring(5).getBytes(StandardCharsets.US_ASCII) : HexFormat.of().parseHex(v.key());
        assertThat(key.bits()).isEqualTo(Integer.parseInt(v.get("aes")));
        byte[] m = v.message();
        Dc09DecodeResult r = Dc09Decoder.builder().strict(true).keys(weakAccepted(key)).build().decode(m, 0, m.length);
        assertThat(r).isInstanceOf(Dc09DecodeResult.Valid.class);
        Dc09Frame f = ((Dc09DecodeResult.Valid) r).frame();
        checkFrame(v, f);

        // the plaintext stated by the vector, encrypted by openssl, is exactly the ciphertext on the wire
        String s = new String(m, StandardCharsets.US_ASCII);
        String cipherHex = s.substring(s.indexOf('[') + 1, s.length() - 1);
        byte[] plain = v.get("plaintext").getBytes(StandardCharsets.US_ASCII);
        assertThat(HexFormat.of().withUpperCase().formatHex(Oracles.openssl(true, keyBytes, plain)))
                .isEqualTo(cipherHex);
        assertThat(key.encrypt(plain, 0, plain.length)).isEqualTo(HexFormat.of().parseHex(cipherHex));

        // our encoding (its own random pad) decrypts, by openssl, to pad + the same text
        byte[] again = new Dc09Encoder().encode(f, key);
        String a = new String(again, StandardCharsets.US_ASCII);
        byte[] decrypted = Oracles.openssl(false, keyBytes,
                HexFormat.of().parseHex(a.substring(a.indexOf('[') + 1, a.length() - 1)));
        String text = new String(decrypted, StandardCharsets.US_ASCII);
        String expectedTail = v.get("plaintext").substring(v.get("plaintext").indexOf(f.data().isEmpty() ? "]" : "|"));
        assertThat(text).endsWith(expectedTail);
        Dc09DecodeResult back = Dc09Decoder.builder().strict(true).keys(weakAccepted(key)).build()
                .decode(again, 0, again.length);
        assertThat(back).isInstanceOfSatisfying(Dc09DecodeResult.Valid.class, b -> assertThat(b.frame()).isEqualTo(f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contactId")
    void contactIdVectorsReadAsAdmCidData(Vectors.Vector v) {
        String d = new String(v.message(), StandardCharsets.US_ASCII);
        // 16 digits ACCT MT Q EEE GG ZZZ S; the ADM-CID data carries #ACCT|QEEE GG ZZZ
        String data = "#" + d.substring(0, 4) + "|" + d.charAt(6) + d.substring(7, 10) + " " + d.substring(10, 12)
                + " " + d.substring(12, 15);
        Dc09DataParser.Result r = Dc09DataParser.STRICT.parseAdmCid(data, false);
        assertThat(r).isInstanceOfSatisfying(Dc09DataParser.Cid.class, c -> {
            assertThat(c.data().account()).isEqualTo(v.get("acct"));
            AdmCidEvent e = c.data().events().get(0);
            assertThat(e.qualifier()).isEqualTo(Integer.parseInt(v.get("q")));
            assertThat(e.code()).isEqualTo(v.get("event"));
            assertThat(e.group()).isEqualTo(v.get("group"));
            assertThat(e.zone()).isEqualTo(v.get("zone"));
        });
        // the vector's own check digit: the sum of the 16 digits (0 counts 10) is a multiple of 15
        int sum = 0;
        for (char c : d.toCharArray()) {
            int x = Character.digit(c, 16);
            sum += x == 0 ? 10 : x;
        }
        assertThat(sum % 15).isZero();
    }

    private static Dc09KeyResolver weakAccepted(Dc09Key key) {
        return new Dc09KeyResolver() {
            @Override
            public Dc09Key keyFor(String receiver, String line, String account) {
                return key;
            }

            @Override
            public boolean weakKeyAccepted(String receiver, String line, String account) {
                return true;
            }
        };
    }

    static void checkFrame(Vectors.Vector v, Dc09Frame f) {
        checkHeader(v, f.token(), f.encrypted(), f.sequence(), f.receiver(), f.line(), null);
        String acct = v.get("acct");
        Dc09DataParser.Result data = f.token() == Dc09Token.NULL || f.data().isEmpty() ? null
                : Dc09DataParser.INSTANCE.parse(f);
        if (acct != null) {
            acct = acct.replaceAll("\\(.*", "");
            String dataAccount = data instanceof Dc09DataParser.Sia s ? s.data().account()
                    : data instanceof Dc09DataParser.Cid c ? c.data().account() : null;
            String marker = f.token() == Dc09Token.NAK ? "A" : "";
            assertThat(f.account() != null ? marker + f.account() : dataAccount).as("acct").isEqualTo(acct);
        }
        if (v.has("data")) {
            String d = v.get("data");
            assertThat(f.data()).isEqualTo(d.equals("empty") || d.equals("-") ? "" : d.replaceAll(" \\(.*", ""));
        }
        if (v.has("ts")) {
            String ts = v.get("ts");
            Instant expected = ts.contains("T") ? Instant.parse(ts) : Dc09Timestamp.INSTANCE.parse("_" + ts, 0);
            assertThat(f.timestamp()).as("ts").isEqualTo(expected);
        }
        if (v.has("xdata")) {
            for (String x : v.get("xdata").replaceAll("\\(.*?\\)", "").split(",")) {
                assertThat(f.extended(x.charAt(0))).as("xdata " + x).isEqualTo(x.substring(2));
            }
        }
        if (v.has("code") || v.has("ri")) {
            assertThat(data).isInstanceOf(Dc09DataParser.Sia.class);
            SiaEvent e = ((Dc09DataParser.Sia) data).data().events().get(0);
            if (v.has("code")) {
                assertThat(e.code()).isEqualTo(v.get("code"));
            }
            if (v.has("ri")) {
                assertThat(e.area()).isEqualTo(v.get("ri"));
            }
            if (v.has("text")) {
                String t = v.get("text");
                if (t.startsWith("^")) {
                    assertThat(e.text()).isEqualTo(t.substring(1, t.length() - 1));
                } else {
                    // pysiaalarm calls what follows the code its "message": here the address
                    assertThat(e.address()).isEqualTo(t);
                }
            }
        }
        if (v.has("event")) {
            assertThat(data).isInstanceOf(Dc09DataParser.Cid.class);
            AdmCidEvent e = ((Dc09DataParser.Cid) data).data().events().get(0);
            assertThat(e.qualifier()).isEqualTo(Integer.parseInt(v.get("q")));
            assertThat(e.code()).isEqualTo(v.get("event"));
            assertThat(e.group()).isEqualTo(v.get("part"));
            assertThat(e.zone()).isEqualTo(v.get("zone"));
        }
    }

    static void checkHeader(Vectors.Vector v, Dc09Token token, boolean encrypted, String seq, String rcvr,
                            String line, String account) {
        if (v.has("type")) {
            assertThat((encrypted ? "*" : "") + token.wire()).isEqualTo(v.get("type"));
        }
        if (v.has("seq")) {
            assertThat(seq).isEqualTo(v.get("seq"));
        }
        if (v.has("rcvr")) {
            assertThat(rcvr == null ? "-" : "R" + rcvr).isEqualTo(v.get("rcvr"));
        }
        if (v.has("line")) {
            assertThat(line == null ? "-" : "L" + line).isEqualTo(v.get("line"));
        }
        if (account != null && v.has("acct")) {
            assertThat(account).isEqualTo(v.get("acct"));
        }
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

}
