package org.arc4j.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;

/** SDP parsing (RFC 8866) and control URL resolution (RFC 2326 §C.1.1) on descriptions cameras and GStreamer send. */
class RtspSessionDescriptionTest {
    private static final URI BASE = URI.create("rtsp://192.0.2.10:554/Streaming/Channels/101/");

    // shaped like gst-rtsp-server's answer for an H.264 mount, plus a PCMA track with a static payload type
    private static final String CAMERA = String.join("\r\n",
            "v=0",
            "o=- 1188340656180883 1 IN IP4 192.0.2.10",
            "s=Media Presentation",
            "t=0 0",
            "a=control:*",
            "m=video 0 RTP/AVP 96",
            "c=IN IP4 0.0.0.0",
            "a=rtpmap:96 H264/90000",
            "a=fmtp:96 packetization-mode=1;profile-level-id=42c01e;sprop-parameter-sets=Z0LAHtkBQfsBEAAAAwAQAAADAyDxYuSA,aMuMsg==",
            "a=control:trackID=1",
            "m=audio 0 RTP/AVP 8",
            "a=control:rtsp://192.0.2.10:554/Streaming/Channels/101/trackID=2",
            "") ;

    @Test
    void cameraDescriptionGivesTracksWithResolvedControls() {
        SessionDescription d = valid(CAMERA, BASE);
        assertThat(d.sessionName()).isEqualTo("Media Presentation");
        assertThat(d.control()).isEqualTo(BASE);
        assertThat(d.media()).hasSize(2);
        MediaDescription v = d.media().get(0);
        assertThat(v.media()).isEqualTo("video");
        assertThat(v.payloadType()).isEqualTo(96);
        assertThat(v.encodingName()).isEqualTo("H264");
        assertThat(v.clockRate()).isEqualTo(90_000);
        assertThat(v.videoCodec()).isEqualTo(VideoCodec.H264);
        assertThat(v.fmtp()).containsEntry("packetization-mode", "1").containsEntry("profile-level-id", "42c01e");
        assertThat(v.parameterSets()).hasSize(2);
        assertThat(v.parameterSets().get(0)[0] & 0x1F).isEqualTo(7);   // SPS
        assertThat(v.parameterSets().get(1)[0] & 0x1F).isEqualTo(8);   // PPS
        assertThat(v.control()).isEqualTo(URI.create("rtsp://192.0.2.10:554/Streaming/Channels/101/trackID=1"));
        MediaDescription a = d.media().get(1);
        assertThat(a.encodingName()).isEqualTo("PCMA");
        assertThat(a.clockRate()).isEqualTo(8000);
        assertThat(a.videoCodec()).isNull();
        assertThat(a.control()).isEqualTo(URI.create("rtsp://192.0.2.10:554/Streaming/Channels/101/trackID=2"));
    }

    @Test
    void relativeControlsResolveAgainstABaseWithoutTrailingSlashAndAbsolutePaths() {
        String sdp = "v=0\ns=x\nm=video 0 RTP/AVP 98\na=rtpmap:98 H265/90000\n"
                + "a=fmtp:98 sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA/lZgJ;sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA/oAoIDxZZVmkkyuAQAAADABAAAAMBkIA=;sprop-pps=RAHBcrRiQA==\n"
                + "a=control:stream=0\nm=video 0 RTP/AVP 97\na=rtpmap:97 H264/90000\na=control:/other/track\n";
        SessionDescription d = valid(sdp, URI.create("rtsp://h:8554/live"));
        assertThat(d.control()).isEqualTo(URI.create("rtsp://h:8554/live"));
        MediaDescription h265 = d.media().get(0);
        assertThat(h265.control()).isEqualTo(URI.create("rtsp://h:8554/live/stream=0"));
        assertThat(h265.videoCodec()).isEqualTo(VideoCodec.H265);
        assertThat(h265.parameterSets()).hasSize(3);
        assertThat(VideoCodec.H265.nalType(h265.parameterSets().get(0))).isEqualTo(32);
        assertThat(VideoCodec.H265.nalType(h265.parameterSets().get(2))).isEqualTo(34);
        assertThat(d.media().get(1).control()).isEqualTo(URI.create("rtsp://h:8554/other/track"));
    }

    @Test
    void sessionLevelControlBecomesTheAggregateAndTheBaseOfTracks() {
        String sdp = "v=0\ns=x\na=control:rtsp://h/agg/\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\na=control:t1\n";
        SessionDescription d = valid(sdp, URI.create("rtsp://h/ignored"));
        assertThat(d.control()).isEqualTo(URI.create("rtsp://h/agg/"));
        assertThat(d.media().get(0).control()).isEqualTo(URI.create("rtsp://h/agg/t1"));
    }

    @Test
    void truncatedDescriptionIsATypedError() {
        // cut in transit before the first m= line: the body a short Content-Length leaves
        String cut = CAMERA.substring(0, CAMERA.indexOf("m=video"));
        assertThat(SessionDescription.parse(cut, BASE)).isEqualTo(new SdpResult.Invalid(SdpError.NO_MEDIA, "5 lines"));
        // cut inside the rtpmap
        String midRtpmap = CAMERA.substring(0, CAMERA.indexOf("H264/90000") + 4);
        assertThat(error(midRtpmap)).isEqualTo(SdpError.BAD_RTPMAP);
        // cut inside the m= line
        assertThat(error(CAMERA.substring(0, CAMERA.indexOf("m=video") + 9))).isEqualTo(SdpError.BAD_MEDIA);
    }

    @Test
    void everyMalformedShapeHasItsOwnError() {
        assertThat(error("")).isEqualTo(SdpError.NOT_SDP);
        assertThat(error("RTSP/1.0 200 OK\r\n")).isEqualTo(SdpError.NOT_SDP);
        assertThat(error("v=0\nthis is not sdp\n")).isEqualTo(SdpError.BAD_LINE);
        assertThat(error("v=0\nm=video x RTP/AVP 96\n")).isEqualTo(SdpError.BAD_MEDIA);
        assertThat(error("v=0\nm=video 0 RTP/AVP 300\n")).isEqualTo(SdpError.BAD_MEDIA);
        assertThat(error("v=0\nm=video 0 RTP/AVP 96\na=rtpmap:96 H264\n")).isEqualTo(SdpError.BAD_RTPMAP);
        assertThat(error("v=0\nm=video 0 RTP/AVP 96\na=control:bad uri with spaces\n"))
                .isEqualTo(SdpError.BAD_CONTROL);
        assertThat(error("v=0\n" + "a=x:y\n".repeat(SessionDescription.MAX_LENGTH / 6 + 1)))
                .isEqualTo(SdpError.TOO_LONG);
    }

    @Test
    void unknownLinesAndOtherPayloadTypesAttributesAreIgnored() {
        String sdp = "v=0\ns=x\nb=AS:5000\nm=video 0 RTP/AVP 96 97\na=rtpmap:97 H265/90000\na=rtpmap:96 H264/90000\n"
                + "a=fmtp:97 sprop-sps=x\na=recvonly\na=framerate:25\n";
        MediaDescription m = valid(sdp, BASE).media().get(0);
        assertThat(m.encodingName()).isEqualTo("H264");
        assertThat(m.fmtp()).isEmpty();
        assertThat(m.control()).isEqualTo(BASE);
    }

    @Test
    void mutatedDescriptionsNeverThrow() {
        java.util.Random random = new java.util.Random(Long.getLong("arc4j.seed", 77));
        int rounds = Integer.getInteger("arc4j.rounds", 2000);
        for (int i = 0; i < rounds; i++) {
            char[] c = CAMERA.toCharArray();
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                String alphabet = "=:/ \r\n;0123456789-*$aZ";
                c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String mutated = new String(c, 0, random.nextInt(c.length + 1));
            SdpResult r = SessionDescription.parse(mutated, BASE);
            if (r instanceof SdpResult.Valid v) {
                assertThat(v.description().media()).isNotEmpty();
                v.description().media().forEach(m -> assertThat(m.control().isAbsolute()).isTrue());
            } else {
                assertThat(((SdpResult.Invalid) r).error()).isNotNull();
            }
        }
    }

    private static SdpError error(String sdp) {
        SdpResult r = SessionDescription.parse(sdp, BASE);
        assertThat(r).isInstanceOf(SdpResult.Invalid.class);
        return ((SdpResult.Invalid) r).error();
    }

    private static SessionDescription valid(String sdp, URI base) {
        SdpResult r = SessionDescription.parse(sdp, base);
        assertThat(r).isInstanceOf(SdpResult.Valid.class);
        return ((SdpResult.Valid) r).description();
    }
}
