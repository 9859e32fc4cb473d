package org.arc4j.core.customer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;

/**
 * The centre's customers, their sites and zones, and the accounts that report for them; what turns an
 * event's receiver + line + account into the customer, address, zone and location an operator sees
 * (GA 1383 报警响应: 客户信息、防区信息、位置信息; 业务功能: 客户信息管理).
 *
 * <p>Kept in memory for lookups on the alarm path; every change is also written to the store as a
 * {@link RecordType#CONFIG_CHANGE CONFIG_CHANGE} record (subject {@code customer/<id>}, {@code site/<id>} or
 * {@code account/<receiver/line/account>}; payload {@code {"kind": ..., "op": "put"|"remove", "value": {...}}})
 * so who changed what and when is auditable. The integrator provisions it from its own customer database at
 * start-up.
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
