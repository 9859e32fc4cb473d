package org.arc4j.examples.center.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The centre's links, supervision duties and forward targets: the {@code receive}, {@code supervision} and
 * {@code forward} sections of the same YAML file as {@link CenterConfig} (which leaves these three sections to this
 * class). Every field is optional; a missing file section means the defaults. See {@code docs/center-links.md}.
 *
 * @param receive     receive paths besides DC-09 and GB/T 28181
 * @param supervision supervision duties
 * @param forward     forward targets and their retry
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LinksConfig(Receive receive, Supervision supervision, Forward forward) {
    /** Replaces absent sections by their defaults. */
    public LinksConfig {
        receive = receive == null ? new Receive(null, null, null) : receive;
        supervision = supervision == null ? new Supervision(null, null, null) : supervision;
        forward = forward == null ? new Forward(null, null, null) : forward;
    }

    /** @return the defaults (no file given) */
    public static LinksConfig empty() {
        return new LinksConfig(null, null, null);
    }

    /**
     * Receive paths.
     *
     * @param pstn       the Contact ID over PSTN gateway (its SIP port is {@code --pstn-sip})
     * @param receivers  hardware receivers whose automation output the centre reads
     * @param automation third-party automation software the centre feeds with Sur-Gard records
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Receive(Pstn pstn, List<Link> receivers, List<Link> automation) {
        /** Replaces absent parts by defaults. */
        public Receive {
            pstn = pstn == null ? new Pstn(null, null) : pstn;
            receivers = receivers == null ? List.of() : List.copyOf(receivers);
            automation = automation == null ? List.of() : List.copyOf(automation);
        }
    }

    /**
     * The Contact ID over PSTN gateway.
     *
     * @param lines   simultaneous calls taken, default 4 (GA 1383 传输部分: at least 4 trunks, one more per 200
     *                customers above 300); more calls get 486 Busy Here
     * @param enabled false to switch the gateway off, default on
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Pstn(Integer lines, Boolean enabled) {
        /** @return the number of lines, default 4 */
        public int lineCount() {
            return lines == null ? 4 : lines;
        }

        /** @return whether the gateway runs, default true */
        public boolean on() {
            return enabled == null || enabled;
        }
    }

    /**
     * A byte link: a serial port or a TCP connection the centre makes.
     *
     * @param name     a name for logs, link ids and supervision
     * @param serial   the serial device, e.g. {@code /dev/ttyUSB0}, or null
     * @param baud     the serial speed, default 9600
     * @param tcp      {@code host:port} to connect to, or null
     * @param receiver for automation output: the two-digit receiver number written, default {@code 01}
     * @param line     for automation output: the one-digit line number written, default {@code 1}
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Link(String name, String serial, Integer baud, String tcp, String receiver, String line) {
        /** @return the serial speed, default 9600 */
        public int speed() {
            return baud == null ? 9600 : baud;
        }
    }

    /**
     * Supervision duties.
     *
     * @param inspection     how often devices not heard from are inspected, at most 24 h (default 24h)
     * @param clockTolerance the largest clock error of a PSTN device, default 30s (GA 1383 设备校时)
     * @param faultAfter     how long a device may stay offline before a fault ticket is opened, default 0s
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Supervision(String inspection, String clockTolerance, String faultAfter) {
        /** @return the inspection period */
        public Duration inspectionPeriod() {
            return inspection == null ? Duration.ofHours(24) : CenterConfig.duration(inspection);
        }

        /** @return the clock tolerance */
        public Duration tolerance() {
            return clockTolerance == null ? Duration.ofSeconds(30) : CenterConfig.duration(clockTolerance);
        }

        /** @return how long before a fault ticket */
        public Duration faultDelay() {
            return faultAfter == null ? Duration.ZERO : CenterConfig.duration(faultAfter);
        }
    }

    /**
     * Forwarding.
     *
     * @param targets    where forwards go, by the recipient name rules and operators use
     * @param retryFirst the first retry delay, default 1s (doubling)
     * @param retryMax   the longest retry delay, default 60s
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Forward(List<Target> targets, String retryFirst, String retryMax) {
        /** Replaces an absent list by an empty one. */
        public Forward {
            targets = targets == null ? List.of() : List.copyOf(targets);
        }

        /** @return the first retry delay */
        public Duration firstRetry() {
            return retryFirst == null ? Duration.ofSeconds(1) : CenterConfig.duration(retryFirst);
        }

        /** @return the longest retry delay */
        public Duration maxRetry() {
            return retryMax == null ? Duration.ofSeconds(60) : CenterConfig.duration(retryMax);
        }
    }

    /**
     * A forward target.
     *
     * @param name    the recipient name, as {@code rules.forwarding[].to} and the console's forward action use it
     * @param type    {@code webhook}, {@code terminal} or {@code phone}
     * @param url     for a webhook: the URL POSTed to
     * @param secret  for a webhook: the HMAC secret, imported into the credential vault (then read from there)
     * @param number  for phone: the number the operator calls
     * @param police  true when the recipient is the police
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Target(String name, String type, String url, String secret, String number, Boolean police) {
        /** @return whether the recipient is the police */
        public boolean isPolice() {
            return police != null && police;
        }
    }

    /**
     * Reads the three sections from a configuration file and validates them.
     *
     * @param file the YAML file
     * @return the sections
     * @throws IllegalArgumentException with a one-line message naming the file, the place and the problem
     */
    public static LinksConfig load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        LinksConfig c;
        try {
            c = yaml.readValue(Files.readAllBytes(file), LinksConfig.class);
        } catch (JsonMappingException e) {
            String where = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new IllegalArgumentException("config " + file + ": " + (where.isEmpty() ? "" : "at " + where + ": ")
                    + e.getOriginalMessage().lines().findFirst().orElse("invalid"));
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (c == null) {
            return empty();
        }
        c.validate(file);
        return c;
    }

    private void validate(Path file) {
        require(file, receive.pstn().lineCount() >= 1, "receive.pstn.lines must be at least 1");
        Set<String> names = new HashSet<>();
        for (String kind : List.of("receivers", "automation")) {
            List<Link> links = kind.equals("receivers") ? receive.receivers() : receive.automation();
            for (int i = 0; i < links.size(); i++) {
                Link l = links.get(i);
                String at = "receive." + kind + "[" + i + "]";
                require(file, l.name() != null && !l.name().isBlank(), at + ".name is required");
                require(file, names.add(l.name()), at + ".name '" + l.name() + "' is used twice");
                require(file, (l.serial() == null) != (l.tcp() == null), at + " needs exactly one of serial or tcp");
                require(file, l.tcp() == null || l.tcp().matches(".+:[0-9]{1,5}"), at + ".tcp must be host:port");
                require(file, l.receiver() == null || l.receiver().matches("[0-9]{2}"),
                        at + ".receiver must be two digits");
                require(file, l.line() == null || l.line().matches("[0-9]"), at + ".line must be one digit");
            }
        }
        duration(file, supervision.inspection(), "supervision.inspection");
        require(file, supervision.inspectionPeriod().compareTo(Duration.ofHours(24)) <= 0
                        && !supervision.inspectionPeriod().isZero(),
                "supervision.inspection must be positive and at most 24h (GA 1383 设备巡检)");
        duration(file, supervision.clockTolerance(), "supervision.clockTolerance");
        duration(file, supervision.faultAfter(), "supervision.faultAfter");
        duration(file, forward.retryFirst(), "forward.retryFirst");
        duration(file, forward.retryMax(), "forward.retryMax");
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < forward.targets().size(); i++) {
            Target t = forward.targets().get(i);
            String at = "forward.targets[" + i + "]";
            require(file, t.name() != null && !t.name().isBlank(), at + ".name is required");
            require(file, targets.add(t.name()), at + ".name '" + t.name() + "' is used twice");
            require(file, List.of("webhook", "terminal", "phone").contains(String.valueOf(t.type())),
                    at + ".type must be webhook, terminal or phone");
            if ("webhook".equals(t.type())) {
                require(file, t.url() != null && t.url().matches("https?://.+"), at + ".url must be an http(s) URL");
            }
        }
    }

    private static void duration(Path file, String text, String at) {
        if (text == null) {
            return;
        }
        try {
            CenterConfig.duration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config " + file + ": " + at + ": " + e.getMessage());
        }
    }

    private static void require(Path file, boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config " + file + ": " + message);
        }
    }
}
