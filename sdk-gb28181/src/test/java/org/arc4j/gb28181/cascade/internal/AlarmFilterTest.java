package org.arc4j.gb28181.cascade.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.arc4j.gb28181.cascade.CascadeAlarm;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.junit.jupiter.api.Test;

/** An alarm subscription's body, as an upper platform sends it, decides which alarms it gets. */
class AlarmFilterTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** 10:00:00 in Beijing. */
    static final Instant T = Instant.parse("2026-03-01T02:00:00Z");

    private static ManscdpDocument body(String conditions) {
        String xml = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Query>\r\n<CmdType>Alarm</CmdType>\r\n"
                + "<SN>7</SN>\r\n<DeviceID>34020000002000000001</DeviceID>\r\n" + conditions + "</Query>\r\n";
        ManscdpResult r = ManscdpDecoder.INSTANCE.decode(xml.getBytes(StandardCharsets.US_ASCII));
        assertThat(r).isInstanceOf(ManscdpResult.Decoded.class);
        return ((ManscdpResult.Decoded) r).document();
    }

    private static CascadeAlarm alarm(int priority, int method, Instant at) {
        return new CascadeAlarm("c", null, priority, method, null, at, null);
    }

    @Test
    void priorityRangeInclusive() {
        AlarmFilter f = AlarmFilter.of(body("<StartAlarmPriority>2</StartAlarmPriority>\r\n"
                + "<EndAlarmPriority>3</EndAlarmPriority>\r\n"));
        assertThat(f.test(alarm(1, 2, T), ZONE)).isFalse();
        assertThat(f.test(alarm(2, 2, T), ZONE)).isTrue();
        assertThat(f.test(alarm(3, 2, T), ZONE)).isTrue();
        assertThat(f.test(alarm(4, 2, T), ZONE)).isFalse();
        // 0 is no bound
        AlarmFilter all = AlarmFilter.of(body("<StartAlarmPriority>0</StartAlarmPriority>\r\n"
                + "<EndAlarmPriority>0</EndAlarmPriority>\r\n"));
        assertThat(all.test(alarm(1, 2, T), ZONE)).isTrue();
        assertThat(all.test(alarm(4, 2, T), ZONE)).isTrue();
    }

    @Test
    void methodsAsDigitsOrSlashes() {
        AlarmFilter digits = AlarmFilter.of(body("<AlarmMethod>25</AlarmMethod>\r\n"));
        assertThat(digits.test(alarm(1, 2, T), ZONE)).isTrue();
        assertThat(digits.test(alarm(1, 5, T), ZONE)).isTrue();
        assertThat(digits.test(alarm(1, 1, T), ZONE)).isFalse();
        assertThat(digits.test(alarm(1, 6, T), ZONE)).isFalse();
        AlarmFilter slashes = AlarmFilter.of(body("<AlarmMethod>1/6</AlarmMethod>\r\n"));
        assertThat(slashes.test(alarm(1, 6, T), ZONE)).isTrue();
        assertThat(slashes.test(alarm(1, 2, T), ZONE)).isFalse();
        assertThat(AlarmFilter.of(body("<AlarmMethod>0</AlarmMethod>\r\n")).test(alarm(1, 7, T), ZONE)).isTrue();
    }

    @Test
    void timeWindowInTheCentresZoneInclusive() {
        AlarmFilter f = AlarmFilter.of(body("<StartAlarmTime>2026-03-01T10:00:00</StartAlarmTime>\r\n"
                + "<EndAlarmTime>2026-03-01T11:00:00</EndAlarmTime>\r\n"));
        assertThat(f.test(alarm(1, 2, T.minusSeconds(1)), ZONE)).isFalse();
        assertThat(f.test(alarm(1, 2, T), ZONE)).isTrue();
        assertThat(f.test(alarm(1, 2, T.plusMillis(3_600_900)), ZONE)).isTrue(); // 11:00:00.9, to the second
        assertThat(f.test(alarm(1, 2, T.plusSeconds(3601)), ZONE)).isFalse();
        // the same window read in UTC would take other alarms: the zone matters
        assertThat(f.test(alarm(1, 2, T), ZoneId.of("UTC"))).isFalse();
        // only a start: open-ended
        AlarmFilter from = AlarmFilter.of(body("<StartAlarmTime>2026-03-01T10:00:00</StartAlarmTime>\r\n"));
        assertThat(from.test(alarm(1, 2, T.plusSeconds(86_400)), ZONE)).isTrue();
        assertThat(from.test(alarm(1, 2, T.minusSeconds(60)), ZONE)).isFalse();
        // an unreadable bound is no bound
        assertThat(AlarmFilter.of(body("<StartAlarmTime>soon</StartAlarmTime>\r\n"))
                .test(alarm(1, 2, T.minusSeconds(60)), ZONE)).isTrue();
    }

    @Test
    void allConditionsTogether() {
        AlarmFilter f = AlarmFilter.of(body("<StartAlarmPriority>1</StartAlarmPriority>\r\n"
                + "<EndAlarmPriority>2</EndAlarmPriority>\r\n<AlarmMethod>2</AlarmMethod>\r\n"
                + "<StartAlarmTime>2026-03-01T10:00:00</StartAlarmTime>\r\n"
                + "<EndAlarmTime>2026-03-01T10:30:00</EndAlarmTime>\r\n"));
        assertThat(f.test(alarm(2, 2, T.plusSeconds(60)), ZONE)).isTrue();
        assertThat(f.test(alarm(3, 2, T.plusSeconds(60)), ZONE)).isFalse();
        assertThat(f.test(alarm(2, 5, T.plusSeconds(60)), ZONE)).isFalse();
        assertThat(f.test(alarm(2, 2, T.plusSeconds(3600)), ZONE)).isFalse();
        assertThat(AlarmFilter.of(null).test(alarm(4, 7, Instant.EPOCH), ZONE)).isTrue();
    }
}
