package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.arc4j.core.customer.Contact;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.Site;
import org.arc4j.core.customer.Zone;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * Customers, sites and their zones as the administration API changes them (GA 1383 系统管理: 用户信息管理), kept as
 * {@code CONFIG_CHANGE} records in the centre's store, so that a change survives every restart and wins over the
 * configuration file, and audited as {@code CONFIGURATION_CHANGE} with the user who made it.
 *
 * <p>Record format: type {@code CONFIG_CHANGE}, version 1, subject {@code center/admin/<kind>/<id>} with kind
 * {@code customer} or {@code site}, payload {@code {"op":"put"|"delete","kind":…,"id":…,"by":…,"value":{…}}}; a
 * put carries the whole new value. The view is the SDK's {@link CustomerDirectory} itself (the file's customers
 * and sites, the account API's and this store's changes), so that new alarms are enriched with every change and
 * a customer made by an account change is listed here at once. At start, {@link #applyStored} is given this
 * store's records in one pass over the configuration records with the account changes (see
 * {@link ConfigReplay}), so that the state after a restart is the state before it. A change is answered only
 * once its record is durable.
 *
 * <p>Deleting a customer removes it, its sites and their accounts from the SDK directory too, at once and again at
 * every start (the file's customer included): alarms of its accounts are then an unknown account's. Deleting is
 * refused while the customer has open cases. Thread-safe (changes are serialised).
 */
public final class AdminStore {
    /** The subject prefix of the records. */
    public static final String SUBJECT = "center/admin/";
    /** The record version. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DURABLE_WAIT_SECONDS = 30;

    /** A change that conflicts with the present state (an id taken, a customer with open cases or sites). */
    public static final class Conflict extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** @param message what conflicts */
        public Conflict(String message) {
            super(message);
        }
    }

    private final RecordStore store;
    private final CustomerDirectory directory;
    private final AuditLog audit;
    private final Clock clock;
    private final Predicate<String> hasOpenCases;
    private volatile Consumer<String> aroundChange = reason -> { };

    private AdminStore(RecordStore store, CustomerDirectory directory, AuditLog audit, Clock clock,
                       Predicate<String> hasOpenCases) {
        this.store = store;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
        this.hasOpenCases = hasOpenCases;
    }

    /**
     * Opens the administration view over the directory; the stored changes are applied by {@link #applyStored}
     * (see {@link ConfigReplay}).
     *
     * @param store        the centre's store
     * @param directory    the SDK directory the pipeline enriches from (changes go there too)
     * @param audit        the audit log
     * @param clock        the centre's clock
     * @param hasOpenCases whether a customer (by id) has open cases
     * @return the store
     */
    public static AdminStore open(RecordStore store, CustomerDirectory directory, AuditLog audit, Clock clock,
                                  Predicate<String> hasOpenCases) {
        return new AdminStore(store, directory, audit, clock, hasOpenCases);
    }

    /**
     * Applies a stored customer or site change at start (the others are ignored).
     *
     * @param r a {@code CONFIG_CHANGE} record
     * @throws IllegalStateException if its payload is not JSON
     */
    public synchronized void applyStored(StoredRecord r) {
        if (r.subject().startsWith(SUBJECT + "customer/") || r.subject().startsWith(SUBJECT + "site/")) {
            if (r.version() == VERSION) {
                apply(read(r));
            }
        }
    }

    private static JsonNode read(StoredRecord r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            throw new IllegalStateException("administration record at " + r.position() + " is not JSON", e);
        }
    }

    /**
     * What to run before and after every change (a backup of customer and configuration data, GA 1383 数据维护:
     * before and after every change); it gets the reason, {@code before put customer C1} or
     * {@code after put customer C1}. It runs only for changes that passed validation.
     *
     * @param hook the hook; its failure is logged and neither stops nor undoes the change
     */
    public void aroundChange(Consumer<String> hook) {
        this.aroundChange = hook;
    }

    /** @return every customer, by id, as JSON */
    public synchronized List<ObjectNode> customers() {
        return directory.customers().stream().sorted(java.util.Comparator.comparing(Customer::id))
                .map(AdminStore::customerJson).toList();
    }

    /**
     * @param id the customer
     * @return its JSON with its sites, or empty
     */
    public synchronized Optional<ObjectNode> customer(String id) {
        Optional<Customer> c = directory.customer(id);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode out = customerJson(c.get());
        ArrayNode s = out.putArray("sites");
        sites().stream().filter(x -> id.equals(x.path("customerId").asText())).forEach(s::add);
        return Optional.of(out);
    }

    /** @return every site, by id, as JSON (the file's too, before any alarm of theirs came in) */
    public synchronized List<ObjectNode> sites() {
        return directory.sites().stream().sorted(java.util.Comparator.comparing(Site::id))
                .map(AdminStore::siteJson).toList();
    }

    /**
     * Creates or replaces a customer.
     *
     * @param id     the customer id
     * @param body   {@code name} (required), {@code type}, {@code address}, {@code keyCustomer},
     *               {@code contacts: [{name, phone, role}]}
     * @param create true to refuse an existing id, false to refuse a missing one
     * @param by     who
     * @return the stored customer
     * @throws AdminValidation.FieldError for a bad field
     * @throws Conflict                   when creating an existing id
     * @throws NoSuchElementException     when replacing a missing one
     */
    public synchronized ObjectNode putCustomer(String id, JsonNode body, boolean create, Actor by) {
        AdminValidation.id(id, "id");
        ObjectNode v = JSON.createObjectNode();
        v.put("id", id);
        v.put("name", AdminValidation.required(body, "name"));
        v.put("type", AdminValidation.customerType(AdminValidation.optional(body, "type"), "type").name()
                .toLowerCase(java.util.Locale.ROOT));
        v.put("address", AdminValidation.optional(body, "address"));
        v.put("keyCustomer", AdminValidation.bool(body, "keyCustomer", false));
        ArrayNode contacts = v.putArray("contacts");
        JsonNode given = body.path("contacts");
        if (!given.isMissingNode() && !given.isNull() && !given.isArray()) {
            throw new AdminValidation.FieldError("contacts", "must be a list");
        }
        for (int i = 0; i < given.size(); i++) {
            JsonNode k = given.get(i);
            String at = "contacts[" + i + "]";
            ObjectNode c = contacts.addObject();
            c.put("name", AdminValidation.required(k, "name", at + ".name"));
            c.put("phone", AdminValidation.phone(AdminValidation.optional(k, "phone"), at + ".phone"));
            c.put("role", AdminValidation.optional(k, "role", at + ".role"));
        }
        if (create && directory.customer(id).isPresent()) {
            throw new Conflict("customer " + id + " exists");
        }
        if (!create && directory.customer(id).isEmpty()) {
            throw new NoSuchElementException("no customer " + id);
        }
        return change("put", "customer", id, v, by);
    }

    /**
     * Deletes a customer and its sites.
     *
     * @param id the customer
     * @param by who
     * @throws NoSuchElementException if there is no such customer
     * @throws Conflict               while it has open cases
     */
    public synchronized void deleteCustomer(String id, Actor by) {
        if (directory.customer(id).isEmpty()) {
            throw new NoSuchElementException("no customer " + id);
        }
        if (hasOpenCases.test(id)) {
            throw new Conflict("customer " + id + " has open cases; close them first");
        }
        change("delete", "customer", id, null, by);
    }

    /**
     * Creates or replaces a site.
     *
     * @param id   the site id
     * @param body {@code customerId} (required, an existing customer), {@code name} (required), {@code address},
     *             {@code zones: [{number, name}]} (when missing, the site keeps its zones)
     * @param by   who
     * @return the stored site
     * @throws AdminValidation.FieldError for a bad field or an unknown customer
     */
    public synchronized ObjectNode putSite(String id, JsonNode body, Actor by) {
        AdminValidation.id(id, "id");
        String customer = AdminValidation.required(body, "customerId");
        if (directory.customer(customer).isEmpty()) {
            throw new AdminValidation.FieldError("customerId", "no customer " + customer);
        }
        ObjectNode v = JSON.createObjectNode();
        v.put("id", id);
        v.put("customerId", customer);
        v.put("name", AdminValidation.required(body, "name"));
        v.put("address", AdminValidation.optional(body, "address"));
        JsonNode given = body.path("zones");
        if (given.isMissingNode() || given.isNull()) {
            Optional<Site> old = directory.site(id);
            v.set("zones", old.isEmpty() ? JSON.createArrayNode() : siteJson(old.get()).path("zones").deepCopy());
        } else if (!given.isArray()) {
            throw new AdminValidation.FieldError("zones", "must be a list");
        } else {
            ArrayNode zones = v.putArray("zones");
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < given.size(); i++) {
                String at = "zones[" + i + "]";
                String number = AdminValidation.zone(AdminValidation.optional(given.get(i), "number", at + ".number"),
                        at + ".number");
                if (!seen.add(number)) {
                    throw new AdminValidation.FieldError(at + ".number", "zone " + number + " is listed twice");
                }
                String name = AdminValidation.optional(given.get(i), "name", at + ".name");
                zones.addObject().put("number", number).put("name", name == null ? number : name);
            }
        }
        return change("put", "site", id, v, by);
    }

    /**
     * Deletes a site from the administration view.
     *
     * @param id the site
     * @param by who
     * @throws NoSuchElementException if there is no such site
     */
    public synchronized void deleteSite(String id, Actor by) {
        if (directory.site(id).isEmpty()) {
            throw new NoSuchElementException("no site " + id);
        }
        change("delete", "site", id, null, by);
    }

    private ObjectNode change(String op, String kind, String id, ObjectNode value, Actor by) {
        ObjectNode rec = JSON.createObjectNode();
        rec.put("op", op);
        rec.put("kind", kind);
        rec.put("id", id);
        rec.put("by", by.username());
        if (value != null) {
            rec.set("value", value);
        }
        hook("before " + op + " " + kind + " " + id);
        long position;
        try {
            position = durable(store.append(new NewRecord(RecordType.CONFIG_CHANGE, VERSION, clock.instant(),
                    SUBJECT + kind + "/" + id, JSON.writeValueAsBytes(rec))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apply(rec);
        // answered once the trace is on disk too
        durable(audit.record(by, AuditAction.CONFIGURATION_CHANGE, kind + ":" + id,
                Map.of("op", op, "position", Long.toString(position))));
        hook("after " + op + " " + kind + " " + id);
        return value;
    }

    /**
     * Waits for a store's stage, at most 30 s, on the calling thread (never an event loop).
     *
     * @param stage the stage of an append or an audit entry
     * @param <T>   what it completes with
     * @return its value
     * @throws IllegalStateException if the store failed, stalled or the wait was interrupted
     */
    public static <T> T durable(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(DURABLE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the change", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the store did not take the change: " + e.getMessage(), e);
        }
    }

    private void hook(String reason) {
        try {
            aroundChange.accept(reason);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(AdminStore.class).warn("{}: the change hook failed", reason, e);
        }
    }

    private void apply(JsonNode rec) {
        String kind = rec.path("kind").asText();
        String id = rec.path("id").asText();
        boolean delete = "delete".equals(rec.path("op").asText());
        if ("customer".equals(kind)) {
            if (delete) {
                directory.removeCustomer(id);
            } else {
                directory.put(toCustomer(rec.path("value")));
            }
        } else if ("site".equals(kind)) {
            if (delete) {
                directory.removeSite(id);
            } else {
                JsonNode v = rec.path("value");
                Site old = directory.site(id).orElse(null);
                List<Zone> zones = new ArrayList<>();
                for (JsonNode z : v.path("zones")) {
                    Zone before = old == null ? null : old.zones().get(z.path("number").asText());
                    zones.add(new Zone(z.path("number").asText(), z.path("name").asText(),
                            before == null ? null : before.location()));
                }
                directory.put(Site.of(id, v.path("customerId").asText(), v.path("name").asText(),
                        text(v, "address"), old == null ? null : old.location(), old == null ? null : old.sitePlan(),
                        zones));
            }
        }
    }

    private static Customer toCustomer(JsonNode v) {
        List<Contact> contacts = new ArrayList<>();
        for (JsonNode k : v.path("contacts")) {
            contacts.add(new Contact(k.path("name").asText(""), k.path("phone").asText(""), k.path("role").asText("")));
        }
        return new Customer(v.path("id").asText(), v.path("name").asText(),
                AdminValidation.customerType(text(v, "type"), "type"), text(v, "address"), contacts,
                v.path("keyCustomer").asBoolean(), null);
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.path(f);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static ObjectNode customerJson(Customer c) {
        ObjectNode v = JSON.createObjectNode();
        v.put("id", c.id());
        v.put("name", c.name());
        v.put("type", c.type().name().toLowerCase(java.util.Locale.ROOT));
        v.put("address", c.address().isEmpty() ? null : c.address());
        v.put("keyCustomer", c.keyCustomer());
        ArrayNode contacts = v.putArray("contacts");
        for (Contact k : c.contacts()) {
            contacts.addObject().put("name", k.name()).put("phone", k.phone()).put("role", k.role());
        }
        return v;
    }

    private static ObjectNode siteJson(Site s) {
        ObjectNode v = JSON.createObjectNode();
        v.put("id", s.id());
        v.put("customerId", s.customerId());
        v.put("name", s.name());
        v.put("address", s.address().isEmpty() ? null : s.address());
        ArrayNode zones = v.putArray("zones");
        s.zones().values().forEach(z -> zones.addObject().put("number", z.id()).put("name", z.name()));
        return v;
    }
}
