package org.arc4j.examples.center.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import org.arc4j.core.event.Category;
import org.arc4j.core.pipeline.ActionPlan;
import org.arc4j.core.pipeline.ForwardingRule;
import org.arc4j.core.pipeline.LinkageRule;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.pipeline.Severity;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;

/**
 * Forwarding rules, linkage rules and action plans as the administration API changes them (GA 1383 业务功能:
 * 事件转发设置, 事件联动设置; 报警处置预案), kept as {@code CONFIG_CHANGE} records in the centre's store and audited as
 * {@code CONFIGURATION_CHANGE}; after every change the whole set is handed to the running pipeline
 * ({@code AlarmPipeline.rules}), so that cases opened from then on follow it, while open cases keep their plan.
 *
 * <p>Record format: type {@code CONFIG_CHANGE}, version 1, subject {@code center/admin/rule/<name>} or
 * {@code center/admin/action-plan/<name>}, payload {@code {"op":"put"|"delete","kind":"rule"|"action-plan",
 * "id":…,"by":…,"value":{…}}}. {@link #open} starts from the configuration file's rules (named {@code forward-<i>},
 * {@code linkage-<i>}, {@code plan-<category>}) and applies the records in store order. A rule is
 * {@code {"name","type":"forwarding"|"linkage","categories":[…],"keyCustomersOnly", "recipient","channel","police"}}
 * (forwarding) or {@code {…,"actions":[…]}} (linkage); a plan {@code {"name","categories","severity","steps"}}.
 * Thread-safe (changes are serialised).
 */
public final class RuleStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULE = "rule";
    private static final String PLAN = "action-plan";

    private final RecordStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Consumer<Rules> apply;
    private final Consumer<String> aroundChange;
    private final Map<String, ObjectNode> rules = new LinkedHashMap<>();
    private final Map<String, ObjectNode> plans = new LinkedHashMap<>();

    private RuleStore(RecordStore store, AuditLog audit, Clock clock, Consumer<Rules> apply,
                      Consumer<String> aroundChange) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.apply = apply;
        this.aroundChange = aroundChange;
    }

    /**
     * Opens the rules: the configured ones, then the stored changes in order, and hands the result to
     * {@code apply} once.
     *
     * @param store        the centre's store
     * @param configured   the rules of the configuration file
     * @param audit        the audit log
     * @param clock        the centre's clock
     * @param apply        where the whole set goes after opening and after every change (the pipeline)
     * @param aroundChange run before and after every change with a reason (backups); its failure is only logged
     * @return the store
     */
    public static RuleStore open(RecordStore store, Rules configured, AuditLog audit, Clock clock,
                                 Consumer<Rules> apply, Consumer<String> aroundChange) {
        RuleStore s = new RuleStore(store, audit, clock, apply, aroundChange);
        for (ForwardingRule f : configured.forwarding()) {
            ObjectNode v = base(f.name(), "forwarding", f.categories(), f.keyCustomersOnly());
            v.put("recipient", f.recipient()).put("channel", lower(f.channel())).put("police", f.police());
            s.rules.put(f.name(), v);
        }
        for (LinkageRule l : configured.linkage()) {
            ObjectNode v = base(l.name(), "linkage", l.categories(), l.keyCustomersOnly());
            l.actions().forEach(v.putArray("actions")::add);
            s.rules.put(l.name(), v);
        }
        for (ActionPlan p : configured.plans()) {
            ObjectNode v = base(p.name(), null, p.categories(), false);
            v.remove("keyCustomersOnly");
            v.put("severity", p.severity() == null ? null : lower(p.severity()));
            p.steps().forEach(v.putArray("steps")::add);
            s.plans.put(p.name(), v);
        }
        store.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> {
            String subject = r.subject();
            if (r.version() == AdminStore.VERSION && (subject.startsWith(AdminStore.SUBJECT + RULE + "/")
                    || subject.startsWith(AdminStore.SUBJECT + PLAN + "/"))) {
                try {
                    s.applyRecord(JSON.readTree(r.payload()));
                } catch (IOException e) {
                    throw new IllegalStateException("rule record at " + r.position() + " is not JSON", e);
                }
            }
        });
        apply.accept(s.rules());
        return s;
    }

    private static ObjectNode base(String name, String type, Set<Category> categories, boolean keyOnly) {
        ObjectNode v = JSON.createObjectNode();
        v.put("name", name);
        if (type != null) {
            v.put("type", type);
        }
        ArrayNode cats = v.putArray("categories");
        categories.stream().sorted().forEach(c -> cats.add(lower(c)));
        v.put("keyCustomersOnly", keyOnly);
        return v;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** @return the forwarding and linkage rules, in order, as JSON */
    public synchronized List<ObjectNode> rulesJson() {
        return rules.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /** @return the action plans, in order, as JSON */
    public synchronized List<ObjectNode> plansJson() {
        return plans.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /** @return the rules in force, as the pipeline takes them */
    public synchronized Rules rules() {
        List<ForwardingRule> fwd = new ArrayList<>();
        List<LinkageRule> link = new ArrayList<>();
        for (ObjectNode v : rules.values()) {
            if ("forwarding".equals(v.path("type").asText())) {
                fwd.add(new ForwardingRule(v.path("name").asText(), categories(v), v.path("keyCustomersOnly")
                        .asBoolean(), v.path("recipient").asText(), ForwardChannel.valueOf(upper(v, "channel")),
                        v.path("police").asBoolean()));
            } else {
                link.add(new LinkageRule(v.path("name").asText(), categories(v),
                        v.path("keyCustomersOnly").asBoolean(), texts(v.path("actions"))));
            }
        }
        List<ActionPlan> out = new ArrayList<>();
        for (ObjectNode v : plans.values()) {
            JsonNode sev = v.path("severity");
            out.add(new ActionPlan(v.path("name").asText(), categories(v),
                    sev.isTextual() ? Severity.valueOf(upper(v, "severity")) : null, texts(v.path("steps"))));
        }
        return new Rules(fwd, link, out);
    }

    private static String upper(JsonNode v, String field) {
        return v.path(field).asText().toUpperCase(Locale.ROOT);
    }

    private static Set<Category> categories(JsonNode v) {
        Set<Category> out = EnumSet.noneOf(Category.class);
        v.path("categories").forEach(c -> out.add(Category.valueOf(c.asText().toUpperCase(Locale.ROOT))));
        return out;
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(t -> out.add(t.asText()));
        return out;
    }

    /**
     * Creates or replaces a forwarding or linkage rule (a new one goes last).
     *
     * @param name the rule's name
     * @param body {@code type} ({@code forwarding} or {@code linkage}), {@code categories} (at least one),
     *             {@code keyCustomersOnly}; forwarding: {@code recipient} (required), {@code channel} (ip, pstn,
     *             wireless, phone; default ip), {@code police}; linkage: {@code actions} (at least one)
     * @param by   who
     * @return the stored rule
     * @throws AdminValidation.FieldError for a bad field
     */
    public synchronized ObjectNode putRule(String name, JsonNode body, Actor by) {
        AdminValidation.id(name, "name");
        String type = AdminValidation.required(body, "type");
        if (!type.equals("forwarding") && !type.equals("linkage")) {
            throw new AdminValidation.FieldError("type", "must be forwarding or linkage");
        }
        ObjectNode v = base(name, type, categoryField(body), AdminValidation.bool(body, "keyCustomersOnly", false));
        if (type.equals("forwarding")) {
            v.put("recipient", AdminValidation.required(body, "recipient"));
            String channel = AdminValidation.optional(body, "channel");
            v.put("channel", lower(channel == null ? ForwardChannel.IP
                    : enumField(ForwardChannel.class, channel, "channel")));
            v.put("police", AdminValidation.bool(body, "police", false));
        } else {
            textList(body, "actions", v.putArray("actions"));
        }
        return change("put", RULE, name, v, by);
    }

    /**
     * Creates or replaces an action plan (a new one goes last; the first match wins, see {@link Rules}).
     *
     * @param name the plan's name
     * @param body {@code categories} (at least one), {@code severity} (critical, high, normal; none for any),
     *             {@code steps} (at least one)
     * @param by   who
     * @return the stored plan
     * @throws AdminValidation.FieldError for a bad field
     */
    public synchronized ObjectNode putPlan(String name, JsonNode body, Actor by) {
        AdminValidation.id(name, "name");
        ObjectNode v = base(name, null, categoryField(body), false);
        v.remove("keyCustomersOnly");
        String severity = AdminValidation.optional(body, "severity");
        v.put("severity", severity == null ? null : lower(enumField(Severity.class, severity, "severity")));
        textList(body, "steps", v.putArray("steps"));
        return change("put", PLAN, name, v, by);
    }

    /**
     * Deletes a rule.
     *
     * @param name the rule
     * @param by   who
     * @throws NoSuchElementException if there is none by that name
     */
    public synchronized void deleteRule(String name, Actor by) {
        if (!rules.containsKey(name)) {
            throw new NoSuchElementException("no rule " + name);
        }
        change("delete", RULE, name, null, by);
    }

    /**
     * Deletes an action plan (open cases keep showing its name).
     *
     * @param name the plan
     * @param by   who
     * @throws NoSuchElementException if there is none by that name
     */
    public synchronized void deletePlan(String name, Actor by) {
        if (!plans.containsKey(name)) {
            throw new NoSuchElementException("no action plan " + name);
        }
        change("delete", PLAN, name, null, by);
    }

    private static Set<Category> categoryField(JsonNode body) {
        JsonNode given = body.path("categories");
        if (!given.isArray() || given.isEmpty()) {
            throw new AdminValidation.FieldError("categories", "must be a list of at least one category");
        }
        Set<Category> out = EnumSet.noneOf(Category.class);
        for (int i = 0; i < given.size(); i++) {
            String at = "categories[" + i + "]";
            String c = given.get(i).isTextual() ? given.get(i).asText() : null;
            out.add(enumField(Category.class, c, at));
        }
        return out;
    }

    private static <E extends Enum<E>> E enumField(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, String.valueOf(value).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E x : type.getEnumConstants()) {
                names.add(lower(x));
            }
            throw new AdminValidation.FieldError(field, "must be one of " + String.join(", ", names));
        }
    }

    private static void textList(JsonNode body, String field, ArrayNode out) {
        JsonNode given = body.path(field);
        if (!given.isArray() || given.isEmpty()) {
            throw new AdminValidation.FieldError(field, "must be a list of at least one text");
        }
        for (int i = 0; i < given.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode wrap = JSON.createObjectNode().set("v", given.get(i));
            out.add(AdminValidation.required(wrap, "v", at));
        }
    }

    private ObjectNode change(String op, String kind, String name, ObjectNode value, Actor by) {
        ObjectNode rec = ConfigRecords.record(op, kind, name, by, value);
        hook("before " + op + " " + kind + " " + name);
        long position = ConfigRecords.append(store, clock, rec);
        applyRecord(rec);
        apply.accept(rules());
        ConfigRecords.audit(audit, by, rec, position);
        hook("after " + op + " " + kind + " " + name);
        return value;
    }

    private void hook(String reason) {
        try {
            aroundChange.accept(reason);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RuleStore.class).warn("{}: the change hook failed", reason, e);
        }
    }

    private void applyRecord(JsonNode rec) {
        Map<String, ObjectNode> target = RULE.equals(rec.path("kind").asText()) ? rules : plans;
        String name = rec.path("id").asText();
        if ("delete".equals(rec.path("op").asText())) {
            target.remove(name);
        } else {
            target.put(name, ((ObjectNode) rec.path("value")).deepCopy());
        }
    }
}
