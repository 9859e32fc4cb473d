package org.arc4j.gb28181.manscdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PtzCmdTest {
    @Test
    void publishedCodes() {
        assertThat(PtzCmd.ptz(false, true, false, false, false, false, 0x1F, 0x1F, 0).toHex())
                .isEqualTo("A50F01011F1F00F4");
        assertThat(PtzCmd.stop().toHex()).isEqualTo("A50F0100000000B5");
        assertThat(PtzCmd.decode("A50F01011F1F00F4")).isEqualTo(new PtzCmd.Valid(new PtzCmd(1, 1, 31, 31, 0)));
        assertThat(PtzCmd.decode("a50f0100000000b5")).isEqualTo(new PtzCmd.Valid(PtzCmd.stop()));
        assertThat(PtzCmd.stop().kind()).isEqualTo(PtzCmd.Kind.STOP);
    }

    @Test
    void everyCommandRoundTripsWithItsKind() {
        List<PtzCmd> all = List.of(PtzCmd.ptz(true, false, true, false, true, false, 10, 20, 3),
                PtzCmd.ptz(false, false, false, true, false, true, 255, 255, 15),
                PtzCmd.focusIris(true, false, false, true, 5, 6), PtzCmd.setPreset(3), PtzCmd.callPreset(3),
                PtzCmd.deletePreset(255), PtzCmd.cruiseAdd(1, 2), PtzCmd.cruiseDelete(1, 0),
                PtzCmd.cruiseSpeed(1, 0xABC), PtzCmd.cruiseDwell(2, 30), PtzCmd.cruiseStart(1), PtzCmd.scan(1, 0),
                PtzCmd.scanSpeed(1, 100), PtzCmd.aux(1, true), PtzCmd.aux(1, false),
                PtzCmd.stop().withAddress(0xFFF));
        List<PtzCmd.Kind> kinds = List.of(PtzCmd.Kind.PTZ, PtzCmd.Kind.PTZ, PtzCmd.Kind.FOCUS_IRIS,
                PtzCmd.Kind.PRESET, PtzCmd.Kind.PRESET, PtzCmd.Kind.PRESET, PtzCmd.Kind.CRUISE, PtzCmd.Kind.CRUISE,
                PtzCmd.Kind.CRUISE, PtzCmd.Kind.CRUISE, PtzCmd.Kind.CRUISE, PtzCmd.Kind.SCAN, PtzCmd.Kind.SCAN,
                PtzCmd.Kind.AUX, PtzCmd.Kind.AUX, PtzCmd.Kind.STOP);
        for (int i = 0; i < all.size(); i++) {
            PtzCmd c = all.get(i);
            assertThat(c.kind()).as(c.toString()).isEqualTo(kinds.get(i));
            byte[] b = c.toBytes();
            int sum = 0;
            for (int k = 0; k < 7; k++) {
                sum += b[k] & 0xFF;
            }
            assertThat(b[7] & 0xFF).isEqualTo(sum % 256);
            assertThat(PtzCmd.decode(c.toHex())).isEqualTo(new PtzCmd.Valid(c));
        }
        assertThat(PtzCmd.callPreset(3).toHex()).isEqualTo("A50F01820003" + "00" + "3A");
        assertThat(PtzCmd.cruiseSpeed(1, 0xABC).data3()).isEqualTo(0xA);
    }

    @Test
    void everyOneByteCorruptionIsRefusedWithTheReason() {
        String good = "A50F01011F1F00F4";
        assertThat(PtzCmd.decode("A50F01011F1F00F5")).isEqualTo(new PtzCmd.Invalid("checksum F5, expected F4"));
        assertThat(PtzCmd.decode("A60F01011F1F00F4")).isEqualTo(new PtzCmd.Invalid("header A6, expected A5"));
        assertThat(PtzCmd.decode("A50E01011F1F00F3")).isEqualTo(new PtzCmd.Invalid("check nibble 14"));
        assertThat(PtzCmd.decode("A50F01011F1F00")).isEqualTo(new PtzCmd.Invalid("length 14, expected 16 hex digits"));
        assertThat(PtzCmd.decode("A50F01011F1F00GG")).isEqualTo(new PtzCmd.Invalid("not hex at 14"));
        assertThat(PtzCmd.decode(null)).isInstanceOf(PtzCmd.Invalid.class);
        for (int i = 0; i < 16; i++) {
            for (char c : "0123456789ABCDEF".toCharArray()) {
                if (c == good.charAt(i)) {
                    continue;
                }
                String bad = good.substring(0, i) + c + good.substring(i + 1);
                assertThat(PtzCmd.decode(bad)).as(bad).isInstanceOf(PtzCmd.Invalid.class);
            }
        }
    }
}
