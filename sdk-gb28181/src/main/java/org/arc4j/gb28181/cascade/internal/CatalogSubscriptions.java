package org.arc4j.gb28181.cascade.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.cascade.CascadeSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upper platforms' catalog subscriptions (GB/T 28181-2016 9.11, RFC 6665): a SUBSCRIBE with {@code Event: Catalog}
 * is answered 200 with the granted {@code Expires} (at most a day) and followed by a NOTIFY with the whole catalog
 * (each item's Event ON or OFF); {@link #catalogChanged()} sends each live subscription what changed since the last
 * call (ADD, DEL, ON, OFF, UPDATE), in pages. An in-dialog SUBSCRIBE refreshes, one with {@code Expires: 0} ends the
 * subscription (a last NOTIFY says {@code terminated}); an unrefreshed subscription lapses. Other events get 489,
 * an unknown dialog 481.
 *
 * <p>Not thread-safe: used on the cascade's thread only.
 */
public final class CatalogSubscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogSubscriptions.class);
    private static final long MAX_EXPIRES = 86_400;

    private final String localId;
    private final int pageSize;
    private final Scheduler scheduler;
    private final Executor exec;
    private final CascadeSource source;
    private final Map<String, Sub> subs = new HashMap<>();
    private Map<String, ExportedItem> last;

    private static final class Sub {
        final UpperLink link;
        final Dialog dialog;
        final long sn;
        Instant expiresAt;
        Cancellable lapse;

        Sub(UpperLink link, Dialog dialog, long sn) {
            this.link = link;
            this.dialog = dialog;
            this.sn = sn;
        }
    }

    /**
     * @param localId   the centre's ID
     * @param pageSize  items per NOTIFY
     * @param scheduler the scheduler (lapse timers)
     * @param exec      the cascade's executor
     * @param source    the exported catalog
     */
    public CatalogSubscriptions(String localId, int pageSize, Scheduler scheduler, Executor exec,
                                CascadeSource source) {
        this.localId = localId;
        this.pageSize = pageSize;
        this.scheduler = scheduler;
        this.exec = exec;
        this.source = source;
    }

    /** @return the live subscriptions */
    public int size() {
        return subs.size();
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
        if (event == null || !event.trim().toLowerCase(Locale.ROOT).startsWith("catalog")) {
            tx.respond(SipResponse.replyTo(r, 489, "Bad Event", link.token()));
            return;
        }
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
        long sn = 0;
        if (r.bodyLength() > 0 && ManscdpDecoder.INSTANCE.decode(r.body()) instanceof ManscdpResult.Decoded d) {
            sn = d.document().sn();
        }
        String tag = link.token();
        tx.respond(ok(r, tag, expires, link));
        Sub s = new Sub(link, Dialog.asServer(r, tag, link.peer()), sn);
        List<ExportedItem> all = source.catalog();
        if (last == null) {
            last = byKey(all);
        }
        List<Map.Entry<ExportedItem, String>> full = new ArrayList<>();
        for (ExportedItem it : all) {
            full.add(Map.entry(it, it.online() ? "ON" : "OFF"));
        }
        if (expires == 0) {
            notify(s, full, "terminated;reason=timeout");
            return;
        }
        subs.put(r.callId(), s);
        live(s, expires);
        notify(s, full, null);
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
                LOG.info("catalog subscription of {} lapsed", s.link.upper().id());
            }
        }, exec);
    }

    private void end(Sub s, boolean tell) {
        subs.remove(s.dialog.callId(), s);
        if (s.lapse != null) {
            s.lapse.cancel();
        }
        if (tell) {
            notify(s, List.of(), "terminated;reason=noresource");
        }
    }

    /** Sends every live subscription what changed in the catalog since the last call (or the first SUBSCRIBE). */
    public void catalogChanged() {
        Map<String, ExportedItem> now = byKey(source.catalog());
        if (last == null) {
            last = now;
            return;
        }
        List<Map.Entry<ExportedItem, String>> changes = new ArrayList<>();
        for (ExportedItem it : now.values()) {
            ExportedItem before = last.get(it.localKey());
            if (before == null) {
                changes.add(Map.entry(it, "ADD"));
            } else if (before.online() != it.online()) {
                changes.add(Map.entry(it, it.online() ? "ON" : "OFF"));
            } else if (!before.equals(it)) {
                changes.add(Map.entry(it, "UPDATE"));
            }
        }
        for (ExportedItem it : last.values()) {
            if (!now.containsKey(it.localKey())) {
                changes.add(Map.entry(it, "DEL"));
            }
        }
        last = now;
        if (changes.isEmpty()) {
            return;
        }
        for (Sub s : List.copyOf(subs.values())) {
            notify(s, changes, null);
        }
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

    private void notify(Sub s, List<Map.Entry<ExportedItem, String>> changes, String terminated) {
        List<ExportedItem> items = new ArrayList<>();
        changes.forEach(c -> items.add(c.getKey()));
        Map<String, ExportedItem> byKey = byKey(source.catalog());
        changes.forEach(c -> byKey.putIfAbsent(c.getKey().localKey(), c.getKey()));
        s.link.ids().ids(items).whenCompleteAsync((ids, err) -> {
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
            String state = terminated != null ? terminated
                    : "active;expires=" + Math.max(0, Duration.between(scheduler.now(), s.expiresAt).toSeconds());
            if (rows.isEmpty()) {
                send(s, s.link.encoder().catalogNotify(s.sn, localId, 0, List.of()), state);
            }
            for (int from = 0; from < rows.size(); from += pageSize) {
                send(s, s.link.encoder().catalogNotify(s.sn, localId, rows.size(),
                        rows.subList(from, Math.min(rows.size(), from + pageSize))), state);
            }
        }, exec);
    }

    private void send(Sub s, byte[] body, String state) {
        SipHeaders h = SipHeaders.builder().add("Event", "Catalog").add("Subscription-State", state)
                .add("Contact", s.link.contact()).add("Content-Type", UpperLink.MANSCDP).build();
        SipRequest n = s.dialog.newRequest(SipRequest.NOTIFY, h, body);
        s.link.send(n, s.dialog.peer()).whenComplete((resp, err) -> {
            if (err != null || resp.status() >= 300) {
                LOG.warn("catalog NOTIFY to {} not accepted: {}", s.link.upper().id(),
                        err != null ? err.toString() : resp.status() + " " + resp.reason());
                if (err == null && resp.status() == 481) {
                    exec.execute(() -> end(s, false));
                }
            }
        });
    }

    @Override
    public String toString() {
        return "CatalogSubscriptions[" + subs.size() + "]";
    }
}
