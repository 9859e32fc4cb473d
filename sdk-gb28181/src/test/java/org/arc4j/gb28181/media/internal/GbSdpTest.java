package org.arc4j.gb28181.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaTransport;
import org.junit.jupiter.api.Test;

/** The offer GB/T 28181 devices expect (Annex G) and what the platform takes from their answers. */
class GbSdpTest {
    static final String PLATFORM = "34020000002000000001";
    static final String CHANNEL = "34020000001310000001";
    static final Instant START = Instant.parse("2026-02-28T08:00:00Z");

    private static List<String> lines(byte[] sdp) {
        String text = new String(sdp, StandardCharsets.US_ASCII);
        assertThat(text).endsWith("\r\n").doesNotContain("\n\n");
        return List.of(text.split("\r\n"));
    }

    @Test
    void liveOverUdpOffersPsOnPayloadType96WithTheSsrcLast() {
        List<String> l = lines(GbSdp.offer(MediaRequest.live("d", CHANNEL).withTransport(MediaTransport.UDP),
                PLATFORM, "192.0.2.7", 30000, "0200000001", false));
        assertThat(l).containsExactly("v=0", "o=" + PLATFORM + " 0 0 IN IP4 192.0.2.7", "s=Play",
                "c=IN IP4 192.0.2.7", "t=0 0", "m=video 30000 RTP/AVP 96 98", "a=recvonly",
                "a=rtpmap:96 PS/90000", "a=rtpmap:98 H264/90000", "y=0200000001");
    }

    @Test
    void editionsOf2022AreOfferedH265On100() {
        List<String> l = lines(GbSdp.offer(MediaRequest.live("d", CHANNEL).withTransport(MediaTransport.UDP),
                PLATFORM, "192.0.2.7", 30000, "0200000001", true));
        assertThat(l).contains("m=video 30000 RTP/AVP 96 98 100", "a=rtpmap:100 H265/90000");
        assertThat(l.get(l.size() - 1)).isEqualTo("y=0200000001");
    }

    @Test
    void tcpOffersSayWhoConnects() {
        List<String> passive = lines(GbSdp.offer(MediaRequest.live("d", CHANNEL), PLATFORM, "192.0.2.7", 30000,
                "0200000001", false));
        assertThat(passive).contains("m=video 30000 TCP/RTP/AVP 96 98", "a=setup:passive", "a=connection:new");
        List<String> active = lines(GbSdp.offer(MediaRequest.live("d", CHANNEL)
                .withTransport(MediaTransport.TCP_ACTIVE), PLATFORM, "192.0.2.7", 9, "0200000001", false));
        assertThat(active).contains("m=video 9 TCP/RTP/AVP 96 98", "a=setup:active");
        assertThat(active.get(active.size() - 1)).isEqualTo("y=0200000001");
    }

    @Test
    void anOptionalMediaFormatGoesBeforeTheSsrcAndBadOnesAreRefused() {
        List<String> l = lines(GbSdp.offer(MediaRequest.live("d", CHANNEL).withTransport(MediaTransport.UDP)
                .withMediaFormat("v/2/5/25/1/4096a///"), PLATFORM, "192.0.2.7", 30000, "0200000001", false));
        assertThat(l.subList(l.size() - 2, l.size())).containsExactly("f=v/2/5/25/1/4096a///", "y=0200000001");
        assertThat(lines(GbSdp.offer(MediaRequest.live("d", CHANNEL), PLATFORM, "192.0.2.7", 30000, "0200000001",
                false))).noneMatch(x -> x.startsWith("f="));
        // the line cannot be used to smuggle other SDP lines into the offer
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> MediaRequest.live("d", CHANNEL).withMediaFormat("v/2a/\r\na=sendrecv"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> MediaRequest.live("d", CHANNEL).withMediaFormat("2/5/25"));
    }

    @Test
    void playbackAndDownloadCarryTheChannelTheRangeAndTheSpeed() {
        List<String> p = lines(GbSdp.offer(MediaRequest.playback("d", CHANNEL, START, START.plusSeconds(600)),
                PLATFORM, "192.0.2.7", 30000, "1200000001", false));
        assertThat(p).contains("s=Playback", "u=" + CHANNEL + ":0",
                "t=" + START.getEpochSecond() + " " + (START.getEpochSecond() + 600)).noneMatch(
                        x -> x.startsWith("a=downloadspeed"));
        List<String> d = lines(GbSdp.offer(MediaRequest.download("d", CHANNEL, START, START.plusSeconds(600), 4),
                PLATFORM, "192.0.2.7", 30000, "1200000002", false));
        assertThat(d).contains("s=Download", "a=downloadspeed:4");
        assertThat(d.get(d.size() - 1)).isEqualTo("y=1200000002");
    }

    @Test
    void answersAreReadWithTheirMediaAddressTransportAndSsrc() {
        GbSdp.Answer a = GbSdp.parseAnswer(("v=0\r\no=34020000001320000001 0 0 IN IP4 10.0.0.5\r\ns=Play\r\n"
                + "c=IN IP4 10.0.0.5\r\nt=0 0\r\nm=video 15060 TCP/RTP/AVP 96\r\na=sendonly\r\n"
                + "a=rtpmap:96 PS/90000\r\na=setup:active\r\ny=0200000001\r\nf=\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(a.address().getHostString()).isEqualTo("10.0.0.5");
        assertThat(a.address().getPort()).isEqualTo(15060);
        assertThat(a.tcp()).isTrue();
        assertThat(a.setup()).isEqualTo("active");
        assertThat(a.ssrc()).isEqualTo("0200000001");
    }

    @Test
    void aMediaLevelAddressWinsAndLfOnlyAnswersWithoutSsrcAreTaken() {
        GbSdp.Answer a = GbSdp.parseAnswer(("v=0\nc=IN IP4 10.0.0.5\nm=video 8000 RTP/AVP 96\n"
                + "c=IN IP4 10.0.0.6\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(a.address().getHostString()).isEqualTo("10.0.0.6");
        assertThat(a.tcp()).isFalse();
        assertThat(a.ssrc()).isNull();
    }

    @Test
    void anAnswerThatMapsAPayloadTypeToMpeg4GenericNamesItsAac() {
        GbSdp.Answer a = GbSdp.parseAnswer(("v=0\r\nc=IN IP4 10.0.0.5\r\nm=video 8000 RTP/AVP 96 102\r\n"
                + "a=rtpmap:96 PS/90000\r\na=rtpmap:102 mpeg4-generic/44100/2\r\n"
                + "a=fmtp:102 streamtype=5; mode=AAC-hbr; SizeLength=13; config=1210\r\ny=0100000001\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(a.payloadType()).isEqualTo(96);
        assertThat(a.aacPayloadType()).isEqualTo(102);
        assertThat(a.aacClockRate()).isEqualTo(44_100);
        assertThat(a.aacFmtp()).containsEntry("SizeLength", "13").containsEntry("config", "1210")
                .containsEntry("mode", "AAC-hbr");
        GbSdp.Answer none = GbSdp.parseAnswer(("c=IN IP4 10.0.0.5\r\nm=video 8000 RTP/AVP 96\r\n"
                + "a=rtpmap:96 PS/90000\r\na=rtpmap:x MPEG4-GENERIC/8000\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(none.aacPayloadType()).isEqualTo(-1);
        assertThat(none.aacFmtp()).isEmpty();
    }

    @Test
    void talkOffersSayTheTransportAndTheDevicesSetupDecidesWhoConnects() {
        assertThat(lines(GbSdp.talkOffer(PLATFORM, "192.0.2.7", 30000, MediaTransport.UDP, "0200000001")))
                .contains("s=Talk", "m=audio 30000 RTP/AVP 8 0", "a=sendrecv").doesNotContain("a=setup:passive")
                .last().isEqualTo("y=0200000001");
        assertThat(lines(GbSdp.talkOffer(PLATFORM, "192.0.2.7", 30000, MediaTransport.TCP_PASSIVE, "0200000001")))
                .contains("m=audio 30000 TCP/RTP/AVP 8 0", "a=setup:passive", "a=connection:new");
        assertThat(lines(GbSdp.talkOffer(PLATFORM, "192.0.2.7", 9, MediaTransport.TCP_ACTIVE, "0200000001")))
                .contains("m=audio 9 TCP/RTP/AVP 8 0", "a=setup:active");
        String base = "c=IN IP4 10.0.0.5\r\nm=audio 8000 ";
        assertThat(GbSdp.platformSide(GbSdp.parseAnswer((base + "RTP/AVP 8\r\n").getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(MediaTransport.UDP);
        assertThat(GbSdp.platformSide(GbSdp.parseAnswer((base + "TCP/RTP/AVP 8\r\na=setup:active\r\n")
                .getBytes(StandardCharsets.US_ASCII)))).isEqualTo(MediaTransport.TCP_PASSIVE);
        assertThat(GbSdp.platformSide(GbSdp.parseAnswer((base + "TCP/RTP/AVP 8\r\n")
                .getBytes(StandardCharsets.US_ASCII)))).isEqualTo(MediaTransport.TCP_PASSIVE);
        assertThat(GbSdp.platformSide(GbSdp.parseAnswer((base + "TCP/RTP/AVP 8\r\na=setup:passive\r\n")
                .getBytes(StandardCharsets.US_ASCII)))).isEqualTo(MediaTransport.TCP_ACTIVE);
    }

    @Test
    void unusableAnswersAreRefused() {
        assertThat(GbSdp.parseAnswer(new byte[0])).isNull();
        assertThat(GbSdp.parseAnswer("v=0\r\nc=IN IP4 10.0.0.5\r\n".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(GbSdp.parseAnswer("v=0\r\nm=video 8000 RTP/AVP 96\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isNull();
        assertThat(GbSdp.parseAnswer("c=IN IP4 camera.example\r\nm=video 8000 RTP/AVP 96\r\n"
                .getBytes(StandardCharsets.US_ASCII))).as("a name would need DNS").isNull();
        for (String host : new String[] {"1a.0.0.5", "256.0.0.1", "10.0.0", "10.0.0.5.6", "::zz"}) {
            assertThat(GbSdp.parseAnswer(("c=IN IP4 " + host + "\r\nm=video 8000 RTP/AVP 96\r\n")
                    .getBytes(StandardCharsets.US_ASCII))).as(host).isNull();
        }
        assertThat(GbSdp.parseAnswer("c=IN IP6 ::1\r\nm=video 8000 RTP/AVP 96\r\n"
                .getBytes(StandardCharsets.US_ASCII)).address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(GbSdp.parseAnswer("c=IN IP4 10.0.0.5\r\nm=video 99999 RTP/AVP 96\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(GbSdp.parseAnswer("c=IN IP4 10.0.0.5\r\nm=video x RTP/AVP 96\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(GbSdp.parseAnswer(new byte[GbSdp.MAX_ANSWER + 1])).isNull();
    }

    @Test
    void randomAndMutatedAnswersNeverThrow() {
        byte[] good = "v=0\r\nc=IN IP4 10.0.0.5\r\nm=video 15060 TCP/RTP/AVP 96\r\na=setup:active\r\ny=0200000001\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        Random random = new Random(28181);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            GbSdp.parseAnswer(b);
            byte[] r = new byte[random.nextInt(200)];
            random.nextBytes(r);
            GbSdp.parseAnswer(r);
        }
    }

    @Test
    void ssrcValuesAreDecimal32Bit() {
        assertThat(GbSdp.ssrcValue("0200000001")).isEqualTo(200_000_001L);
        assertThat(GbSdp.ssrcValue("4294967295")).isEqualTo(0xFFFFFFFFL);
        assertThat(GbSdp.ssrcValue("4294967296")).isEqualTo(-1);
        assertThat(GbSdp.ssrcValue("02000x0001")).isEqualTo(-1);
        assertThat(GbSdp.ssrcValue(null)).isEqualTo(-1);
    }
}
