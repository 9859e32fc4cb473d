package org.arc4j.media.rtsp;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arc4j.media.video.SpropParameterSets;
import org.arc4j.media.video.VideoCodec;

/**
 * One {@code m=} section of a session description (RFC 8866 §5.14) with what an RTSP client needs of it: the first
 * payload type's {@code a=rtpmap} (§6.6), its {@code a=fmtp} parameters (§6.15; for video the {@code sprop-*}
 * parameter sets of RFC 6184 §8.1 and RFC 7798 §7.1) and the {@code a=control} URL resolved against the session's
 * base (RFC 2326 §C.1.1). Immutable.
 *
 * @param media        {@code video}, {@code audio}, {@code application}, …
 * @param port         the port of the m= line (0 in most RTSP descriptions)
 * @param protocol     e.g. {@code RTP/AVP}
 * @param payloadType  the first format of the m= line, 0..127
 * @param encodingName from rtpmap, upper case (e.g. {@code H264}, {@code H265}, {@code PCMA}); for a static
 *                     payload type without rtpmap the RFC 3551 name when known, else empty
 * @param clockRate    from rtpmap, in Hz; 8000 or 90000 by RFC 3551 for static types without rtpmap, else 0
 * @param fmtp         the fmtp parameters of that payload type, names in lower case
 * @param control      the absolute control URL for SETUP
 */
public record MediaDescription(String media, int port, String protocol, int payloadType, String encodingName,
                               int clockRate, Map<String, String> fmtp, URI control) {
    /** Validates presence and copies the map. */
    public MediaDescription {
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(encodingName, "encodingName");
        fmtp = Map.copyOf(fmtp);
        Objects.requireNonNull(control, "control");
    }

    /** @return the video codec this section carries, or null for audio, data or a codec arc4j does not depacketise */
    public VideoCodec videoCodec() {
        return switch (encodingName) {
            case "H264" -> VideoCodec.H264;
            case "H265" -> VideoCodec.H265;
            default -> null;
        };
    }

    /**
     * The parameter sets announced out of band: {@code sprop-parameter-sets} (RFC 6184 §8.1) for H.264,
     * {@code sprop-vps}, {@code sprop-sps} and {@code sprop-pps} (RFC 7798 §7.1) for H.265.
     *
     * @return the NAL units, empty when none are announced or they do not decode
     */
    public List<byte[]> parameterSets() {
        VideoCodec codec = videoCodec();
        if (codec == VideoCodec.H264) {
            return SpropParameterSets.decode(fmtp.getOrDefault("sprop-parameter-sets", ""));
        }
        if (codec == VideoCodec.H265) {
            return SpropParameterSets.decodeH265(fmtp.getOrDefault("sprop-vps", ""),
                    fmtp.getOrDefault("sprop-sps", ""), fmtp.getOrDefault("sprop-pps", ""));
        }
        return List.of();
    }
}
