package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.EventId;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseException;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.FalseAlarmCause;
import org.arc4j.core.pipeline.VerificationResult;
import org.arc4j.core.security.AccessDecision;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.DenialReason;
import org.arc4j.core.security.LoginResult;
import org.arc4j.core.security.PasswordCheck;
import org.arc4j.core.security.PasswordRejectedException;
import org.arc4j.core.security.PasswordViolation;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Scope;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.User;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.QualityReport;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.supervision.DeviceStatus;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;

/**
 * The reference centre's REST API, exactly as the README's table documents it. Every call but login and health
 * needs a bearer token; every call checks its permission with the SDK's {@code AccessControl} (a denial is
 * audited as {@code ACCESS_DENIED}); case actions are journalled by the pipeline with the operator as actor,
 * credential, password and permission changes are audited. Handlers run on the HTTP server's worker threads.
 */
final class CenterApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The most events one call returns. */
    static final int MAX_EVENTS = 100_000;
    private static final int LOGIN_FAILURES_PER_MINUTE = 20;

    private final ReferenceCenter c;
    private final CaseViews views;
    private final Map<String, List<Instant>> failuresByOrigin = new ConcurrentHashMap<>();

    CenterApi(ReferenceCenter centre, CaseViews views) {
        this.c = centre;
        this.views = views;
    }

    /** @return the routes */
    Router router() {
        return new Router()
                .get("/api/health", h(this::health))
                .post("/api/login", h(this::login))
                .post("/api/logout", h(this::logout))
                .get("/api/me", h(this::me))
                .get("/api/events", h(this::events))
                .get("/api/cases", h(this::cases))
                .get("/api/cases/{id}", h(this::caseDetail))
                .post("/api/cases/{id}/displayed", h(this::displayed))
                .post("/api/cases/{id}/actions", h(this::action))
                .put("/api/accounts/{account}", h(this::putAccount))
                .put("/api/gb28181/devices/{id}", h(this::putGbDevice))
                .get("/api/devices", h(this::devices))
                .get("/api/stats", h(this::stats))
                .post("/api/faults", h(this::fault))
                .post("/api/satisfaction", h(this::satisfaction))
                .post("/api/users", h(this::createUser))
                .put("/api/users/{name}/password", h(this::password));
    }

    private static Router.Handler h(Router.Handler x) {
        return req -> {
            try {
                return x.handle(req);
            } catch (CaseException e) {
                throw caseError(e);
            }
        };
    }

    // ------------------------------------------------------------------ sessions

    private HttpResponse health(HttpRequest r) {
        ObjectNode n = F.objectNode();
        n.put("status", "up");
        n.put("time", c.scheduler().now().toString());
        n.put("events", c.eventIndex().size());
        n.put("openCases", c.pipeline().openCases().size());
        n.put("intakeInFlight", c.intake().inFlight());
        return HttpResponse.ok(n);
    }

    private static String host(String remote) {
        String h = remote.startsWith("/") ? remote.substring(1) : remote;
        int colon = h.lastIndexOf(':');
        return colon > 0 ? h.substring(0, colon) : h;
    }

    private HttpResponse login(HttpRequest r) {
        JsonNode b = r.json();
        String username = b.path("username").asText("");
        String password = b.path("password").asText("");
        if (username.isEmpty() || password.isEmpty()) {
            throw ApiException.badRequest("username and password are required");
        }
        String origin = host(r.remote());
        List<Instant> recent = failuresByOrigin.computeIfAbsent(origin, k -> new ArrayList<>());
        Instant now = c.scheduler().now();
        synchronized (recent) {
            recent.removeIf(t -> t.isBefore(now.minusSeconds(60)));
            if (recent.size() >= LOGIN_FAILURES_PER_MINUTE) {
                throw new ApiException(429, "too many failed logins from " + origin + "; wait a minute");
            }
        }
        LoginResult result = c.users().login(username, Secret.ofUtf8(password), origin);
        if (result instanceof LoginResult.Success s) {
            ObjectNode n = F.objectNode();
            n.put("token", s.token().revealUtf8());
            n.set("user", user(s.session().user()));
            n.put("expiresAt", s.session().expiresAt().toString());
            n.put("passwordChangeRequired", s.session().passwordChangeRequired());
            return HttpResponse.ok(n);
        }
        LoginResult.Failure f = (LoginResult.Failure) result;
        synchronized (recent) {
            recent.add(now);
        }
        switch (f.reason()) {
            case LOCKED -> throw new ApiException(423, "account locked until " + f.lockedUntil());
            case DISABLED -> throw new ApiException(403, "account disabled");
            default -> throw new ApiException(401, "wrong user name or password");
        }
    }

    private static ObjectNode user(User u) {
        ObjectNode n = F.objectNode();
        n.put("name", u.username());
        Role role = u.roles().isEmpty() ? null : u.roles().iterator().next();
        n.put("role", role == null ? null : CenterUsers.nameOf(role));
        ArrayNode customers = n.putArray("customers");
        u.scope().customerIds().forEach(customers::add);
        ArrayNode sites = n.putArray("sites");
        u.scope().siteIds().forEach(sites::add);
        return n;
    }

    private Session session(HttpRequest r) {
        String token = r.bearerToken();
        if (token == null || token.isEmpty()) {
            throw new ApiException(401, "log in first (Authorization: Bearer TOKEN)");
        }
        return c.sessions().resolve(Secret.ofUtf8(token))
                .orElseThrow(() -> new ApiException(401, "the token is unknown or expired; log in again"));
    }

    private Session require(HttpRequest r, Permission p, Resource res) {
        Session s = session(r);
        AccessDecision d = c.access().check(s, p, res);
        if (d instanceof AccessDecision.Denied denied) {
            c.audit().record(Actor.of(s.username(), host(r.remote())), AuditAction.ACCESS_DENIED,
                    res.kind() + ":" + res.id(), Map.of("permission", p.name(), "reason", denied.reason().name()));
            if (denied.reason() == DenialReason.PASSWORD_CHANGE_REQUIRED) {
                throw new ApiException(403, "change your password first (PUT /api/users/" + s.username()
                        + "/password)");
            }
            throw new ApiException(403, "not permitted: " + p.name().toLowerCase(Locale.ROOT) + " ("
                    + denied.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        }
        return s;
    }

    private HttpResponse logout(HttpRequest r) {
        session(r);
        c.users().logout(Secret.ofUtf8(r.bearerToken()), host(r.remote()));
        return HttpResponse.ok(Map.of("loggedOut", true));
    }

    private HttpResponse me(HttpRequest r) {
        Session s = session(r);
        ObjectNode n = F.objectNode();
        n.set("user", user(s.user()));
        n.put("expiresAt", s.expiresAt().toString());
        n.put("passwordChangeRequired", s.passwordChangeRequired());
        return HttpResponse.ok(n);
    }

    // ------------------------------------------------------------------ events

    private HttpResponse events(HttpRequest r) throws Exception {
        require(r, Permission.VIEW_ALARMS, Resource.centre());
        int limit = 100;
        if (r.query("limit") != null) {
            try {
                limit = Integer.parseInt(r.query("limit"));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be a number from 1 to " + MAX_EVENTS);
            }
            if (limit < 1 || limit > MAX_EVENTS) {
                throw ApiException.badRequest("limit must be a number from 1 to " + MAX_EVENTS);
            }
        }
        EventId after = null;
        if (r.query("after") != null) {
            try {
                after = EventId.parse(r.query("after"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("after must be an event id");
            }
        }
        long[] positions = c.eventIndex().newest(limit, after);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, positions.length * 600));
        out.write("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        String last = null;
        boolean first = true;
        for (long p : positions) {
            Optional<StoredRecord> rec = c.journal().read(p);
            if (rec.isEmpty()) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            byte[] json = rec.get().payload();
            out.write(json);
            last = lastId(json);
        }
        out.write("],\"count\":".getBytes(StandardCharsets.US_ASCII));
        out.write(Integer.toString(positions.length).getBytes(StandardCharsets.US_ASCII));
        out.write(",\"next\":".getBytes(StandardCharsets.US_ASCII));
        out.write((positions.length == limit && last != null ? "\"" + last + "\"" : "null")
                .getBytes(StandardCharsets.US_ASCII));
        out.write('}');
        return HttpResponse.bytes(200, "application/json; charset=utf-8", out.toByteArray());
    }

    private static String lastId(byte[] json) {
        String head = new String(json, 0, Math.min(json.length, 64), StandardCharsets.US_ASCII);
        int at = head.indexOf("\"id\":\"");
        return at < 0 ? null : head.substring(at + 6, Math.min(head.length(), at + 32));
    }

    // ------------------------------------------------------------------ cases

    private static Resource resource(AlarmCase k) {
        Resource res = Resource.alarmCase(k.id(), k.customerId(), k.siteId());
        String guard = dispatchedGuard(k);
        if (guard != null) {
            res = res.dispatchedTo(guard);
        }
        return k.forwardedToPolice() ? res.forwarded() : res;
    }

    private static String dispatchedGuard(AlarmCase k) {
        String guard = null;
        for (var t : k.transitions()) {
            if (t.action() == CaseAction.DISPATCH_ORDERED) {
                guard = t.details().get("guard");
            }
        }
        return guard;
    }

    private HttpResponse cases(HttpRequest r) {
        Session s = session(r);
        boolean all = "all".equalsIgnoreCase(r.query("state"));
        List<AlarmCase> list = new ArrayList<>();
        for (String id : c.pipeline().caseIds()) {
            c.pipeline().get(id).ifPresent(k -> {
                if (all || !k.state().isFinal()) {
                    list.add(k);
                }
            });
        }
        list.sort((a, b) -> {
            if (a.priority() != b.priority()) {
                return Integer.compare(a.priority(), b.priority());
            }
            if (a.keyCustomer() != b.keyCustomer()) {
                return a.keyCustomer() ? -1 : 1;
            }
            int t = a.responseStart().compareTo(b.responseStart());
            return t != 0 ? t : a.id().compareTo(b.id());
        });
        // a scoped user (customer, police, guard) is out of scope for the centre as a whole, and sees its own cases;
        // anyone else who may not view alarms, or must first change the password, gets the 403
        if (c.access().check(s, Permission.VIEW_ALARMS, Resource.centre()) instanceof AccessDecision.Denied d
                && d.reason() != DenialReason.OUT_OF_SCOPE) {
            require(r, Permission.VIEW_ALARMS, Resource.centre());
        }
        ArrayNode out = F.arrayNode();
        for (AlarmCase k : list) {
            if (c.access().check(s, Permission.VIEW_ALARMS, resource(k)) instanceof AccessDecision.Granted) {
                out.add(views.summary(k));
            }
        }
        ObjectNode n = F.objectNode();
        n.set("cases", out);
        return HttpResponse.ok(n);
    }

    private AlarmCase find(String id) {
        return c.pipeline().get(id).orElseThrow(() -> ApiException.notFound("no case " + id));
    }

    private HttpResponse caseDetail(HttpRequest r) {
        AlarmCase k = find(r.param("id"));
        Session s = require(r, Permission.VIEW_ALARMS, resource(k));
        return HttpResponse.ok(views.detail(k, allowed(s, k)));
    }

    private HttpResponse displayed(HttpRequest r) throws Exception {
        AlarmCase k = find(r.param("id"));
        Session s = require(r, Permission.VIEW_ALARMS, resource(k));
        AlarmCase after = await(c.pipeline().present(k.id(), "console:" + s.username() + "@" + host(r.remote())));
        return HttpResponse.ok(views.detail(after, allowed(s, after)));
    }

    /** The console's actions, with the permission each needs. */
    private static final Map<String, Permission> ACTIONS = Map.ofEntries(
            Map.entry("take", Permission.TAKE_CASE),
            Map.entry("verify", Permission.VERIFY_CASE),
            Map.entry("forward", Permission.FORWARD_CASE),
            Map.entry("confirm-forward", Permission.FORWARD_CASE),
            Map.entry("dispatch", Permission.DISPATCH_CASE),
            Map.entry("depart", Permission.DISPATCH_CASE),
            Map.entry("arrive", Permission.DISPATCH_CASE),
            Map.entry("report", Permission.DISPATCH_CASE),
            Map.entry("reset-device", Permission.DISPATCH_CASE),
            Map.entry("notify-client", Permission.TAKE_CASE),
            Map.entry("close", Permission.CLOSE_CASE),
            Map.entry("archive", Permission.CLOSE_CASE),
            Map.entry("mark-false-alarm", Permission.CLOSE_CASE));

    private static final List<String> ORDER = List.of("take", "verify", "forward", "confirm-forward", "dispatch",
            "depart", "arrive", "report", "reset-device", "notify-client", "close", "archive", "mark-false-alarm");

    private boolean permitted(Session s, String action, AlarmCase k) {
        Permission p = ACTIONS.get(action);
        if (c.access().check(s, p, resource(k)) instanceof AccessDecision.Granted) {
            return true;
        }
        // a dispatched guard reports the own steps
        return isGuardStep(action) && s.user().roles().contains(Role.GUARD)
                && s.username().equals(dispatchedGuard(k))
                && c.access().check(s, Permission.VIEW_ALARMS, resource(k)) instanceof AccessDecision.Granted;
    }

    private static boolean isGuardStep(String action) {
        return List.of("depart", "arrive", "report", "reset-device").contains(action);
    }

    /** The actions the case's state allows now, for the user's permissions. */
    private List<String> allowed(Session s, AlarmCase k) {
        Set<String> ok = new HashSet<>();
        boolean open = !k.state().isFinal();
        boolean presented = CaseViews.happened(k, CaseAction.PRESENTED);
        if (open && presented && k.takenBy() == null) {
            ok.add("take");
        }
        if (open && k.takenBy() != null) {
            ok.add("verify");
            ok.add("forward");
            ok.add("notify-client");
            ok.add("close");
            if (!CaseViews.happened(k, CaseAction.DISPATCH_ORDERED)) {
                ok.add("dispatch");
            }
        }
        if (open && !k.forwards().isEmpty()) {
            ok.add("confirm-forward");
        }
        if (open && CaseViews.happened(k, CaseAction.DISPATCH_ORDERED)) {
            if (!CaseViews.happened(k, CaseAction.GUARD_DEPARTED)) {
                ok.add("depart");
            } else if (!CaseViews.happened(k, CaseAction.GUARD_ARRIVED)) {
                ok.add("arrive");
            } else {
                ok.add("report");
                ok.add("reset-device");
            }
        }
        if (k.state() == CaseState.CLOSED) {
            ok.add("archive");
        }
        if (k.forwardedToPolice() && k.falseAlarmCause() == null) {
            ok.add("mark-false-alarm");
        }
        List<String> out = new ArrayList<>();
        for (String a : ORDER) {
            if (ok.contains(a) && permitted(s, a, k)) {
                out.add(a);
            }
        }
        return out;
    }

    private HttpResponse action(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        String action = b.path("action").asText("");
        if (!ACTIONS.containsKey(action)) {
            throw ApiException.badRequest("action must be one of " + String.join(", ", ORDER));
        }
        AlarmCase k = find(r.param("id"));
        Session s = session(r);
        if (!permitted(s, action, k)) {
            require(r, ACTIONS.get(action), resource(k)); // throws the 403 with its reason, audited
        }
        String user = s.username();
        String id = k.id();
        String cause = text(b, "cause");
        var p = c.pipeline();
        AlarmCase after = switch (action) {
            case "take" -> await(p.take(id, user));
            case "verify" -> {
                AlarmCase cur = k;
                boolean running = cur.verificationMethod() != null && cur.verificationResult() == null;
                String method = text(b, "method");
                if (!running || method != null && !method.equalsIgnoreCase(cur.verificationMethod().name())) {
                    cur = await(p.startVerification(id, user, enumOf(VerificationMethod.class,
                            method == null ? "video" : method, "method")));
                }
                String result = text(b, "result");
                yield result == null ? cur
                        : await(p.verify(id, user, enumOf(VerificationResult.class, result, "result"), cause));
            }
            case "forward" -> {
                String to = text(b, "recipient") == null ? "police" : text(b, "recipient");
                ForwardChannel ch = text(b, "channel") == null ? ForwardChannel.of(k.transport())
                        : enumOf(ForwardChannel.class, text(b, "channel"), "channel");
                yield await(p.forward(id, user, to, ch, b.has("police") ? b.path("police").asBoolean()
                        : "police".equalsIgnoreCase(to)));
            }
            case "confirm-forward" -> {
                String to = text(b, "recipient");
                if (to == null) {
                    to = k.forwards().isEmpty() ? "police" : k.forwards().get(k.forwards().size() - 1).recipient();
                }
                yield await(p.confirmForward(id, user, to));
            }
            case "dispatch" -> await(p.dispatch(id, user, text(b, "guard") == null ? "guard" : text(b, "guard")));
            case "depart", "arrive", "report", "reset-device" -> {
                String guard = dispatchedGuard(k) == null ? user : dispatchedGuard(k);
                CaseAction step = switch (action) {
                    case "depart" -> CaseAction.GUARD_DEPARTED;
                    case "arrive" -> CaseAction.GUARD_ARRIVED;
                    case "report" -> CaseAction.ONSITE_REPORT;
                    default -> CaseAction.DEVICE_RESET;
                };
                String t = action.equals("report") ? text(b, "report") : cause;
                if (action.equals("reset-device") && t == null) {
                    throw ApiException.badRequest("reset-device needs a cause");
                }
                yield await(p.guardReport(id, guard, step, t));
            }
            case "notify-client" -> await(p.notified(id, user, b.path("insurer").asBoolean(false),
                    text(b, "channel") == null ? "phone" : text(b, "channel")));
            case "close" -> {
                String result = text(b, "result");
                String summary = result == null ? cause : cause == null ? result : result + ": " + cause;
                yield await(p.close(id, user, summary));
            }
            case "archive" -> await(p.archive(id, user));
            default -> {
                if (cause == null) {
                    throw ApiException.badRequest("mark-false-alarm needs a cause: centre-error or equipment-fault");
                }
                yield await(p.markFalseAlarm(id, user, enumOf(FalseAlarmCause.class, cause, "cause")));
            }
        };
        return HttpResponse.ok(views.detail(after, allowed(s, after)));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E x : type.getEnumConstants()) {
                names.add(x.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw ApiException.badRequest(field + " must be one of " + String.join(", ", names));
        }
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static AlarmCase await(CompletionStage<AlarmCase> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new ApiException(503, "the journal did not confirm the change in time");
        }
    }

    /**
     * Maps the pipeline's refusals to statuses.
     *
     * @param e the refusal
     * @return the API error
     */
    static ApiException caseError(CaseException e) {
        int status = switch (e.reason()) {
            case NOT_FOUND -> 404;
            case DENIED -> 403;
            default -> 409;
        };
        String m = e.getMessage();
        return new ApiException(status, m.substring(m.indexOf(':') + 1).trim());
    }

    // ------------------------------------------------------------------ accounts, devices

    private HttpResponse putAccount(HttpRequest r) throws Exception {
        String account = r.param("account");
        if (!account.matches("[0-9A-Fa-f]{3,16}")) {
            throw ApiException.badRequest("the account must be 3 to 16 hex digits");
        }
        JsonNode b = r.json();
        Session s = require(r, Permission.MANAGE_CUSTOMERS, Resource.centre());
        String key = text(b, "dc09Key");
        if (key != null) {
            require(r, Permission.MANAGE_DEVICES, Resource.centre());
        }
        ObjectNode change = ((ObjectNode) b).deepCopy();
        change.remove("dc09Key");
        change.remove("keyFormat");
        Credential cred = null;
        if (key != null) {
            boolean textKey = "text".equalsIgnoreCase(text(b, "keyFormat"));
            if (!textKey && !key.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64}")) {
                throw ApiException.badRequest("dc09Key must be an AES-128, -192 or -256 key: 32, 48 or 64 hex digits");
            }
            Secret secret = textKey ? Secret.ofUtf8(key) : Secret.ofHex(key);
            PasswordCheck check = c.passwordPolicy().checkDeviceKey(secret);
            if (!check.accepted()) {
                throw ApiException.badRequest("dc09Key refused: " + rules(check));
            }
            cred = new Credential(null, secret, Map.of(Credential.OPTION_KEY_FORMAT, textKey ? "text" : "hex",
                    "source", "api"));
        }
        if (change.size() > 0 || key == null) {
            try {
                await2(c.model().changeAccount(account, change, s.username()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        if (cred != null) {
            c.vault().put(CredentialKey.of(CredentialKind.DC09_KEY, account), cred);
            c.audit().record(Actor.of(s.username(), host(r.remote())), AuditAction.CREDENTIAL_CHANGE,
                    "dc09:" + account, Map.of("kind", "DC09_KEY"));
        }
        ObjectNode n = F.objectNode();
        n.put("account", account);
        n.put("dc09Key", c.vault().find(CredentialKey.of(CredentialKind.DC09_KEY, account)).isPresent() ? "set" : "none");
        return HttpResponse.ok(n);
    }

    private static void await2(CompletionStage<Long> stage) throws Exception {
        stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private HttpResponse putGbDevice(HttpRequest r) {
        String id = r.param("id");
        if (!id.matches("[0-9]{18}|[0-9]{20}")) {
            throw ApiException.badRequest("a GB/T 28181 device ID has 20 digits");
        }
        JsonNode b = r.json();
        Session s = require(r, Permission.MANAGE_DEVICES, Resource.centre());
        String password = text(b, "password");
        if (password == null) {
            throw ApiException.badRequest("password is required");
        }
        PasswordCheck check = c.passwordPolicy().checkDevicePassword(Secret.ofUtf8(password), id);
        if (!check.accepted()) {
            throw ApiException.badRequest("password refused: " + rules(check));
        }
        c.vault().put(CredentialKey.of(CredentialKind.SIP_PASSWORD, id),
                new Credential(id, Secret.ofUtf8(password), Map.of("source", "api")));
        c.audit().record(Actor.of(s.username(), host(r.remote())), AuditAction.CREDENTIAL_CHANGE, "gb28181:" + id,
                Map.of("kind", "SIP_PASSWORD"));
        return HttpResponse.ok(Map.of("device", id, "password", "set"));
    }

    private HttpResponse devices(HttpRequest r) {
        require(r, Permission.VIEW_ALARMS, Resource.centre());
        ArrayNode out = F.arrayNode();
        List<DeviceStatus> all = new ArrayList<>(c.supervisor().all());
        all.sort((a, b) -> a.device().toString().compareTo(b.device().toString()));
        for (DeviceStatus d : all) {
            out.add(device(d));
        }
        ObjectNode n = F.objectNode();
        n.set("devices", out);
        return HttpResponse.ok(n);
    }

    /**
     * A device's row.
     *
     * @param d its status
     * @return its JSON
     */
    static ObjectNode device(DeviceStatus d) {
        ObjectNode n = F.objectNode();
        n.put("device", d.device().toString());
        n.put("namespace", d.device().namespace());
        n.put("id", d.device().id());
        n.put("online", d.online());
        n.put("lastContact", d.lastCheckIn() == null ? null : d.lastCheckIn().toString());
        n.put("link", d.lastLink());
        n.put("maxSilenceSeconds", d.maxSilence() == null ? null : d.maxSilence().toSeconds());
        n.put("deadline", d.deadline() == null ? null : d.deadline().toString());
        return n;
    }

    // ------------------------------------------------------------------ statistics

    private static Instant instant(HttpRequest r, String name, Instant dflt) {
        String v = r.query(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return v.length() == 10 ? Instant.parse(v + "T00:00:00Z") : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be a date (2026-01-31) or an instant (2026-01-31T00:00:00Z)");
        }
    }

    private HttpResponse stats(HttpRequest r) {
        require(r, Permission.READ_REPORTS, Resource.centre());
        Instant now = c.scheduler().now();
        Instant to = instant(r, "to", now.plusSeconds(1));
        Instant from = instant(r, "from", to.minus(Duration.ofDays(365)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        QualityReport q = c.ledger().report(from, to);
        ObjectNode n = F.objectNode();
        n.put("from", from.toString());
        n.put("to", to.toString());
        n.put("missedAlarms", q.missedAlarms());
        n.put("policeForwards", q.policeForwards());
        n.put("falseAlarms", q.falseAlarms());
        n.put("falseAlarmRatePercent", q.falseAlarmRatePercent());
        n.put("faults", q.faults());
        n.put("repairedIn24h", q.repairedIn24h());
        n.put("repairRate24hPercent", q.repairRate24hPercent());
        if (q.satisfaction().isPresent()) {
            n.put("satisfaction", q.satisfaction().getAsDouble());
        } else {
            n.putNull("satisfaction");
        }
        n.put("surveyed", q.surveyed());
        n.put("meetsGa1383", q.meetsGa1383());
        return HttpResponse.ok(n);
    }

    private HttpResponse fault(HttpRequest r) {
        JsonNode b = r.json();
        require(r, Permission.MANAGE_DEVICES, Resource.centre());
        Instant now = c.scheduler().now();
        String id = text(b, "id") == null ? "F" + now.toEpochMilli() : text(b, "id");
        Instant opened = b.has("openedAt") ? parse(b, "openedAt") : now;
        boolean known = c.ledger().faults().stream().anyMatch(f -> f.id().equals(id));
        if (!known) {
            String cls = text(b, "classification");
            if (cls == null) {
                throw ApiException.badRequest("classification is required for a new fault");
            }
            c.ledger().openFault(id, opened, cls, b.path("platform").asBoolean(false));
        }
        if (b.has("closedAt")) {
            try {
                c.ledger().closeFault(id, parse(b, "closedAt"));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new ApiException(409, e.getMessage());
            }
        }
        FaultTicket t = c.ledger().faults().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
        ObjectNode n = F.objectNode();
        n.put("id", t.id());
        n.put("classification", t.classification());
        n.put("platform", t.platform());
        n.put("openedAt", t.openedAt().toString());
        n.put("closedAt", t.closedAt() == null ? null : t.closedAt().toString());
        return HttpResponse.json(known ? 200 : 201, n);
    }

    private static Instant parse(JsonNode b, String field) {
        try {
            return Instant.parse(b.path(field).asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field + " must be an instant such as 2026-01-31T08:00:00Z");
        }
    }

    private HttpResponse satisfaction(HttpRequest r) {
        JsonNode b = r.json();
        require(r, Permission.READ_REPORTS, Resource.centre());
        String customer = text(b, "customerId");
        if (customer == null || !b.path("score").isNumber()) {
            throw ApiException.badRequest("customerId and a numeric score (0 to 100) are required");
        }
        double score = b.path("score").asDouble();
        if (score < 0 || score > 100) {
            throw ApiException.badRequest("score must be from 0 to 100");
        }
        Instant at = b.has("at") ? parse(b, "at") : c.scheduler().now();
        c.ledger().recordSatisfaction(customer, score, at);
        return HttpResponse.json(201, Map.of("customerId", customer, "score", score, "at", at.toString()));
    }

    // ------------------------------------------------------------------ users

    private static String rules(PasswordCheck check) {
        List<String> out = new ArrayList<>();
        for (PasswordViolation v : check.violations()) {
            out.add(v.rule().name() + " (" + v.explanation() + ")");
        }
        return String.join("; ", out);
    }

    private HttpResponse createUser(HttpRequest r) {
        JsonNode b = r.json();
        Session s = require(r, Permission.MANAGE_USERS, Resource.centre());
        String name = text(b, "username");
        String password = b.path("password").asText("");
        if (name == null || !name.matches("[A-Za-z0-9._-]{2,64}")) {
            throw ApiException.badRequest("username must be 2 to 64 letters, digits, dots, dashes or underscores");
        }
        if (password.isEmpty()) {
            throw ApiException.badRequest("password is required");
        }
        Role role;
        try {
            role = CenterUsers.roleOf(text(b, "role"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Set<String> customers = new HashSet<>();
        Set<String> sites = new HashSet<>();
        b.path("customers").forEach(x -> customers.add(x.asText()));
        b.path("sites").forEach(x -> sites.add(x.asText()));
        if (text(b, "customer") != null) {
            customers.add(text(b, "customer"));
        }
        // police see the cases forwarded to them; a customer's user sees nothing without its customers or sites
        if (role == Role.CUSTOMER_VIEWER && customers.isEmpty() && sites.isEmpty()) {
            throw ApiException.badRequest("a customer user needs its scope: customers or sites");
        }
        if (c.users().user(name).isPresent()) {
            throw new ApiException(409, "user " + name + " exists");
        }
        try {
            c.userStore().create(Actor.of(s.username(), host(r.remote())), name, role, new Scope(customers, sites),
                    Secret.ofUtf8(password));
        } catch (PasswordRejectedException e) {
            throw ApiException.badRequest("weak password: " + rules(e.check()));
        } catch (IllegalStateException e) {
            throw new ApiException(409, "user " + name + " exists");
        }
        ObjectNode n = user(c.users().user(name).orElseThrow());
        n.put("passwordChangeRequired", true);
        return HttpResponse.json(201, n);
    }

    private HttpResponse password(HttpRequest r) {
        JsonNode b = r.json();
        Session s = session(r);
        String name = r.param("name");
        String next = b.path("password").asText("");
        if (next.isEmpty()) {
            throw ApiException.badRequest("password (the new one) is required");
        }
        if (c.users().user(name).isEmpty()) {
            throw ApiException.notFound("no user " + name);
        }
        Actor by = Actor.of(s.username(), host(r.remote()));
        try {
            if (s.username().equals(name)) {
                String current = b.path("current").asText("");
                if (current.isEmpty()) {
                    throw ApiException.badRequest("current (your present password) is required");
                }
                if (!c.users().changePassword(by, Secret.ofUtf8(current), Secret.ofUtf8(next))) {
                    throw new ApiException(403, "the current password is wrong");
                }
            } else {
                require(r, Permission.MANAGE_USERS, Resource.centre());
                c.users().resetPassword(by, name, Secret.ofUtf8(next));
            }
        } catch (PasswordRejectedException e) {
            throw ApiException.badRequest("weak password: " + rules(e.check()));
        }
        c.userStore().passwordChanged(name, Secret.ofUtf8(next));
        return HttpResponse.ok(Map.of("user", name, "changed", true));
    }

    /**
     * Renders a value as JSON text, for the WebSocket.
     *
     * @param value the value
     * @return the text
     */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
