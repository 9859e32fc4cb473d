package org.arc4j.protocols.contactid;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.arc4j.protocols.audio.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.arc4j.core.testsupport.RealPeers;

/**
 * arc4j's transmitter audio decoded by an independent DTMF decoder, multimon-ng (Debian), which reads raw audio
 * at 22,050 Hz, so sox resamples it. At the edges of ITU-T Q.24 arc4j must decode every message multimon-ng
 * decodes, and in fact every message.
 */
class ContactIdMultimonTest {
    private static final List<ContactIdMessage> VECTORS = ContactIdVectors.all().stream()
            .map(v -> ((ContactIdDecodeResult.Valid) ContactIdDecoder.INSTANCE.decodeDigits(v.digits())).message())
            .collect(Collectors.toList());

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        RealPeers.require(Tools.has("sox") && Tools.has("multimon-ng"), "sox and multimon-ng (Debian packages)");
    }

    /** The keys multimon-ng hears in each message the receiver kissed off, cut from what the receiver heard. */
    private List<String> multimonPerMessage(PhoneCall call) {
        short[] heard = call.panelAudioAtReceiver();
        return call.reports.get(0).messages().stream().map(d -> {
            int from = (int) Math.max(0, d.firstDigitSample() - 400);
            int to = (int) Math.min(heard.length, d.lastDigitSample() + 400);
            return Tools.multimonDtmf(dir, Arrays.copyOfRange(heard, from, to));
        }).collect(Collectors.toList());
    }

    @Test
    void multimonDecodesTheTransmitterExactly() {
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical(), VECTORS).run(60);
        assertThat(call.reports.get(0).messages()).hasSize(VECTORS.size());
        List<String> expected = VECTORS.stream().map(ContactIdMessage::dtmf).collect(Collectors.toList());
        assertThat(multimonPerMessage(call)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "frequency x{0}, levels {1}/{2} dBm0, SNR {3} dB")
    @CsvSource({
        "1.015, -6, -14, 15",
        "0.985, -6, -14, 15",
        "1.015, -9, -5, 15",
        "0.985, -9, -5, 15",
    })
    void atTheQ24EdgesArc4jDecodesEveryMessageMultimonDoesAndMore(double factor, double low, double high,
                                                                  double snr) {
        double signalDbm0 = 10 * Math.log10(Math.pow(10, low / 10) + Math.pow(10, high / 10));
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical().withTones(low, high, factor),
                VECTORS).line(0, signalDbm0 - snr, 1234);
        call.run(90);
        List<String> arc4j = call.reports.get(0).messages().stream().map(d -> d.message().dtmf())
                .collect(Collectors.toList());
        List<String> expected = VECTORS.stream().map(ContactIdMessage::dtmf).collect(Collectors.toList());
        // arc4j: every message exactly, first time, no retries
        assertThat(arc4j).isEqualTo(expected);
        assertThat(call.reports.get(0).retries()).isZero();
        List<String> multimon = multimonPerMessage(call);
        long multimonExact = 0;
        for (int i = 0; i < expected.size(); i++) {
            if (multimon.get(i).equals(expected.get(i))) {
                multimonExact++;
                assertThat(arc4j.get(i)).isEqualTo(expected.get(i));
            }
        }
        System.out.printf("Q.24 edge x%s %s/%s dBm0 SNR %s dB: arc4j %d/%d exact, multimon-ng %d/%d exact%n",
                factor, low, high, snr, arc4j.size(), expected.size(), multimonExact, expected.size());
    }
}
