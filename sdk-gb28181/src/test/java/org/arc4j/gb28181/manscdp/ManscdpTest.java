package org.arc4j.gb28181.manscdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Set;
import org.arc4j.core.event.Category;
import org.arc4j.gb28181.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManscdpTest {
    private static final ManscdpEncoder GB2312 = ManscdpEncoder.of(ManscdpCharset.GB2312);
    private static final String DEV = "34020000001320000001";

    private static ManscdpDocument decoded(byte[] b) {
        ManscdpResult r = ManscdpDecoder.INSTANCE.decode(b);
        assertThat(r).isInstanceOf(ManscdpResult.Decoded.class);
        return ((ManscdpResult.Decoded) r).document();
    }

    private static ManscdpDocument decoded(String file) {
        return decoded(Vectors.bytes("manscdp/" + file));
    }

    private static ManscdpResult.Invalid invalid(String file) {
        ManscdpResult r = ManscdpDecoder.INSTANCE.decode(Vectors.bytes("manscdp/" + file));
        assertThat(r).isInstanceOf(ManscdpResult.Invalid.class);
        return (ManscdpResult.Invalid) r;
    }

    @Test
    void encoderMatchesTheGeneratedSamplesByteForByte() {
        assertThat(GB2312.ptz(100001, DEV, PtzCmd.ptz(false, true, false, false, false, false, 0x1F, 0x1F, 0), 5))
                .isEqualTo(Vectors.bytes("manscdp/devicecontrol_ptz_right_speed31_wvpgen.xml"));
        assertThat(GB2312.ptz(100002, DEV, PtzCmd.stop(), 5))
                .isEqualTo(Vectors.bytes("manscdp/devicecontrol_ptz_stop_wvpgen.xml"));
        assertThat(GB2312.guard(100003, DEV, true))
                .isEqualTo(Vectors.bytes("manscdp/devicecontrol_guard_setguard_wvpgen.xml"));
        assertThat(GB2312.resetAlarm(100004, DEV, 2, 1))
                .isEqualTo(Vectors.bytes("manscdp/devicecontrol_alarm_resetalarm_wvpgen.xml"));
        assertThat(GB2312.teleBoot(100005, DEV)).isEqualTo(Vectors.bytes("manscdp/devicecontrol_teleboot_wvpgen.xml"));
        assertThat(GB2312.record(100006, DEV, true))
                .isEqualTo(Vectors.bytes("manscdp/devicecontrol_recordcmd_record_wvpgen.xml"));
        assertThat(GB2312.iFrame(100007, DEV))
                .isEqualTo(Vectors.bytes("manscdp/devicecontrol_iframe_ifamecmd_typo_is_standard_wvpgen.xml"));
        assertThat(GB2312.basicParam(100008, DEV, "Camera01", 3600, 60, 3))
                .isEqualTo(Vectors.bytes("manscdp/deviceconfig_basicparam_wvpgen.xml"));
        assertThat(GB2312.recordInfoQuery(100009, DEV, LocalDateTime.parse("2024-01-01T00:00:00"),
                LocalDateTime.parse("2024-01-01T23:59:59"), 0, "all"))
                .isEqualTo(Vectors.bytes("manscdp/query_recordinfo_with_type_all_for_dahua_wvpgen.xml"));
        assertThat(GB2312.alarmQuery(100010, DEV, 1, 4, "0", LocalDateTime.parse("2024-01-01T00:00:00"),
                LocalDateTime.parse("2024-01-02T00:00:00"))).isEqualTo(Vectors.bytes("manscdp/query_alarm_wvpgen.xml"));
        assertThat(GB2312.deviceInfoQuery(100011, DEV)).isEqualTo(Vectors.bytes("manscdp/query_deviceinfo_wvpgen.xml"));
        assertThat(GB2312.mobilePositionSubscription(100012, DEV, 5))
                .isEqualTo(Vectors.bytes("manscdp/subscribe_mobileposition_body_wvpgen.xml"));
    }

    @Test
    void everyEncodedBodyDecodesBack() {
        for (byte[] b : new byte[][] {GB2312.catalogQuery(1, DEV), GB2312.deviceStatusQuery(2, DEV),
                GB2312.presetQuery(3, DEV), GB2312.homePosition(4, DEV, true, 30, 2), GB2312.guard(5, DEV, false),
                GB2312.record(6, DEV, false), GB2312.resetAlarm(7, DEV, null, null),
                GB2312.catalogSubscription(8, DEV), GB2312.alarmSubscription(9, DEV,
                LocalDateTime.parse("2024-01-01T00:00:00"), LocalDateTime.parse("2024-01-02T00:00:00"))}) {
            ManscdpDocument d = decoded(b);
            assertThat(d.deviceId()).isEqualTo(DEV);
            assertThat(d.tolerances()).isEmpty();
            assertThat(d.charset()).isEqualTo(ManscdpCharset.GB18030);
        }
        ManscdpDocument home = decoded(GB2312.homePosition(4, DEV, true, 30, 2));
        assertThat(home.root().path("HomePosition", "PresetIndex")).isEqualTo("2");
        ManscdpDocument ptz = decoded("devicecontrol_ptz_right_speed31_wvpgen.xml");
        assertThat(PtzCmd.decode(ptz.text("PTZCmd"))).isEqualTo(new PtzCmd.Valid(
                PtzCmd.ptz(false, true, false, false, false, false, 31, 31, 0)));
    }

    @Test
    void namesInEveryCharsetSurvive() {
        String name = "前门摄像机 𠀋"; // the last is outside GB2312 and GBK: only GB18030 and UTF-8 carry it
        for (ManscdpCharset cs : new ManscdpCharset[] {ManscdpCharset.GB18030, ManscdpCharset.UTF_8}) {
            byte[] b = ManscdpEncoder.of(cs).basicParam(1, DEV, name, 3600, 60, 3);
            assertThat(new String(b, StandardCharsets.ISO_8859_1)).startsWith(
                    "<?xml version=\"1.0\" encoding=\"" + cs.declaration() + "\"?>");
            ManscdpDocument d = decoded(b);
            assertThat(d.root().path("BasicParam", "Name")).isEqualTo(name);
            assertThat(d.tolerances()).isEmpty();
        }
        byte[] gb2312 = ManscdpEncoder.of(ManscdpCharset.GB2312).basicParam(1, DEV, "前门摄像机", 3600, 60, 3);
        assertThat(new String(gb2312, Charset.forName("GB2312"))).contains("前门摄像机");
        assertThat(decoded(gb2312).root().path("BasicParam", "Name")).isEqualTo("前门摄像机");
    }

    @Test
    void hikvisionGb2312AlarmDecodes() {
        ManscdpDocument d = decoded("alarm_notify_hik_gb2312_reconstructed.xml");
        assertThat(d.tolerances()).isEmpty();
        ManscdpAlarm a = ManscdpAlarm.of(d);
        assertThat(a.description()).isEqualTo("视频遮挡");
        assertThat(a.deviceId()).isEqualTo("34020000001310000002"); // a channel id (type 131), as Hikvision sends
        assertThat(a.method()).isEqualTo(5);
        assertThat(a.type()).isNull();
        assertThat(a.extra()).containsEntry("AlarmInfo", "10");
        assertThat(a.time()).isEqualTo(LocalDateTime.parse("2021-09-26T17:26:16"));
        assertThat(a.sn()).isEqualTo(102);
        assertThat(a.code()).isEqualTo("5");
        assertThat(a.category()).isEqualTo(Category.UNKNOWN_CODE);
    }

    @Test
    void hikvisionAsPostedIsReadAsUtf8AndFlaggedGarbled() {
        ManscdpDocument d = decoded("alarm_notify_hik_as_posted_mojibake.xml");
        assertThat(d.charset()).isEqualTo(ManscdpCharset.UTF_8);
        assertThat(d.tolerances()).containsExactlyInAnyOrder(ManscdpTolerance.CHARSET_MISMATCH,
                ManscdpTolerance.GARBLED_TEXT);
        assertThat(ManscdpAlarm.of(d).description()).contains("\uFFFD"); // lost before it was posted
        assertThat(ManscdpAlarm.of(d).method()).isEqualTo(5);
    }

    @Test
    void alarmSamplesFromWvp() {
        ManscdpDocument over = decoded("alarm_notify_alarmtype_in_info_overrides.xml");
        assertThat(over.tolerances()).containsExactlyInAnyOrder(ManscdpTolerance.CMDTYPE_INFERRED,
                ManscdpTolerance.SN_MISSING);
        ManscdpAlarm a = ManscdpAlarm.of(over);
        assertThat(a.type()).isEqualTo(2); // Info/AlarmType 2 wins over the top-level 9
        assertThat(a.code()).isEqualTo("5/2");
        assertThat(a.category()).isEqualTo(Category.INTRUSION);
        assertThat(a.longitude()).isEqualTo(116.397);
        assertThat(a.latitude()).isEqualTo(39.908);
        assertThat(a.priority()).isEqualTo(1);

        ManscdpAlarm loss = ManscdpAlarm.of(decoded("alarm_notify_video_loss_alarmtype_toplevel.xml"));
        assertThat(loss.code()).isEqualTo("2/1");
        assertThat(loss.category()).isEqualTo(Category.VIDEO_FAULT);
        assertThat(loss.description()).isEqualTo("Video loss alarm");

        ManscdpAlarm other = ManscdpAlarm.of(decoded("alarm_notify_missing_cmdtype_sn_alarmtype.xml"));
        assertThat(other.code()).isEqualTo("7");
        assertThat(other.sn()).isEqualTo(-1);
        assertThat(other.category()).isEqualTo(Category.UNKNOWN_CODE);
    }

    @ParameterizedTest
    @CsvSource({"1,,EMERGENCY", "2,,INTRUSION", "2,1,VIDEO_FAULT", "2,2,TAMPER", "2,3,VIDEO_FAULT",
        "2,4,DEVICE_FAULT", "2,5,DEVICE_FAULT", "2,6,UNKNOWN_CODE", "3,,EMERGENCY", "4,,EMERGENCY",
        "5,1,EMERGENCY", "5,2,INTRUSION", "5,3,INTRUSION", "5,4,INTRUSION", "5,5,INTRUSION", "5,6,INTRUSION",
        "5,7,OTHER", "5,8,INTRUSION", "5,9,OTHER", "5,10,OTHER", "5,11,VIDEO_FAULT", "5,12,INTRUSION",
        "5,13,UNKNOWN_CODE", "5,,UNKNOWN_CODE", "6,1,VIDEO_FAULT", "6,2,DEVICE_FAULT", "6,,DEVICE_FAULT",
        "6,3,UNKNOWN_CODE", "7,,UNKNOWN_CODE", "0,,UNKNOWN_CODE", "8,1,UNKNOWN_CODE"})
    void alarmMethodTypeTable(int method, Integer type, Category expected) {
        assertThat(GbAlarmCategories.INSTANCE.category(method, type)).isEqualTo(expected);
        assertThat(GbAlarmCategories.INSTANCE.describe(method, type)).isNotBlank();
    }

    @Test
    void catalogFromACascadedPlatform() {
        ManscdpDocument d = decoded("catalog_response_cascade_utf8_status_on_civilcode_null.xml");
        CatalogResponse c = CatalogResponse.of(d);
        assertThat(c.sn()).isEqualTo(204070);
        assertThat(c.sumNum()).isEqualTo(1);
        assertThat(c.items()).hasSize(1);
        CatalogItem i = c.items().get(0);
        assertThat(i.deviceId()).isEqualTo("11010800001311000054");
        assertThat(i.name()).isEqualTo("Camera 01");
        assertThat(i.online()).isTrue();
        assertThat(i.field("CivilCode")).isNull(); // the literal "null" counts as absent
        assertThat(i.field("Manufacturer")).isEqualTo("Hikvision");
    }

    @Test
    void templatesWithPlaceholdersAreRefusedForTheirSn() {
        assertThat(invalid("catalog_response_fullfields_template_lunasaw.xml"))
                .isEqualTo(new ManscdpResult.Invalid(ManscdpError.SN_INVALID, "${SN}"));
        assertThat(invalid("devicestatus_response_lunasaw.xml"))
                .isEqualTo(new ManscdpResult.Invalid(ManscdpError.SN_INVALID, "sn"));
        ManscdpResult.Invalid di = invalid("deviceinfo_response_malformed_trailing_slash_lunasaw.xml");
        assertThat(di.error()).isEqualTo(ManscdpError.SN_INVALID);
        assertThat(di.reason()).isEqualTo("MANSCDP sn invalid: ${SN}");
    }

    @Test
    void templatesWithAnSnFilledInDecodeFully() {
        ManscdpDocument cat = decoded(fill("catalog_response_fullfields_template_lunasaw.xml"));
        CatalogItem i = CatalogResponse.of(cat).items().get(0);
        assertThat(i.field("Address")).isEqualTo("上海市五角场合生汇");
        assertThat(i.field("Longitude")).isEqualTo("121.472644");
        assertThat(i.online()).isTrue();
        assertThat(cat.charset()).isEqualTo(ManscdpCharset.UTF_8);

        ManscdpDocument info = decoded(fill("deviceinfo_response_malformed_trailing_slash_lunasaw.xml"));
        assertThat(info.tolerances()).containsExactly(ManscdpTolerance.STRAY_TEXT);
        DeviceInfoResponse di = DeviceInfoResponse.of(info);
        assertThat(di.manufacturer()).isEqualTo("HIKVISION");
        assertThat(di.firmware()).isEqualTo("V2.1,build091111");
        assertThat(di.channels()).isEqualTo(1);

        DeviceStatusResponse ds = DeviceStatusResponse.of(decoded(new String(Vectors.bytes(
                "manscdp/devicestatus_response_lunasaw.xml"), StandardCharsets.UTF_8).replace("<SN>sn</SN>",
                "<SN>9</SN>").getBytes(StandardCharsets.UTF_8)));
        assertThat(ds.online()).isEqualTo("ONLINE");
        assertThat(ds.status()).isEqualTo("OK");
        assertThat(ds.sn()).isEqualTo(9);
    }

    private static byte[] fill(String file) {
        return new String(Vectors.bytes("manscdp/" + file), StandardCharsets.UTF_8).replace("${SN}", "17")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void broadcastNotifyIsAddressedToItsTarget() {
        ManscdpDocument d = decoded("notify_broadcast_wvpgen.xml");
        assertThat(d.deviceId()).isEqualTo("34020000001370000001");
        assertThat(d.text("SourceID")).isEqualTo("34020000002000000001");
    }

    @Test
    void badBodiesAreRefusedWithAReason() {
        assertThat(ManscdpDecoder.INSTANCE.decode(new byte[0])).isEqualTo(new ManscdpResult.Invalid(
                ManscdpError.EMPTY, ""));
        assertThat(((ManscdpResult.Invalid) ManscdpDecoder.INSTANCE.decode(
                "<Query><CmdType>Catalog</CmdType>".getBytes(StandardCharsets.US_ASCII))).error())
                .isEqualTo(ManscdpError.MALFORMED_XML);
        assertThat(((ManscdpResult.Invalid) ManscdpDecoder.INSTANCE.decode(("<?xml version=\"1.0\"?><!DOCTYPE x ["
                + "<!ENTITY a \"aaaa\">]><Query><CmdType>&a;</CmdType></Query>").getBytes(StandardCharsets.US_ASCII)))
                .error()).isIn(ManscdpError.DOCTYPE_FORBIDDEN, ManscdpError.MALFORMED_XML);
        assertThat(ManscdpDecoder.INSTANCE.decode("<Foo><CmdType>x</CmdType></Foo>".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new ManscdpResult.Invalid(ManscdpError.UNKNOWN_ROOT, "Foo"));
        assertThat(ManscdpDecoder.INSTANCE.decode("<Query><SN>1</SN><DeviceID>1</DeviceID></Query>"
                .getBytes(StandardCharsets.US_ASCII))).isEqualTo(new ManscdpResult.Invalid(
                ManscdpError.CMDTYPE_MISSING, "Query"));
        assertThat(ManscdpDecoder.INSTANCE.decode("<Query><CmdType>Catalog</CmdType><SN>1</SN></Query>"
                .getBytes(StandardCharsets.US_ASCII))).isEqualTo(new ManscdpResult.Invalid(
                ManscdpError.DEVICE_ID_MISSING, "Query/Catalog"));
        String deep = "<Query>" + "<a>".repeat(40) + "</a>".repeat(40) + "</Query>";
        assertThat(((ManscdpResult.Invalid) ManscdpDecoder.INSTANCE.decode(deep.getBytes(StandardCharsets.US_ASCII)))
                .error()).isEqualTo(ManscdpError.TOO_COMPLEX);
    }

    @Test
    void keepaliveFromTheHikvisionCapture() {
        byte[] sip = Vectors.bytes("sip/hik2013_keepalive_message.sip");
        String s = new String(sip, StandardCharsets.US_ASCII);
        byte[] body = s.substring(s.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.US_ASCII);
        ManscdpDocument d = decoded(body);
        assertThat(d.is("Notify", "Keepalive")).isTrue();
        assertThat(d.deviceId()).isEqualTo("130909113319427420");
        assertThat(d.sn()).isEqualTo(2749);
        assertThat(d.text("Status")).isEqualTo("OK");
        assertThat(d.tolerances()).isEqualTo(Set.of());
    }
}
