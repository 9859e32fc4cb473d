package org.arc4j.protocols.contactid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Handshake, DTMF and kissoff end to end between the transmitter and receiver sessions. */
class ContactIdCallTest {
    private static final List<ContactIdMessage> VECTORS = ContactIdVectors.all().stream()
            .map(v -> ((ContactIdDecodeResult.Valid) ContactIdDecoder.INSTANCE.decodeDigits(v.digits())).message())
            .collect(Collectors.toList());
    private static final List<String> DIGITS = VECTORS.stream().map(ContactIdMessage::digits)
            .collect(Collectors.toList());

    @Test
    void deliversEveryVectorInOneCall() {
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical(), VECTORS).run(60);
        assertThat(call.panel.state()).isEqualTo(ContactIdTransmitterSession.State.DONE);
        assertThat(call.panel.kissedOff()).isEqualTo(VECTORS);
        assertThat(call.panel.attempts()).isEqualTo(VECTORS.size());
        assertThat(call.storedDigits()).isEqualTo(DIGITS);
        AlarmEvent first = call.intake.events().get(0);
        assertThat(first.protocol()).isEqualTo(Protocol.CONTACT_ID_PSTN);
        assertThat(first.transport()).isEqualTo(Transport.PSTN);
        assertThat(first.id()).isNotNull();
        assertThat(call.reports).hasSize(1);
        ContactIdCallReport report = call.reports.get(0);
        assertThat(report.ending()).isEqualTo(ContactIdCallReport.Ending.COMPLETED);
        assertThat(report.handshakes()).isEqualTo(1);
        assertThat(report.retries()).isZero();
        assertThat(report.messages()).extracting(ContactIdCallReport.Delivery::message).isEqualTo(VECTORS);
        for (ContactIdCallReport.Delivery d : report.messages()) {
            // sixteen digits at ten a second, and the kissoff 200 ms after the receipt
            assertThat(d.lastDigitSample() - d.firstDigitSample()).isBetween(1500 * 8L - 400, 1600 * 8L);
            assertThat(d.kissoffSample() - d.receiptSample()).isEqualTo(200 * 8L);
            assertThat(d.receiptSample()).isGreaterThanOrEqualTo(d.lastDigitSample());
        }
        // the handshake starts after the 1.25 s answer delay
        short[] audio = call.receiverAudio();
        assertThat(firstLoudSample(audio)).isBetween(10_000, 10_010);
    }

    @ParameterizedTest(name = "SNR {0} dB, frequency x{1}, levels {2}/{3} dBm0, loss {4} dB")
    @CsvSource({
        "30, 1.0,   -7, -5, 0",
        "20, 1.0,   -7, -5, 10",
        "15, 1.0,   -7, -5, 0",
        "15, 0.985, -6, -14, 0",
        "15, 1.015, -6, -14, 0",
        "15, 0.985, -9, -5, 0",
        "15, 1.015, -9, -5, 0",
        "20, 1.015, -4, -12, 20",
        "20, 0.985, -12, -8, 25"
    })
    void decodesExactlyWithNoiseTwistOffsetsAndLoss(double snr, double factor, double low, double high, double loss) {
        // the noise level is set against the signal as it arrives, after the loss
        double signalDbm0 = 10 * Math.log10(Math.pow(10, low / 10) + Math.pow(10, high / 10)) - loss;
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical().withTones(low, high, factor),
                VECTORS).line(loss, signalDbm0 - snr, (long) (snr * 1000 + factor * 100));
        call.run(90);
        assertThat(call.storedDigits()).isEqualTo(DIGITS);
        assertThat(call.panel.state()).isEqualTo(ContactIdTransmitterSession.State.DONE);
    }

    @ParameterizedTest
    @CsvSource({"1.035", "0.965"})
    void tonesThreeAndAHalfPercentOffAreNotDigits(double factor) {
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical().withTones(-7, -5, factor),
                VECTORS.subList(0, 1)).run(30);
        assertThat(call.intake.events()).isEmpty();
        ContactIdCallReport report = call.reports.get(0);
        assertThat(report.rejected()).isEmpty();
        assertThat(report.ending()).isEqualTo(ContactIdCallReport.Ending.NO_MESSAGE);
        assertThat(report.handshakes()).isEqualTo(4);
    }

    @Test
    void noKissoffBeforeTheReceipt() {
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical(), VECTORS.subList(0, 2),
                ContactIdReceiverSession.Settings.dc05().withReceiptTimeoutMs(60_000));
        call.intake.hold();
        call.run(8);
        // the first message was decoded and handed over, but nothing was acknowledged
        assertThat(call.line.session().state()).isEqualTo(ContactIdReceiverSession.State.AWAITING_RECEIPT);
        assertThat(call.panel.kissedOff()).isEmpty();
        assertThat(call.panel.attempts()).isGreaterThan(1);
        short[] audio = call.receiverAudio();
        int afterHandshake = 10_000 + 300 * 8 + 80;
        assertThat(firstLoudSample(java.util.Arrays.copyOfRange(audio, afterHandshake, audio.length))).isEqualTo(-1);
        call.intake.release();
        call.run(40);
        assertThat(call.panel.kissedOff()).isEqualTo(VECTORS.subList(0, 2));
        assertThat(call.storedDigits()).isEqualTo(DIGITS.subList(0, 2));
        assertThat(call.reports.get(0).ending()).isEqualTo(ContactIdCallReport.Ending.COMPLETED);
    }

    @Test
    void aRefusedReceiptGetsNoKissoffAndThePanelRetries() {
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical(), VECTORS.subList(0, 1),
                ContactIdReceiverSession.Settings.dc05().withReceiptTimeoutMs(500));
        call.intake.hold();
        call.run(6);
        assertThat(call.line.session().report().refusals()).isGreaterThanOrEqualTo(1);
        call.intake.release();
        call.run(40);
        assertThat(call.panel.kissedOff()).isEqualTo(VECTORS.subList(0, 1));
        // the message the panel repeated is stored once: same call, same digits, same idempotency key
        assertThat(call.storedDigits()).isEqualTo(DIGITS.subList(0, 1));
    }

    @Test
    void aDamagedMessageIsIgnoredAndTheRepeatIsTaken() {
        PhoneCall call = new PhoneCall(ContactIdTransmitterSession.Settings.typical(), VECTORS.subList(0, 1));
        // the handshake ends at 1.55 s; the panel hears its end about 35 ms later and starts 250 ms after that:
        // silence the fifth digit of the first attempt
        long fifth = (1550 + 35 + 250 + 4 * 100) * 8L;
        call.muteToReceiver = t -> t >= fifth - 40 && t < fifth + 480;
        call.run(30);
        ContactIdCallReport report = call.reports.get(0);
        assertThat(report.rejected()).as(report.toString()).hasSize(1);
        assertThat(report.rejected().get(0).error()).isEqualTo(ContactIdError.TOO_SHORT);
        assertThat(report.retries()).isEqualTo(1);
        assertThat(report.messages()).hasSize(1);
        assertThat(call.metrics.counts()).containsEntry(org.arc4j.core.metrics.MetricId.of("contactid.messages",
                "outcome", "rejected", "reason", "TOO_SHORT"), 1L)
                .containsEntry(org.arc4j.core.metrics.MetricId.of("contactid.messages", "outcome", "accepted"), 1L)
                .containsEntry(org.arc4j.core.metrics.MetricId.of("contactid.calls", "ending", "COMPLETED"), 1L);
        assertThat(call.panel.attempts()).isEqualTo(2);
        assertThat(call.storedDigits()).isEqualTo(DIGITS.subList(0, 1));
    }

    @Test
    void hangsUpAfterFourHandshakesWhenNothingIsSent() {
        ContactIdReceiverSession session = new ContactIdReceiverSession(ContactIdReceiverSession.Settings.dc05(),
                (s, m, t) -> {
                });
        short[] silence = new short[160];
        long t = 0;
        while (!session.isEnded() && t < 8000 * 60) {
            session.feed(silence, t);
            t += 160;
        }
        ContactIdCallReport report = session.report();
        assertThat(report.ending()).isEqualTo(ContactIdCallReport.Ending.NO_MESSAGE);
        assertThat(report.handshakes()).isEqualTo(4);
        // 1.25 s, then four times (300 ms handshake + 2 s wait)
        assertThat(report.endSample()).isBetween((1250 + 4 * 2300) * 8L, (1250 + 4 * 2300) * 8L + 160);
    }

    static int firstLoudSample(short[] audio) {
        for (int i = 0; i < audio.length; i++) {
            if (Math.abs(audio[i]) > 300) {
                return i;
            }
        }
        return -1;
    }
}
