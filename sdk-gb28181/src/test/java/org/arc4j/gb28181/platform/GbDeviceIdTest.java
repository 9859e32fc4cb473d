package org.arc4j.gb28181.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GbDeviceIdTest {
    @Test
    void twentyDigitStructure() {
        GbDeviceId id = GbDeviceId.parse("34020000001320000001");
        assertThat(id.centreCode()).isEqualTo("34020000");
        assertThat(id.industry()).isEqualTo("00");
        assertThat(id.domain()).isEqualTo("3402000000");
        assertThat(id.typeCode()).isEqualTo(GbDeviceId.IPC);
        assertThat(id.network()).isEqualTo(0);
        assertThat(id.serial()).isEqualTo("000001");
        assertThat(id.kind()).isEqualTo(GbDeviceId.Kind.FRONT_END_PERIPHERAL);
    }

    @ParameterizedTest
    @CsvSource({"34020000001170000001,117,FRONT_END_DEVICE", "34020000001340000003,134,FRONT_END_PERIPHERAL",
        "34020000001350000001,135,FRONT_END_PERIPHERAL", "34020000002000000001,200,PLATFORM",
        "34020000002050000001,205,PLATFORM", "34020000002150000001,215,PLATFORM", "34020000002160000001,216,PLATFORM",
        "34020000003000000001,300,CENTRE_USER", "34020000004000000001,400,TERMINAL_USER",
        "34020000005000000001,500,UNKNOWN", "55123456781381000010,138,FRONT_END_PERIPHERAL"})
    void typeCodes(String id, int type, GbDeviceId.Kind kind) {
        GbDeviceId d = new GbDeviceId(id);
        assertThat(d.typeCode()).isEqualTo(type);
        assertThat(d.kind()).isEqualTo(kind);
    }

    @Test
    void eighteenDigitIdsOfOlderDevices() {
        GbDeviceId hik = GbDeviceId.parse("130909113319427420"); // the 2013 Hikvision capture
        assertThat(hik.isStructured()).isFalse();
        assertThat(hik.typeCode()).isEqualTo(-1);
        assertThat(hik.kind()).isEqualTo(GbDeviceId.Kind.UNKNOWN);
        assertThat(hik.domain()).isNull();
    }

    @Test
    void rejectsOthers() {
        assertThat(GbDeviceId.parse("3402000000132000000")).isNull();
        assertThat(GbDeviceId.parse("3402000000132000000x")).isNull();
        assertThat(GbDeviceId.parse(null)).isNull();
        assertThatThrownBy(() -> new GbDeviceId("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alarmInputsMapToZones() {
        DeviceRegistry r = new DeviceRegistry();
        assertThat(r.zoneOf("34020000001340000003")).isEqualTo("3");
        assertThat(r.zoneOf("34020000001340000000")).isEqualTo("0");
        assertThat(r.zoneOf("130909113319427420")).isEqualTo("130909113319427420");
        r.assignZone("34020000001340000003", "17");
        assertThat(r.zoneOf("34020000001340000003")).isEqualTo("17");
    }
}
