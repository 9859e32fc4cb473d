package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SipHeaderValuesTest {
    @Test
    void viaForms() {
        Via v6 = Via.parse("SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK1;received=2001:db8::2");
        assertThat(v6.host()).isEqualTo("[2001:db8::1]");
        assertThat(v6.port()).isEqualTo(5061);
        assertThat(v6.transport()).isEqualTo("TCP");
        assertThat(v6.received()).isEqualTo("2001:db8::2");
        Via plain = Via.parse("SIP/2.0/udp example.org");
        assertThat(plain.transport()).isEqualTo("UDP");
        assertThat(plain.port()).isEqualTo(-1);
        assertThat(plain.branch()).isNull();
        Via stamped = Via.parse("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKx").withParam("received", "1.2.3.4")
                .withParam("rport", "4000");
        assertThat(stamped.toString()).isEqualTo("SIP/2.0/UDP 10.0.0.1:5060;rport=4000;branch=z9hG4bKx;received=1.2.3.4");
        assertThat(Via.parse("SIP/2.0 host")).isNull();
        assertThat(Via.parse("SIP/2.0/UDP host:99999")).isNull();
        assertThat(Via.parse("SIP/2.0/UDP [::1")).isNull();
    }

    @Test
    void nameAddressForms() {
        NameAddress a = NameAddress.parse("\"Front door, cam\" <sip:34020000001320000001@3402000000;transport=udp>;tag=9");
        assertThat(a.displayName()).isEqualTo("Front door, cam");
        assertThat(a.tag()).isEqualTo("9");
        SipUri u = a.sipUri();
        assertThat(u.user()).isEqualTo("34020000001320000001");
        assertThat(u.host()).isEqualTo("3402000000");
        assertThat(u.param("transport")).isEqualTo("udp");
        NameAddress bare = NameAddress.parse("sip:alice@example.org;tag=1");
        assertThat(bare.uri()).isEqualTo("sip:alice@example.org");
        assertThat(bare.tag()).isEqualTo("1");
        assertThat(NameAddress.parse("<sip:a@b")).isNull();
        assertThat(NameAddress.parse("nonsense")).isNull();
        assertThat(NameAddress.parse("*").uri()).isEqualTo("*");
        assertThat(a.withParam("tag", "10").toString())
                .isEqualTo("\"Front door, cam\" <sip:34020000001320000001@3402000000;transport=udp>;tag=10");
    }

    @Test
    void sipUriForms() {
        SipUri u = SipUri.parse("SIPS:user:pw@[::1]:5061;lr?subject=x");
        assertThat(u.scheme()).isEqualTo("sips");
        assertThat(u.user()).isEqualTo("user");
        assertThat(u.host()).isEqualTo("[::1]");
        assertThat(u.port()).isEqualTo(5061);
        assertThat(u.params()).containsKey("lr");
        assertThat(u.headers()).isEqualTo("subject=x");
        assertThat(SipUri.parse("tel:+861234")).isNull();
        assertThat(SipUri.parse("sip:host:abc")).isNull();
        assertThat(SipUri.of("34020000001320000001", "10.0.0.2", 5060).toString())
                .isEqualTo("sip:34020000001320000001@10.0.0.2:5060");
    }

    @Test
    void cseqAndHeaderBuilder() {
        assertThat(CSeq.parse("  42   MESSAGE ")).isEqualTo(new CSeq(42, "MESSAGE"));
        assertThat(CSeq.parse("99999999999 MESSAGE")).isNull();
        assertThat(CSeq.parse("1")).isNull();
        SipHeaders h = SipHeaders.builder().add("v", "a").add("Via", "b").add("X-Custom", "1").add("x-custom", "2")
                .build();
        assertThat(h.all("VIA")).containsExactly("a", "b");
        assertThat(h.all("X-CUSTOM")).containsExactly("1", "2");
        SipHeaders changed = h.toBuilder().set("via", "c").remove("x-custom").addFirst("Route", "<sip:r>").build();
        assertThat(changed.all("Via")).containsExactly("c");
        assertThat(changed.name(0)).isEqualTo("Route");
        assertThat(changed.contains("X-Custom")).isFalse();
        assertThat(SipHeaders.canonicalName("WWW-AUTHENTICATE")).isEqualTo("WWW-Authenticate");
        assertThat(SipHeaders.canonicalName("x-gb-ver")).isEqualTo("X-GB-Ver");
        assertThat(Map.of("l", "Content-Length", "c", "Content-Type", "m", "Contact", "e", "Content-Encoding",
                "k", "Supported", "s", "Subject", "o", "Event", "u", "Allow-Events")).allSatisfy(
                (compact, full) -> assertThat(SipHeaders.canonicalName(compact)).isEqualTo(full));
    }

    @Test
    void encoderKeepsLineBreaksOutOfTheFraming() {
        SipResponse r = SipResponse.of(400, "Bad\r\nX-Injected: 1", SipHeaders.builder().add("Via",
                "SIP/2.0/UDP h;branch=z9hG4bK1").add("From", "<sip:a@b>;tag=1").add("To", "<sip:a@b>")
                .add("Call-ID", "1").add("CSeq", "1 MESSAGE").add("Warning", "399 x \"a\nb\"").build(), null);
        byte[] b = SipEncoder.INSTANCE.encode(r);
        SipResponse back = (SipResponse) ((SipParseResult.Parsed) SipParser.INSTANCE.parseStream(b, 0, b.length))
                .message();
        assertThat(back.reason()).isEqualTo("Bad  X-Injected: 1");
        assertThat(back.header("X-Injected")).isNull();
        assertThat(back.header("Warning")).isEqualTo("399 x \"a b\"");
    }
}
