package org.arc4j.examples.center.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.arc4j.examples.center.video.VideoConfig;

/**
 * The reference centre's YAML configuration ({@code --config FILE}): customers with their sites, zones and
 * reporting accounts, GB/T 28181 devices, forwarding and linkage rules, and action plans. The file seeds the
 * centre at start; changes made later through the API are journalled and win over the file. Keys and
 * passwords in it are imported into the credential vault. See {@code examples/config/center.yaml}.
 *
 * @param dc09        DC-09 receiver settings
 * @param customers   customers
 * @param gb28181     GB/T 28181 devices
 * @param rules       forwarding and linkage rules
 * @param actionPlans action plans by category
 * @param intake      intake settings (retransmission window)
 * @param video       cameras per site and pre-alarm recording ({@link VideoConfig})
 */
@JsonIgnoreProperties(value = {"receive", "supervision", "forward"}, ignoreUnknown = false) // LinksConfig reads these
public record CenterConfig(Dc09 dc09, List<Customer> customers, Gb28181 gb28181, Rules rules,
                           List<ActionPlan> actionPlans, Intake intake, VideoConfig video) {
    /** Replaces absent sections by empty ones. */
    public CenterConfig {
        dc09 = dc09 == null ? new Dc09(false, null, null) : dc09;
        customers = customers == null ? List.of() : List.copyOf(customers);
        gb28181 = gb28181 == null ? new Gb28181(List.of(), null, null) : gb28181;
        rules = rules == null ? new Rules(List.of(), List.of()) : rules;
        actionPlans = actionPlans == null ? List.of() : List.copyOf(actionPlans);
        intake = intake == null ? new Intake(null) : intake;
        video = video == null ? VideoConfig.empty() : video;
    }

    /** @return an empty configuration (no file given) */
    public static CenterConfig empty() {
        return new CenterConfig(null, null, null, null, null, null, null);
    }

    /**
     * Intake settings.
     *
     * @param dedupeWindow how long a message's idempotency key is remembered, so that a retransmission gets the
     *                     original receipt and no second event, e.g. {@code 10m}. The intake remembers every
     *                     message of the window in 50 to 100 bytes of heap and reads a retransmission's events back
     *                     from the journal.
     */
    public record Intake(String dedupeWindow) {
        /** @return the window, default 10 minutes */
        public Duration window() {
            return dedupeWindow == null ? Duration.ofMinutes(10) : duration(dedupeWindow);
        }
    }

    /**
     * DC-09 settings.
     *
     * @param strict          true to refuse the real-panel variants (default false: accept them)
     * @param timestampBehind how far behind the centre's clock a timestamp may be, e.g. {@code 40s}
     * @param timestampAhead  how far ahead, e.g. {@code 20s}
     */
    public record Dc09(boolean strict, String timestampBehind, String timestampAhead) {
        /** @return the allowed lag, default 40 s */
        public Duration behind() {
            return timestampBehind == null ? Duration.ofSeconds(40) : duration(timestampBehind);
        }

        /** @return the allowed lead, default 20 s */
        public Duration ahead() {
            return timestampAhead == null ? Duration.ofSeconds(20) : duration(timestampAhead);
        }
    }

    /**
     * A customer (用户).
     *
     * @param id          the customer's id
     * @param name        name
     * @param type        type (bank, shop, home, …)
     * @param keyCustomer GA 1383 重要客户: first in the queue within a class, video verification required
     * @param address     postal address
     * @param contacts    people to call
     * @param sites       sites
     */
    public record Customer(String id, String name, String type, boolean keyCustomer, String address,
                           List<Contact> contacts, List<Site> sites) {
        /** Replaces absent lists by empty ones. */
        public Customer {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
            sites = sites == null ? List.of() : List.copyOf(sites);
        }
    }

    /**
     * A contact person.
     *
     * @param name  name
     * @param phone phone number
     * @param role  role (owner, manager, keyholder, …)
     */
    public record Contact(String name, String phone, String role) {
    }

    /**
     * A site (防护目标) with its location and site plan.
     *
     * @param id       the site's id
     * @param name     name
     * @param address  address
     * @param lat      latitude, or null
     * @param lon      longitude, or null
     * @param plan     path of the site plan image (电子地图), relative to the config file, or null
     * @param zones    zones
     * @param accounts the accounts that report for the site
     */
    public record Site(String id, String name, String address, Double lat, Double lon, String plan,
                       List<Zone> zones, List<Account> accounts) {
        /** Replaces absent lists by empty ones. */
        public Site {
            zones = zones == null ? List.of() : List.copyOf(zones);
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
        }
    }

    /**
     * A zone (防区).
     *
     * @param number the zone number as the panel reports it
     * @param name   what it protects
     * @param x      horizontal position on the site plan, 0 to 1, or null
     * @param y      vertical position on the site plan, 0 to 1, or null
     */
    public record Zone(String number, String name, Double x, Double y) {
    }

    /**
     * A reporting account: receiver + line + account identify a panel.
     *
     * @param account      the account as the panel sends it
     * @param receiver     the receiver number, or null for any
     * @param line         the line prefix, or null for any
     * @param transport    IP, WIRELESS or PSTN (GA 1383 limits depend on it)
     * @param pollInterval the expected check-in interval, e.g. {@code 90s} or {@code 25h}, or null
     * @param dc09Key      the DC-09 AES key (hex, or text when keyFormat is text), or null
     * @param keyFormat    {@code hex} (default) or {@code text}
     * @param schedule     the open/close schedule, or null
     */
    public record Account(String account, String receiver, String line, String transport, String pollInterval,
                          String dc09Key, String keyFormat, Schedule schedule) {
    }

    /**
     * An open/close schedule.
     *
     * @param open  opening time, e.g. {@code 08:00}
     * @param close closing time, e.g. {@code 18:00}
     * @param days  days of the week it applies to, e.g. {@code [MON, TUE]}; empty for every day
     */
    public record Schedule(String open, String close, List<String> days) {
        /** Replaces an absent list by an empty one. */
        public Schedule {
            days = days == null ? List.of() : List.copyOf(days);
        }
    }

    /**
     * GB/T 28181 settings.
     *
     * @param devices devices allowed to register
     * @param armOnRegister arm (SetGuard) each device when it registers
     * @param cascade the centre as a lower platform toward upper platforms, or null for none
     */
    public record Gb28181(List<Device> devices, Boolean armOnRegister, Cascade cascade) {
        /** Replaces an absent list by an empty one. */
        public Gb28181 {
            devices = devices == null ? List.of() : List.copyOf(devices);
        }
    }

    /**
     * The centre as a GB/T 28181 lower platform (级联) toward police and customer platforms: its own ID and SIP port,
     * and the upper platforms it registers with. Alarm cases forwarded to an upper platform's recipient are sent up.
     *
     * @param id     the centre's 20-digit ID toward its upper platforms, default the platform's {@code --sip-id}
     * @param port   its SIP port (UDP and TCP), default 5061
     * @param uppers the upper platforms
     * @param ids    20-digit IDs the exported items get toward every upper platform, by what they name:
     *               {@code customer:<id>} and {@code site:<id>} (type code 216, virtual organisation),
     *               {@code zone:<site>/<number>} (134, alarm input), {@code cam:<id>} (131 or 132, a video camera, also one the API adds later); items not
     *               named get an ID allocated once. Either way the mapping is journalled and stays across restarts;
     *               a configured ID replaces an allocated one.
     */
    public record Cascade(String id, Integer port, List<Upper> uppers, java.util.Map<String, String> ids) {
        /** Replaces an absent list or map by an empty one. */
        public Cascade {
            uppers = uppers == null ? List.of() : List.copyOf(uppers);
            ids = ids == null ? java.util.Map.of() : java.util.Map.copyOf(ids);
        }
    }

    /**
     * An upper platform (上级平台).
     *
     * @param id        its 20-digit SIP ID
     * @param host      its address
     * @param port      its SIP port, default 5060
     * @param password  the registration password it gave the centre (imported into the vault)
     * @param recipient the forwarding recipient it stands for (as in {@code rules.forwarding[].to}), default its ID
     * @param transport UDP (default) or TCP
     * @param customers the customers whose sites, zones and cameras this upper platform sees in the catalog (and may
     *                  play, control and get alarms of by subscription); absent: every customer. GB/T 28181 devices
     *                  bound to no customer are seen by every upper platform.
     */
    public record Upper(String id, String host, Integer port, String password, String recipient, String transport,
                        List<String> customers) {
    }

    /**
     * A GB/T 28181 device.
     *
     * @param id       its 20-digit ID
     * @param password its SIP password (imported into the vault)
     * @param customer the customer id, or null
     * @param site     the site id, or null
     * @param charset  its MANSCDP charset (GB2312 default, UTF-8 for some)
     */
    public record Device(String id, String password, String customer, String site, String charset) {
    }

    /**
     * Rules (事件转发设置, 事件联动设置).
     *
     * @param forwarding forwarding rules
     * @param linkage    linkage rules
     */
    public record Rules(List<Forwarding> forwarding, List<Linkage> linkage) {
        /** Replaces absent lists by empty ones. */
        public Rules {
            forwarding = forwarding == null ? List.of() : List.copyOf(forwarding);
            linkage = linkage == null ? List.of() : List.copyOf(linkage);
        }
    }

    /**
     * Forward alarms of a category to a recipient.
     *
     * @param category  the GA 1383 category
     * @param to        the recipient (police, fire, client, insurer, …)
     * @param automatic true to forward at once without an operator
     */
    public record Forwarding(String category, String to, boolean automatic) {
    }

    /**
     * Linkage actions for a category.
     *
     * @param category        the category
     * @param keyCustomerOnly only for key customers
     * @param actions         actions (lights-on, start-recording, siren, …)
     */
    public record Linkage(String category, boolean keyCustomerOnly, List<String> actions) {
        /** Replaces an absent list by an empty one. */
        public Linkage {
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    /**
     * An action plan (报警处置预案).
     *
     * @param category the category
     * @param priority the highest priority it applies to, or null for all
     * @param steps    the steps for the operator
     */
    public record ActionPlan(String category, Integer priority, List<String> steps) {
        /** Replaces an absent list by an empty one. */
        public ActionPlan {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /**
     * Reads and validates a configuration file.
     *
     * @param file the YAML file
     * @return the configuration
     * @throws IllegalArgumentException with a one-line message naming the file, the place and the problem
     */
    public static CenterConfig load(Path file) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        CenterConfig c;
        try {
            c = yaml.readValue(Files.readAllBytes(file), CenterConfig.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config " + file + ": no such file");
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
        if (intake.dedupeWindow() != null) {
            Duration w = checkDuration(file, intake.dedupeWindow(), "intake.dedupeWindow");
            require(file, !w.isZero() && !w.isNegative(), "intake.dedupeWindow must be positive");
        }
        if (dc09.timestampBehind() != null) {
            checkDuration(file, dc09.timestampBehind(), "dc09.timestampBehind");
        }
        if (dc09.timestampAhead() != null) {
            checkDuration(file, dc09.timestampAhead(), "dc09.timestampAhead");
        }
        Set<String> customerIds = new HashSet<>();
        Set<String> panels = new HashSet<>();
        for (int i = 0; i < customers.size(); i++) {
            Customer cu = customers.get(i);
            String at = "customers[" + i + "]";
            require(file, cu.id() != null && !cu.id().isBlank(), at + ".id is required");
            require(file, customerIds.add(cu.id()), at + ".id '" + cu.id() + "' is used twice");
            require(file, cu.name() != null, at + ".name is required");
            for (int s = 0; s < cu.sites().size(); s++) {
                Site site = cu.sites().get(s);
                String sat = at + ".sites[" + s + "]";
                require(file, site.id() != null, sat + ".id is required");
                for (int z = 0; z < site.zones().size(); z++) {
                    Zone zone = site.zones().get(z);
                    require(file, zone.number() != null, sat + ".zones[" + z + "].number is required");
                    require(file, inUnit(zone.x()) && inUnit(zone.y()),
                            sat + ".zones[" + z + "] x and y are fractions of the plan, 0 to 1");
                }
                for (int a = 0; a < site.accounts().size(); a++) {
                    Account ac = site.accounts().get(a);
                    String aat = sat + ".accounts[" + a + "]";
                    require(file, ac.account() != null && ac.account().matches("[0-9A-Fa-f]{3,16}"),
                            aat + ".account must be 3 to 16 hex digits");
                    require(file, panels.add(ac.receiver() + "/" + ac.line() + "/" + ac.account()),
                            aat + " account " + ac.account() + " is configured twice");
                    require(file, ac.transport() == null || List.of("IP", "WIRELESS", "PSTN").contains(ac.transport()),
                            aat + ".transport must be IP, WIRELESS or PSTN");
                    if (ac.pollInterval() != null) {
                        checkDuration(file, ac.pollInterval(), aat + ".pollInterval");
                    }
                    if (ac.dc09Key() != null) {
                        boolean text = "text".equals(ac.keyFormat());
                        require(file, ac.keyFormat() == null || text || "hex".equals(ac.keyFormat()),
                                aat + ".keyFormat must be hex or text");
                        int bytes = text ? ac.dc09Key().length() : ac.dc09Key().length() / 2;
                        require(file, text || ac.dc09Key().matches("[0-9A-Fa-f]*"), aat + ".dc09Key must be hex");
                        require(file, bytes == 16 || bytes == 24 || bytes == 32,
                                aat + ".dc09Key must be an AES-128, -192 or -256 key (32, 48 or 64 hex digits)");
                    }
                }
            }
        }
        for (int d = 0; d < gb28181.devices().size(); d++) {
            Device dev = gb28181.devices().get(d);
            require(file, dev.id() != null && dev.id().matches("[0-9]{18}|[0-9]{20}"),
                    "gb28181.devices[" + d + "].id must be a 20-digit (or old 18-digit) ID");
        }
        Set<String> siteIds = customers.stream().flatMap(cu -> cu.sites().stream()).map(Site::id)
                .collect(Collectors.toSet());
        String videoProblem = video.problem(siteIds,
                customers.stream().map(Customer::id).collect(Collectors.toSet()));
        require(file, videoProblem == null, videoProblem);
        Cascade cascade = gb28181.cascade();
        if (cascade != null) {
            require(file, cascade.id() == null || cascade.id().matches("[0-9]{20}"),
                    "gb28181.cascade.id must be a 20-digit ID");
            for (int u = 0; u < cascade.uppers().size(); u++) {
                Upper up = cascade.uppers().get(u);
                String at = "gb28181.cascade.uppers[" + u + "]";
                require(file, up.id() != null && up.id().matches("[0-9]{20}"), at + ".id must be a 20-digit ID");
                require(file, up.host() != null, at + ".host is required");
                require(file, up.password() != null, at + ".password is required");
                require(file, up.transport() == null || List.of("UDP", "TCP").contains(up.transport()),
                        at + ".transport must be UDP or TCP");
            }
            validateExportedIds(file, cascade);
        }
    }

    /** {@code gb28181.cascade.ids}: each key names a configured item, each value is a 20-digit ID of its type, once. */
    private void validateExportedIds(Path file, Cascade cascade) {
        java.util.Map<String, String> typeOf = new java.util.HashMap<>();
        for (Customer cu : customers) {
            typeOf.put("customer:" + cu.id(), "216");
            for (Site site : cu.sites()) {
                typeOf.put("site:" + site.id(), "216");
                for (Zone z : site.zones()) {
                    typeOf.put("zone:" + site.id() + "/" + z.number(), "134");
                }
            }
        }
        Set<String> taken = new HashSet<>();
        gb28181.devices().forEach(d -> taken.add(d.id()));
        if (cascade.id() != null) {
            taken.add(cascade.id());
        }
        java.util.Map<String, String> byId = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(cascade.ids()).entrySet()) {
            String at = "gb28181.cascade.ids[\"" + e.getKey() + "\"]";
            // a camera may be added through the API later: any cam:<id> may be named
            String type = e.getKey().matches("cam:.+") ? "131|132" : typeOf.get(e.getKey());
            require(file, type != null, at + " names no configured customer, site or zone (keys are "
                    + "customer:<id>, site:<id>, zone:<site>/<number>, cam:<id>)");
            String id = e.getValue();
            require(file, id != null && id.matches("[0-9]{20}"), at + " must be a 20-digit ID: " + id);
            require(file, id.substring(10, 13).matches(type), at + " must have type code " + type.replace("|", " or ")
                    + " (digits 11-13) for a " + e.getKey().substring(0, e.getKey().indexOf(':')) + ": " + id);
            require(file, !taken.contains(id), at + " " + id + " is the centre's or a GB/T 28181 device's own ID");
            String before = byId.put(id, at);
            require(file, before == null, at + " " + id + " is also " + before);
        }
    }

    /**
     * Parses a duration written as a number and a unit: {@code 500ms}, {@code 90s}, {@code 5m}, {@code 25h},
     * {@code 30d}, or ISO-8601 ({@code PT90S}).
     *
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException if the text is not such a duration
     */
    public static Duration duration(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 90s, 5m or 25h");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofDays(n);
        }
    }

    private static Duration checkDuration(Path file, String text, String at) {
        try {
            return duration(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config " + file + ": " + at + ": " + e.getMessage());
        }
    }

    private static boolean inUnit(Double v) {
        return v == null || (v >= 0 && v <= 1);
    }

    private static void require(Path file, boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config " + file + ": " + message);
        }
    }
}
