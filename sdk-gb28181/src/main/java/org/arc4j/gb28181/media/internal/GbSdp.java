package org.arc4j.gb28181.media.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaTransport;

/**
 * The SDP of GB/T 28181 media sessions (GB/T 28181-2016 Annex G, RFC 4566): the platform's offer, with the
 * GB-specific {@code y=} (SSRC) line last since some devices refuse it elsewhere, and the parts of a device's
 * answer the platform needs. Stateless.
 */
public final class GbSdp {
    /** The longest answer read. */
    public static final int MAX_ANSWER = 8 * 1024;

    private GbSdp() {
    }

    /** The payload type of PS (GB/T 28181-2016 Annex C). */
    public static final int PS = 96;
    /** The payload type of H.264 as RTP (RFC 6184) in GB/T 28181 SDP. */
    public static final int H264 = 98;
    /** The payload type of H.265 as RTP (RFC 7798), offered to GB/T 28181-2022 devices. */
    public static final int H265 = 100;

    /**
     * The offer: receive only, PS on payload type 96 (preferred), H.264 on 98 and, to 2022-edition devices, H.265
     * on 100 — every format the platform can receive, and no other.
     *
     * @param r          the request
     * @param platformId the platform's ID (the {@code o=} user)
     * @param host       the platform's media address as the device should reach it
     * @param port       the platform's media port (9, the discard port, for TCP active)
     * @param ssrc       the SSRC, 10 digits
     * @param h265       whether to offer H.265 (a GB/T 28181-2022 device)
     * @return the SDP body
     */
    public static byte[] offer(MediaRequest r, String platformId, String host, int port, String ssrc,
                               boolean h265) {
        String ip = host.contains(":") ? "IP6" : "IP4";
        boolean tcp = r.transport() != MediaTransport.UDP;
        StringBuilder sb = new StringBuilder(320);
        sb.append("v=0\r\n");
        sb.append("o=").append(platformId).append(" 0 0 IN ").append(ip).append(' ').append(host).append("\r\n");
        sb.append("s=").append(r.kind().sessionName()).append("\r\n");
        if (r.kind().isHistory()) {
            sb.append("u=").append(r.channelId()).append(":0\r\n");
        }
        sb.append("c=IN ").append(ip).append(' ').append(host).append("\r\n");
        if (r.kind().isHistory()) {
            sb.append("t=").append(r.start().getEpochSecond()).append(' ').append(r.end().getEpochSecond())
                    .append("\r\n");
        } else {
            sb.append("t=0 0\r\n");
        }
        sb.append("m=video ").append(port).append(tcp ? " TCP/RTP/AVP" : " RTP/AVP").append(" " + PS + " " + H264)
                .append(h265 ? " " + H265 : "").append("\r\n");
        sb.append("a=recvonly\r\n");
        sb.append("a=rtpmap:" + PS + " PS/90000\r\n");
        sb.append("a=rtpmap:" + H264 + " H264/90000\r\n");
        if (h265) {
            sb.append("a=rtpmap:" + H265 + " H265/90000\r\n");
        }
        if (tcp) {
            sb.append("a=setup:").append(r.transport() == MediaTransport.TCP_PASSIVE ? "passive" : "active")
                    .append("\r\n");
            sb.append("a=connection:new\r\n");
        }
        if (r.kind() == MediaRequest.Kind.DOWNLOAD) {
            sb.append("a=downloadspeed:").append(r.downloadSpeed()).append("\r\n");
        }
        if (r.mediaFormat() != null) {
            sb.append("f=").append(r.mediaFormat()).append("\r\n");
        }
        // y= last: some devices refuse an offer with anything after it
        sb.append("y=").append(ssrc).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * What a device's answer says.
     *
     * @param address the media address ({@code c=}, the media-level one if present, and the {@code m=} port)
     * @param tcp     whether the media line's protocol is TCP/RTP/AVP
     * @param setup   the {@code a=setup} value, or null
     * @param ssrc    the {@code y=} SSRC, or null
     * @param payloadType the first format of the media line, or -1 when it is not a number
     * @param aacPayloadType the payload type an {@code a=rtpmap} maps to {@code MPEG4-GENERIC} (AAC as RFC 3640,
     *                       which GB/T 28181-2022 gives no fixed number), or -1
     * @param aacClockRate   that rtpmap's clock rate, or 0
     * @param aacFmtp        that payload type's {@code a=fmtp} parameters (empty when none)
     */
    public record Answer(InetSocketAddress address, boolean tcp, String setup, String ssrc, int payloadType,
                         int aacPayloadType, int aacClockRate, java.util.Map<String, String> aacFmtp) {
        /** Copies the parameters. */
        public Answer {
            aacFmtp = java.util.Map.copyOf(aacFmtp);
        }
    }

    /**
     * The offer of a two-way talk: receive and send, A-law preferred, μ-law too, the SSRC last (GB/T 28181-2016
     * Annex G); over TCP with {@code a=setup} and {@code a=connection:new} (RFC 4145).
     *
     * @param platformId the platform's ID
     * @param host       the platform's media address
     * @param port       its audio port (9 when it connects)
     * @param transport  how the audio travels
     * @param ssrc       the SSRC, 10 digits
     * @return the SDP body
     */
    public static byte[] talkOffer(String platformId, String host, int port, MediaTransport transport, String ssrc) {
        String ip = host.contains(":") ? "IP6" : "IP4";
        boolean tcp = transport != MediaTransport.UDP;
        return ("v=0\r\no=" + platformId + " 0 0 IN " + ip + " " + host + "\r\ns=Talk\r\nc=IN " + ip + " " + host
                + "\r\nt=0 0\r\nm=audio " + port + (tcp ? " TCP/RTP/AVP" : " RTP/AVP") + " 8 0\r\na=sendrecv\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
                + (tcp ? "a=setup:" + (transport == MediaTransport.TCP_PASSIVE ? "passive" : "active")
                + "\r\na=connection:new\r\n" : "")
                + "y=" + ssrc + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The transport an answer (or a device's offer) asks of the platform: UDP, or over TCP the opposite of the
     * device's {@code a=setup} — a device that connects ({@code active}, the default, RFC 4145 §4.1 for an
     * answerer that must choose) makes the platform listen.
     *
     * @param a the answer
     * @return the platform's transport
     */
    public static MediaTransport platformSide(Answer a) {
        if (!a.tcp()) {
            return MediaTransport.UDP;
        }
        return "passive".equals(a.setup()) ? MediaTransport.TCP_ACTIVE : MediaTransport.TCP_PASSIVE;
    }

    /**
     * Reads a device's answer (or, for voice broadcast, its offer). Tolerant of LF-only line ends, spaces and unknown lines.
     *
     * @param body the SDP
     * @return the answer, or null when it has no video or audio media line or no usable connection address
     */
    public static Answer parseAnswer(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_ANSWER) {
            return null;
        }
        String sessionHost = null;
        String mediaHost = null;
        int port = -1;
        int pt = -1;
        boolean tcp = false;
        String setup = null;
        String ssrc = null;
        boolean inMedia = false;
        int aacPt = -1;
        int aacRate = 0;
        java.util.Map<Integer, String> fmtps = new java.util.HashMap<>();
        for (String raw : new String(body, StandardCharsets.UTF_8).split("\n")) {
            String line = raw.strip();
            if (line.length() < 2 || line.charAt(1) != '=') {
                continue;
            }
            String v = line.substring(2).strip();
            switch (line.charAt(0)) {
                case 'c' -> {
                    String[] p = v.split("\\s+");
                    if (p.length >= 3) {
                        String h = p[2].contains("/") ? p[2].substring(0, p[2].indexOf('/')) : p[2];
                        if (inMedia) {
                            mediaHost = h;
                        } else {
                            sessionHost = h;
                        }
                    }
                }
                case 'm' -> {
                    if (port >= 0) {
                        break; // the first video or audio line is the stream
                    }
                    String[] p = v.split("\\s+");
                    if (p.length >= 3 && (p[0].equals("video") || p[0].equals("audio"))) {
                        try {
                            port = Integer.parseInt(p[1]);
                        } catch (NumberFormatException e) {
                            return null;
                        }
                        tcp = p[2].toUpperCase(Locale.ROOT).startsWith("TCP");
                        if (p.length > 3 && p[3].length() <= 3 && p[3].chars().allMatch(Character::isDigit)) {
                            pt = Integer.parseInt(p[3]);
                        }
                        inMedia = true;
                    }
                }
                case 'a' -> {
                    if (v.startsWith("setup:")) {
                        setup = v.substring(6).strip().toLowerCase(Locale.ROOT);
                    } else if (v.startsWith("rtpmap:") || v.startsWith("fmtp:")) {
                        boolean map = v.startsWith("rtpmap:");
                        String[] p = v.substring(map ? 7 : 5).strip().split("\\s+", 2);
                        if (p.length < 2 || p[0].length() > 3 || !p[0].chars().allMatch(Character::isDigit)) {
                            break;
                        }
                        int n = Integer.parseInt(p[0]);
                        if (!map) {
                            fmtps.put(n, p[1]);
                            break;
                        }
                        String[] enc = p[1].split("/");
                        if (enc.length >= 2 && enc[0].equalsIgnoreCase("MPEG4-GENERIC") && aacPt < 0
                                && enc[1].length() <= 6 && !enc[1].isEmpty()
                                && enc[1].chars().allMatch(Character::isDigit)) {
                            aacPt = n;
                            aacRate = Integer.parseInt(enc[1]);
                        }
                    }
                }
                case 'y' -> ssrc = v.isEmpty() ? null : v;
                default -> {
                    // other lines carry nothing the platform uses
                }
            }
        }
        String host = mediaHost != null ? mediaHost : sessionHost;
        if (port < 0 || port > 65_535 || host == null || !isIpLiteral(host)) {
            return null;
        }
        try {
            return new Answer(new InetSocketAddress(InetAddress.getByName(host), port), tcp, setup, ssrc, pt, aacPt,
                    aacRate, aacPt < 0 ? java.util.Map.of() : fmtpParameters(fmtps.get(aacPt)));
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The {@code name=value} pairs of an fmtp line, separated by semicolons; names as written. */
    private static java.util.Map<String, String> fmtpParameters(String fmtp) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        if (fmtp != null) {
            for (String pair : fmtp.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    m.putIfAbsent(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
        }
        return m;
    }

    /**
     * Whether a host is an address literal, so that resolving it needs no DNS look-up (which would block the SIP
     * thread on a name a device chose): a dotted quad, or anything with a colon, which the JDK parses as IPv6 or
     * refuses without a look-up.
     */
    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return host.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == ':' || ch == '.');
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * The numeric value of an SSRC as written in {@code y=} (decimal digits).
     *
     * @param ssrc the text
     * @return the 32-bit value, or -1 when it is not a decimal number within 32 bits
     */
    public static long ssrcValue(String ssrc) {
        if (ssrc == null || ssrc.isEmpty() || ssrc.length() > 10 || !ssrc.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long v = Long.parseLong(ssrc);
        return v > 0xFFFFFFFFL ? -1 : v;
    }
}
