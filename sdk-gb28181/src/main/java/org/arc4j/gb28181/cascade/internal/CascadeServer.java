package org.arc4j.gb28181.cascade.internal;

import java.net.InetAddress;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.cascade.CascadeSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipRequestHandler;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the centre answers its upper platforms (GB/T 28181-2016 9.5 查询, 9.3 控制): a request is taken only from a
 * configured upper platform (its ID in From, coming from its configured address; anything else 403). MANSCDP
 * MESSAGEs: Catalog queries are answered 200 and then by Response MESSAGEs of at most the page size each, SumNum
 * counting all; DeviceInfo and DeviceStatus about the centre or an exported item; DeviceControl PTZCmd and
 * GuardCmd relayed to the {@link CascadeSource} (GuardCmd answered by a Response with its Result). A malformed body
 * is 400, an unknown ID 404, an unsupported command 400 with the reason. SUBSCRIBE goes to the
 * {@link UpperSubscriptions}. INVITE, BYE and INFO (MANSRTSP) go to the {@link MediaRelay}, other in-dialog
 * requests 481.
 *
 * <p>Requests are handed from the network thread to the cascade's executor.
 */
public final class CascadeServer implements SipRequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CascadeServer.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final String localId;
    private final List<String> identity;
    private final int pageSize;
    private final ZoneId zone;
    private final Scheduler scheduler;
    private final Executor exec;
    private final CascadeSource source;
    private final Map<String, UpperLink> links;
    private final UpperSubscriptions subscriptions;
    private final MediaRelay relay;
    private final Map<String, InetAddress> addresses = new LinkedHashMap<>();

    /**
     * @param localId   the centre's ID
     * @param identity  name, manufacturer and model for DeviceInfo
     * @param pageSize  catalog items per Response
     * @param zone      the zone MANSCDP times are written in
     * @param scheduler the scheduler (DeviceTime)
     * @param exec      the cascade's executor
     * @param source    the exported catalog and the command relay
     * @param links     the links by upper platform ID
     * @param subscriptions the catalog subscriptions
     * @param relay     the live video relay INVITEs and BYEs go to
     */
    public CascadeServer(String localId, List<String> identity, int pageSize, ZoneId zone, Scheduler scheduler,
                         Executor exec, CascadeSource source, Map<String, UpperLink> links,
                         UpperSubscriptions subscriptions, MediaRelay relay) {
        this.relay = relay;
        this.localId = localId;
        this.identity = identity;
        this.pageSize = pageSize;
        this.zone = zone;
        this.scheduler = scheduler;
        this.exec = exec;
        this.source = source;
        this.links = links;
        this.subscriptions = subscriptions;
        for (UpperLink l : links.values()) {
            try {
                addresses.put(l.upper().id(), InetAddress.getByName(l.upper().host()));
            } catch (java.net.UnknownHostException e) {
                LOG.warn("upper platform {} host {} does not resolve: its requests are refused", l.upper().id(),
                        l.upper().host());
            }
        }
    }

    @Override
    public void onRequest(ServerTransaction tx) {
        try {
            exec.execute(() -> {
                try {
                    handle(tx);
                } catch (RuntimeException e) {
                    LOG.warn("request {} from {} failed", tx.request(), tx.source(), e);
                    reply(tx, 500, "Server Internal Error");
                }
            });
        } catch (RejectedExecutionException e) {
            reply(tx, 503, "Service Unavailable");
        }
    }

    private static void reply(ServerTransaction tx, int status, String reason) {
        tx.respond(SipResponse.replyTo(tx.request(), status, reason, "c" + Integer.toHexString(status)));
    }

    private void handle(ServerTransaction tx) {
        SipRequest r = tx.request();
        NameAddress from = r.from();
        SipUri u = from == null ? null : from.sipUri();
        UpperLink link = u == null || u.user() == null ? null : links.get(u.user());
        InetAddress expected = link == null ? null : addresses.get(link.upper().id());
        if (link == null || expected == null || !expected.equals(tx.source().address().getAddress())) {
            reply(tx, 403, "Forbidden");
            return;
        }
        switch (r.method()) {
            case SipRequest.MESSAGE -> message(tx, link);
            case SipRequest.INVITE -> relay.onInvite(tx, link);
            case SipRequest.SUBSCRIBE -> subscriptions.onSubscribe(tx, link);
            case SipRequest.OPTIONS -> reply(tx, 200, "OK");
            case SipRequest.BYE -> {
                if (!relay.onBye(tx)) {
                    reply(tx, 481, "Call/Transaction Does Not Exist");
                }
            }
            case SipRequest.INFO -> {
                if (!relay.onInfo(tx)) {
                    reply(tx, 481, "Call/Transaction Does Not Exist");
                }
            }
            case SipRequest.CANCEL, SipRequest.NOTIFY ->
                    reply(tx, 481, "Call/Transaction Does Not Exist");
            default -> reply(tx, 405, "Method Not Allowed");
        }
    }

    private void message(ServerTransaction tx, UpperLink link) {
        SipRequest r = tx.request();
        String ct = r.contentType();
        if (ct == null || !ct.toLowerCase(Locale.ROOT).contains("manscdp+xml")) {
            reply(tx, 415, "Unsupported Media Type");
            return;
        }
        // no check of the link's state: an upper platform queries as soon as it has sent its 200 to the REGISTER,
        // which may reach this thread after the query
        ManscdpResult decoded = ManscdpDecoder.INSTANCE.decode(r.body());
        if (decoded instanceof ManscdpResult.Invalid inv) {
            reply(tx, 400, inv.reason());
            return;
        }
        ManscdpDocument doc = ((ManscdpResult.Decoded) decoded).document();
        String kind = doc.kind();
        if (kind.equals("Query")) {
            query(tx, link, doc);
        } else if (doc.is("Control", "DeviceControl")) {
            control(tx, link, doc);
        } else if (kind.equals("Notify") || kind.equals("Response")) {
            reply(tx, 200, "OK");
        } else {
            reply(tx, 400, "Unsupported " + kind + " " + doc.cmdType());
        }
    }

    /** The item an upper platform names, or null for the centre itself; absent when the ID is unknown. */
    private ExportedItem item(UpperLink link, String id) {
        String key = link.ids().keyOf(id);
        if (key == null) {
            return null;
        }
        for (ExportedItem it : source.catalog(link.upper().id())) {
            if (it.localKey().equals(key)) {
                return it;
            }
        }
        return null;
    }

    private void query(ServerTransaction tx, UpperLink link, ManscdpDocument doc) {
        String id = doc.deviceId();
        boolean centre = id.equals(localId);
        ExportedItem item = centre ? null : item(link, id);
        if (!centre && item == null) {
            reply(tx, 404, "Not Found");
            return;
        }
        switch (doc.cmdType()) {
            case "Catalog" -> {
                reply(tx, 200, "OK");
                catalog(link, doc.sn(), id);
            }
            case "DeviceInfo" -> {
                reply(tx, 200, "OK");
                Map<String, String> f = new LinkedHashMap<>();
                if (centre) {
                    f.put("DeviceName", identity.get(0));
                    f.put("Manufacturer", identity.get(1));
                    f.put("Model", identity.get(2));
                    f.put("Firmware", "arc4j");
                    f.put("Channel", Long.toString(source.catalog(link.upper().id()).stream()
                            .filter(i -> !i.isGroup()).count()));
                } else {
                    f.put("DeviceName", item.name());
                    f.put("Manufacturer", item.manufacturer() == null ? "" : item.manufacturer());
                    f.put("Model", item.model() == null ? "" : item.model());
                }
                answer(link, link.encoder().response("DeviceInfo", doc.sn(), id, true, f));
            }
            case "DeviceStatus" -> {
                reply(tx, 200, "OK");
                Map<String, String> f = new LinkedHashMap<>();
                boolean online = centre || item.online();
                f.put("Online", online ? "ONLINE" : "OFFLINE");
                f.put("Status", online ? "OK" : "ERROR");
                f.put("DeviceTime", TIME.format(LocalDateTime.ofInstant(scheduler.now(), zone)));
                answer(link, link.encoder().response("DeviceStatus", doc.sn(), id, true, f));
            }
            default -> reply(tx, 400, "Unsupported Query " + doc.cmdType());
        }
    }

    private void catalog(UpperLink link, long sn, String id) {
        List<ExportedItem> items = source.catalog(link.upper().id());
        link.ids().ids(items).whenCompleteAsync((ids, err) -> {
            if (err != null) {
                LOG.error("catalog for {} not answered: IDs could not be journalled", link.upper().id(), err);
                return;
            }
            Map<String, ExportedItem> byKey = new LinkedHashMap<>();
            items.forEach(i -> byKey.put(i.localKey(), i));
            List<Map<String, String>> rows = new ArrayList<>();
            for (ExportedItem it : items) {
                rows.add(CatalogRows.row(it, ids, byKey, localId));
            }
            if (rows.isEmpty()) {
                answer(link, link.encoder().catalogResponse(sn, id, 0, List.of()));
            }
            for (int from = 0; from < rows.size(); from += pageSize) {
                answer(link, link.encoder().catalogResponse(sn, id, rows.size(),
                        rows.subList(from, Math.min(rows.size(), from + pageSize))));
            }
        }, exec);
    }

    private void control(ServerTransaction tx, UpperLink link, ManscdpDocument doc) {
        String id = doc.deviceId();
        ExportedItem target = item(link, id);
        String key = target == null ? null : target.localKey();
        String ptz = doc.text("PTZCmd");
        String guard = doc.text("GuardCmd");
        if (ptz != null) {
            PtzCmd.Decoded d = PtzCmd.decode(ptz);
            if (d instanceof PtzCmd.Invalid inv) {
                reply(tx, 400, "PTZCmd " + inv.reason());
                return;
            }
            if (key == null) {
                reply(tx, 404, "Not Found");
                return;
            }
            reply(tx, 200, "OK");
            source.ptz(key, ((PtzCmd.Valid) d).cmd()).whenComplete((ok, err) -> {
                if (err != null || !Boolean.TRUE.equals(ok)) {
                    LOG.warn("PTZ from upper platform {} to {} not done: {}", link.upper().id(), key,
                            err != null ? err.toString() : "refused");
                }
            });
        } else if (guard != null) {
            boolean arm = guard.trim().equals("SetGuard");
            if (!arm && !guard.trim().equals("ResetGuard")) {
                reply(tx, 400, "GuardCmd " + guard);
                return;
            }
            if (key == null) {
                reply(tx, 404, "Not Found");
                return;
            }
            reply(tx, 200, "OK");
            long sn = doc.sn();
            source.guard(key, arm).whenCompleteAsync((ok, err) -> answer(link, link.encoder().response(
                    "DeviceControl", sn, id, err == null && Boolean.TRUE.equals(ok), Map.of())), exec);
        } else {
            reply(tx, 400, "Unsupported DeviceControl");
        }
    }

    private void answer(UpperLink link, byte[] body) {
        link.message(body).whenComplete((resp, err) -> {
            if (err != null || resp.status() >= 300) {
                LOG.warn("answer to upper platform {} not accepted: {}", link.upper().id(),
                        err != null ? err.toString() : resp.status() + " " + resp.reason());
            }
        });
    }
}
