package org.arc4j.protocols.contactid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdemcoDecoderTest {
    private final AdemcoDecoder decoder = AdemcoDecoder.INSTANCE;

    @Test
    void decodesThePublishedExpressExample() {
        // Ademco Express description: account 1234, 4+2 identifier 27, event 89, check digit 9 (sum 45)
        AdemcoDecoder.Result r = decoder.decodeExpress("123427899");
        assertThat(r).isEqualTo(new AdemcoDecoder.Valid(
                new AdemcoExpressMessage(AdemcoExpressMessage.Format.FOUR_PLUS_TWO, "1234", "89", 9)));
        assertThat(AdemcoExpressMessage.of(AdemcoExpressMessage.Format.FOUR_PLUS_TWO, "1234", "89").dtmf())
                .isEqualTo("123427899");
    }

    @Test
    void roundTripsFourPlusOneWithDigitsAboveNine() {
        AdemcoExpressMessage m = AdemcoExpressMessage.of(AdemcoExpressMessage.Format.FOUR_PLUS_ONE, "B0C1", "E");
        assertThat(m.digits()).hasSize(8);
        assertThat(decoder.decodeExpress(m.dtmf())).isEqualTo(new AdemcoDecoder.Valid(m));
    }

    @Test
    void expressErrors() {
        assertThat(decoder.decodeExpress("")).extracting("error").isEqualTo(ContactIdError.EMPTY);
        assertThat(decoder.decodeExpress("1234279")).extracting("error").isEqualTo(ContactIdError.TOO_SHORT);
        assertThat(decoder.decodeExpress("12342789")).extracting("error").isEqualTo(ContactIdError.TOO_SHORT);
        assertThat(decoder.decodeExpress("1234278991")).extracting("error").isEqualTo(ContactIdError.TOO_LONG);
        assertThat(decoder.decodeExpress("123427898")).extracting("error").isEqualTo(ContactIdError.BAD_CHECKSUM);
        assertThat(decoder.decodeExpress("123437899")).extracting("error", "position")
                .containsExactly(ContactIdError.UNKNOWN_MESSAGE_TYPE, 4);
        assertThat(decoder.decodeExpress("1234D7899")).extracting("error", "position")
                .containsExactly(ContactIdError.INVALID_CHARACTER, 4);
    }

    @Test
    void highSpeedSingleRoundWithChecksumAndDoubleRound() {
        // the published illustration: channel 3 reports a new event, status 7 (alarm)
        AdemcoHighSpeedMessage m = AdemcoHighSpeedMessage.withChecksum("1234", "55155555", '7');
        assertThat(m.channel(3)).isEqualTo(1);
        assertThat(m.channel(1)).isEqualTo(5);
        assertThat(decoder.decodeHighSpeed(m.dtmf())).isEqualTo(new AdemcoDecoder.Valid(m));
        String round = "1234551555557";
        assertThat(decoder.decodeHighSpeed(round + round)).isEqualTo(new AdemcoDecoder.Valid(
                new AdemcoHighSpeedMessage("1234", "55155555", '7', 0)));
        assertThat(decoder.decodeHighSpeed(round + "1234551555553")).extracting("error", "position")
                .containsExactly(ContactIdError.ROUNDS_DIFFER, 25);
        assertThat(decoder.decodeHighSpeed(round)).extracting("error").isEqualTo(ContactIdError.TOO_SHORT);
        String bad = m.dtmf().substring(0, 13) + (m.dtmf().charAt(13) == '1' ? '2' : '1');
        assertThat(decoder.decodeHighSpeed(bad)).extracting("error").isEqualTo(ContactIdError.BAD_CHECKSUM);
    }
}
