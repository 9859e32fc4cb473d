package org.arc4j.protocols.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReceiverRecordDecoderTest {
    private static byte[] surGard(String s) {
        return (s + "\u0014").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<RecordResult> decode(byte[]... chunks) {
        List<RecordResult> out = new ArrayList<>();
        ReceiverRecordDecoder d = new ReceiverRecordDecoder(out::add);
        for (byte[] c : chunks) {
            d.offer(c, 0, c.length);
        }
        return out;
    }

    private static ReceiverRecord only(byte[] bytes) {
        List<RecordResult> r = decode(bytes);
        assertThat(r).hasSize(1);
        assertThat(r.get(0)).isInstanceOf(RecordResult.Decoded.class);
        return ((RecordResult.Decoded) r.get(0)).record();
    }

    @Test
    void decodesTheSurGardManualExample() {
        // Sur-Gard MLR2-E manual: duress, account 1234, group 01, zone 001 on receiver 01 line 1
        assertThat(only(surGard("5011 181234E12101001"))).isEqualTo(new ReceiverRecord.SurGardContactId("01", "1",
                "1234", Qualifier.NEW_EVENT, "121", "01", "001"));
    }

    @Test
    void decodesHeartbeatSiaAndAdemco685() {
        assertThat(only(surGard("1011           @    "))).isEqualTo(new ReceiverRecord.Heartbeat("01", "1"));
        assertThat(only(surGard("3012    123456BA0007"))).isEqualTo(new ReceiverRecord.SurGardSia("01", "2",
                "123456", "BA", "0007"));
        assertThat(only(surGard("3021      1234OP0015"))).isEqualTo(new ReceiverRecord.SurGardSia("02", "1",
                "1234", "OP", "0015"));
        // Fire-Lite 411UDAC printout of an Ademco 685: receiver 1 group 1, account 7777, E110 00 C001
        assertThat(only("\n11 7777 18 E110 00 C001\r".getBytes(StandardCharsets.US_ASCII))).isEqualTo(
                new ReceiverRecord.Ademco685ContactId("1", "1", "7777", Qualifier.NEW_EVENT, "110", "00", false,
                        "001"));
        assertThat(only("\n12 1234 18 R401 02 U015\r".getBytes(StandardCharsets.US_ASCII))).isEqualTo(
                new ReceiverRecord.Ademco685ContactId("1", "2", "1234", Qualifier.RESTORE, "401", "02", true, "015"));
    }

    @Test
    void roundTripsEveryRecordType() {
        List<ReceiverRecord> all = List.of(new ReceiverRecord.Heartbeat("07", "3"),
                new ReceiverRecord.SurGardContactId("99", "9", "B2C4", Qualifier.PREVIOUSLY_REPORTED, "602", "00", "000"),
                new ReceiverRecord.SurGardSia("01", "1", "7", "FA", "0001"),
                new ReceiverRecord.Ademco685ContactId("3", "4", "0001", Qualifier.NEW_EVENT, "130", "01", false, "003"));
        for (ReceiverRecord r : all) {
            assertThat(only(r.encode())).isEqualTo(r);
        }
        // byte by byte, several records in one stream, with stray CR and NUL between them
        List<byte[]> chunks = new ArrayList<>();
        for (ReceiverRecord r : all) {
            for (byte b : r.encode()) {
                chunks.add(new byte[] {b});
            }
            chunks.add(new byte[] {'\r', 0});
        }
        List<RecordResult> got = decode(chunks.toArray(new byte[0][]));
        assertThat(got).extracting(x -> ((RecordResult.Decoded) x).record()).isEqualTo(all);
    }

    @Test
    void typedErrors() {
        assertThat(decode(new byte[] {0x14})).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.EMPTY);
        assertThat(decode(surGard("9011 181234E12101001"))).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.UNKNOWN_TYPE);
        assertThat(decode(surGard("5011 181234E1210100"))).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.BAD_LENGTH);
        assertThat(decode(surGard("5011 171234E12101001"))).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.BAD_LAYOUT);
        assertThat(decode(surGard("5011 181234X12101001"))).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.BAD_QUALIFIER);
        assertThat(decode(surGard("5011 1812A4E12101001"))).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.BAD_FIELD);
        assertThat(decode(surGard("1011          x@    "))).extracting(r -> ((RecordResult.Invalid) r).error())
                .containsExactly(RecordError.BAD_LAYOUT);
        assertThat(decode("\n11 7777 18 E110 00 X001\r".getBytes(StandardCharsets.US_ASCII)))
                .extracting(r -> ((RecordResult.Invalid) r).error()).containsExactly(RecordError.BAD_LAYOUT);
        byte[] longOne = new byte[200];
        java.util.Arrays.fill(longOne, (byte) '5');
        longOne[199] = 0x14;
        List<RecordResult> r = decode(longOne, surGard("1011           @    "));
        assertThat(r).hasSize(2);
        assertThat(((RecordResult.Invalid) r.get(0)).error()).isEqualTo(RecordError.TOO_LONG);
        assertThat(((RecordResult.Decoded) r.get(1)).record()).isEqualTo(new ReceiverRecord.Heartbeat("01", "1"));
    }

    /** The kept corpus (src/test/resources/fuzz/ReceiverRecordDecoderTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(ReceiverRecordDecoderTest.class, 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void randomBytesNeverThrowAndEveryTerminatorGetsAnAnswer(FuzzSeeds.Seed seed) {
        seed.check(() -> {
            SplittableRandom rnd = new SplittableRandom(seed.value());
            byte[] good = surGard("5011 181234E12101001");
            for (int n = 0; n < 20_000; n++) {
                byte[] b = good.clone();
                int pos = rnd.nextInt(b.length - 1);
                b[pos] = (byte) rnd.nextInt(256);
                List<RecordResult> r = decode(b);
                // a corrupted byte either leaves a well-formed record or is reported; it never hangs the framer
                assertThat(r.size()).isBetween(1, 2);
                List<RecordResult> next = decode(b, good);
                assertThat(next.get(next.size() - 1)).isEqualTo(new RecordResult.Decoded(
                        new ReceiverRecord.SurGardContactId("01", "1", "1234", Qualifier.NEW_EVENT, "121", "01", "001"),
                        good));
            }
        });
    }
}
