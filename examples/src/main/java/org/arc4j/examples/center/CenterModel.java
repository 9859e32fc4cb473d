package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.Contact;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.CustomerType;
import org.arc4j.core.customer.GeoPoint;
import org.arc4j.core.customer.OpenCloseSchedule;
import org.arc4j.core.customer.Site;
import org.arc4j.core.customer.Zone;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Transport;
import org.arc4j.core.pipeline.ActionPlan;
import org.arc4j.core.pipeline.ForwardingRule;
import org.arc4j.core.pipeline.LinkageRule;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.examples.center.config.CenterConfig;

/**
 * The centre's customer model: the {@link CustomerDirectory} the pipeline enriches cases from, seeded from the
 * YAML file and then overlaid with the account changes made through the API, which are journalled as
 * {@code CONFIG_CHANGE} records with subject {@code center/account/<account>} and therefore win over the file on
 * every restart. It also keeps what the SDK directory has no place for: zone positions on the site plan, the
 * plan images, accounts configured for any receiver or line, and the action plans' steps.
 *
 * <p>The SDK directory is kept over its own in-memory store: it is rebuilt at every start from the file and the
 * journal, so its own change records would only repeat those. Thread-safe.
 */
public final class CenterModel {
    /** The subject prefix of the API's account changes in the journal. */
    static final String ACCOUNT_SUBJECT = "center/account/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a zone sits on its site plan, as fractions of the plan's width and height. */
    record Position(double x, double y) {
    }

    /** An account as configured, before a panel has reported (receiver and line may be wildcards). */
    record ConfiguredAccount(String account, String receiver, String line, String siteId, Transport transport,
                             Duration pollInterval, OpenCloseSchedule schedule) {
        boolean matches(AccountKey k) {
            return account.equalsIgnoreCase(k.account()) && (receiver == null || receiver.equals(k.receiver()))
                    && (line == null || line.equals(k.line()));
        }
    }

    private final CustomerDirectory directory;
    private final RecordStore journal;
    private final Clock clock;
    private final Rules rules;
    private final Map<String, List<String>> planSteps = new ConcurrentHashMap<>();
    private final Map<String, Position> positions = new ConcurrentHashMap<>();
    private final Map<String, String> planImages = new ConcurrentHashMap<>();
    private final Map<String, ConfiguredAccount> configured = new ConcurrentHashMap<>();
    private final Map<String, List<ConfiguredAccount>> byNumber = new ConcurrentHashMap<>();
    private final org.arc4j.examples.center.admin.ChangeBackups backups =
            new org.arc4j.examples.center.admin.ChangeBackups();

    private CenterModel(RecordStore journal, Clock clock, Rules rules) {
        this.directory = new CustomerDirectory(new InMemoryRecordStore(), clock);
        this.journal = journal;
        this.clock = clock;
        this.rules = rules;
    }

    /**
     * Builds the model from the file; the journalled account changes are applied by {@link #applyStored}, in one
     * pass with the other configuration records ({@code admin.ConfigReplay}), so that an account change and a
     * customer deletion take effect in the order they were made.
     *
     * @param config  the configuration (empty without a file)
     * @param file    the configuration file (for plan paths), or null
     * @param journal the journal
     * @param clock   the centre's clock
     * @return the model
     * @throws IllegalArgumentException with a one-line message for a configuration the SDK refuses
     */
    static CenterModel load(CenterConfig config, Path file, RecordStore journal, Clock clock) {
        CenterModel m = new CenterModel(journal, clock, rules(config, file));
        config.actionPlans().forEach(p -> m.planSteps.put(planName(p), p.steps()));
        for (int i = 0; i < config.customers().size(); i++) {
            m.seedCustomer(config.customers().get(i), file, "customers[" + i + "]");
        }
        // a GB/T 28181 device reports with its device ID as the account
        for (int i = 0; i < config.gb28181().devices().size(); i++) {
            CenterConfig.Device d = config.gb28181().devices().get(i);
            if (d.site() != null) {
                if (m.directory.site(d.site()).isEmpty()) {
                    throw new IllegalArgumentException("config " + file + ": gb28181.devices[" + i + "].site '"
                            + d.site() + "' is not a site of any customer");
                }
                m.addAccount(new ConfiguredAccount(d.id(), null, null, d.site(), Transport.IP, null, null));
            }
        }
        return m;
    }

    /**
     * Applies a journalled account change at start (other records are ignored).
     *
     * @param r a {@code CONFIG_CHANGE} record
     * @throws IllegalStateException if it cannot be applied
     */
    void applyStored(org.arc4j.core.store.StoredRecord r) {
        if (r.subject().startsWith(ACCOUNT_SUBJECT)) {
            try {
                applyAccountChange(JSON.readTree(r.payload()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("journalled account change at " + r.position()
                        + " cannot be applied: " + e.getMessage(), e);
            }
        }
    }

    private static String planName(CenterConfig.ActionPlan p) {
        return "plan-" + p.category() + (p.priority() == null ? "" : "-" + p.priority());
    }

    private static Rules rules(CenterConfig c, Path file) {
        List<ForwardingRule> fwd = new ArrayList<>();
        for (int i = 0; i < c.rules().forwarding().size(); i++) {
            CenterConfig.Forwarding f = c.rules().forwarding().get(i);
            Category cat = category(f.category(), file, "rules.forwarding[" + i + "].category");
            if (f.automatic()) {
                fwd.add(new ForwardingRule("forward-" + i, Set.of(cat), false, f.to(), ForwardChannel.IP,
                        "police".equalsIgnoreCase(f.to())));
            }
        }
        List<LinkageRule> link = new ArrayList<>();
        for (int i = 0; i < c.rules().linkage().size(); i++) {
            CenterConfig.Linkage l = c.rules().linkage().get(i);
            link.add(new LinkageRule("linkage-" + i, Set.of(category(l.category(), file,
                    "rules.linkage[" + i + "].category")), l.keyCustomerOnly(), l.actions()));
        }
        List<ActionPlan> plans = new ArrayList<>();
        for (int i = 0; i < c.actionPlans().size(); i++) {
            CenterConfig.ActionPlan p = c.actionPlans().get(i);
            plans.add(new ActionPlan(planName(p), Set.of(category(p.category(), file,
                    "actionPlans[" + i + "].category")), null, p.steps()));
        }
        return new Rules(fwd, link, plans);
    }

    private static Category category(String name, Path file, String at) {
        try {
            return Category.valueOf(String.valueOf(name).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": " + at + ": '" + name
                    + "' is not a category (one of " + EnumSet.allOf(Category.class) + ")");
        }
    }

    private void seedCustomer(CenterConfig.Customer cu, Path file, String at) {
        List<Contact> contacts = new ArrayList<>();
        for (CenterConfig.Contact k : cu.contacts()) {
            contacts.add(new Contact(k.name() == null ? "" : k.name(), k.phone() == null ? "" : k.phone(),
                    k.role() == null ? "" : k.role()));
        }
        directory.put(new Customer(cu.id(), cu.name(), customerType(cu.type()), cu.address(), contacts,
                cu.keyCustomer(), null));
        for (int s = 0; s < cu.sites().size(); s++) {
            CenterConfig.Site site = cu.sites().get(s);
            List<Zone> zones = new ArrayList<>();
            for (CenterConfig.Zone z : site.zones()) {
                zones.add(new Zone(z.number(), z.name() == null ? z.number() : z.name(), null));
                if (z.x() != null && z.y() != null) {
                    positions.put(site.id() + "/" + z.number(), new Position(z.x(), z.y()));
                }
            }
            GeoPoint where = site.lat() != null && site.lon() != null ? new GeoPoint(site.lat(), site.lon()) : null;
            directory.put(Site.of(site.id(), cu.id(), site.name() == null ? site.id() : site.name(), site.address(),
                    where, site.plan(), zones));
            if (site.plan() != null) {
                loadPlan(site.id(), file, site.plan(), at + ".sites[" + s + "].plan");
            }
            for (int a = 0; a < site.accounts().size(); a++) {
                CenterConfig.Account ac = site.accounts().get(a);
                String aat = at + ".sites[" + s + "].accounts[" + a + "]";
                OpenCloseSchedule schedule = ac.schedule() == null ? null : schedule(ac.schedule(), file, aat);
                addAccount(new ConfiguredAccount(ac.account(), ac.receiver(), ac.line(), site.id(),
                        ac.transport() == null ? Transport.IP : Transport.valueOf(ac.transport()),
                        ac.pollInterval() == null ? null : CenterConfig.duration(ac.pollInterval()), schedule));
            }
        }
    }

    private void loadPlan(String siteId, Path file, String plan, String at) {
        Path p = (file == null || file.getParent() == null ? Path.of(".") : file.getParent()).resolve(plan);
        try {
            byte[] bytes = Files.readAllBytes(p);
            String type = plan.endsWith(".svg") ? "image/svg+xml" : plan.endsWith(".png") ? "image/png" : "image/jpeg";
            planImages.put(siteId, "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + ": " + at + ": cannot read site plan " + p);
        }
    }

    private static OpenCloseSchedule schedule(CenterConfig.Schedule s, Path file, String at) {
        try {
            OpenCloseSchedule.Window w = new OpenCloseSchedule.Window(LocalTime.parse(s.open()),
                    LocalTime.parse(s.close()));
            Map<DayOfWeek, OpenCloseSchedule.Window> hours = new EnumMap<>(DayOfWeek.class);
            if (s.days().isEmpty()) {
                for (DayOfWeek d : DayOfWeek.values()) {
                    hours.put(d, w);
                }
            }
            for (String d : s.days()) {
                hours.put(day(d), w);
            }
            return new OpenCloseSchedule(ZoneId.systemDefault(), hours, Duration.ofMinutes(5));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("config " + file + ": " + at + ".schedule: " + e.getMessage());
        }
    }

    private static DayOfWeek day(String d) {
        String u = d.toUpperCase(Locale.ROOT);
        for (DayOfWeek w : DayOfWeek.values()) {
            if (w.name().startsWith(u) && u.length() >= 2) {
                return w;
            }
        }
        throw new IllegalArgumentException("'" + d + "' is not a day of the week");
    }

    private static CustomerType customerType(String t) {
        if (t == null) {
            return CustomerType.OTHER;
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "bank", "financial", "finance" -> CustomerType.FINANCIAL;
            case "home", "residential", "house" -> CustomerType.RESIDENTIAL;
            case "shop", "commercial", "office", "store" -> CustomerType.COMMERCIAL;
            case "government", "public" -> CustomerType.GOVERNMENT;
            case "factory", "industrial", "warehouse" -> CustomerType.INDUSTRIAL;
            default -> CustomerType.OTHER;
        };
    }

    private void addAccount(ConfiguredAccount a) {
        ConfiguredAccount before = configured.put(wildKey(a.account(), a.receiver(), a.line()), a);
        byNumber.compute(a.account().toUpperCase(Locale.ROOT), (n, list) -> {
            List<ConfiguredAccount> l = list == null ? new ArrayList<>() : new ArrayList<>(list);
            l.remove(before);
            l.add(a);
            // the most specific entry first: exact receiver and line before wildcards
            l.sort(java.util.Comparator.comparingInt(x -> (x.receiver() == null ? 1 : 0) + (x.line() == null ? 1 : 0)));
            return List.copyOf(l);
        });
        if (a.receiver() != null && a.line() != null) {
            directory.put(toAccount(a, new AccountKey(a.receiver(), a.line(), a.account())));
        }
    }

    private static String wildKey(String account, String receiver, String line) {
        return (receiver == null ? "*" : receiver) + "/" + (line == null ? "*" : line) + "/"
                + account.toUpperCase(Locale.ROOT);
    }

    private static Account toAccount(ConfiguredAccount a, AccountKey key) {
        return new Account(key, a.siteId(), a.transport(), a.pollInterval(), a.schedule());
    }

    /**
     * Resolves the account of an event, registering a concrete account in the directory when a configured
     * wildcard (any receiver, any line) matches it.
     *
     * @param e the event
     * @return true when the account is known
     */
    boolean knows(AlarmEvent e) {
        AccountKey k = AccountKey.of(e);
        if (directory.account(k).isPresent()) {
            return true;
        }
        List<ConfiguredAccount> candidates = byNumber.get(k.account().toUpperCase(Locale.ROOT));
        if (candidates != null) {
            for (ConfiguredAccount a : candidates) {
                // an account of a deleted site (or customer) is no longer known
                if (a.matches(k) && directory.site(a.siteId()).isPresent()) {
                    directory.put(toAccount(a, k));
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The configured poll interval of an account, as the DC-09 receiver asks by account number.
     *
     * @param account the account as received
     * @return the maximum silence (interval plus half of it, for one late poll), or null when not supervised
     */
    Duration maxSilence(String account) {
        List<ConfiguredAccount> candidates = account == null ? null : byNumber.get(account.toUpperCase(Locale.ROOT));
        for (ConfiguredAccount a : candidates == null ? List.<ConfiguredAccount>of() : candidates) {
            if (a.pollInterval() != null) {
                Duration d = a.pollInterval().plus(a.pollInterval().dividedBy(2));
                return d.compareTo(Duration.ofHours(24)) > 0 ? Duration.ofHours(24) : d;
            }
        }
        return null;
    }

    /**
     * Applies an account change from the API and journals it; the returned stage completes once it is durable.
     *
     * @param account the account number
     * @param change  the change: {@code customer} (object), {@code site} (object), {@code receiver}, {@code line},
     *                {@code transport}, {@code pollInterval}; never the key
     * @param by      who made it
     * @return the durable stage
     * @throws IllegalArgumentException with a message for the client when the change is invalid
     */
    public java.util.concurrent.CompletionStage<Long> changeAccount(String account, ObjectNode change, String by) {
        ObjectNode rec = change.deepCopy();
        rec.put("account", account);
        rec.put("by", by);
        applyAccountChange(rec);
        return journal.append(new NewRecord(RecordType.CONFIG_CHANGE, 1, clock.instant(), ACCOUNT_SUBJECT + account,
                rec.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private synchronized void applyAccountChange(JsonNode n) {
        String account = n.path("account").asText();
        if (!account.matches("[0-9A-Fa-f]{3,16}")) {
            throw new IllegalArgumentException("account must be 3 to 16 hex digits");
        }
        if ("delete".equals(text(n, "op"))) {
            removeAccount(account);
            return;
        }
        String receiver = text(n, "receiver");
        String line = text(n, "line");
        ConfiguredAccount before = configured.get(wildKey(account, receiver, line));
        JsonNode cu = n.path("customer");
        String customerId = text(cu, "id");
        if (customerId == null && before != null) {
            customerId = directory.site(before.siteId()).map(Site::customerId).orElse(null);
        }
        if (customerId == null) {
            throw new IllegalArgumentException("customer.id is required for a new account");
        }
        Optional<Customer> existing = directory.customer(customerId);
        if (cu.isObject() && (cu.size() > 1 || existing.isEmpty())) {
            List<Contact> contacts = new ArrayList<>();
            for (JsonNode k : cu.path("contacts")) {
                contacts.add(new Contact(k.path("name").asText(""), k.path("phone").asText(""),
                        k.path("role").asText("")));
            }
            Customer old = existing.orElse(null);
            directory.put(new Customer(customerId,
                    text(cu, "name") != null ? text(cu, "name") : old != null ? old.name() : customerId,
                    cu.has("type") ? customerType(text(cu, "type")) : old != null ? old.type() : CustomerType.OTHER,
                    cu.has("address") ? text(cu, "address") : old != null ? old.address() : null,
                    cu.has("contacts") ? contacts : old != null ? old.contacts() : List.of(),
                    cu.has("keyCustomer") ? cu.path("keyCustomer").asBoolean() : old != null && old.keyCustomer(),
                    null));
        }
        JsonNode si = n.path("site");
        String siteId = text(si, "id");
        if (siteId == null) {
            siteId = before != null ? before.siteId() : customerId + "-site";
        }
        Optional<Site> oldSite = directory.site(siteId);
        if (oldSite.isEmpty() || si.size() > 1) {
            Site o = oldSite.orElse(null);
            List<Zone> zones = new ArrayList<>(o == null ? List.of() : o.zones().values());
            if (si.has("zones")) {
                zones.clear();
                for (JsonNode z : si.path("zones")) {
                    String num = z.path("number").asText();
                    zones.add(new Zone(num, z.path("name").asText(num), null));
                    if (z.has("x") && z.has("y")) {
                        positions.put(siteId + "/" + num, new Position(z.path("x").asDouble(),
                                z.path("y").asDouble()));
                    }
                }
            }
            directory.put(Site.of(siteId, customerId,
                    text(si, "name") != null ? text(si, "name") : o != null ? o.name() : siteId,
                    text(si, "address") != null ? text(si, "address") : o != null ? o.address() : null,
                    o != null ? o.location() : null, o != null ? o.sitePlan() : null, zones));
        }
        Transport transport = n.has("transport") ? transport(text(n, "transport"))
                : before != null ? before.transport() : Transport.IP;
        Duration poll = n.has("pollInterval") ? (n.path("pollInterval").isNull() ? null
                : CenterConfig.duration(n.path("pollInterval").asText()))
                : before != null ? before.pollInterval() : null;
        ConfiguredAccount a = new ConfiguredAccount(account, receiver, line, siteId, transport, poll,
                before != null ? before.schedule() : null);
        addAccount(a);
        for (Account concrete : directory.accounts()) {
            if (a.matches(concrete.key()) && (receiver == null || line == null)) {
                directory.put(toAccount(a, concrete.key()));
            }
        }
    }

    private static Transport transport(String t) {
        if (t == null || !List.of("IP", "WIRELESS", "PSTN").contains(t.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("transport must be IP, WIRELESS or PSTN");
        }
        return Transport.valueOf(t.toUpperCase(Locale.ROOT));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /**
     * @return the backups the administration API takes before and after an account change, a DC-09 key or a
     *         device password set (GA 1383 数据维护); the centre sets their hook
     */
    public org.arc4j.examples.center.admin.ChangeBackups backups() {
        return backups;
    }

    /** @return the SDK directory */
    CustomerDirectory directory() {
        return directory;
    }

    /** @return the forwarding and linkage rules and action plans */
    Rules rules() {
        return rules;
    }

    /**
     * @param planName the plan's name as recorded on a case
     * @return its steps, or empty
     */
    List<String> planSteps(String planName) {
        return planName == null ? List.of() : planSteps.getOrDefault(planName, List.of());
    }

    /**
     * @param siteId the site
     * @param zone   the zone number
     * @return its position on the site plan, or null
     */
    Position position(String siteId, String zone) {
        return siteId == null || zone == null ? null : positions.get(siteId + "/" + zone);
    }

    /**
     * @param siteId the site
     * @return its plan image as a data URI (works offline, needs no token), or null
     */
    String planImage(String siteId) {
        return siteId == null ? null : planImages.get(siteId);
    }

    /**
     * Makes a camera's id an account of its site, so that its ONVIF alarms and video faults open cases there.
     *
     * @param cameraId the camera
     * @param siteId   its site
     */
    void addCamera(String cameraId, String siteId) {
        addAccount(new ConfiguredAccount(cameraId, null, null, siteId, Transport.IP, null, null));
    }

    /** @return the configured accounts */
    List<ConfiguredAccount> configuredAccounts() {
        return List.copyOf(configured.values());
    }

    // administration of accounts (GA 1383 系统管理; issue 23): the list and the delete, beside changeAccount

    /**
     * The configured accounts as the administration API lists them: {@code account}, {@code receiver} and
     * {@code line} (null for any), {@code site}, {@code customer}, {@code transport}, {@code pollInterval}.
     *
     * @return the accounts, sorted by number, receiver and line
     */
    public List<ObjectNode> accountsJson() {
        List<ObjectNode> out = new ArrayList<>();
        for (ConfiguredAccount a : configured.values()) {
            if (directory.site(a.siteId()).isEmpty()) {
                continue; // its site or customer was deleted: the account went with it
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("account", a.account());
            n.put("receiver", a.receiver());
            n.put("line", a.line());
            n.put("site", a.siteId());
            n.put("customer", directory.site(a.siteId()).map(Site::customerId).orElse(null));
            n.put("transport", a.transport().name());
            n.put("pollInterval", a.pollInterval() == null ? null : a.pollInterval().toString());
            out.add(n);
        }
        out.sort(java.util.Comparator.comparing((ObjectNode n) -> n.path("account").asText()
                        .toUpperCase(Locale.ROOT)).thenComparing(n -> n.path("receiver").asText(""))
                .thenComparing(n -> n.path("line").asText("")));
        return out;
    }

    /**
     * @param customerId a customer
     * @return the account numbers configured for its sites now, or null when the directory does not know it
     */
    public java.util.Collection<String> accountsOf(String customerId) {
        if (directory.customer(customerId).isEmpty()) {
            return null;
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (ConfiguredAccount a : configured.values()) {
            directory.site(a.siteId()).filter(x -> x.customerId().equals(customerId))
                    .ifPresent(x -> out.add(a.account()));
        }
        return out;
    }

    /**
     * Deletes an account number (every receiver and line it was configured for) and journals it; alarms from it
     * are then unknown accounts.
     *
     * @param account the account number
     * @param by      who
     * @return the durable stage
     * @throws java.util.NoSuchElementException if no account has that number
     */
    public java.util.concurrent.CompletionStage<Long> deleteAccount(String account, String by) {
        if (!byNumber.containsKey(account.toUpperCase(Locale.ROOT))) {
            throw new java.util.NoSuchElementException("no account " + account);
        }
        ObjectNode rec = JSON.createObjectNode().put("op", "delete").put("account", account).put("by", by);
        applyAccountChange(rec);
        return journal.append(new NewRecord(RecordType.CONFIG_CHANGE, 1, clock.instant(), ACCOUNT_SUBJECT + account,
                rec.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void removeAccount(String account) {
        String number = account.toUpperCase(Locale.ROOT);
        configured.values().removeIf(a -> a.account().toUpperCase(Locale.ROOT).equals(number));
        byNumber.remove(number);
        for (Account a : List.copyOf(directory.accounts())) {
            if (a.key().account().equalsIgnoreCase(account)) {
                directory.remove(a.key());
            }
        }
    }

    // action plans administered through the API (issue 23): their steps shown with the cases they open
    /**
     * Takes the steps of the plans in force, so that cases opened under an administered plan show them; a plan's
     * steps stay known after it is deleted, for the cases that still carry its name.
     *
     * @param r the rules in force
     */
    void planSteps(Rules r) {
        r.plans().forEach(p -> planSteps.put(p.name(), p.steps()));
    }

    // GB/T 28181 devices administered through the API (issue 23): a device reports with its ID as the account
    /**
     * Binds a GB/T 28181 device's ID to a site, as a device of the configuration file is, or unbinds it.
     *
     * @param id     the device ID
     * @param siteId its site, or null to unbind it (its alarms are then an unknown account's)
     */
    synchronized void gbDevice(String id, String siteId) {
        removeAccount(id);
        if (siteId != null) {
            addAccount(new ConfiguredAccount(id, null, null, siteId, Transport.IP, null, null));
        }
    }
}
