package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.arc4j.gb28181.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SipParserTest {
    private static final SipParser PARSER = SipParser.INSTANCE;

    enum Stream2 { EXACT, INCOMPLETE, LEFTOVER, NO_CONTENT_LENGTH }

    static Stream<Arguments> vectors() {
        Set<SipTolerance> none = Set.of();
        Set<SipTolerance> lf = Set.of(SipTolerance.BARE_LF);
        Set<SipTolerance> mismatch = Set.of(SipTolerance.CONTENT_LENGTH_MISMATCH);
        Set<SipTolerance> lfMismatch = Set.of(SipTolerance.BARE_LF, SipTolerance.CONTENT_LENGTH_MISMATCH);
        return Stream.of(
                Arguments.of("sip/catalog_query_unanswered_by_hik.sip", "MESSAGE", none, Stream2.EXACT),
                Arguments.of("sip/device_register_route_lf_only.sip", "REGISTER", lf, Stream2.EXACT),
                Arguments.of("sip/gosip_401_qop_auth_realm10digit.sip", "401", none, Stream2.NO_CONTENT_LENGTH),
                Arguments.of("sip/hik2013_catalog_query_message.sip", "MESSAGE", mismatch, Stream2.LEFTOVER),
                Arguments.of("sip/hik2013_keepalive_200.sip", "200", none, Stream2.EXACT),
                Arguments.of("sip/hik2013_keepalive_message.sip", "MESSAGE", mismatch, Stream2.LEFTOVER),
                Arguments.of("sip/hik2013_register_1_initial.sip", "REGISTER", none, Stream2.EXACT),
                Arguments.of("sip/hik2013_register_2_401.sip", "401", none, Stream2.EXACT),
                Arguments.of("sip/hik2013_register_3_with_authorization.sip", "REGISTER", none, Stream2.EXACT),
                Arguments.of("sip/hik2013_register_4_200_with_date.sip", "200", none, Stream2.EXACT),
                Arguments.of("sip/hik2013_unregister_expires0_with_authorization.sip", "REGISTER", none,
                        Stream2.EXACT),
                Arguments.of("sip/platform_invite_play_tcp_passive_to_hik_platform.sip", "INVITE", none,
                        Stream2.EXACT),
                Arguments.of("sip/register_403_gb_date_format_ezviz.sip", "403", none, Stream2.EXACT),
                Arguments.of("sip/srs_register_200_ok.sip", "200", none, Stream2.EXACT),
                Arguments.of("sip/wvp_401_over_tcp_nat_received_rport.sip", "401", none, Stream2.EXACT),
                Arguments.of("synthetic/uvpsim_bye.sip", "BYE", lf, Stream2.EXACT),
                Arguments.of("synthetic/uvpsim_invite-realplay.sip", "INVITE", lfMismatch, Stream2.INCOMPLETE),
                Arguments.of("synthetic/uvpsim_keepalive-message.sip", "MESSAGE", lfMismatch, Stream2.INCOMPLETE),
                Arguments.of("synthetic/uvpsim_register-200.sip", "200", lf, Stream2.EXACT),
                Arguments.of("synthetic/uvpsim_register-401.sip", "401", lf, Stream2.EXACT),
                Arguments.of("synthetic/uvpsim_register-request.sip", "REGISTER", lf, Stream2.EXACT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everySampleHasItsOutcome(String file, String kind, Set<SipTolerance> tolerances, Stream2 overTcp) {
        byte[] b = Vectors.bytes(file);
        SipParseResult r = PARSER.parseDatagram(b, 0, b.length);
        assertThat(r).isInstanceOf(SipParseResult.Parsed.class);
        SipParseResult.Parsed p = (SipParseResult.Parsed) r;
        assertThat(p.tolerances()).isEqualTo(tolerances);
        SipMessage m = p.message();
        if (m instanceof SipRequest req) {
            assertThat(req.method()).isEqualTo(kind);
        } else {
            assertThat(String.valueOf(((SipResponse) m).status())).isEqualTo(kind);
        }
        assertThat(m.callId()).isNotBlank();
        assertThat(m.cseq()).isNotNull();
        assertThat(m.topVia().branch()).startsWith("z9hG4bK");

        SipParseResult s = PARSER.parseStream(b, 0, b.length);
        switch (overTcp) {
            case EXACT -> assertThat(((SipParseResult.Parsed) s).consumed()).isEqualTo(b.length);
            case LEFTOVER -> assertThat(((SipParseResult.Parsed) s).consumed()).isLessThan(b.length);
            case INCOMPLETE -> assertThat(s).isInstanceOf(SipParseResult.Incomplete.class);
            case NO_CONTENT_LENGTH -> assertThat(((SipParseResult.Invalid) s).error())
                    .isEqualTo(SipParseError.CONTENT_LENGTH_MISSING);
            default -> throw new AssertionError();
        }

        byte[] again = SipEncoder.INSTANCE.encode(m);
        SipParseResult.Parsed rt = (SipParseResult.Parsed) PARSER.parseStream(again, 0, again.length);
        assertSameMessage(rt.message(), m);
        assertThat(rt.consumed()).isEqualTo(again.length);
        assertThat(rt.tolerances()).isEmpty();
    }

    @Test
    void hikvisionRegisterFields() {
        byte[] b = Vectors.bytes("sip/hik2013_register_3_with_authorization.sip");
        SipRequest r = (SipRequest) ((SipParseResult.Parsed) PARSER.parseDatagram(b, 0, b.length)).message();
        assertThat(r.uri()).isEqualTo("sip:130909115229300920@10.64.49.44:7100");
        assertThat(r.from().sipUri().user()).isEqualTo("130909113319427420");
        assertThat(r.from().tag()).isEqualTo("382068091");
        assertThat(r.to().tag()).isNull();
        assertThat(r.cseq()).isEqualTo(new CSeq(2, "REGISTER"));
        assertThat(r.header("expires")).isEqualTo("7200");
        Via via = r.topVia();
        assertThat(via.transport()).isEqualTo("UDP");
        assertThat(via.host()).isEqualTo("10.64.49.218");
        assertThat(via.port()).isEqualTo(7100);
        assertThat(via.hasRport()).isTrue();
        assertThat(via.rport()).isEqualTo(-1);
    }

    @Test
    void natViaOverTcp() {
        byte[] b = Vectors.bytes("sip/wvp_401_over_tcp_nat_received_rport.sip");
        SipMessage m = ((SipParseResult.Parsed) PARSER.parseDatagram(b, 0, b.length)).message();
        Via via = m.topVia();
        assertThat(via.transport()).isEqualTo("TCP");
        assertThat(via.rport()).isEqualTo(22072);
        assertThat(via.received()).isEqualTo("202.60.134.185");
    }

    @Test
    void compactFormsAndCaseInsensitiveNames() {
        String msg = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
                + "v: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa, SIP/2.0/TCP 10.0.0.3;branch=z9hG4bKb\r\n"
                + "VIA: SIP/2.0/UDP 10.0.0.4:5070;branch=z9hG4bKc\r\n"
                + "f: <sip:34020000001320000001@3402000000>;tag=1\r\n"
                + "t: <sip:34020000002000000001@3402000000>\r\n"
                + "i: abc@10.0.0.2\r\n"
                + "cseq: 7 MESSAGE\r\n"
                + "c: Application/MANSCDP+xml\r\n"
                + "m: <sip:a@b>, <sip:c@d;x=1,2>\r\n"
                + "l: 4\r\n\r\nbody";
        SipParseResult.Parsed p = (SipParseResult.Parsed) PARSER.parse(msg);
        SipMessage m = p.message();
        assertThat(m.callId()).isEqualTo("abc@10.0.0.2");
        assertThat(m.header("CALL-ID")).isEqualTo("abc@10.0.0.2");
        assertThat(m.contentType()).isEqualTo("Application/MANSCDP+xml");
        assertThat(m.headers().all("Via")).hasSize(2);
        assertThat(m.headers().values("via")).containsExactly(
                "SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKa", "SIP/2.0/TCP 10.0.0.3;branch=z9hG4bKb",
                "SIP/2.0/UDP 10.0.0.4:5070;branch=z9hG4bKc");
        assertThat(m.vias()).extracting(Via::branch).containsExactly("z9hG4bKa", "z9hG4bKb", "z9hG4bKc");
        assertThat(m.vias().get(1).port()).isEqualTo(-1);
        assertThat(m.headers().values("Contact")).containsExactly("<sip:a@b>", "<sip:c@d;x=1,2>");
        assertThat(m.bodyText(StandardCharsets.US_ASCII)).isEqualTo("body");
        assertThat(p.tolerances()).isEmpty();
    }

    @Test
    void foldedHeaderIsJoined() {
        String msg = base("OPTIONS", "Subject: a\r\n  b\r\n", "");
        SipParseResult.Parsed p = (SipParseResult.Parsed) PARSER.parse(msg);
        assertThat(p.message().header("Subject")).isEqualTo("a b");
        assertThat(p.tolerances()).containsExactly(SipTolerance.FOLDED_HEADER);
    }

    @Test
    void streamFramingAcrossMessagesAndPrefixes() {
        byte[] a = Vectors.bytes("sip/catalog_query_unanswered_by_hik.sip");
        byte[] k = Vectors.bytes("sip/hik2013_register_1_initial.sip");
        byte[] both = new byte[a.length + k.length + 4];
        both[0] = '\r';
        both[1] = '\n';
        both[2] = '\r';
        both[3] = '\n';
        System.arraycopy(a, 0, both, 4, a.length);
        System.arraycopy(k, 0, both, 4 + a.length, k.length);
        for (int n = 0; n < a.length + 4; n++) {
            assertThat(PARSER.parseStream(both, 0, n)).as("prefix %d", n)
                    .isInstanceOf(SipParseResult.Incomplete.class);
        }
        SipParseResult.Parsed first = (SipParseResult.Parsed) PARSER.parseStream(both, 0, both.length);
        assertThat(first.consumed()).isEqualTo(a.length + 4);
        assertThat(((SipRequest) first.message()).method()).isEqualTo("MESSAGE");
        SipParseResult.Parsed second = (SipParseResult.Parsed) PARSER.parseStream(both, first.consumed(),
                both.length - first.consumed());
        assertThat(((SipRequest) second.message()).method()).isEqualTo("REGISTER");
        assertThat(second.consumed()).isEqualTo(k.length);
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("REGISTER sip:a@b SIP/3.0\r\n", SipParseError.UNSUPPORTED_VERSION, "SIP/3.0"),
                Arguments.of("REGISTER sip:a@b\r\n", SipParseError.START_LINE_MALFORMED, ""),
                Arguments.of("REGISTER nocolon SIP/2.0\r\n", SipParseError.START_LINE_MALFORMED, "Request-URI"),
                Arguments.of("SIP/2.0 99 Odd\r\n", SipParseError.STATUS_CODE_INVALID, "99"),
                Arguments.of("SIP/2.0 2x0 OK\r\n", SipParseError.STATUS_CODE_INVALID, "2x0"),
                Arguments.of("SIP/1.0 200 OK\r\n", SipParseError.UNSUPPORTED_VERSION, "SIP/1.0"),
                Arguments.of("\r\n\r\n", SipParseError.EMPTY, ""));
    }

    @ParameterizedTest
    @MethodSource("corruptions")
    void badStartLines(String startLine, SipParseError error, String detail) {
        String msg = startLine.startsWith("\r") ? startLine : startLine + "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 REGISTER\r\n\r\n";
        SipParseResult.Invalid inv = (SipParseResult.Invalid) PARSER.parse(msg);
        assertThat(inv.error()).isEqualTo(error);
        assertThat(inv.detail()).isEqualTo(detail);
        assertThat(inv.offset()).isZero();
    }

    @Test
    void headerErrorsNameTheHeader() {
        assertError(base("MESSAGE", "", "").replace("CSeq: 1 MESSAGE\r\n", ""), SipParseError.MISSING_HEADER,
                "CSeq");
        assertError(base("MESSAGE", "", "").replace("Call-ID: 1\r\n", ""), SipParseError.MISSING_HEADER,
                "Call-ID");
        assertError(base("MESSAGE", "", "").replace("CSeq: 1 MESSAGE", "CSeq: 1 REGISTER"),
                SipParseError.CSEQ_INVALID, "1 REGISTER");
        assertError(base("MESSAGE", "", "").replace("CSeq: 1 MESSAGE", "CSeq: x MESSAGE"),
                SipParseError.CSEQ_INVALID, "x MESSAGE");
        assertError(base("MESSAGE", "Broken header line\r\n", ""), SipParseError.HEADER_MALFORMED, "no colon");
        assertError(base("MESSAGE", "Bad Name: x\r\n", ""), SipParseError.HEADER_MALFORMED, "bad name");
        assertError(base("MESSAGE", "Subject: a\rb\r\n", ""), SipParseError.HEADER_MALFORMED, "bare CR");
        assertError(base("MESSAGE", "Content-Length: 1x\r\n", ""), SipParseError.CONTENT_LENGTH_INVALID, "1x");
        assertError(base("MESSAGE", "Content-Length: 1\r\nl: 2\r\n", "ab"), SipParseError.CONTENT_LENGTH_INVALID,
                "2");
        assertError(base("MESSAGE", "", "").replace("SIP/2.0/UDP h;branch", "garbage"), SipParseError.VIA_INVALID,
                "garbage=z9hG4bK1");
    }

    @Test
    void invalidKeepsHeadersToAddressA400() {
        SipParseResult.Invalid inv = (SipParseResult.Invalid) PARSER.parse(
                base("MESSAGE", "Content-Length: nope\r\n", ""));
        assertThat(inv.request()).isTrue();
        assertThat(inv.headers().get("Call-ID")).isEqualTo("1");
        assertThat(inv.reason()).isEqualTo("Invalid Content-Length: nope");
        assertThat(inv.offset()).isEqualTo(base("MESSAGE", "Content-Length: nope\r\n", "").length());
    }

    @Test
    void sizeLimits() {
        SipParser small = new SipParser(new SipLimits(1024, 100, 8));
        assertError(small, base("MESSAGE", "Subject: " + "x".repeat(120) + "\r\n", ""), SipParseError.LINE_TOO_LONG,
                "over 100 bytes");
        assertError(small, base("MESSAGE", "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n", ""), SipParseError.TOO_MANY_HEADERS,
                "over 8");
        String big = base("MESSAGE", "Content-Length: 2000\r\n", "");
        byte[] bb = big.getBytes(StandardCharsets.US_ASCII);
        SipParseResult.Invalid inv = (SipParseResult.Invalid) small.parseStream(bb, 0, bb.length);
        assertThat(inv.error()).isEqualTo(SipParseError.MESSAGE_TOO_LARGE);
        assertThat(inv.detail()).isEqualTo("Content-Length 2000");
        byte[] noEnd = ("MESSAGE sip:a@b SIP/2.0\r\n" + "X: y\r\n".repeat(5)).getBytes(StandardCharsets.US_ASCII);
        assertThat(small.parseStream(noEnd, 0, noEnd.length)).isInstanceOf(SipParseResult.Incomplete.class);
        assertThat(((SipParseResult.Invalid) small.parseDatagram(noEnd, 0, noEnd.length)).error())
                .isEqualTo(SipParseError.HEADERS_UNTERMINATED);
        byte[] endless = ("MESSAGE sip:a@b SIP/2.0\r\n" + "Subject: " + "y".repeat(200))
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(((SipParseResult.Invalid) small.parseStream(endless, 0, endless.length)).error())
                .isEqualTo(SipParseError.LINE_TOO_LONG);
    }

    static Stream<Arguments> oneByteCorruptions() {
        return Stream.of(
                Arguments.of("REGISTER sip:", 8, 'X', SipParseError.START_LINE_MALFORMED, ""),
                Arguments.of("SIP/2.0\r\nVia", 0, 'X', SipParseError.UNSUPPORTED_VERSION, "XIP/2.0"),
                Arguments.of("CSeq:", 4, ' ', SipParseError.HEADER_MALFORMED, "no colon"),
                Arguments.of("CSeq: 2", 6, 'x', SipParseError.CSEQ_INVALID, "x REGISTER"),
                Arguments.of("Call-ID:", 0, 'x', SipParseError.MISSING_HEADER, "Call-ID"),
                Arguments.of("Content-Length: 0", 16, 'x', SipParseError.CONTENT_LENGTH_INVALID, "x"),
                Arguments.of("Via: SIP/2.0/UDP", 8, '\\', SipParseError.VIA_INVALID,
                        "SIP\\2.0/UDP 10.64.49.218:7100;rport;branch=z9hG4bK3997518011"),
                Arguments.of("Max-Forwards", 3, '@', SipParseError.HEADER_MALFORMED, "bad name"),
                Arguments.of("User-Agent: Hik", 12, '\r', SipParseError.HEADER_MALFORMED, "bare CR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneByteCorruptions")
    void oneByteCorruptionsGiveTheExactError(String anchor, int at, char value, SipParseError error, String detail) {
        byte[] b = Vectors.bytes("sip/hik2013_register_3_with_authorization.sip");
        String text = new String(b, StandardCharsets.US_ASCII);
        int pos = text.indexOf(anchor);
        assertThat(pos).as(anchor).isNotNegative();
        b[pos + at] = (byte) value;
        SipParseResult.Invalid inv = (SipParseResult.Invalid) PARSER.parseDatagram(b, 0, b.length);
        assertThat(inv.error()).isEqualTo(error);
        assertThat(inv.detail()).isEqualTo(detail);
    }

    @Test
    void oneByteCorruptionsNeverThrow() {
        byte[] b = Vectors.bytes("sip/hik2013_register_3_with_authorization.sip");
        for (int i = 0; i < b.length; i++) {
            for (byte v : new byte[] {0, ':', ' ', '\n', (byte) 0xff}) {
                byte[] c = b.clone();
                c[i] = v;
                SipParseResult r = PARSER.parseDatagram(c, 0, c.length);
                assertThat(r).isNotInstanceOf(SipParseResult.Incomplete.class);
                PARSER.parseStream(c, 0, c.length);
            }
        }
    }

    static void assertSameMessage(SipMessage actual, SipMessage expected) {
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        assertThat(actual.headers().toBuilder().remove("Content-Length").build())
                .isEqualTo(expected.headers().toBuilder().remove("Content-Length").build());
        assertThat(actual.body()).isEqualTo(expected.body());
        assertThat(actual.toString()).isEqualTo(expected.toString());
    }

    static String base(String method, String extra, String body) {
        return method + " sip:34020000001320000001@3402000000 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: 1\r\nCSeq: 1 " + method + "\r\n"
                + extra + "\r\n" + body;
    }

    private static void assertError(String msg, SipParseError error, String detail) {
        assertError(PARSER, msg, error, detail);
    }

    private static void assertError(SipParser parser, String msg, SipParseError error, String detail) {
        SipParseResult r = parser.parse(msg);
        assertThat(r).isInstanceOf(SipParseResult.Invalid.class);
        SipParseResult.Invalid inv = (SipParseResult.Invalid) r;
        assertThat(inv.error()).isEqualTo(error);
        assertThat(inv.detail()).isEqualTo(detail);
    }
}
