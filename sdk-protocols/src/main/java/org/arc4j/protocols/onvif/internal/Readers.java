package org.arc4j.protocols.onvif.internal;

// Over 500 lines because it holds one StAX reader per ONVIF response type, each short and independent; keeping them together keeps
// the lenient reading rules (prefixes, whitespace, dateTime forms) in one place.

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arc4j.protocols.onvif.DeviceInformation;
import org.arc4j.protocols.onvif.DigitalInput;
import org.arc4j.protocols.onvif.MediaProfile;
import org.arc4j.protocols.onvif.NotificationMessage;
import org.arc4j.protocols.onvif.OnvifCapabilities;
import org.arc4j.protocols.onvif.OnvifException;
import org.arc4j.protocols.onvif.OnvifException.Kind;
import org.arc4j.protocols.onvif.OnvifFault;
import org.arc4j.protocols.onvif.OnvifNetworkInterface;
import org.arc4j.protocols.onvif.OnvifService;
import org.arc4j.protocols.onvif.ProbeMatch;
import org.arc4j.protocols.onvif.PtzPreset;
import org.arc4j.protocols.onvif.PtzVector;
import org.arc4j.protocols.onvif.PullMessagesResult;
import org.arc4j.protocols.onvif.PullPointSubscription;
import org.arc4j.protocols.onvif.RelayOutput;
import org.arc4j.protocols.onvif.SystemDateAndTime;

/**
 * Hand-written readers of the ONVIF answers the client uses: each takes the SOAP body's payload element and
 * returns the typed value, matching elements by local name (devices bind prefixes in every way) and tolerating
 * absent optional parts. Stateless.
 */
public final class Readers {
    private Readers() {
    }

    /**
     * Reads a SOAP answer down to the payload: the first element inside {@code Body}, SOAP 1.1 or 1.2.
     *
     * @param bytes      the HTTP body
     * @param httpStatus the HTTP status (kept on errors)
     * @return the payload element; the {@code Body} itself when it is empty (a void operation)
     * @throws OnvifFault     when the body is a SOAP fault
     * @throws OnvifException ({@link Kind#MALFORMED}) when it is not a SOAP envelope
     */
    public static XmlElement payload(byte[] bytes, int httpStatus) throws OnvifException {
        Xml.Result r = Xml.INSTANCE.parse(bytes);
        if (!r.ok()) {
            throw new OnvifException(Kind.MALFORMED, "answer is not XML: " + r.error(), httpStatus, null);
        }
        return payload(r.root(), httpStatus);
    }

    /**
     * As {@link #payload(byte[], int)} for a parsed document.
     *
     * @param root       the document element
     * @param httpStatus the HTTP status
     * @return the payload
     * @throws OnvifException as above
     */
    public static XmlElement payload(XmlElement root, int httpStatus) throws OnvifException {
        if (!root.name().equals("Envelope")) {
            throw new OnvifException(Kind.MALFORMED, "answer is not a SOAP envelope but " + root.name(), httpStatus,
                    null);
        }
        XmlElement body = root.child("Body");
        if (body == null) {
            throw new OnvifException(Kind.MALFORMED, "SOAP envelope without Body", httpStatus, null);
        }
        XmlElement fault = body.child("Fault");
        if (fault != null) {
            throw fault(fault, httpStatus);
        }
        return body.children().isEmpty() ? body : body.children().get(0);
    }

    /**
     * Reads a SOAP 1.2 or 1.1 fault.
     *
     * @param fault      the {@code Fault} element
     * @param httpStatus the HTTP status
     * @return the typed fault
     */
    public static OnvifFault fault(XmlElement fault, int httpStatus) {
        XmlElement code = fault.child("Code");
        if (code != null) {
            String value = XmlElement.localPart(code.text("Value"));
            List<String> subs = new ArrayList<>();
            XmlElement sub = code.child("Subcode");
            while (sub != null && subs.size() < 8) {
                String v = sub.text("Value");
                if (v != null && !v.isEmpty()) {
                    subs.add(XmlElement.localPart(v));
                }
                sub = sub.child("Subcode");
            }
            XmlElement reason = fault.child("Reason");
            String text = reason == null ? "" : reason.text("Text");
            return new OnvifFault(value == null ? "" : value, subs, text == null ? "" : text, httpStatus);
        }
        // SOAP 1.1: faultcode may carry a dotted subcode (Client.NotAuthorized)
        String fc = XmlElement.localPart(fault.text("faultcode"));
        List<String> subs = new ArrayList<>();
        String codeText = fc == null ? "" : fc;
        int dot = codeText.indexOf('.');
        if (dot > 0) {
            subs.add(codeText.substring(dot + 1));
            codeText = codeText.substring(0, dot);
        }
        XmlElement detail = fault.child("detail");
        if (detail != null) {
            for (XmlElement d : detail.descendants("Subcode")) {
                subs.add(XmlElement.localPart(d.text()));
            }
        }
        String reason = fault.text("faultstring");
        return new OnvifFault(codeText, subs, reason == null ? "" : reason, httpStatus);
    }

    private static OnvifException missing(String what) {
        return new OnvifException(Kind.MALFORMED, "answer lacks " + what);
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static int i(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Double d(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads a URI as sent, tolerating whitespace around it and unescaped spaces in it.
     *
     * @param text the text
     * @return the URI, or null when unreadable
     */
    public static URI uri(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return new URI(t);
        } catch (URISyntaxException e) {
            try {
                return new URI(t.replace(" ", "%20"));
            } catch (URISyntaxException e2) {
                return null;
            }
        }
    }

    /**
     * Whether a boolean as devices write it is true ({@code true}, {@code 1}, any case, trimmed).
     *
     * @param v the text
     * @return true for a true value
     */
    public static boolean bool(String v) {
        if (v == null) {
            return false;
        }
        String t = v.trim();
        return t.equalsIgnoreCase("true") || t.equals("1");
    }

    /**
     * {@code GetSystemDateAndTimeResponse}.
     *
     * @param p the payload
     * @return the value
     * @throws OnvifException when there is no SystemDateAndTime
     */
    public static SystemDateAndTime systemDateAndTime(XmlElement p) throws OnvifException {
        XmlElement sdt = p.name().equals("SystemDateAndTime") ? p : p.child("SystemDateAndTime");
        if (sdt == null) {
            throw missing("SystemDateAndTime");
        }
        Instant utc = null;
        XmlElement u = sdt.child("UTCDateTime");
        if (u != null && u.child("Date") != null && u.child("Time") != null) {
            try {
                utc = LocalDateTime.of(i(u.text("Date", "Year")), i(u.text("Date", "Month")), i(u.text("Date", "Day")),
                        i(u.text("Time", "Hour")), i(u.text("Time", "Minute")), i(u.text("Time", "Second")))
                        .toInstant(ZoneOffset.UTC);
            } catch (java.time.DateTimeException e) {
                utc = null;
            }
        }
        return new SystemDateAndTime(utc, s(sdt.text("DateTimeType")), bool(sdt.text("DaylightSavings")),
                sdt.text("TimeZone", "TZ"));
    }

    /**
     * {@code GetDeviceInformationResponse}.
     *
     * @param p the payload
     * @return the value
     */
    public static DeviceInformation deviceInformation(XmlElement p) {
        return new DeviceInformation(s(p.text("Manufacturer")), s(p.text("Model")), s(p.text("FirmwareVersion")),
                s(p.text("SerialNumber")), s(p.text("HardwareId")));
    }

    /**
     * {@code GetServicesResponse}.
     *
     * @param p the payload
     * @return the services with readable addresses
     */
    public static List<OnvifService> services(XmlElement p) {
        List<OnvifService> out = new ArrayList<>();
        for (XmlElement s : p.all("Service")) {
            URI x = uri(s.text("XAddr"));
            String ns = s.text("Namespace");
            if (x == null || ns == null) {
                continue;
            }
            String v = s.child("Version") == null ? "" : s(s.text("Version", "Major")) + "." + s(s.text("Version", "Minor"));
            out.add(new OnvifService(ns.trim(), x, v));
        }
        return out;
    }

    /**
     * {@code GetCapabilitiesResponse}.
     *
     * @param p the payload
     * @return the addresses by category
     */
    public static OnvifCapabilities capabilities(XmlElement p) {
        XmlElement caps = p.child("Capabilities");
        Map<String, URI> x = new LinkedHashMap<>();
        boolean pull = false;
        if (caps != null) {
            collectXAddrs(caps, x);
            XmlElement ext = caps.child("Extension");
            if (ext != null) {
                collectXAddrs(ext, x);
            }
            XmlElement ev = caps.child("Events");
            pull = ev != null && bool(ev.text("WSPullPointSupport"));
        }
        return new OnvifCapabilities(x, pull);
    }

    private static void collectXAddrs(XmlElement parent, Map<String, URI> out) {
        for (XmlElement c : parent.children()) {
            URI u = uri(c.text("XAddr"));
            if (u != null) {
                out.put(c.name(), u);
            }
        }
    }

    /**
     * {@code GetNetworkInterfacesResponse}.
     *
     * @param p the payload
     * @return the interfaces
     */
    public static List<OnvifNetworkInterface> networkInterfaces(XmlElement p) {
        List<OnvifNetworkInterface> out = new ArrayList<>();
        for (XmlElement n : p.all("NetworkInterfaces")) {
            List<String> v4 = new ArrayList<>();
            boolean dhcp = false;
            XmlElement cfg = n.path("IPv4", "Config");
            if (cfg != null) {
                for (String kind : new String[] {"Manual", "LinkLocal", "FromDHCP"}) {
                    for (XmlElement a : cfg.all(kind)) {
                        String addr = a.text("Address");
                        if (addr != null && !addr.isEmpty() && !v4.contains(addr + "/" + s(a.text("PrefixLength")))) {
                            v4.add(addr + "/" + s(a.text("PrefixLength")));
                        }
                    }
                }
                dhcp = bool(cfg.text("DHCP"));
            }
            out.add(new OnvifNetworkInterface(s(n.attr("token")), bool(n.text("Enabled")), s(n.text("Info", "Name")),
                    s(n.text("Info", "HwAddress")), v4, dhcp));
        }
        return out;
    }

    /**
     * {@code GetRelayOutputsResponse} (device or DeviceIO service).
     *
     * @param p the payload
     * @return the relays
     */
    public static List<RelayOutput> relayOutputs(XmlElement p) {
        List<RelayOutput> out = new ArrayList<>();
        for (XmlElement r : p.all("RelayOutputs")) {
            out.add(new RelayOutput(s(r.attr("token")), s(r.text("Properties", "Mode")),
                    s(r.text("Properties", "DelayTime")), s(r.text("Properties", "IdleState"))));
        }
        return out;
    }

    /**
     * {@code GetDigitalInputsResponse}.
     *
     * @param p the payload
     * @return the inputs
     */
    public static List<DigitalInput> digitalInputs(XmlElement p) {
        List<DigitalInput> out = new ArrayList<>();
        for (XmlElement r : p.all("DigitalInputs")) {
            String idle = r.attr("IdleState");
            out.add(new DigitalInput(s(r.attr("token")), idle == null ? s(r.text("IdleState")) : idle));
        }
        return out;
    }

    /**
     * {@code GetProfilesResponse} of Media (ver10) or Media2 (ver20).
     *
     * @param p            the payload
     * @param mediaVersion 1 or 2
     * @return the profiles
     */
    public static List<MediaProfile> profiles(XmlElement p, int mediaVersion) {
        List<MediaProfile> out = new ArrayList<>();
        for (XmlElement pr : p.all("Profiles")) {
            XmlElement cfg = pr.child("Configurations") != null ? pr.child("Configurations") : pr;
            XmlElement vs = first(cfg, "VideoSource", "VideoSourceConfiguration");
            XmlElement ve = first(cfg, "VideoEncoder", "VideoEncoderConfiguration");
            XmlElement ptz = first(cfg, "PTZ", "PTZConfiguration");
            out.add(new MediaProfile(s(pr.attr("token")), s(pr.text("Name")),
                    ve == null ? "" : s(ve.text("Encoding")),
                    ve == null ? 0 : i(ve.text("Resolution", "Width")), ve == null ? 0 : i(ve.text("Resolution", "Height")),
                    vs == null ? "" : s(vs.text("SourceToken")), ptz == null ? "" : s(ptz.attr("token")),
                    mediaVersion, vs == null ? "" : s(vs.attr("token"))));
        }
        return out;
    }

    private static XmlElement first(XmlElement parent, String a, String b) {
        XmlElement e = parent.child(a);
        return e != null ? e : parent.child(b);
    }

    /**
     * The URI of {@code GetStreamUriResponse} / {@code GetSnapshotUriResponse}: {@code MediaUri/Uri} (Media) or
     * {@code Uri} (Media2).
     *
     * @param p the payload
     * @return the URI, trimmed
     * @throws OnvifException when absent or unreadable
     */
    public static URI mediaUri(XmlElement p) throws OnvifException {
        String t = p.text("MediaUri", "Uri");
        if (t == null) {
            t = p.text("Uri");
        }
        URI u = uri(t);
        if (u == null) {
            throw missing("a readable Uri");
        }
        return u;
    }

    /**
     * {@code GetPresetsResponse}.
     *
     * @param p the payload
     * @return the presets
     */
    public static List<PtzPreset> presets(XmlElement p) {
        List<PtzPreset> out = new ArrayList<>();
        for (XmlElement pr : p.all("Preset")) {
            XmlElement pos = pr.child("PTZPosition");
            PtzVector v = null;
            if (pos != null) {
                XmlElement pt = pos.child("PanTilt");
                XmlElement z = pos.child("Zoom");
                v = new PtzVector(pt == null ? null : d(pt.attr("x")), pt == null ? null : d(pt.attr("y")),
                        z == null ? null : d(z.attr("x")));
            }
            out.add(new PtzPreset(s(pr.attr("token")), s(pr.text("Name")), v));
        }
        return out;
    }

    /**
     * The subscription address and times of {@code CreatePullPointSubscriptionResponse} or a renew answer.
     *
     * @param p the payload
     * @return the subscription; its address is null for a renew answer, as reported otherwise
     */
    public static PullPointSubscription subscription(XmlElement p) {
        XmlElement ref = p.child("SubscriptionReference");
        URI addr = ref == null ? null : uri(ref.text("Address"));
        return new PullPointSubscription(addr, DateTimes.parse(p.text("CurrentTime")),
                DateTimes.parse(p.text("TerminationTime")));
    }

    /**
     * {@code PullMessagesResponse}.
     *
     * @param p the payload
     * @return the notifications
     */
    public static PullMessagesResult pullMessages(XmlElement p) {
        List<NotificationMessage> msgs = new ArrayList<>();
        for (XmlElement n : p.all("NotificationMessage")) {
            msgs.add(notification(n));
        }
        return new PullMessagesResult(DateTimes.parse(p.text("CurrentTime")), DateTimes.parse(p.text("TerminationTime")),
                msgs);
    }

    /**
     * One {@code wsnt:NotificationMessage}.
     *
     * @param n the element
     * @return the message
     */
    public static NotificationMessage notification(XmlElement n) {
        String raw = s(n.text("Topic"));
        StringBuilder topic = new StringBuilder();
        for (String seg : raw.split("/")) {
            if (topic.length() > 0) {
                topic.append('/');
            }
            topic.append(XmlElement.localPart(seg));
        }
        XmlElement m = n.path("Message", "Message");
        if (m == null) {
            m = n.child("Message");
        }
        Map<String, String> src = new LinkedHashMap<>();
        Map<String, String> key = new LinkedHashMap<>();
        Map<String, String> data = new LinkedHashMap<>();
        String utc = "";
        String op = "";
        if (m != null) {
            utc = s(m.attr("UtcTime")).trim();
            op = s(m.attr("PropertyOperation")).trim();
            items(m.child("Source"), src);
            items(m.child("Key"), key);
            items(m.child("Data"), data);
        }
        return new NotificationMessage(topic.toString(), raw, DateTimes.parse(utc), utc, op, src, key, data);
    }

    private static void items(XmlElement parent, Map<String, String> out) {
        if (parent == null) {
            return;
        }
        for (XmlElement si : parent.all("SimpleItem")) {
            String name = si.attr("Name");
            if (name != null) {
                out.put(name.trim(), s(si.attr("Value")).trim());
            }
        }
    }

    /**
     * {@code ProbeMatches} of WS-Discovery.
     *
     * @param p    the payload
     * @param from where it came from
     * @return the matches with an endpoint reference
     */
    public static List<ProbeMatch> probeMatches(XmlElement p, java.net.InetSocketAddress from) {
        List<ProbeMatch> out = new ArrayList<>();
        for (XmlElement m : p.all("ProbeMatch")) {
            String epr = m.text("EndpointReference", "Address");
            if (epr == null || epr.isEmpty()) {
                continue;
            }
            List<URI> x = new ArrayList<>();
            for (String t : split(m.text("XAddrs"))) {
                URI u = uri(t);
                if (u != null) {
                    x.add(u);
                }
            }
            long mv = 0;
            try {
                mv = Long.parseLong(s(m.text("MetadataVersion")).trim());
            } catch (NumberFormatException e) {
                mv = 0;
            }
            out.add(new ProbeMatch(epr, split(m.text("Types")), split(m.text("Scopes")), x, mv, from));
        }
        return out;
    }

    private static List<String> split(String t) {
        List<String> out = new ArrayList<>();
        if (t != null) {
            for (String s : t.trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
