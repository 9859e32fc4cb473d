package org.arc4j.gb28181.sip;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.sip.internal.NettyTransport;
import org.arc4j.gb28181.sip.internal.TransactionLayer;

/**
 * A SIP endpoint on Netty (RFC 3261 §17, §18): one UDP socket and one TCP listener, the transaction layer with
 * timers A–K on the core {@link Scheduler}, responses routed by Via {@code received}/{@code rport}, TCP
 * connections reused per remote address, bad messages answered with 400 and a reason.
 *
 * <p>Requests go to the {@link SipRequestHandler}; requests sent with {@link #send} get our Via and complete
 * with the final response. Thread-safe. Close it to release the sockets.
 */
public final class SipStack implements AutoCloseable {
    private final NettyTransport transport;
    private final TransactionLayer transactions;
    private final String advertisedHost;

    private SipStack(Builder b) throws InterruptedException {
        this.advertisedHost = b.advertisedHost;
        Metrics metrics = b.metrics != null ? b.metrics : new SimpleMetrics();
        this.transactions = new TransactionLayer(b.scheduler, b.timers, this::sentBy, metrics);
        this.transport = new NettyTransport(new SipParser(b.limits), transactions, null);
        transactions.attach(transport, b.handler);
        transactions.maxServerTransactions(b.maxServerTransactions);
        try {
            transport.bind(b.udpPort < 0 ? null : new InetSocketAddress(b.bindHost, b.udpPort),
                    b.tcpPort < 0 ? null : new InetSocketAddress(b.bindHost, b.tcpPort));
            if (b.tcpIdleTimeout != null) {
                transport.idleTimeout(b.scheduler, b.tcpIdleTimeout);
            }
        } catch (InterruptedException | RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    private String sentBy(SipTransport t) {
        InetSocketAddress a = t == SipTransport.UDP ? transport.udpAddress() : transport.tcpAddress();
        if (a == null) {
            a = transport.udpAddress() != null ? transport.udpAddress() : transport.tcpAddress();
        }
        return advertisedHost + ":" + a.getPort();
    }

    /** @return the bound UDP address, or null if UDP is off */
    public InetSocketAddress udpAddress() {
        return transport.udpAddress();
    }

    /** @return the bound TCP address, or null if TCP is off */
    public InetSocketAddress tcpAddress() {
        return transport.tcpAddress();
    }

    /** @return the host written in our Via and Contact headers */
    public String advertisedHost() {
        return advertisedHost;
    }

    /** @return the UDP socket's kernel receive buffer in bytes (at least 64 KiB where the kernel allows) */
    public int udpReceiveBufferBytes() {
        return transport.udpReceiveBuffer();
    }

    /** @return the open TCP connections (accepted and initiated) */
    public int tcpConnections() {
        return transport.tcpConnections();
    }

    /**
     * Whether a TCP connection with a peer is open (accepted or initiated), so that a request to it reuses the
     * connection instead of connecting anew.
     *
     * @param remote the peer's address
     * @return true if one is open
     */
    public boolean isConnected(InetSocketAddress remote) {
        return transport.isConnected(remote);
    }

    /** @return the live client and server transactions */
    public int liveTransactions() {
        return transactions.liveTransactions();
    }

    /** @return a new random token for tags, Call-IDs and SNs */
    public String newToken() {
        return transactions.token();
    }

    /**
     * Sends a request in a new client transaction.
     *
     * @param request the request, without our Via (the stack adds it)
     * @param to      where to send it
     * @return the final response, or a {@link SipTimeoutException} after timer B/F
     */
    public CompletionStage<SipResponse> send(SipRequest request, SipPeer to) {
        return transactions.sendRequest(request, to);
    }

    /**
     * Sends a request outside a transaction (the ACK of a 2xx).
     *
     * @param request the request, without our Via
     * @param to      where to
     */
    public void sendStateless(SipRequest request, SipPeer to) {
        transactions.sendStateless(request, to);
    }

    /**
     * Sets the hook every message sent and received passes through (a security layer: signing, encryption), in
     * place of the previous one. Messages already encoded for retransmission keep their bytes.
     *
     * @param interceptor the hook, or {@link SipInterceptor#NONE}
     */
    public void interceptor(SipInterceptor interceptor) {
        transactions.interceptor(interceptor);
    }

    /** @return the transaction timers not yet run or cancelled (zero after {@link #close()}) */
    public int liveTimers() {
        return transactions.liveTimers();
    }

    /** Closes the sockets and cancels every timer the stack has on the scheduler. */
    @Override
    public void close() {
        transactions.close();
        transport.close();
    }

    /** Builds a {@link SipStack}. Not thread-safe. */
    public static final class Builder {
        private String bindHost = "0.0.0.0";
        private String advertisedHost = "127.0.0.1";
        private int udpPort = 5060;
        private int tcpPort = 5060;
        private Scheduler scheduler;
        private Metrics metrics;
        private SipTimers timers = SipTimers.DEFAULT;
        private SipLimits limits = SipLimits.DEFAULT;
        private SipRequestHandler handler;
        private Duration tcpIdleTimeout;
        private int maxServerTransactions = TransactionLayer.DEFAULT_MAX_SERVER_TRANSACTIONS;

        private Builder() {
        }

        /** @param v the address to bind, default {@code 0.0.0.0} @return this */
        public Builder bindHost(String v) {
            this.bindHost = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the host to put in Via and Contact, default {@code 127.0.0.1} @return this */
        public Builder advertisedHost(String v) {
            this.advertisedHost = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the UDP port, 0 for any free port, -1 for no UDP; default 5060 @return this */
        public Builder udpPort(int v) {
            this.udpPort = v;
            return this;
        }

        /** @param v the TCP port, 0 for any free port, -1 for no TCP; default 5060 @return this */
        public Builder tcpPort(int v) {
            this.tcpPort = v;
            return this;
        }

        /** @param v the scheduler every SIP timer runs on (required) @return this */
        public Builder scheduler(Scheduler v) {
            this.scheduler = v;
            return this;
        }

        /** @param v where to count messages, errors and retransmissions @return this */
        public Builder metrics(Metrics v) {
            this.metrics = v;
            return this;
        }

        /** @param v T1, T2, T4 @return this */
        public Builder timers(SipTimers v) {
            this.timers = Objects.requireNonNull(v);
            return this;
        }

        /** @param v parser limits @return this */
        public Builder limits(SipLimits v) {
            this.limits = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Closes a TCP connection on which nothing arrived for this long (default: never). A GB/T 28181
         * platform sets it to three keepalive intervals.
         *
         * @param v the idle timeout, positive, or null for none
         * @return this builder
         */
        public Builder tcpIdleTimeout(Duration v) {
            if (v != null && (v.isZero() || v.isNegative())) {
                throw new IllegalArgumentException("idle timeout must be positive: " + v);
            }
            this.tcpIdleTimeout = v;
            return this;
        }

        /**
         * Bounds the server transactions alive at once (default 16,384): a new request beyond the bound is answered
         * 503 Service Unavailable with {@code Retry-After: 5} and no transaction is made (counted as
         * {@code sip.overloaded}); retransmissions of live transactions are still matched. Each transaction lives
         * about 32 s after its answer over UDP (RFC 3261 timers J and H), so the default holds a sustained 500
         * new requests per second.
         *
         * @param v the bound, positive
         * @return this
         */
        public Builder maxServerTransactions(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxServerTransactions must be positive: " + v);
            }
            this.maxServerTransactions = v;
            return this;
        }

        /** @param v the transaction user (required) @return this */
        public Builder handler(SipRequestHandler v) {
            this.handler = v;
            return this;
        }

        /**
         * Binds the sockets and starts.
         *
         * @return the running stack
         * @throws InterruptedException if interrupted while binding
         */
        public SipStack start() throws InterruptedException {
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(handler, "handler");
            if (udpPort < 0 && tcpPort < 0) {
                throw new IllegalStateException("neither UDP nor TCP");
            }
            return new SipStack(this);
        }
    }
}
