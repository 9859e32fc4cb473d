package org.arc4j.media.rtsp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a session description (SDP, RFC 8866) an RTSP client uses: the session name, the session-level
 * {@code a=control} and the media sections with their resolved control URLs (RFC 2326 §C.1.1: {@code *} or absent
 * means the base itself, a relative URL is resolved against the base, which is {@code Content-Base},
 * {@code Content-Location} or the request URL). Immutable.
 *
 * @param sessionName the {@code s=} line, may be empty
 * @param control     the aggregate control URL (for PLAY and TEARDOWN)
 * @param media       the media sections, in order
 */
public record SessionDescription(String sessionName, URI control, List<MediaDescription> media) {
    /** The longest description {@link #parse} accepts, in characters. */
    public static final int MAX_LENGTH = 64 * 1024;

    /** Validates presence and copies the list. */
    public SessionDescription {
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(control, "control");
        media = List.copyOf(media);
    }

    /**
     * Parses a description. Unknown line types and attributes are ignored (RFC 8866 §5); only the shapes this
     * client depends on are checked, each with its own {@link SdpError}. Lines may end with CRLF or LF.
     *
     * @param sdp  the body of a DESCRIBE response
     * @param base the base URL for relative controls; must be absolute
     * @return the description or why not
     */
    public static SdpResult parse(String sdp, URI base) {
        Objects.requireNonNull(base, "base");
        if (sdp.length() > MAX_LENGTH) {
            return new SdpResult.Invalid(SdpError.TOO_LONG, sdp.length() + " characters");
        }
        String[] lines = sdp.split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().equals("v=0")) {
            return new SdpResult.Invalid(SdpError.NOT_SDP, lines.length == 0 ? "" : clip(lines[0]));
        }
        String sessionName = "";
        String sessionControl = null;
        List<Section> sections = new ArrayList<>();
        Section current = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || !Character.isLetter(line.charAt(0))) {
                return new SdpResult.Invalid(SdpError.BAD_LINE, clip(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (type == 's' && current == null) {
                sessionName = value;
            } else if (type == 'm') {
                String[] f = value.trim().split(" +");
                if (f.length < 4) {
                    return new SdpResult.Invalid(SdpError.BAD_MEDIA, clip(line));
                }
                int port;
                int pt;
                try {
                    int slash = f[1].indexOf('/');
                    port = Integer.parseInt(slash < 0 ? f[1] : f[1].substring(0, slash));
                    pt = f[2].startsWith("RTP/") ? Integer.parseInt(f[3]) : -1;
                } catch (NumberFormatException e) {
                    return new SdpResult.Invalid(SdpError.BAD_MEDIA, clip(line));
                }
                if (port < 0 || port > 65535 || pt > 127 || (f[2].startsWith("RTP/") && pt < 0)) {
                    return new SdpResult.Invalid(SdpError.BAD_MEDIA, clip(line));
                }
                current = new Section(f[0], port, f[2], pt);
                sections.add(current);
            } else if (type == 'a') {
                int colon = value.indexOf(':');
                String name = colon < 0 ? value : value.substring(0, colon);
                String arg = colon < 0 ? "" : value.substring(colon + 1).trim();
                if (name.equals("control")) {
                    if (current == null) {
                        sessionControl = arg;
                    } else {
                        current.control = arg;
                    }
                } else if (current != null && name.equals("rtpmap")) {
                    if (!current.rtpmap(arg)) {
                        return new SdpResult.Invalid(SdpError.BAD_RTPMAP, clip(line));
                    }
                } else if (current != null && name.equals("fmtp")) {
                    current.fmtp(arg);
                }
            }
        }
        if (sections.isEmpty()) {
            return new SdpResult.Invalid(SdpError.NO_MEDIA, lines.length + " lines");
        }
        URI aggregate = resolve(base, sessionControl);
        if (aggregate == null) {
            return new SdpResult.Invalid(SdpError.BAD_CONTROL, clip(sessionControl));
        }
        List<MediaDescription> media = new ArrayList<>(sections.size());
        for (Section s : sections) {
            URI control = resolve(aggregate, s.control);
            if (control == null) {
                return new SdpResult.Invalid(SdpError.BAD_CONTROL, clip(s.control));
            }
            String encoding = s.encoding != null ? s.encoding : staticName(s.payloadType);
            int rate = s.clockRate > 0 ? s.clockRate : staticRate(s.payloadType);
            media.add(new MediaDescription(s.media, s.port, s.protocol, Math.max(s.payloadType, 0), encoding, rate,
                    s.fmtp, control));
        }
        return new SdpResult.Valid(new SessionDescription(sessionName, aggregate, media));
    }

    /**
     * Resolves a control attribute (RFC 2326 §C.1.1). Relative controls are appended to the base as a path segment
     * (the base is treated as a directory even without a trailing slash, as cameras and GStreamer expect:
     * {@code rtsp://h/live} with {@code trackID=1} gives {@code rtsp://h/live/trackID=1}).
     */
    static URI resolve(URI base, String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return base;
        }
        try {
            URI c = new URI(control);
            if (c.isAbsolute()) {
                return c;
            }
            String b = base.toString();
            if (control.startsWith("/")) {
                return base.resolve(c);
            }
            return new URI(b.endsWith("/") ? b + control : b + "/" + control);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String staticName(int pt) {
        return switch (pt) {
            case 0 -> "PCMU";
            case 8 -> "PCMA";
            case 26 -> "JPEG";
            case 33 -> "MP2T";
            default -> "";
        };
    }

    private static int staticRate(int pt) {
        return switch (pt) {
            case 0, 8 -> 8000;
            case 26, 33 -> 90_000;
            default -> 0;
        };
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    private static final class Section {
        final String media;
        final int port;
        final String protocol;
        final int payloadType;
        String control;
        String encoding;
        int clockRate;
        final Map<String, String> fmtp = new HashMap<>();

        Section(String media, int port, String protocol, int payloadType) {
            this.media = media;
            this.port = port;
            this.protocol = protocol;
            this.payloadType = payloadType;
        }

        boolean rtpmap(String arg) {
            String[] f = arg.split(" +", 2);
            if (f.length < 2) {
                return false;
            }
            try {
                if (Integer.parseInt(f[0]) != payloadType) {
                    return true;
                }
                String[] enc = f[1].trim().split("/");
                if (enc.length < 2 || enc[0].isEmpty()) {
                    return false;
                }
                encoding = enc[0].toUpperCase(Locale.ROOT);
                clockRate = Integer.parseInt(enc[1]);
                return clockRate > 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        void fmtp(String arg) {
            String[] f = arg.split(" +", 2);
            if (f.length < 2 || !f[0].equals(Integer.toString(payloadType))) {
                return;
            }
            for (String p : f[1].split(";")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    fmtp.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
                }
            }
        }
    }
}
