package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.examples.center.CenterModel;
import org.arc4j.examples.center.admin.AdminStore;
import org.arc4j.examples.center.admin.AdminValidation;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code /api/admin/accounts}: the panel accounts listed, read, created or changed and deleted (GA 1383 系统管理),
 * journalled by the {@link CenterModel} as {@code CONFIG_CHANGE} records and audited as
 * {@code CONFIGURATION_CHANGE}. All need {@code MANAGE_CUSTOMERS}. A bad field is 400 naming it ({@code account},
 * {@code transport}, {@code pollInterval}, {@code customer.id}); deleting an account with open cases is 409; an
 * unknown account 404. The DC-09 key stays with {@code PUT /api/accounts/{account}}. Thread-safe.
 */
final class AdminAccountResource {
    private final AccessGuard guard;
    private final CenterModel model;
    private final AlarmPipeline pipeline;
    private final AuditLog audit;

    AdminAccountResource(AccessGuard guard, CenterModel model, AlarmPipeline pipeline, AuditLog audit) {
        this.guard = guard;
        this.model = model;
        this.pipeline = pipeline;
        this.audit = audit;
    }

    private Session require(HttpRequest r) {
        return guard.require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
    }

    HttpResponse list(HttpRequest r) {
        require(r);
        return HttpResponse.ok(Map.of("accounts", model.accountsJson()));
    }

    HttpResponse get(HttpRequest r) {
        require(r);
        List<ObjectNode> entries = entries(r.param("account"));
        if (entries.isEmpty()) {
            throw ApiException.notFound("no account " + r.param("account"));
        }
        return HttpResponse.ok(Map.of("account", r.param("account"), "entries", entries));
    }

    private List<ObjectNode> entries(String account) {
        return model.accountsJson().stream().filter(a -> a.path("account").asText().equalsIgnoreCase(account))
                .toList();
    }

    HttpResponse put(HttpRequest r) {
        Session s = require(r);
        String account = r.param("account");
        JsonNode b = r.json();
        return AdminResource.handle(() -> {
            if (!account.matches("[0-9A-Fa-f]{3,16}")) {
                throw new AdminValidation.FieldError("account", "must be 3 to 16 hex digits");
            }
            if (!b.isObject()) {
                throw new AdminValidation.FieldError("body", "must be a JSON object");
            }
            String transport = AdminValidation.optional(b, "transport");
            if (transport != null && !transport.toUpperCase(java.util.Locale.ROOT).matches("IP|WIRELESS|PSTN")) {
                throw new AdminValidation.FieldError("transport", "must be IP, WIRELESS or PSTN");
            }
            String poll = AdminValidation.optional(b, "pollInterval");
            if (poll != null) {
                try {
                    CenterConfig.duration(poll);
                } catch (RuntimeException e) {
                    throw new AdminValidation.FieldError("pollInterval", "must be a duration such as 90s, 5m or 1h");
                }
            }
            if (b.has("dc09Key")) {
                throw new AdminValidation.FieldError("dc09Key", "is set with PUT /api/accounts/" + account);
            }
            ObjectNode change = ((ObjectNode) b).deepCopy();
            change.remove("op");
            boolean created = entries(account).isEmpty();
            if (created && AdminValidation.optional(b.path("customer"), "id", "customer.id") == null) {
                throw new AdminValidation.FieldError("customer.id", "customer.id is required for a new account");
            }
            // backed up before and after (GA 1383 数据维护); a change the model still refuses gets no second one
            model.backups().around("put account " + account, () -> {
                try {
                    AdminStore.durable(model.changeAccount(account, change, s.username()));
                } catch (IllegalArgumentException e) {
                    String m = e.getMessage() == null ? "" : e.getMessage();
                    // the model's messages start with the field they refuse
                    throw new AdminValidation.FieldError(m.startsWith("customer.id") ? "customer.id"
                            : m.split(" ", 2)[0], m);
                }
                audited(s, r, account, created ? "create" : "update");
                return account;
            });
            return HttpResponse.json(created ? 201 : 200, Map.of("account", account, "entries", entries(account)));
        });
    }

    HttpResponse delete(HttpRequest r) {
        Session s = require(r);
        String account = r.param("account");
        return AdminResource.handle(() -> {
            if (entries(account).isEmpty()) {
                throw new NoSuchElementException("no account " + account);
            }
            if (pipeline.openCases().stream().anyMatch(c -> c.account() != null
                    && c.account().account().equalsIgnoreCase(account))) {
                throw new AdminStore.Conflict("account " + account + " has open cases; close them first");
            }
            model.backups().around("delete account " + account, () -> {
                CompletionStage<Long> stored = model.deleteAccount(account, s.username());
                AdminStore.durable(stored);
                audited(s, r, account, "delete");
                return account;
            });
            return HttpResponse.ok(Map.of("deleted", account));
        });
    }

    private void audited(Session s, HttpRequest r, String account, String op) {
        AccessGuard.durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.CONFIGURATION_CHANGE,
                "account:" + account, Map.of("op", op)));
    }
}
