package org.arc4j.protocols.contactid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ContactIdDecoderTest {
    private final ContactIdDecoder decoder = ContactIdDecoder.INSTANCE;

    static List<ContactIdVectors.Vector> vectors() {
        return ContactIdVectors.all();
    }

    @Test
    void theVectorFileIsComplete() {
        assertThat(vectors()).hasSize(10);
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void decodesPublishedVectorsInBothNotations(ContactIdVectors.Vector v) {
        for (ContactIdDecodeResult r : List.of(decoder.decodeDigits(v.digits()), decoder.decodeDtmf(v.dtmf()))) {
            assertThat(r).isInstanceOf(ContactIdDecodeResult.Valid.class);
            ContactIdMessage m = ((ContactIdDecodeResult.Valid) r).message();
            assertThat(m.account()).isEqualTo(v.fields().get("acct"));
            assertThat(m.messageType()).isEqualTo(Integer.parseInt(v.fields().get("mt")));
            assertThat(m.qualifier().contactIdDigit()).isEqualTo(Integer.parseInt(v.fields().get("q")));
            assertThat(m.eventCode()).isEqualTo(v.fields().get("event"));
            assertThat(m.partition()).isEqualTo(v.fields().get("group"));
            assertThat(m.zone()).isEqualTo(v.fields().get("zone"));
            assertThat(ContactIdDigits.hexChar(m.checksum())).isEqualTo(v.fields().get("check").charAt(0));
            assertThat(m.digits()).isEqualTo(v.digits());
            assertThat(m.dtmf()).isEqualTo(v.dtmf());
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void generatesTheSameCheckDigit(ContactIdVectors.Vector v) {
        ContactIdMessage m = ((ContactIdDecodeResult.Valid) decoder.decodeDigits(v.digits())).message();
        ContactIdMessage made = ContactIdMessage.of(m.account(), m.messageType(), m.qualifier(), m.eventCode(),
                m.partition(), m.zone());
        assertThat(made).isEqualTo(m);
        assertThat(made.digits()).isEqualTo(v.digits());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void everyWrongCheckDigitIsRejected(ContactIdVectors.Vector v) {
        String body = v.digits().substring(0, 15);
        for (int value = 1; value <= 15; value++) {
            String candidate = body + ContactIdDigits.hexChar(value);
            ContactIdDecodeResult r = decoder.decodeDigits(candidate);
            if (candidate.equals(v.digits())) {
                assertThat(r.isValid()).isTrue();
            } else {
                assertThat(r).isEqualTo(new ContactIdDecodeResult.Invalid(ContactIdError.BAD_CHECKSUM, -1, candidate,
                        ((ContactIdDecodeResult.Invalid) r).detail()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void everySingleDigitCorruptionIsCaughtByTheChecksum(ContactIdVectors.Vector v) {
        for (int pos = 0; pos < 16; pos++) {
            for (int value = 1; value <= 15; value++) {
                char c = ContactIdDigits.hexChar(value);
                if (c == v.digits().charAt(pos)) {
                    continue;
                }
                String corrupted = v.digits().substring(0, pos) + c + v.digits().substring(pos + 1);
                ContactIdDecodeResult r = decoder.decodeDigits(corrupted);
                assertThat(r).isInstanceOf(ContactIdDecodeResult.Invalid.class);
                assertThat(((ContactIdDecodeResult.Invalid) r).error()).isEqualTo(ContactIdError.BAD_CHECKSUM);
            }
        }
    }

    /** The kept corpus (src/test/resources/fuzz/ContactIdDecoderTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(ContactIdDecoderTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void checkDigitAgreesWithABruteForceOracle(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            SplittableRandom rnd = new SplittableRandom(seed.value());
            for (int n = 0; n < 10_000; n++) {
                StringBuilder sb = new StringBuilder();
                int len = 1 + rnd.nextInt(40);
                for (int i = 0; i < len; i++) {
                    sb.append(ContactIdDigits.hexChar(1 + rnd.nextInt(15)));
                }
                int check = ContactIdChecksum.INSTANCE.checkDigit(sb);
                int found = 0;
                for (int c = 1; c <= 15; c++) {
                    int sum = c;
                    for (int i = 0; i < sb.length(); i++) {
                        int digit = "0123456789ABCDEF".indexOf(sb.charAt(i));
                        sum += digit == 0 ? 10 : digit;
                    }
                    if (sum % 15 == 0) {
                        found = c;
                    }
                }
                assertThat(check).isEqualTo(found);
                assertThat(ContactIdChecksum.INSTANCE.isValid(sb.toString() + ContactIdDigits.hexChar(check))).isTrue();
            }
        });
    }

    @Test
    void aNeededFifteenIsSentAsFAndTenAsZero() {
        // 1234 18 1 130 01 000: the first fifteen digits already sum to 105, a multiple of 15
        ContactIdMessage f = ContactIdMessage.of("1234", Qualifier.NEW_EVENT, "130", "01", "000");
        assertThat(f.digits()).endsWith("F");
        assertThat(f.checksum()).isEqualTo(15);
        ContactIdMessage ten = ContactIdMessage.of("1234", Qualifier.RESTORE, "401", "02", "015");
        assertThat(ten.digits()).isEqualTo("1234183401020150");
        assertThat(ten.checksum()).isEqualTo(10);
    }

    @Test
    void typedErrorsForEveryKindOfBadMessage() {
        assertThat(decoder.decodeDigits("")).isEqualTo(new ContactIdDecodeResult.Invalid(ContactIdError.EMPTY, -1, "", "no digits"));
        assertThat(decoder.decodeDigits(null)).extracting("error").isEqualTo(ContactIdError.EMPTY);
        assertThat(decoder.decodeDigits("123418112101001")).extracting("error").isEqualTo(ContactIdError.TOO_SHORT);
        assertThat(decoder.decodeDigits("12341811210100144")).extracting("error").isEqualTo(ContactIdError.TOO_LONG);
        ContactIdDecodeResult bad = decoder.decodeDigits("12341811x1010014");
        assertThat(bad).extracting("error", "position").containsExactly(ContactIdError.INVALID_CHARACTER, 8);
        // '*' is a DTMF key, not a hex-notation digit; 'D' is neither a Contact ID key
        assertThat(decoder.decodeDigits("777718111000001*")).extracting("error", "position")
                .containsExactly(ContactIdError.INVALID_CHARACTER, 15);
        assertThat(decoder.decodeDtmf("777718111000001D")).extracting("error", "position")
                .containsExactly(ContactIdError.INVALID_CHARACTER, 15);
        // message type 17 with a correct check digit
        String mt17 = withCheck("123417112101001");
        assertThat(decoder.decodeDigits(mt17)).extracting("error", "position")
                .containsExactly(ContactIdError.UNKNOWN_MESSAGE_TYPE, 4);
        String q2 = withCheck("123418212101001");
        assertThat(decoder.decodeDigits(q2)).extracting("error", "position")
                .containsExactly(ContactIdError.UNKNOWN_QUALIFIER, 6);
        // a 17-digit input is too long even when its first 16 are a good message
        assertThat(decoder.decodeDtmf("777718111000001B1")).extracting("error").isEqualTo(ContactIdError.TOO_LONG);
    }

    @Test
    void digitsAboveNineInFieldsAreKeptAsReceived() {
        ContactIdMessage m = ContactIdMessage.of("B2C4", Qualifier.NEW_EVENT, "1B0", "0F", "E01");
        ContactIdDecodeResult r = decoder.decodeDtmf(m.dtmf());
        assertThat(r).isEqualTo(new ContactIdDecodeResult.Valid(m));
        assertThat(m.zoneNumber()).isEqualTo(-1);
        assertThat(m.partitionNumber()).isEqualTo(-1);
    }

    @Test
    void theConstructorRejectsInconsistentMessages() {
        assertThatThrownBy(() -> new ContactIdMessage("1234", 18, Qualifier.NEW_EVENT, "121", "01", "001", 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("check digit must be 4");
        assertThatThrownBy(() -> ContactIdMessage.of("123", Qualifier.NEW_EVENT, "121", "01", "001"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContactIdMessage.of("1234", 17, Qualifier.NEW_EVENT, "121", "01", "001"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContactIdMessage.of("12A4", Qualifier.NEW_EVENT, "121", "01", "001"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void randomAndMutatedInputNeverThrows(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            SplittableRandom rnd = new SplittableRandom(seed.value());
            String alphabet = "0123456789ABCDEF*#xyz \u0000";
            int valid = 0;
            for (int n = 0; n < 50_000; n++) {
                StringBuilder sb = new StringBuilder(ContactIdVectors.all().get(n % 10).dtmf());
                int edits = rnd.nextInt(4);
                for (int e = 0; e < edits; e++) {
                    int kind = rnd.nextInt(3);
                    int pos = rnd.nextInt(sb.length() + 1);
                    char c = alphabet.charAt(rnd.nextInt(alphabet.length()));
                    if (kind == 0 && pos < sb.length()) {
                        sb.setCharAt(pos, c);
                    } else if (kind == 1) {
                        sb.insert(pos, c);
                    } else if (sb.length() > 0 && pos < sb.length()) {
                        sb.deleteCharAt(pos);
                    }
                }
                ContactIdDecodeResult r = decoder.decodeDtmf(sb);
                ContactIdDecodeResult h = decoder.decodeDigits(sb);
                assertThat(r).isNotNull();
                assertThat(h).isNotNull();
                if (r instanceof ContactIdDecodeResult.Valid v) {
                    valid++;
                    assertThat(v.message().dtmf()).isEqualTo(sb.toString().toUpperCase());
                }
            }
            assertThat(valid).isGreaterThan(0);
        });
    }

    private static String withCheck(String body15) {
        return body15 + ContactIdDigits.hexChar(ContactIdChecksum.INSTANCE.checkDigit(body15));
    }
}
