package org.arc4j.protocols.onvif;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.time.Scheduler;
import org.arc4j.protocols.onvif.internal.HttpTransport;

/**
 * The ONVIF client: one per application, sharing event loops, pooled HTTP connections and settings among the
 * {@link OnvifDevice}s it makes. SOAP 1.2 over HTTP/1.1 on Netty, hand-written requests and readers on the JDK's
 * StAX (no generated classes), WS-Security UsernameToken with the device's clock offset, HTTP Digest on a
 * challenge (RFC 7616, sdk-core's {@link org.arc4j.core.security.digest.DigestClient}), Basic only where
 * configured.
 *
 * <p>Every operation returns a {@link java.util.concurrent.CompletableFuture} completed on the {@code executor}
 * (never on an event loop); failures are {@link OnvifException}s. Timers (the lockout pause, renewals, pull
 * loops) run on the given {@link Scheduler}, so tests drive them on a virtual clock.
 *
 * <p>Thread-safe. {@link #close()} closes pooled connections and the client's event loop.
 */
public final class OnvifClient implements AutoCloseable {
    /** The default bound on an answer's size: 1 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
    /** The default pause after two refusals of the credentials. */
    public static final Duration DEFAULT_LOCKOUT_PAUSE = Duration.ofMinutes(10);

    private final Scheduler scheduler;
    private final CredentialStore credentials;
    private final EventLoopGroup group;
    private final Executor executor;
    private final HttpTransport http;
    private final SecureRandom random;
    private final int lockoutThreshold;
    private final Duration lockoutPause;

    private OnvifClient(Builder b) {
        this.scheduler = b.scheduler;
        this.credentials = b.credentials;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.executor = b.executor;
        this.random = b.random;
        this.lockoutThreshold = b.lockoutThreshold;
        this.lockoutPause = b.lockoutPause;
        this.http = new HttpTransport(group, executor, b.maxResponseBytes, b.connectTimeout, b.requestTimeout);
    }

    /**
     * Starts a builder.
     *
     * @param scheduler   the scheduler (clock and timers)
     * @param credentials where ONVIF logins are looked up
     * @return the builder
     */
    public static Builder builder(Scheduler scheduler, CredentialStore credentials) {
        return new Builder(scheduler, credentials);
    }

    /**
     * A handle on one device. Handles are cheap; keep one per device so that its clock offset, digest challenge
     * and lockout state are shared by all its requests.
     *
     * @param config how to reach it
     * @return the device
     */
    public OnvifDevice device(OnvifDeviceConfig config) {
        return new OnvifDevice(this, config);
    }

    Scheduler scheduler() {
        return scheduler;
    }

    CredentialStore credentials() {
        return credentials;
    }

    Executor executor() {
        return executor;
    }

    HttpTransport http() {
        return http;
    }

    SecureRandom random() {
        return random;
    }

    int lockoutThreshold() {
        return lockoutThreshold;
    }

    Duration lockoutPause() {
        return lockoutPause;
    }

    EventLoopGroup group() {
        return group;
    }

    /** @return idle pooled HTTP connections (to observe connection reuse) */
    public int idleConnections() {
        return http.idleConnections();
    }

    @Override
    public void close() {
        http.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Settings of an {@link OnvifClient}. Not thread-safe; use once. */
    public static final class Builder {
        private final Scheduler scheduler;
        private final CredentialStore credentials;
        private Executor executor = ForkJoinPool.commonPool();
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private SecureRandom random = new SecureRandom();
        private int lockoutThreshold = 2;
        private Duration lockoutPause = DEFAULT_LOCKOUT_PAUSE;

        private Builder(Scheduler scheduler, CredentialStore credentials) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        /**
         * @param e where futures complete (default: the common fork-join pool)
         * @return this
         */
        public Builder executor(Executor e) {
            this.executor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /**
         * @param bytes the largest answer accepted (default 1 MiB)
         * @return this
         */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes below 1024: " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * @param connect TCP connect timeout (default 5 s)
         * @param request time for a whole answer (default 20 s; a PullMessages adds its own wait to it)
         * @return this
         */
        public Builder timeouts(Duration connect, Duration request) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.requestTimeout = Objects.requireNonNull(request, "request");
            return this;
        }

        /**
         * The lockout guard: after {@code threshold} refusals in a row, no authenticated request for
         * {@code pause} (default 2 and 10 minutes).
         *
         * @param threshold refusals in a row, at least 1
         * @param pause     the pause
         * @return this
         */
        public Builder lockout(int threshold, Duration pause) {
            if (threshold < 1) {
                throw new IllegalArgumentException("threshold below 1");
            }
            this.lockoutThreshold = threshold;
            this.lockoutPause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        /**
         * @param r the source of WS-Security nonces (default a new {@link SecureRandom})
         * @return this
         */
        public Builder random(SecureRandom r) {
            this.random = Objects.requireNonNull(r, "random");
            return this;
        }

        /** @return the client */
        public OnvifClient build() {
            return new OnvifClient(this);
        }
    }
}
