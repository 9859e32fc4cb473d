package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.PasswordCheck;
import org.arc4j.core.security.PasswordPolicy;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.examples.center.config.CenterConfig;

/**
 * GB/T 28181 devices as the administration API changes them (GA 1383 系统管理: 设备管理): a device's 20-digit ID
 * bound to a customer's site, so that its alarms are enriched as that site's, and its SIP digest password kept in
 * the credential vault only (never in the journal, the audit log or an answer). Kept as {@code CONFIG_CHANGE}
 * records (subject {@code center/admin/device/<id>}, payload {@code {"op","kind":"device","id","by",
 * "value":{"id","customerId","siteId"}}}) and audited as {@code CONFIGURATION_CHANGE} (and
 * {@code CREDENTIAL_CHANGE} for a password). {@link #open} starts from the configuration file's devices;
 * {@link #applyStored} is given the records at start, in one pass with the other configuration records
 * ({@link ConfigReplay}). Every change runs between two backups ({@link #backups}). A device's MANSCDP charset
 * still comes from the file only. Thread-safe.
 */
public final class DeviceStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KIND = "device";

    private final RecordStore store;
    private final AdminStore customers;
    private final CredentialVault vault;
    private final PasswordPolicy policy;
    private final AuditLog audit;
    private final Clock clock;
    private final BiConsumer<String, String> bind;
    private final Map<String, ObjectNode> devices = new TreeMap<>();
    private final ChangeBackups backups = new ChangeBackups();

    private DeviceStore(RecordStore store, AdminStore customers, CredentialVault vault, PasswordPolicy policy,
                        AuditLog audit, Clock clock, BiConsumer<String, String> bind) {
        this.store = store;
        this.customers = customers;
        this.vault = vault;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.bind = bind;
    }

    /**
     * Opens the devices: the configuration file's; the stored changes come through {@link #applyStored}.
     *
     * @param store      the centre's store
     * @param configured the devices of the configuration file
     * @param customers  customers and sites, to check a device's
     * @param vault      where SIP passwords are kept
     * @param policy     the centre's password policy (device passwords)
     * @param audit      the audit log
     * @param clock      the centre's clock
     * @param bind       binds a device ID to a site id, or unbinds it with null
     * @return the store
     */
    public static DeviceStore open(RecordStore store, List<CenterConfig.Device> configured, AdminStore customers,
                                   CredentialVault vault, PasswordPolicy policy, AuditLog audit, Clock clock,
                                   BiConsumer<String, String> bind) {
        DeviceStore s = new DeviceStore(store, customers, vault, policy, audit, clock, bind);
        for (CenterConfig.Device d : configured) {
            s.devices.put(d.id(), JSON.createObjectNode().put("id", d.id()).put("customerId", d.customer())
                    .put("siteId", d.site()));
        }
        return s;
    }

    /**
     * Applies a stored device change at start (each bound again); other records are ignored.
     *
     * @param r a {@code CONFIG_CHANGE} record
     * @throws IllegalStateException if its payload is not JSON
     */
    public synchronized void applyStored(StoredRecord r) {
        if (r.version() == AdminStore.VERSION && r.subject().startsWith(AdminStore.SUBJECT + KIND + "/")) {
            try {
                applyRecord(JSON.readTree(r.payload()));
            } catch (IOException e) {
                throw new IllegalStateException("device record at " + r.position() + " is not JSON", e);
            }
        }
    }

    /** @return the backups taken before and after every change (the centre sets their hook) */
    public ChangeBackups backups() {
        return backups;
    }

    /** @return every device, by ID, with {@code passwordSet} (never the password) */
    public synchronized List<ObjectNode> devices() {
        return devices.values().stream().map(d -> d.deepCopy().put("passwordSet",
                vault.find(CredentialKey.of(CredentialKind.SIP_PASSWORD, d.path("id").asText())).isPresent()))
                .toList();
    }

    /**
     * Creates or replaces a device.
     *
     * @param id   its 20-digit ID
     * @param body {@code customerId} and {@code siteId} (required, existing, the site the customer's),
     *             {@code password} (required for a new device; checked by the password policy)
     * @param by   who
     * @return the stored device, without its password
     * @throws AdminValidation.FieldError for a bad field, an unknown customer or site
     * @throws AdminStore.Conflict        when the site belongs to another customer
     */
    public synchronized ObjectNode putDevice(String id, JsonNode body, Actor by) {
        if (id == null || !id.matches("[0-9]{20}")) {
            throw new AdminValidation.FieldError("id", "a GB/T 28181 device ID has 20 digits");
        }
        String customerId = AdminValidation.required(body, "customerId");
        if (customers.customer(customerId).isEmpty()) {
            throw new AdminValidation.FieldError("customerId", "no customer " + customerId);
        }
        String siteId = AdminValidation.required(body, "siteId");
        ObjectNode site = customers.sites().stream().filter(x -> siteId.equals(x.path("id").asText())).findFirst()
                .orElseThrow(() -> new AdminValidation.FieldError("siteId", "no site " + siteId));
        if (!customerId.equals(site.path("customerId").asText())) {
            throw new AdminStore.Conflict("site " + siteId + " belongs to customer " + site.path("customerId")
                    .asText());
        }
        String password = AdminValidation.optional(body, "password");
        if (password == null && !devices.containsKey(id)) {
            throw new AdminValidation.FieldError("password", "is required for a new device");
        }
        if (password != null) {
            PasswordCheck check = policy.checkDevicePassword(Secret.ofUtf8(password), id);
            if (!check.accepted()) {
                throw new AdminValidation.FieldError("password", "refused by the password policy");
            }
        }
        backups.run("before put device " + id);
        if (password != null) {
            vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, id),
                    new Credential(id, Secret.ofUtf8(password), Map.of("source", "admin")));
            AdminStore.durable(audit.record(by, AuditAction.CREDENTIAL_CHANGE, "gb28181:" + id,
                    Map.of("kind", "SIP_PASSWORD")));
        }
        ObjectNode v = JSON.createObjectNode().put("id", id).put("customerId", customerId).put("siteId", siteId);
        change("put", id, v, by);
        backups.run("after put device " + id);
        return v;
    }

    /**
     * Deletes a device: unbound from its site and its password removed from the vault, so it can no longer
     * register.
     *
     * @param id the device
     * @param by who
     * @throws NoSuchElementException if there is no such device
     */
    public synchronized void deleteDevice(String id, Actor by) {
        if (!devices.containsKey(id)) {
            throw new NoSuchElementException("no device " + id);
        }
        backups.around("delete device " + id, () -> {
            change("delete", id, null, by);
            vault.remove(CredentialKey.of(CredentialKind.SIP_PASSWORD, id));
            return id;
        });
    }

    private void change(String op, String id, ObjectNode value, Actor by) {
        ObjectNode rec = ConfigRecords.record(op, KIND, id, by, value);
        long position = ConfigRecords.append(store, clock, rec);
        applyRecord(rec);
        ConfigRecords.audit(audit, by, rec, position);
    }

    private void applyRecord(JsonNode rec) {
        String id = rec.path("id").asText();
        if ("delete".equals(rec.path("op").asText())) {
            devices.remove(id);
            bind.accept(id, null);
        } else {
            ObjectNode v = ((ObjectNode) rec.path("value")).deepCopy();
            devices.put(id, v);
            bind.accept(id, v.path("siteId").asText());
        }
    }
}
