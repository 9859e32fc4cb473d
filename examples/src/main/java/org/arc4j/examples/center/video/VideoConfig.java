package org.arc4j.examples.center.video;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.media.buffer.PreAlarmBuffer;

/**
 * The {@code video:} section of the centre's configuration: the cameras of each site and how much video is kept
 * before an alarm (GA 1383 报警复核: pre-alarm recording 10 to 30 s).
 *
 * @param preAlarm   the default pre-alarm depth, e.g. {@code 15s} (10 to 30 s; default 15 s)
 * @param clipMax    the longest live part of a case's clip, e.g. {@code 60s} (default 60 s)
 * @param cameras    the cameras
 * @param preAlarmBy pre-alarm depths by site id or customer id (GA 1383: per site or customer, 10 to 30 s): a camera
 *                   without its own {@code preAlarm} takes its site's, else its customer's, else the section's
 */
public record VideoConfig(String preAlarm, String clipMax, List<Camera> cameras, Map<String, String> preAlarmBy) {
    /** Replaces absent lists and maps by empty ones. */
    public VideoConfig {
        cameras = cameras == null ? List.of() : List.copyOf(cameras);
        preAlarmBy = preAlarmBy == null ? Map.of() : Map.copyOf(preAlarmBy);
    }

    /**
     * A section without per-site depths.
     *
     * @param preAlarm the default pre-alarm depth
     * @param clipMax  the longest live part of a clip
     * @param cameras  the cameras
     */
    public VideoConfig(String preAlarm, String clipMax, List<Camera> cameras) {
        this(preAlarm, clipMax, cameras, null);
    }

    /** @return a section without cameras */
    public static VideoConfig empty() {
        return new VideoConfig(null, null, null, null);
    }

    /**
     * The depth a camera without its own {@code preAlarm} gets at a site: the site's, else its customer's, else the
     * section's.
     *
     * @param site     the camera's site
     * @param customer the site's customer, or null
     * @return the depth
     */
    public Duration preAlarmDepth(String site, String customer) {
        String d = preAlarmBy.get(site);
        if (d == null && customer != null) {
            d = preAlarmBy.get(customer);
        }
        return d == null ? preAlarmDepth() : CenterConfig.duration(d);
    }

    /** @return the default pre-alarm depth */
    public Duration preAlarmDepth() {
        return preAlarm == null ? Duration.ofSeconds(15) : CenterConfig.duration(preAlarm);
    }

    /** @return the longest live part of a clip */
    public Duration clipMaxDuration() {
        return clipMax == null ? Duration.ofSeconds(60) : CenterConfig.duration(clipMax);
    }

    /**
     * A camera (one video channel) at a site.
     *
     * @param id       the camera's id; also the account its ONVIF events and video faults report with
     * @param name     what it shows, e.g. {@code 金库门}
     * @param site     the site it watches (a site id of the customers section)
     * @param zone     the zone it covers, or null
     * @param rtsp     its RTSP stream, e.g. {@code rtsp://10.0.0.5/Streaming/Channels/101}
     * @param onvif    its ONVIF device service (events, PTZ, clock), or null
     * @param username the camera login (RTSP Digest and ONVIF), or null; kept in the credential vault
     * @param password its password, or null
     * @param preAlarm this camera's pre-alarm depth, or null for the section's
     * @param x        horizontal position on the site plan, 0 to 1, or null
     * @param y        vertical position on the site plan, 0 to 1, or null
     * @param gb28181  instead of {@code rtsp}: the GB/T 28181 channel the video comes from, its 20-digit ID (the
     *                 device found by the channel catalogs), or {@code <device ID>/<channel ID>}
     * @param area     the area it belongs to, for tours by area (e.g. {@code 东城区}), or null
     * @param category what it watches, for tours by category (e.g. {@code 出入口}, {@code 金库}), or null
     */
    public record Camera(String id, String name, String site, String zone, String rtsp, String onvif,
                         String username, String password, String preAlarm, Double x, Double y, String gb28181,
                         String area, String category) {
        /**
         * A camera in no area or category.
         *
         * @param id       the camera's id
         * @param name     what it shows
         * @param site     the site it watches
         * @param zone     the zone it covers
         * @param rtsp     its RTSP stream
         * @param onvif    its ONVIF device service
         * @param username the camera login
         * @param password its password
         * @param preAlarm this camera's pre-alarm depth
         * @param x        horizontal position on the site plan
         * @param y        vertical position on the site plan
         * @param gb28181  the GB/T 28181 channel instead of {@code rtsp}
         */
        public Camera(String id, String name, String site, String zone, String rtsp, String onvif, String username,
                      String password, String preAlarm, Double x, Double y, String gb28181) {
            this(id, name, site, zone, rtsp, onvif, username, password, preAlarm, x, y, gb28181, null, null);
        }

        /**
         * @param fallback the section's depth
         * @return this camera's pre-alarm depth
         */
        public Duration preAlarmDepth(Duration fallback) {
            return preAlarm == null ? fallback : CenterConfig.duration(preAlarm);
        }

        /** @return where the video comes from, for logs and events: the RTSP URL without login, or the GB channel */
        public String source() {
            return rtsp != null ? rtsp.replaceAll("//[^@/]*@", "//") : "gb28181:" + gb28181;
        }

        /**
         * @param secret the password
         * @return a copy with that password
         */
        public Camera withPassword(String secret) {
            return new Camera(id, name, site, zone, rtsp, onvif, username, secret, preAlarm, x, y, gb28181, area,
                    category);
        }

        /**
         * Checks a camera as the configuration file or the API gives it.
         *
         * @param sites    the known site ids
         * @param fallback the section's pre-alarm depth
         * @return the problem, or null when it is valid
         */
        public String problem(Set<String> sites, Duration fallback) {
            if (id == null || !id.matches("[A-Za-z0-9_.-]{1,32}")) {
                return "id must be 1 to 32 letters, digits, '.', '_' or '-'";
            }
            if (site == null || !sites.contains(site)) {
                return "site '" + site + "' is not a site of any customer";
            }
            if ((rtsp == null) == (gb28181 == null)) {
                return "a camera has either rtsp or gb28181";
            }
            if (gb28181 != null && !gb28181.matches("(\\d{20}/)?\\d{20}")) {
                return "gb28181 must be a 20-digit channel ID, or <device ID>/<channel ID>";
            }
            if (rtsp != null && !rtsp.startsWith("rtsp://")) {
                return "rtsp must be an rtsp:// URL";
            }
            try {
                if (rtsp != null) {
                    URI.create(rtsp);
                }
                if (onvif != null) {
                    URI o = URI.create(onvif);
                    if (o.getHost() == null || !(o.getScheme().equals("http") || o.getScheme().equals("https"))) {
                        return "onvif must be an http(s):// device service URL";
                    }
                }
            } catch (IllegalArgumentException e) {
                return "bad URL: " + e.getMessage();
            }
            if ((username == null) != (password == null)) {
                return "username and password go together";
            }
            Duration d;
            try {
                d = preAlarmDepth(fallback);
            } catch (RuntimeException e) {
                return "preAlarm: " + e.getMessage();
            }
            if (d.compareTo(PreAlarmBuffer.MIN_DEPTH) < 0 || d.compareTo(PreAlarmBuffer.MAX_DEPTH) > 0) {
                return "preAlarm must be 10 to 30 s (GA 1383)";
            }
            if ((x != null && (x < 0 || x > 1)) || (y != null && (y < 0 || y > 1))) {
                return "x and y are fractions of the site plan, 0 to 1";
            }
            if (area != null && (area.isBlank() || area.length() > 64)
                    || category != null && (category.isBlank() || category.length() > 64)) {
                return "area and category are 1 to 64 characters";
            }
            return null;
        }
    }

    /**
     * Checks the whole section, with no customer ids known (a {@code preAlarmBy} key must then be a site).
     *
     * @param sites the known site ids
     * @return the first problem as {@code video.cameras[i]: …}, or null
     */
    public String problem(Set<String> sites) {
        return problem(sites, Set.of());
    }

    /**
     * Checks the whole section.
     *
     * @param sites     the known site ids
     * @param customers the known customer ids
     * @return the first problem as {@code video.preAlarmBy.<key>: …} or {@code video.cameras[i]: …}, or null
     */
    public String problem(Set<String> sites, Set<String> customers) {
        Duration fallback;
        try {
            fallback = preAlarmDepth();
            clipMaxDuration();
        } catch (RuntimeException e) {
            return "video: " + e.getMessage();
        }
        for (Map.Entry<String, String> b : new java.util.TreeMap<>(preAlarmBy).entrySet()) {
            if (!sites.contains(b.getKey()) && !customers.contains(b.getKey())) {
                // a mistyped id would silently leave its cameras at the default depth
                return "video.preAlarmBy." + b.getKey() + ": '" + b.getKey() + "' is neither a site nor a customer";
            }
            Duration d;
            try {
                d = CenterConfig.duration(b.getValue());
            } catch (RuntimeException e) {
                return "video.preAlarmBy." + b.getKey() + ": " + e.getMessage();
            }
            if (d.compareTo(PreAlarmBuffer.MIN_DEPTH) < 0 || d.compareTo(PreAlarmBuffer.MAX_DEPTH) > 0) {
                return "video.preAlarmBy." + b.getKey() + ": preAlarm must be 10 to 30 s (GA 1383)";
            }
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < cameras.size(); i++) {
            String p = cameras.get(i).problem(sites, fallback);
            if (p == null && !ids.add(cameras.get(i).id())) {
                p = "id '" + cameras.get(i).id() + "' is used twice";
            }
            if (p != null) {
                return "video.cameras[" + i + "]: " + p;
            }
        }
        return null;
    }
}
