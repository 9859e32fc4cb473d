package org.arc4j.core.customer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Transport;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The centre's customers, their sites and zones, and the accounts that report for them; what turns an
 * event's receiver + line + account into the customer, address, zone and location an operator sees
 * (GA 1383 报警响应: 客户信息、防区信息、位置信息; 业务功能: 客户信息管理).
 *
 * <p>Kept in memory for lookups on the alarm path; every change is also written to the store as a
 * {@link RecordType#CONFIG_CHANGE CONFIG_CHANGE} record (subject {@code customer/<id>}, {@code site/<id>} or
 * {@code account/<receiver/line/account>}; payload {@code {"kind": ..., "op": "put"|"remove", "value": {...}}})
 * so who changed what and when is auditable, and {@link #open} restores the directory after a restart.
 *
 * <p>Thread-safe; lookups do not lock.
 */
public final class CustomerDirectory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordStore store;
    private final Clock clock;
    private final Map<String, Customer> customers = new ConcurrentHashMap<>();
    private final Map<String, Site> sites = new ConcurrentHashMap<>();
    private final Map<AccountKey, Account> accounts = new ConcurrentHashMap<>();

    /**
     * An empty directory that records its changes in a store.
     *
     * @param store the store for change records
     * @param clock the clock for record times
     */
    public CustomerDirectory(RecordStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Opens a directory over a store and restores it from the store's {@code CONFIG_CHANGE} records (replayed on
     * the calling thread): the newest record of each subject wins, which is also what the journal's retention
     * always keeps.
     *
     * @param store the store
     * @param clock the clock for new change records
     * @return the restored directory
     * @throws IllegalArgumentException if a directory change record is malformed
     */
    public static CustomerDirectory open(RecordStore store, Clock clock) {
        CustomerDirectory d = new CustomerDirectory(store, clock);
        store.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> {
            if (r.type() == RecordType.CONFIG_CHANGE && (r.subject().startsWith("customer/")
                    || r.subject().startsWith("site/") || r.subject().startsWith("account/"))) {
                d.restore(r);
            }
        });
        return d;
    }

    private void restore(StoredRecord r) {
        try {
            JsonNode n = JSON.readTree(r.payload());
            JsonNode v = n.path("value");
            boolean put = "put".equals(n.path("op").asText());
            switch (n.path("kind").asText()) {
                case "customer" -> {
                    if (put) {
                        customers.put(v.path("id").asText(), customerOf(v));
                    } else {
                        forgetCustomer(v.path("id").asText());
                    }
                }
                case "site" -> {
                    if (put) {
                        sites.put(v.path("id").asText(), siteOf(v));
                    } else {
                        forgetSite(v.path("id").asText());
                    }
                }
                case "account" -> {
                    AccountKey key = new AccountKey(v.path("receiver").asText(), v.path("line").asText(),
                            v.path("account").asText());
                    if (put) {
                        accounts.put(key, accountOf(key, v));
                    } else {
                        accounts.remove(key);
                    }
                }
                default -> {
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed directory record at " + r.position(), e);
        }
    }

    private static Customer customerOf(JsonNode v) {
        List<Contact> contacts = new ArrayList<>();
        for (JsonNode k : v.path("contacts")) {
            contacts.add(new Contact(k.path("name").asText(), k.path("phone").asText(), k.path("role").asText()));
        }
        SlaPolicy p = SlaPolicy.ga1383();
        JsonNode c = v.path("contract");
        for (Transport t : Transport.values()) {
            Duration d = durationOr(c.path("response").path(t.name()), p.response(t));
            p = d.equals(p.response(t)) ? p : p.withResponse(t, d);
        }
        for (VerificationMethod m : VerificationMethod.values()) {
            Optional<Duration> cur = p.verification(m);
            if (cur.isPresent()) {
                Duration d = durationOr(c.path("verification").path(m.name()), cur.get());
                p = d.equals(cur.get()) ? p : p.withVerification(m, d);
            }
        }
        for (ForwardChannel ch : ForwardChannel.values()) {
            Duration d = durationOr(c.path("forwarding").path(ch.name()), p.forwarding(ch));
            p = d.equals(p.forwarding(ch)) ? p : p.withForwarding(ch, d);
        }
        Duration g = durationOr(c.path("guardDeparture"), p.guardDeparture());
        p = g.equals(p.guardDeparture()) ? p : p.withGuardDeparture(g);
        return new Customer(v.path("id").asText(), v.path("name").asText(),
                CustomerType.valueOf(v.path("type").asText()), v.path("address").asText(), contacts,
                v.path("keyCustomer").asBoolean(), p);
    }

    private static Duration durationOr(JsonNode n, Duration otherwise) {
        return n.isTextual() ? Duration.parse(n.asText()) : otherwise;
    }

    private static Site siteOf(JsonNode v) {
        List<Zone> zones = new ArrayList<>();
        for (JsonNode z : v.path("zones")) {
            zones.add(new Zone(z.path("id").asText(), z.path("name").asText(), z.path("location").asText()));
        }
        JsonNode loc = v.get("location");
        GeoPoint p = loc == null ? null : new GeoPoint(loc.path("latitude").asDouble(), loc.path("longitude").asDouble());
        return Site.of(v.path("id").asText(), v.path("customerId").asText(), v.path("name").asText(),
                v.path("address").asText(), p, v.path("sitePlan").asText(), zones);
    }

    private static Account accountOf(AccountKey key, JsonNode v) {
        Duration interval = v.hasNonNull("checkInInterval") ? Duration.parse(v.path("checkInInterval").asText()) : null;
        OpenCloseSchedule schedule = null;
        JsonNode sch = v.get("schedule");
        if (sch != null) {
            Map<DayOfWeek, OpenCloseSchedule.Window> hours = new EnumMap<>(DayOfWeek.class);
            sch.path("hours").properties().forEach(e -> {
                String[] w = e.getValue().asText().split("-");
                hours.put(DayOfWeek.valueOf(e.getKey()),
                        new OpenCloseSchedule.Window(LocalTime.parse(w[0]), LocalTime.parse(w[1])));
            });
            schedule = new OpenCloseSchedule(ZoneId.of(sch.path("zone").asText()), hours,
                    Duration.parse(sch.path("tolerance").asText()));
        }
        return new Account(key, v.path("siteId").asText(), Transport.valueOf(v.path("transport").asText()), interval,
                schedule);
    }

    /**
     * Adds or replaces a customer.
     *
     * @param c the customer
     * @return completes when the change record is durable
     */
    public CompletionStage<Long> put(Customer c) {
        customers.put(c.id(), c);
        ObjectNode v = JSON.createObjectNode();
        v.put("id", c.id()).put("name", c.name()).put("type", c.type().name()).put("address", c.address())
                .put("keyCustomer", c.keyCustomer());
        ArrayNode contacts = v.putArray("contacts");
        for (Contact k : c.contacts()) {
            contacts.addObject().put("name", k.name()).put("phone", k.phone()).put("role", k.role());
        }
        ObjectNode contract = v.putObject("contract");
        ObjectNode response = contract.putObject("response");
        for (Transport t : Transport.values()) {
            response.put(t.name(), c.contract().response(t).toString());
        }
        ObjectNode verification = contract.putObject("verification");
        for (VerificationMethod m : VerificationMethod.values()) {
            c.contract().verification(m).ifPresent(d -> verification.put(m.name(), d.toString()));
        }
        ObjectNode forwarding = contract.putObject("forwarding");
        for (ForwardChannel ch : ForwardChannel.values()) {
            forwarding.put(ch.name(), c.contract().forwarding(ch).toString());
        }
        contract.put("guardDeparture", c.contract().guardDeparture().toString());
        return record("customer", "put", "customer/" + c.id(), v);
    }

    /**
     * Adds or replaces a site.
     *
     * @param s the site; its customer must exist
     * @return completes when the change record is durable
     * @throws IllegalArgumentException if the customer is unknown
     */
    public CompletionStage<Long> put(Site s) {
        if (!customers.containsKey(s.customerId())) {
            throw new IllegalArgumentException("unknown customer " + s.customerId());
        }
        sites.put(s.id(), s);
        ObjectNode v = JSON.createObjectNode();
        v.put("id", s.id()).put("customerId", s.customerId()).put("name", s.name()).put("address", s.address())
                .put("sitePlan", s.sitePlan());
        if (s.location() != null) {
            v.putObject("location").put("latitude", s.location().latitude())
                    .put("longitude", s.location().longitude());
        }
        ArrayNode zones = v.putArray("zones");
        for (Zone z : s.zones().values()) {
            zones.addObject().put("id", z.id()).put("name", z.name()).put("location", z.location());
        }
        return record("site", "put", "site/" + s.id(), v);
    }

    /**
     * Adds or replaces an account.
     *
     * @param a the account; its site must exist
     * @return completes when the change record is durable
     * @throws IllegalArgumentException if the site is unknown
     */
    public CompletionStage<Long> put(Account a) {
        if (!sites.containsKey(a.siteId())) {
            throw new IllegalArgumentException("unknown site " + a.siteId());
        }
        accounts.put(a.key(), a);
        ObjectNode v = JSON.createObjectNode();
        v.put("receiver", a.key().receiver()).put("line", a.key().line()).put("account", a.key().account())
                .put("siteId", a.siteId()).put("transport", a.transport().name());
        if (a.checkInInterval() != null) {
            v.put("checkInInterval", a.checkInInterval().toString());
        }
        if (a.schedule() != null) {
            ObjectNode sch = v.putObject("schedule");
            sch.put("zone", a.schedule().zone().getId()).put("tolerance", a.schedule().tolerance().toString());
            ObjectNode hours = sch.putObject("hours");
            a.schedule().hours().forEach((d, w) -> hours.put(d.name(), w.open() + "-" + w.close()));
        }
        return record("account", "put", "account/" + a.key(), v);
    }

    /**
     * Removes an account (the panel no longer reports for the site).
     *
     * @param key the account key
     * @return completes when the change record is durable
     */
    public CompletionStage<Long> remove(AccountKey key) {
        accounts.remove(key);
        ObjectNode v = JSON.createObjectNode();
        v.put("receiver", key.receiver()).put("line", key.line()).put("account", key.account());
        return record("account", "remove", "account/" + key, v);
    }

    /**
     * Removes a customer with its sites and their accounts (the customer has left the centre): alarms of those
     * accounts then resolve to nothing, as an unknown account's do. Cases already opened keep the customer id they
     * were opened with.
     *
     * @param customerId the customer
     * @return completes when the change record is durable
     */
    public CompletionStage<Long> removeCustomer(String customerId) {
        forgetCustomer(customerId);
        return record("customer", "remove", "customer/" + customerId,
                JSON.createObjectNode().put("id", customerId));
    }

    /**
     * Removes a site and its accounts.
     *
     * @param siteId the site
     * @return completes when the change record is durable
     */
    public CompletionStage<Long> removeSite(String siteId) {
        forgetSite(siteId);
        return record("site", "remove", "site/" + siteId, JSON.createObjectNode().put("id", siteId));
    }

    private void forgetCustomer(String customerId) {
        for (Site s : List.copyOf(sites.values())) {
            if (s.customerId().equals(customerId)) {
                forgetSite(s.id());
            }
        }
        customers.remove(customerId);
    }

    private void forgetSite(String siteId) {
        accounts.values().removeIf(a -> a.siteId().equals(siteId));
        sites.remove(siteId);
    }

    private CompletionStage<Long> record(String kind, String op, String subject, ObjectNode value) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind).put("op", op).set("value", value);
        return store.append(new NewRecord(RecordType.CONFIG_CHANGE, 1, clock.instant(), subject,
                n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** @param id the customer id @return the customer, if known */
    public Optional<Customer> customer(String id) {
        return Optional.ofNullable(customers.get(id));
    }

    /** @param id the site id @return the site, if known */
    public Optional<Site> site(String id) {
        return Optional.ofNullable(sites.get(id));
    }

    /** @param key the account key @return the account, if known */
    public Optional<Account> account(AccountKey key) {
        return Optional.ofNullable(accounts.get(key));
    }

    /** @return every account */
    public Collection<Account> accounts() {
        return List.copyOf(accounts.values());
    }

    /** @return every customer */
    public Collection<Customer> customers() {
        return List.copyOf(customers.values());
    }

    /** @return every site, whether or not an account of it is known yet */
    public Collection<Site> sites() {
        return List.copyOf(sites.values());
    }

    /**
     * The account, site, customer and zone behind an event.
     *
     * @param e the event
     * @return what is known, or empty for an unknown account
     */
    public Optional<Resolved> resolve(AlarmEvent e) {
        Account a = accounts.get(AccountKey.of(e));
        if (a == null) {
            return Optional.empty();
        }
        Site s = sites.get(a.siteId());
        if (s == null) {
            return Optional.empty();
        }
        Customer c = customers.get(s.customerId());
        if (c == null) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(a, s, c, s.zone(e.zone()).orElse(null)));
    }
}
