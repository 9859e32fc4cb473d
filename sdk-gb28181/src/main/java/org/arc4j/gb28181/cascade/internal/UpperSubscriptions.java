package org.arc4j.gb28181.cascade.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.cascade.CascadeAlarm;
import org.arc4j.gb28181.cascade.CascadeSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.manscdp.MobilePosition;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upper platforms' subscriptions (GB/T 28181-2016 9.11, RFC 6665) to the centre's catalog, alarms and mobile
 * positions. What is subscribed to is the body's CmdType ({@code Query}/{@code Catalog}, {@code Alarm} or
 * {@code MobilePosition}), else the {@code Event} header (GB/T 28181 uplinks send {@code Event: presence} for alarms
 * and positions); anything else gets 489. A SUBSCRIBE is answered 200 with the granted {@code Expires} (at most a
 * day), and its NOTIFYs carry the same {@code Event}:
 *
 * <ul>
 *   <li>Catalog: a NOTIFY with the whole catalog the upper sees (each item's Event ON or OFF), then
 *       {@link #catalogChanged()} sends what changed in that view since the last call (ADD, DEL, ON, OFF, UPDATE),
 *       in pages.</li>
 *   <li>Alarm: every alarm given to {@link #alarm} that meets the subscription's conditions ({@link AlarmFilter}:
 *       StartAlarmPriority–EndAlarmPriority, the AlarmMethod digits, StartAlarmTime–EndAlarmTime) goes
 *       as a {@code Notify}/{@code Alarm} with an SN of its own, once (no retry: the guaranteed path is the
 *       forward).</li>
 *   <li>MobilePosition: positions given to {@link #position} of the subscribed item (or of any item the upper sees
 *       when it subscribed to the centre's ID) go as {@code Notify}/{@code MobilePosition}, at most one per
 *       Interval (default 5 s): one reported sooner waits for the interval's end, the newest replacing older.</li>
 * </ul>
 *
 * An in-dialog SUBSCRIBE refreshes, one with {@code Expires: 0} ends the subscription (a last NOTIFY says
 * {@code terminated}); an unrefreshed subscription lapses; an unknown dialog gets 481.
 *
 * <p>Not thread-safe: used on the cascade's thread only.
 */
public final class UpperSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(UpperSubscriptions.class);
    private static final long MAX_EXPIRES = 86_400;
    private static final long DEFAULT_INTERVAL = 5;

    /** What a subscription is to. */
    enum Kind { CATALOG, ALARM, MOBILE_POSITION }

    private final String localId;
    private final int pageSize;
    private final ZoneId zone;
    private final Scheduler scheduler;
    private final Executor exec;
    private final CascadeSource source;
    private final Map<String, Sub> subs = new HashMap<>();
    private final Map<String, Map<String, ExportedItem>> last = new HashMap<>();

    private static final class Sub {
        final UpperLink link;
        final Dialog dialog;
        final Kind kind;
        final String event;
        final ManscdpDocument body;
        final long sn;
        Instant expiresAt;
        Cancellable lapse;
        // positions: the item subscribed to (null: every item), when the last one went, what waits for the interval
        String positionKey;
        long interval = DEFAULT_INTERVAL;
        final Map<String, Instant> lastSent = new HashMap<>();
        final Map<String, MobilePosition> waiting = new LinkedHashMap<>();

        Sub(UpperLink link, Dialog dialog, Kind kind, String event, ManscdpDocument body) {
            this.link = link;
            this.dialog = dialog;
            this.kind = kind;
            this.event = event;
            this.body = body;
            this.sn = body == null ? 0 : body.sn();
        }
    }

    /**
     * @param localId   the centre's ID
     * @param pageSize  items per NOTIFY
     * @param zone      the zone MANSCDP times are written in
     * @param scheduler the scheduler (lapse and interval timers)
     * @param exec      the cascade's executor
     * @param source    the exported catalog
     */
    public UpperSubscriptions(String localId, int pageSize, ZoneId zone, Scheduler scheduler, Executor exec,
                              CascadeSource source) {
        this.localId = localId;
        this.pageSize = pageSize;
        this.zone = zone;
        this.scheduler = scheduler;
        this.exec = exec;
        this.source = source;
    }

    /** @return the live subscriptions */
    public int size() {
        return subs.size();
    }

    private static Kind kindOf(String event, ManscdpDocument body) {
        String cmd = body == null ? "" : body.cmdType();
        String ev = event == null ? "" : event.trim().toLowerCase(Locale.ROOT);
        if (cmd.equalsIgnoreCase("Catalog") || (body == null && ev.startsWith("catalog"))) {
            return Kind.CATALOG;
        }
        if (cmd.equalsIgnoreCase("Alarm") || (body == null && ev.startsWith("alarm"))) {
            return Kind.ALARM;
        }
        if (cmd.equalsIgnoreCase("MobilePosition") || (body == null && ev.startsWith("mobileposition"))) {
            return Kind.MOBILE_POSITION;
        }
        return null;
    }

    /**
     * A SUBSCRIBE from a configured upper platform.
     *
     * @param tx   its transaction
     * @param link the upper platform's link
     */
    public void onSubscribe(ServerTransaction tx, UpperLink link) {
        SipRequest r = tx.request();
        String event = r.header("Event");
        long expires = MAX_EXPIRES / 24;
        String e = r.header("Expires");
        if (e != null) {
            try {
                expires = Math.min(MAX_EXPIRES, Math.max(0, Long.parseLong(e.trim())));
            } catch (NumberFormatException bad) {
                tx.respond(SipResponse.replyTo(r, 400, "Bad Expires", link.token()));
                return;
            }
        }
        NameAddress to = r.to();
        if (to != null && to.tag() != null) {
            Sub s = subs.get(r.callId());
            if (s == null || !s.dialog.matches(r)) {
                tx.respond(SipResponse.replyTo(r, 481, "Subscription Does Not Exist", null));
                return;
            }
            tx.respond(ok(r, null, expires, link));
            if (expires == 0) {
                end(s, true);
            } else {
                live(s, expires);
            }
            return;
        }
        ManscdpDocument body = null;
        if (r.bodyLength() > 0 && ManscdpDecoder.INSTANCE.decode(r.body()) instanceof ManscdpResult.Decoded d) {
            body = d.document();
        }
        Kind kind = kindOf(event, body);
        if (kind == null || event == null) {
            tx.respond(SipResponse.replyTo(r, 489, "Bad Event", link.token()));
            return;
        }
        String positionKey = null;
        if (kind == Kind.MOBILE_POSITION && body != null && !body.deviceId().equals(localId)) {
            positionKey = link.ids().keyOf(body.deviceId());
            if (positionKey == null || !visible(link, positionKey)) {
                tx.respond(SipResponse.replyTo(r, 404, "Not Found", link.token()));
                return;
            }
        }
        String tag = link.token();
        tx.respond(ok(r, tag, expires, link));
        Sub s = new Sub(link, Dialog.asServer(r, tag, link.peer()), kind, event.trim(), body);
        s.positionKey = positionKey;
        if (kind == Kind.MOBILE_POSITION && body != null && body.text("Interval") != null) {
            try {
                s.interval = Math.max(1, Long.parseLong(body.text("Interval").trim()));
            } catch (NumberFormatException bad) {
                // keep the default
            }
        }
        if (kind != Kind.CATALOG) {
            if (expires > 0) {
                subs.put(r.callId(), s);
                live(s, expires);
            }
            LOG.info("upper platform {} subscribed to {} for {} s", link.upper().id(), kind, expires);
            return;
        }
        List<ExportedItem> all = view(link);
        last.putIfAbsent(link.upper().id(), byKey(all));
        List<Map.Entry<ExportedItem, String>> full = new ArrayList<>();
        for (ExportedItem it : all) {
            full.add(Map.entry(it, it.online() ? "ON" : "OFF"));
        }
        if (expires == 0) {
            notifyCatalog(s, full, "terminated;reason=timeout");
            return;
        }
        subs.put(r.callId(), s);
        live(s, expires);
        notifyCatalog(s, full, null);
    }

    private List<ExportedItem> view(UpperLink link) {
        return source.catalog(link.upper().id());
    }

    private boolean visible(UpperLink link, String key) {
        return view(link).stream().anyMatch(i -> i.localKey().equals(key));
    }

    private SipResponse ok(SipRequest r, String tag, long expires, UpperLink link) {
        return SipResponse.of(200, "OK", SipResponse.replyHeaders(r, 200, "OK", tag)
                .add("Expires", Long.toString(expires)).add("Contact", link.contact()).build(), null);
    }

    private void live(Sub s, long expires) {
        if (s.lapse != null) {
            s.lapse.cancel();
        }
        s.expiresAt = scheduler.now().plusSeconds(expires);
        s.lapse = scheduler.schedule(Duration.ofSeconds(expires), () -> {
            if (subs.remove(s.dialog.callId(), s)) {
                LOG.info("{} subscription of {} lapsed", s.kind, s.link.upper().id());
            }
        }, exec);
    }

    private void end(Sub s, boolean tell) {
        subs.remove(s.dialog.callId(), s);
        if (s.lapse != null) {
            s.lapse.cancel();
        }
        if (tell) {
            if (s.kind == Kind.CATALOG) {
                notifyCatalog(s, List.of(), "terminated;reason=noresource");
            } else {
                send(s, null, "terminated;reason=noresource");
            }
        }
    }

    /** Sends every live catalog subscription what changed in its view since the last call (or its SUBSCRIBE). */
    public void catalogChanged() {
        Map<String, Map<String, ExportedItem>> views = new HashMap<>();
        for (Sub s : List.copyOf(subs.values())) {
            if (s.kind != Kind.CATALOG) {
                continue;
            }
            String upper = s.link.upper().id();
            Map<String, ExportedItem> now = views.computeIfAbsent(upper, u -> byKey(view(s.link)));
            List<Map.Entry<ExportedItem, String>> changes = changes(last.getOrDefault(upper, now), now);
            if (!changes.isEmpty()) {
                notifyCatalog(s, changes, null);
            }
        }
        last.putAll(views);
    }

    private static List<Map.Entry<ExportedItem, String>> changes(Map<String, ExportedItem> before,
                                                                 Map<String, ExportedItem> now) {
        List<Map.Entry<ExportedItem, String>> changes = new ArrayList<>();
        for (ExportedItem it : now.values()) {
            ExportedItem was = before.get(it.localKey());
            if (was == null) {
                changes.add(Map.entry(it, "ADD"));
            } else if (was.online() != it.online()) {
                changes.add(Map.entry(it, it.online() ? "ON" : "OFF"));
            } else if (!was.equals(it)) {
                changes.add(Map.entry(it, "UPDATE"));
            }
        }
        for (ExportedItem it : before.values()) {
            if (!now.containsKey(it.localKey())) {
                changes.add(Map.entry(it, "DEL"));
            }
        }
        return changes;
    }

    /**
     * Sends an alarm to every live Alarm subscription whose conditions it meets and whose upper sees its item
     * (an alarm of the centre itself goes to all).
     *
     * @param alarm the alarm
     */
    public void alarm(CascadeAlarm alarm) {
        for (Sub s : List.copyOf(subs.values())) {
            if (s.kind != Kind.ALARM || !matches(s.body, alarm)) {
                continue;
            }
            if (alarm.localKey() != null && !visible(s.link, alarm.localKey())) {
                continue;
            }
            withId(s.link, alarm.localKey(), id -> {
                LocalDateTime t = LocalDateTime.ofInstant(alarm.time(), zone);
                send(s, s.link.encoder().alarmNotify(s.link.nextSn(), id, alarm.priority(), alarm.method(), alarm.type(), t,
                        alarm.description()), null);
            });
        }
    }

    /** The subscription's {@link AlarmFilter}: priorities, methods and the time window. */
    private boolean matches(ManscdpDocument body, CascadeAlarm a) {
        return AlarmFilter.of(body).test(a, zone);
    }

    /**
     * Reports an item's position to the MobilePosition subscriptions that cover it, each at most once per its
     * interval.
     *
     * @param localKey the item
     * @param position where it is
     */
    public void position(String localKey, MobilePosition position) {
        for (Sub s : List.copyOf(subs.values())) {
            if (s.kind != Kind.MOBILE_POSITION || (s.positionKey != null && !s.positionKey.equals(localKey))
                    || !visible(s.link, localKey)) {
                continue;
            }
            Instant now = scheduler.now();
            Instant lastAt = s.lastSent.get(localKey);
            Instant next = lastAt == null ? now : lastAt.plusSeconds(s.interval);
            if (!next.isAfter(now)) {
                sendPosition(s, localKey, position);
            } else if (s.waiting.put(localKey, position) == null) {
                scheduler.schedule(Duration.between(now, next), () -> {
                    MobilePosition p = s.waiting.remove(localKey);
                    if (p != null && subs.get(s.dialog.callId()) == s) {
                        sendPosition(s, localKey, p);
                    }
                }, exec);
            }
        }
    }

    private void sendPosition(Sub s, String localKey, MobilePosition p) {
        s.lastSent.put(localKey, scheduler.now());
        withId(s.link, localKey, id -> send(s, s.link.encoder().mobilePositionNotify(s.link.nextSn(), id, p), null));
    }

    /** Runs with the item's ID toward the upper (allocated and journalled first if new), or the centre's. */
    private void withId(UpperLink link, String localKey, java.util.function.Consumer<String> then) {
        if (localKey == null) {
            then.accept(localId);
            return;
        }
        String id = link.ids().idOf(localKey);
        if (id != null) {
            then.accept(id);
            return;
        }
        view(link).stream().filter(i -> i.localKey().equals(localKey)).findFirst().ifPresent(item ->
                link.ids().ids(List.of(item)).whenCompleteAsync((ids, err) -> {
                    if (err != null) {
                        LOG.error("no ID for {} toward {}: not notified", localKey, link.upper().id(), err);
                    } else {
                        then.accept(ids.get(localKey));
                    }
                }, exec));
    }

    /** Ends every subscription, without telling (the cascade is closing). */
    public void close() {
        for (Sub s : List.copyOf(subs.values())) {
            end(s, false);
        }
    }

    private static Map<String, ExportedItem> byKey(List<ExportedItem> items) {
        Map<String, ExportedItem> m = new LinkedHashMap<>();
        items.forEach(i -> m.put(i.localKey(), i));
        return m;
    }

    private void notifyCatalog(Sub s, List<Map.Entry<ExportedItem, String>> changes, String terminated) {
        List<ExportedItem> items = new ArrayList<>();
        changes.forEach(c -> items.add(c.getKey()));
        Map<String, ExportedItem> byKey = byKey(view(s.link));
        changes.forEach(c -> byKey.putIfAbsent(c.getKey().localKey(), c.getKey()));
        // the changed items' parents too, or a new camera's ParentID would be the centre instead of its site
        List<ExportedItem> withParents = new ArrayList<>(items);
        for (ExportedItem it : items) {
            ExportedItem p = it.parentKey() == null ? null : byKey.get(it.parentKey());
            for (int depth = 0; p != null && depth < 32 && !withParents.contains(p); depth++) {
                withParents.add(p);
                p = p.parentKey() == null ? null : byKey.get(p.parentKey());
            }
        }
        s.link.ids().ids(withParents).whenCompleteAsync((ids, err) -> {
            if (err != null) {
                LOG.error("catalog NOTIFY to {} not sent: IDs could not be journalled", s.link.upper().id(), err);
                return;
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (Map.Entry<ExportedItem, String> c : changes) {
                Map<String, String> row = CatalogRows.row(c.getKey(), ids, byKey, localId);
                row.put("Event", c.getValue());
                rows.add(row);
            }
            if (rows.isEmpty()) {
                send(s, s.link.encoder().catalogNotify(s.sn, localId, 0, List.of()), terminated);
            }
            for (int from = 0; from < rows.size(); from += pageSize) {
                send(s, s.link.encoder().catalogNotify(s.sn, localId, rows.size(),
                        rows.subList(from, Math.min(rows.size(), from + pageSize))), terminated);
            }
        }, exec);
    }

    private void send(Sub s, byte[] body, String terminated) {
        String state = terminated != null ? terminated
                : "active;expires=" + Math.max(0, Duration.between(scheduler.now(), s.expiresAt).toSeconds());
        SipHeaders.Builder h = SipHeaders.builder().add("Event", s.event).add("Subscription-State", state)
                .add("Contact", s.link.contact());
        if (body != null) {
            h.add("Content-Type", UpperLink.MANSCDP);
        }
        SipRequest n = s.dialog.newRequest(SipRequest.NOTIFY, h.build(), body);
        s.link.send(n, s.dialog.peer()).whenComplete((resp, err) -> {
            if (err != null || resp.status() >= 300) {
                LOG.warn("{} NOTIFY to {} not accepted: {}", s.kind, s.link.upper().id(),
                        err != null ? err.toString() : resp.status() + " " + resp.reason());
                if (err == null && resp.status() == 481) {
                    exec.execute(() -> end(s, false));
                }
            }
        });
    }

    @Override
    public String toString() {
        return "UpperSubscriptions[" + subs.size() + "]";
    }
}
