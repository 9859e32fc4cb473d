package org.arc4j.protocols.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ITU-T Q.24 operating limits, one requirement per test. */
class DtmfDetectorTest {
    private static final String ALL = "123A456B789C*0#D";
    private static final DtmfDetector.Settings Q24 = DtmfDetector.Settings.q24();

    private static String detect(short[] s) {
        return Signals.keys(Signals.detect(Q24, s));
    }

    @Test
    void detectsAllSixteenKeysAtTenDigitsPerSecond() {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, -10, -8, 1.0))).isEqualTo(ALL);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.985, 0.99, 1.01, 1.015})
    void acceptsFrequencyOffsetsUpToOneAndAHalfPercent(double factor) {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, -10, -8, factor))).isEqualTo(ALL);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.965, 0.96, 0.95, 1.035, 1.04, 1.05})
    void rejectsFrequencyOffsetsOfThreeAndAHalfPercentAndMore(double factor) {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, -10, -8, factor))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"-6,-14", "-8,-16", "-4,-12", "-12,-8", "-10,-6"})
    void acceptsEightDbNormalAndFourDbReverseTwist(double low, double high) {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, low, high, 1.0))).isEqualTo(ALL);
    }

    @ParameterizedTest
    @CsvSource({"-4,-16", "-16,-8"})
    void rejectsTwistWellBeyondTheLimits(double low, double high) {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, low, high, 1.0))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-3, -10, -20, -30, -38})
    void acceptsLevelsOverTheWorkingRange(double level) {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, level, level + 2, 1.0))).isEqualTo(ALL);
    }

    @Test
    void rejectsTonesBelowTheMinimumLevel() {
        assertThat(detect(Signals.dtmf(ALL, 50, 50, -50, -50, 1.0))).isEmpty();
    }

    @Test
    void acceptsFortyMillisecondTonesAndPauses() {
        assertThat(detect(Signals.dtmf("1111999900", 40, 40, -10, -8, 1.0))).isEqualTo("1111999900");
    }

    @ParameterizedTest
    @ValueSource(doubles = {10, 15, 20})
    void rejectsTonesOfTwentyMillisecondsAndLessAtEveryAlignment(double ms) {
        for (int shift = 0; shift < 64; shift += 8) {
            // every alignment of the tones against the detector's 8 ms frames
            short[] s = Signals.dtmf(ALL, ms, 60, -10, -8, 1.0);
            short[] shifted = new short[s.length + shift];
            System.arraycopy(s, 0, shifted, shift, s.length);
            assertThat(detect(shifted)).as("%s ms, shifted %d samples", ms, shift).isEmpty();
        }
    }

    @Test
    void bridgesATenMillisecondInterruption() {
        short[] s = Signals.dtmf("5", 120, 60, -10, -8, 1.0);
        // cut 10 ms out of the middle of the tone
        int from = 480 + 400;
        for (int i = from; i < from + 80; i++) {
            s[i] = 0;
        }
        assertThat(detect(s)).isEqualTo("5");
    }

    @ParameterizedTest
    @ValueSource(doubles = {30, 20, 15})
    void decodesUnderWhiteNoise(double snrDb) {
        short[] s = Signals.dtmf(ALL + ALL, 50, 50, -10, -12, 1.0);
        Signals.addNoise(s, Signals.dtmfPower(-10, -12), snrDb, 42);
        assertThat(detect(s)).isEqualTo(ALL + ALL);
    }

    @Test
    void decodesAtTheCornersOfTheAcceptanceRegionUnderNoise() {
        for (double factor : new double[] {0.985, 1.015}) {
            for (double[] lv : new double[][] {{-6, -14}, {-14, -10}}) {
                short[] s = Signals.dtmf(ALL, 50, 50, lv[0], lv[1], factor);
                Signals.addNoise(s, Signals.dtmfPower(lv[0], lv[1]), 15, 7);
                assertThat(detect(s)).as("factor %s levels %s/%s", factor, lv[0], lv[1]).isEqualTo(ALL);
            }
        }
    }

    @Test
    void sweepsTheQ24EdgesAtFifteenDbSnrOverManyNoiseSeeds() {
        double[][] levels = {{-6, -14}, {-10, -6}, {-22, -30}, {-26, -22}, {-30, -38}};
        int runs = 0;
        for (double factor : new double[] {0.985, 1.0, 1.015}) {
            for (double[] lv : levels) {
                for (long seed = 0; seed < 8; seed++) {
                    short[] s = Signals.dtmf(ALL + ALL, 50, 50, lv[0], lv[1], factor);
                    Signals.addNoise(s, Signals.dtmfPower(lv[0], lv[1]), 15, seed);
                    assertThat(detect(s)).as("x%s %s/%s dBm0 seed %d", factor, lv[0], lv[1], seed)
                            .isEqualTo(ALL + ALL);
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(120);
    }

    @Test
    void noDigitsFromNoiseAlone() {
        short[] s = new short[8000 * 60];
        Signals.addNoise(s, Signals.dtmfPower(-10, -10), 0, 99);
        assertThat(Signals.detect(Q24, s)).isEmpty();
    }

    @Test
    void reportsLevelsAndTimes() {
        List<DtmfDigit> d = Signals.detect(Q24, Signals.dtmf("7", 100, 100, -10, -16, 1.0));
        assertThat(d).hasSize(1);
        assertThat(d.get(0).lowDbm0()).isBetween(-10.6, -9.4);
        assertThat(d.get(0).highDbm0()).isBetween(-16.6, -15.4);
        assertThat(d.get(0).startSample()).isBetween(700L, 900L);
        assertThat(d.get(0).endSample()).isBetween(1500L, 1700L);
    }
}
