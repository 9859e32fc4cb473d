package org.arc4j.gb28181.sip.internal;

// Over 500 lines because RFC 3261's four transaction state machines (client and server, INVITE and non-INVITE) share
// the matching rules, the timer table and the transport, and each is short.

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.sip.CSeq;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipMessage;
import org.arc4j.gb28181.sip.SipParseResult;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipRequestHandler;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipTimeoutException;
import org.arc4j.gb28181.sip.SipTimers;
import org.arc4j.gb28181.sip.SipTolerance;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.gb28181.sip.Via;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction layer of RFC 3261 §17: client and server transactions for INVITE and non-INVITE, matched by
 * branch (§17.1.3, §17.2.3), with timers A–K on the core scheduler. Transactions are guarded by their own
 * locks, so network threads and scheduler threads may touch them. Server transactions are bounded
 * ({@link #maxServerTransactions(int)}): a new request beyond the bound is answered 503.
 *
 * <p>Longer than 500 lines because the four transaction state machines (INVITE and non-INVITE, client and server)
 * share the matching, the sending and the timers here; splitting them would spread one RFC section over files.
 */
public final class TransactionLayer implements NettyTransport.Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionLayer.class);
    private static final HexFormat HEX = HexFormat.of();

    private final Scheduler scheduler;
    private final SipTimers timers;
    private final Function<SipTransport, String> sentBy;
    private final Map<String, ClientTx> clients = new ConcurrentHashMap<>();
    private final Map<String, ServerTx> servers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Counter received;
    private final Counter sent;
    private final Counter retransmissions;
    private final Metrics metrics;
    private volatile NettyTransport transport;
    private volatile SipRequestHandler handler;
    private volatile org.arc4j.gb28181.sip.SipInterceptor interceptor = org.arc4j.gb28181.sip.SipInterceptor.NONE;
    private final Set<TrackedTimer> timersLive = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** See {@link #maxServerTransactions(int)}. */
    private volatile int maxServers = DEFAULT_MAX_SERVER_TRANSACTIONS;
    private final Counter overloaded;

    /** The default bound on live server transactions: 16,384. */
    public static final int DEFAULT_MAX_SERVER_TRANSACTIONS = 16_384;

    /**
     * @param scheduler the scheduler all timers run on
     * @param timers    T1, T2, T4
     * @param sentBy    the {@code host:port} to put in our Via for a transport
     * @param metrics   where to count
     */
    public TransactionLayer(Scheduler scheduler, SipTimers timers, Function<SipTransport, String> sentBy,
                            Metrics metrics) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.sentBy = Objects.requireNonNull(sentBy, "sentBy");
        this.metrics = metrics;
        this.received = metrics.counter("sip.messages", "direction", "in");
        this.sent = metrics.counter("sip.messages", "direction", "out");
        this.retransmissions = metrics.counter("sip.retransmissions");
        this.overloaded = metrics.counter("sip.overloaded");
    }

    /**
     * Bounds the live server transactions, the one map here keyed by what the network sends (Call-ID, tag,
     * CSeq): a new request beyond the bound is answered 503 Service Unavailable with {@code Retry-After}, without a
     * transaction, and counted as {@code sip.overloaded}; retransmissions of live transactions and ACK/CANCEL are
     * matched as before. A transaction lives until answered and its timers end (at most 64·T1 plus T4), or, never
     * answered, for the client's timeout plus T4.
     *
     * @param max the bound, positive (default {@value #DEFAULT_MAX_SERVER_TRANSACTIONS})
     */
    public void maxServerTransactions(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxServerTransactions must be positive: " + max);
        }
        this.maxServers = max;
    }

    /**
     * @param t the transport to send on
     * @param h the transaction user
     */
    public void attach(NettyTransport t, SipRequestHandler h) {
        this.transport = t;
        this.handler = h;
    }

    /**
     * Sets the hook every message sent and received passes through.
     *
     * @param i the interceptor ({@link org.arc4j.gb28181.sip.SipInterceptor#NONE} for none)
     */
    public void interceptor(org.arc4j.gb28181.sip.SipInterceptor i) {
        this.interceptor = java.util.Objects.requireNonNull(i, "interceptor");
    }

    private org.arc4j.gb28181.sip.SipMessage out(org.arc4j.gb28181.sip.SipMessage m, SipPeer to) {
        return interceptor.outbound(m, to);
    }

    /** @return the number of live client and server transactions */
    public int liveTransactions() {
        return clients.size() + servers.size();
    }

    /** @return a fresh random token (tags, branches, Call-IDs) */
    public String token() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void onReceive(SipParseResult result, SipPeer source) {
        received.increment();
        if (result instanceof SipParseResult.Invalid inv) {
            metrics.counter("sip.invalid", "reason", inv.error().name()).increment();
            LOG.debug("bad SIP from {}: {}", source, inv.reason());
            if (inv.request() && inv.headers().contains("Via") && inv.headers().contains("Call-ID")
                    && inv.headers().contains("CSeq")) {
                SipRequest fake = SipRequest.of("X", "sip:x", inv.headers(), null);
                SipResponse bad = SipResponse.replyTo(fake, 400, inv.reason().replace('\r', ' ').replace('\n', ' '),
                        token());
                send(bad, responseDestination(fake.topVia(), source));
            }
            return;
        }
        SipParseResult.Parsed p = (SipParseResult.Parsed) result;
        SipMessage m = interceptor.inbound(p.message(), source);
        if (m == null) {
            metrics.counter("sip.intercepted_drops").increment();
            return;
        }
        if (m instanceof SipRequest r) {
            onRequest(stampVia(r, source), source, p.tolerances());
        } else {
            onResponse((SipResponse) m);
        }
    }

    /** RFC 3261 §18.2.1 and RFC 3581 §4: note where the request really came from in its top Via. */
    static SipRequest stampVia(SipRequest r, SipPeer source) {
        Via top = r.topVia();
        String ip = source.address().getAddress().getHostAddress();
        Via stamped = top;
        if (!top.host().equals(ip) || top.hasRport()) {
            stamped = stamped.withParam("received", ip);
        }
        if (top.hasRport()) {
            stamped = stamped.withParam("rport", Integer.toString(source.address().getPort()));
        }
        if (stamped == top) {
            return r;
        }
        SipHeaders.Builder b = SipHeaders.builder();
        boolean first = true;
        for (SipHeaders.Field f : r.headers()) {
            if (first && f.name().equals("Via")) {
                first = false;
                java.util.List<String> parts = new java.util.ArrayList<>();
                parts.add(stamped.toString());
                java.util.List<String> all = new java.util.ArrayList<>();
                SipHeaders.builder().add("Via", f.value()).build().values("Via").forEach(all::add);
                parts.addAll(all.subList(1, all.size()));
                b.add("Via", String.join(", ", parts));
            } else {
                b.add(f.name(), f.value());
            }
        }
        return r.withHeaders(b.build());
    }

    /** RFC 3261 §18.2.2 with RFC 3581 §4: where a response to a request goes. */
    static SipPeer responseDestination(Via via, SipPeer source) {
        if (via == null || source.transport() == SipTransport.TCP) {
            return source;
        }
        String host = via.received() != null ? via.received() : via.host();
        int port = via.rport() > 0 ? via.rport() : via.port() > 0 ? via.port() : 5060;
        return new SipPeer(source.transport(), new InetSocketAddress(host, port));
    }

    private static String key(SipMessage m, String method) {
        Via via = m.topVia();
        String branch = via == null ? null : via.branch();
        if (branch != null && branch.startsWith(Via.MAGIC_COOKIE)) {
            return branch + "|" + via.host() + ":" + via.port() + "|" + method;
        }
        NameAddress from = m.from();
        CSeq cseq = m.cseq();
        return m.callId() + "|" + (from == null ? "" : from.tag()) + "|" + (cseq == null ? "" : cseq.number())
                + "|" + method;
    }

    private void onRequest(SipRequest r, SipPeer source, Set<SipTolerance> tolerances) {
        String method = r.method();
        if (method.equals(SipRequest.ACK)) {
            ServerTx tx = servers.get(key(r, SipRequest.INVITE));
            if (tx != null) {
                tx.onAck();
            } else {
                handler.onAck(r, source);
            }
            return;
        }
        if (method.equals(SipRequest.CANCEL)) {
            ServerTx invite = servers.get(key(r, SipRequest.INVITE));
            send(SipResponse.replyTo(r, invite == null ? 481 : 200, invite == null
                    ? "Call/Transaction Does Not Exist" : "OK", token()), responseDestination(r.topVia(), source));
            if (invite != null) {
                invite.respond(SipResponse.replyTo(invite.request, 487, "Request Terminated", invite.toTag));
            }
            return;
        }
        String k = key(r, method);
        ServerTx live = servers.get(k);
        if (live != null) {
            live.onRetransmission();
            return;
        }
        if (servers.size() >= maxServers) {
            // a flood of distinct requests (random Call-IDs, devices that never stop) is turned away statelessly:
            // the client retries later, and the map stays within its bound
            overloaded.increment();
            SipResponse busy = SipResponse.replyTo(r, 503, "Service Unavailable", token());
            send(busy.withHeaders(busy.headers().toBuilder().add("Retry-After", "5").build()),
                    responseDestination(r.topVia(), source));
            return;
        }
        ServerTx created = new ServerTx(k, r, source, tolerances);
        ServerTx existing = servers.putIfAbsent(k, created);
        if (existing != null) {
            existing.onRetransmission();
            return;
        }
        if (created.invite) {
            created.respond(SipResponse.replyTo(r, 100, "Trying", null));
        } else {
            // a request the TU never answers (an alarm the intake refused) is forgotten once the client has
            // given up on it (its timer F), so that silence does not leak transactions
            schedule(timers.timeout().plus(timers.t4()), created::expireUnanswered);
        }
        try {
            handler.onRequest(created);
        } catch (RuntimeException e) {
            LOG.warn("request handler failed on {}", r, e);
            created.respond(SipResponse.replyTo(r, 500, "Server Internal Error", created.toTag));
        }
    }

    private void onResponse(SipResponse r) {
        CSeq cseq = r.cseq();
        ClientTx tx = clients.get(key(r, cseq.method()));
        if (tx == null) {
            metrics.counter("sip.stray_responses").increment();
            return;
        }
        tx.onResponse(r);
    }

    private void send(SipMessage m, SipPeer to) {
        sent.increment();
        NettyTransport t = transport;
        if (t == null) {
            return;
        }
        t.send(out(m, to), to).whenComplete((v, err) -> {
            if (err != null) {
                LOG.debug("send to {} failed: {}", to, err.toString());
            }
        });
    }

    private void sendBytes(byte[] bytes, SipPeer to) {
        sent.increment();
        transport.sendBytes(bytes, to);
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Starts a client transaction: adds our Via (with {@code rport} and a new branch) and Max-Forwards, sends,
     * retransmits over UDP, and completes with the final response or a {@link SipTimeoutException}.
     *
     * @param request the request without our Via
     * @param to      where to send it
     * @return the final response
     */
    public CompletionStage<SipResponse> sendRequest(SipRequest request, SipPeer to) {
        String branch = Via.MAGIC_COOKIE + token();
        SipHeaders.Builder hb = request.headers().toBuilder()
                .addFirst("Via", "SIP/2.0/" + to.transport() + " " + sentBy.apply(to.transport()) + ";rport;branch="
                        + branch);
        if (!request.headers().contains("Max-Forwards")) {
            hb.add("Max-Forwards", "70");
        }
        SipRequest r = request.withHeaders(hb.build());
        ClientTx tx = new ClientTx(r, to);
        clients.put(key(r, r.method()), tx);
        tx.start();
        return tx.result;
    }

    /**
     * Sends a request outside any transaction (an ACK for a 2xx, RFC 3261 §13.2.2.4), adding our Via.
     *
     * @param request the request
     * @param to      where to
     */
    public void sendStateless(SipRequest request, SipPeer to) {
        SipHeaders.Builder hb = request.headers().toBuilder()
                .addFirst("Via", "SIP/2.0/" + to.transport() + " " + sentBy.apply(to.transport()) + ";rport;branch="
                        + Via.MAGIC_COOKIE + token());
        if (!request.headers().contains("Max-Forwards")) {
            hb.add("Max-Forwards", "70");
        }
        send(request.withHeaders(hb.build()), to);
    }

    /**
     * Schedules a transaction timer and remembers it until it runs, so {@link #close()} can cancel every timer
     * the layer has made (a stopped stack leaves nothing on the scheduler).
     */
    private Cancellable schedule(Duration d, Runnable task) {
        TrackedTimer t = new TrackedTimer(task);
        timersLive.add(t);
        t.inner = scheduler.schedule(d, t);
        if (closed) {
            t.cancel();
        }
        return t;
    }

    /** @return the number of transaction timers not yet run or cancelled */
    public int liveTimers() {
        return timersLive.size();
    }

    /** Cancels every timer; transactions still open are abandoned (the stack is closing). */
    public void close() {
        closed = true;
        for (TrackedTimer t : timersLive) {
            t.cancel();
        }
        timersLive.clear();
    }

    @Override
    public void onConnectionClosed(SipPeer peer) {
        SipRequestHandler h = handler;
        if (h != null) {
            h.onConnectionClosed(peer);
        }
    }

    private final class TrackedTimer implements Cancellable, Runnable {
        private final Runnable task;
        volatile Cancellable inner;

        TrackedTimer(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            timersLive.remove(this);
            task.run();
        }

        @Override
        public boolean cancel() {
            timersLive.remove(this);
            Cancellable c = inner;
            return c != null && c.cancel();
        }

        @Override
        public boolean isCancelled() {
            Cancellable c = inner;
            return c != null && c.isCancelled();
        }
    }

    // ---------------------------------------------------------------- client transactions

    private enum ClientState { CALLING, TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private final class ClientTx {
        final SipRequest request;
        final SipPeer to;
        final boolean invite;
        final byte[] bytes;
        final CompletableFuture<SipResponse> result = new CompletableFuture<>();
        final String key;
        ClientState state;
        Duration interval;
        Cancellable retransmit;
        Cancellable timeout;
        byte[] ackBytes;

        ClientTx(SipRequest request, SipPeer to) {
            this.request = request;
            this.to = to;
            this.invite = request.method().equals(SipRequest.INVITE);
            this.bytes = org.arc4j.gb28181.sip.SipEncoder.INSTANCE.encode(out(request, to));
            this.key = key(request, request.method());
            this.state = invite ? ClientState.CALLING : ClientState.TRYING;
        }

        synchronized void start() {
            sendBytes(bytes, to);
            if (!to.transport().isReliable()) {
                interval = timers.t1();
                retransmit = schedule(interval, this::onRetransmitTimer); // timer A or E
            }
            timeout = schedule(timers.timeout(), this::onTimeout); // timer B or F
        }

        synchronized void onRetransmitTimer() {
            boolean active = invite ? state == ClientState.CALLING
                    : state == ClientState.TRYING || state == ClientState.PROCEEDING;
            if (!active) {
                return;
            }
            retransmissions.increment();
            sendBytes(bytes, to);
            if (invite) {
                interval = interval.multipliedBy(2);
            } else {
                interval = state == ClientState.PROCEEDING ? timers.t2()
                        : min(interval.multipliedBy(2), timers.t2());
            }
            retransmit = schedule(interval, this::onRetransmitTimer);
        }

        void onTimeout() {
            synchronized (this) {
                if (state == ClientState.COMPLETED || state == ClientState.TERMINATED) {
                    return;
                }
                terminate();
            }
            result.completeExceptionally(new SipTimeoutException(request.method() + " to " + to
                    + " got no final response in " + timers.timeout().toMillis() + " ms"));
        }

        void onResponse(SipResponse r) {
            boolean deliver = false;
            synchronized (this) {
                switch (state) {
                    case CALLING, TRYING, PROCEEDING -> {
                        if (r.isProvisional()) {
                            state = ClientState.PROCEEDING;
                            if (invite && retransmit != null) {
                                retransmit.cancel();
                            }
                            return;
                        }
                        deliver = true;
                        if (retransmit != null) {
                            retransmit.cancel();
                        }
                        timeout.cancel();
                        if (invite && r.status() < 300) {
                            terminate(); // the TU acknowledges a 2xx itself (RFC 3261 §17.1.1.2)
                        } else {
                            state = ClientState.COMPLETED;
                            if (invite) {
                                ackBytes = org.arc4j.gb28181.sip.SipEncoder.INSTANCE.encode(out(ackFor(r), to));
                                sendBytes(ackBytes, to);
                            }
                            Duration linger = to.transport().isReliable() ? Duration.ZERO
                                    : invite ? timers.timerD() : timers.t4(); // timer D or K
                            schedule(linger, this::terminateLocked);
                        }
                    }
                    case COMPLETED -> {
                        if (invite && ackBytes != null && !r.isProvisional()) {
                            sendBytes(ackBytes, to);
                        }
                        return;
                    }
                    default -> {
                        return;
                    }
                }
            }
            if (deliver) {
                result.complete(r);
            }
        }

        /** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response, in the same transaction. */
        private SipRequest ackFor(SipResponse r) {
            SipHeaders.Builder b = SipHeaders.builder();
            b.add("Via", request.headers().values("Via").get(0));
            b.add("From", request.headers().get("From"));
            b.add("To", r.headers().get("To"));
            b.add("Call-ID", request.callId());
            b.add("CSeq", request.cseq().number() + " ACK");
            for (String route : request.headers().all("Route")) {
                b.add("Route", route);
            }
            b.add("Max-Forwards", "70");
            return SipRequest.of(SipRequest.ACK, request.uri(), b.build(), null);
        }

        synchronized void terminateLocked() {
            terminate();
        }

        private void terminate() {
            state = ClientState.TERMINATED;
            if (retransmit != null) {
                retransmit.cancel();
            }
            if (timeout != null) {
                timeout.cancel();
            }
            clients.remove(key, this);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---------------------------------------------------------------- server transactions

    private enum ServerState { TRYING, PROCEEDING, COMPLETED, CONFIRMED, TERMINATED }

    private final class ServerTx implements ServerTransaction {
        final String key;
        final SipRequest request;
        final SipPeer source;
        final Set<SipTolerance> tolerances;
        final boolean invite;
        final String toTag = token();
        ServerState state;
        byte[] lastResponse;
        SipPeer replyTo;
        Duration interval;

        ServerTx(String key, SipRequest request, SipPeer source, Set<SipTolerance> tolerances) {
            this.key = key;
            this.request = request;
            this.source = source;
            this.tolerances = Set.copyOf(tolerances);
            this.invite = request.method().equals(SipRequest.INVITE);
            this.state = invite ? ServerState.PROCEEDING : ServerState.TRYING;
            this.replyTo = responseDestination(request.topVia(), source);
        }

        @Override
        public SipRequest request() {
            return request;
        }

        @Override
        public SipPeer source() {
            return source;
        }

        @Override
        public Set<SipTolerance> tolerances() {
            return tolerances;
        }

        @Override
        public synchronized boolean isAnswered() {
            return state == ServerState.COMPLETED || state == ServerState.CONFIRMED
                    || (state == ServerState.TERMINATED && lastResponse != null);
        }

        @Override
        public boolean respond(SipResponse response) {
            SipResponse r = response;
            String to = r.headers().get("To");
            NameAddress na = to == null ? null : NameAddress.parse(to);
            if (!r.isProvisional() && na != null && na.tag() == null) {
                r = r.withHeaders(r.headers().toBuilder().set("To", to + ";tag=" + toTag).build());
            }
            synchronized (this) {
                if (state != ServerState.TRYING && state != ServerState.PROCEEDING) {
                    return false;
                }
                lastResponse = org.arc4j.gb28181.sip.SipEncoder.INSTANCE.encode(out(r, replyTo));
                if (r.isProvisional()) {
                    state = ServerState.PROCEEDING;
                    sendBytes(lastResponse, replyTo);
                    return true;
                }
                // timers are armed before the bytes leave, so that whoever sees the response sees them armed
                armFinal(r);
                sendBytes(lastResponse, replyTo);
                return true;
            }
        }

        private void armFinal(SipResponse r) {
            boolean reliable = source.transport().isReliable();
            if (invite && r.status() < 300) {
                state = ServerState.TERMINATED;
                servers.remove(key, this);
            } else if (invite) {
                state = ServerState.COMPLETED;
                if (!reliable) {
                    interval = timers.t1();
                    schedule(interval, this::onTimerG); // timer G
                }
                schedule(timers.timeout(), this::terminateLocked); // timer H
            } else {
                state = ServerState.COMPLETED;
                schedule(reliable ? Duration.ZERO : timers.timeout(), this::terminateLocked); // timer J
            }
        }

        synchronized void onTimerG() {
            if (state != ServerState.COMPLETED) {
                return;
            }
            retransmissions.increment();
            sendBytes(lastResponse, replyTo);
            interval = min(interval.multipliedBy(2), timers.t2());
            schedule(interval, this::onTimerG);
        }

        synchronized void onAck() {
            if (state == ServerState.COMPLETED) {
                state = ServerState.CONFIRMED;
                schedule(source.transport().isReliable() ? Duration.ZERO : timers.t4(), this::terminateLocked);
            }
        }

        synchronized void onRetransmission() {
            if ((state == ServerState.PROCEEDING || state == ServerState.COMPLETED) && lastResponse != null) {
                retransmissions.increment();
                sendBytes(lastResponse, replyTo);
            }
        }

        synchronized void terminateLocked() {
            state = ServerState.TERMINATED;
            servers.remove(key, this);
        }

        synchronized void expireUnanswered() {
            if (state == ServerState.TRYING || state == ServerState.PROCEEDING) {
                metrics.counter("sip.unanswered").increment();
                terminateLocked();
            }
        }
    }
}
