package org.arc4j.media.rtsp;

import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.time.Scheduler;
import org.arc4j.media.rtsp.internal.RtspConfig;
import org.arc4j.media.rtsp.internal.RtspSessionImpl;
import org.arc4j.media.video.H264Depacketizer;

/**
 * An RTSP 1.0 client (RFC 2326) for cameras and NVRs, on Netty's RTSP codec: OPTIONS, DESCRIBE, SETUP of every
 * video (H.264, H.265) and RTP audio track, PLAY, keep-alive and TEARDOWN, with RTP interleaved on the RTSP
 * connection (§10.12) or on UDP, Basic and Digest authentication (RFC 2617, RFC 7616 with SHA-256; any 401, also in
 * the middle of a session, is answered once more), a read-idle watchdog and reconnection with exponential back-off.
 * Video arrives as {@link org.arc4j.media.video.AccessUnit}s, other tracks as RTP packets, on an
 * {@link RtspListener}.
 *
 * <pre>{@code
 * RtspSession s = RtspClient.builder(URI.create("rtsp://192.0.2.10/Streaming/Channels/101"))
 *         .credentials("viewer", Secret.ofUtf8(password))
 *         .scheduler(scheduler)
 *         .build()
 *         .start(new RtspListener() { ... });
 * }</pre>
 *
 * <p>User information in the URI ({@code rtsp://user:pass@host/…}) is taken as the credentials and removed: no URI
 * this client logs, reports or returns carries it. Immutable and thread-safe; one client may start many sessions.
 */
public final class RtspClient {
    private final RtspConfig config;

    private RtspClient(RtspConfig config) {
        this.config = config;
    }

    /**
     * A builder.
     *
     * @param uri the {@code rtsp://} URL of the presentation, optionally with user information
     * @return the builder
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** @return the URL this client plays, without user information */
    public URI uri() {
        return config.uri();
    }

    /**
     * Starts a session: connects at once and keeps trying, with back-off, until {@link RtspSession#close}.
     *
     * @param listener where access units, packets, states and errors go
     * @return the session
     */
    public RtspSession start(RtspListener listener) {
        RtspSessionImpl s = new RtspSessionImpl(config, Objects.requireNonNull(listener, "listener"));
        s.start();
        return s;
    }

    /** Builds an {@link RtspClient}; not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private Supplier<Credential> credentials;
        private List<RtspTransport> transports = List.of(RtspTransport.TCP_INTERLEAVED, RtspTransport.UDP);
        private Scheduler scheduler;
        private EventLoopGroup group;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofSeconds(10);
        private Duration readIdleTimeout = Duration.ofSeconds(10);
        private Duration minBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int maxHeaderLength = 8 * 1024;
        private int maxFrameLength = 65_535;
        private int maxAccessUnit = H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT;
        private String userAgent = "arc4j";

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"rtsp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                // the URL itself stays out of the message: a login in an authority that did not parse is still a login
                throw new IllegalArgumentException("not an rtsp:// URL with a host (scheme " + uri.getScheme() + ")");
            }
            String info = uri.getRawUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                String user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
                Secret pass = Secret.ofUtf8(colon < 0 ? ""
                        : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8));
                Credential c = new Credential(user, pass, java.util.Map.of());
                credentials = () -> c;
            }
            this.uri = withoutUserInfo(uri);
        }

        /**
         * Credentials given directly (they replace any user information of the URI).
         *
         * @param username the user name
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String username, Secret password) {
            Credential c = new Credential(Objects.requireNonNull(username, "username"),
                    Objects.requireNonNull(password, "password"), java.util.Map.of());
            credentials = () -> c;
            return this;
        }

        /**
         * Credentials looked up in a store on every authentication, so a changed password is used at the next
         * challenge without restarting the session.
         *
         * @param store the store
         * @param key   the entry (its credential's username and secret are the login)
         * @return this builder
         */
        public Builder credentials(CredentialStore store, CredentialKey key) {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(key, "key");
            credentials = () -> store.find(key).orElse(null);
            return this;
        }

        /**
         * The transports to try, in order, when the server refuses one (461 Unsupported Transport).
         *
         * @param preference non-empty; default TCP interleaved, then UDP
         * @return this builder
         */
        public Builder transports(RtspTransport... preference) {
            if (preference.length == 0) {
                throw new IllegalArgumentException("no transport");
            }
            transports = List.copyOf(new ArrayList<>(List.of(preference)));
            return this;
        }

        /**
         * The scheduler all timers run on (response, connect and idle timeouts, keep-alive, back-off). Required.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The Netty event loops to run on; without one, each session makes a one-thread group and shuts it down on
         * close. Each session stays on one loop of the group, its connection, UDP sockets and timers alike.
         *
         * @param group a NIO group ({@code MultiThreadIoEventLoopGroup} with {@code NioIoHandler}): the client opens
         *              NIO channels; not shut down by the client
         * @return this builder
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /**
         * The time allowed to open the connection; default 5 s.
         *
         * @param d positive
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            connectTimeout = positive(d);
            return this;
        }

        /**
         * The time allowed for each response; default 10 s.
         *
         * @param d positive
         * @return this builder
         */
        public Builder responseTimeout(Duration d) {
            responseTimeout = positive(d);
            return this;
        }

        /**
         * The read-idle watchdog: while playing, a connection on which nothing at all arrives for this long is
         * dropped and made again; default 10 s. Checked four times per period, so it fires within 1.25 × d.
         *
         * @param d positive
         * @return this builder
         */
        public Builder readIdleTimeout(Duration d) {
            readIdleTimeout = positive(d);
            return this;
        }

        /**
         * The reconnection back-off: the first retry waits {@code min}, each further one twice as long, up to
         * {@code max}; reset once PLAY succeeds. Default 1 s to 30 s.
         *
         * @param min positive
         * @param max at least min
         * @return this builder
         */
        public Builder backoff(Duration min, Duration max) {
            if (positive(max).compareTo(positive(min)) < 0) {
                throw new IllegalArgumentException("max < min");
            }
            minBackoff = min;
            maxBackoff = max;
            return this;
        }

        /**
         * Limits: the longest RTSP message header and the longest interleaved frame accepted.
         *
         * @param maxHeaderLength 256..65536 bytes, default 8 KiB
         * @param maxFrameLength  1..65535 bytes, default 65535
         * @param maxAccessUnit   the largest access unit assembled, default 4 MiB
         * @return this builder
         */
        public Builder limits(int maxHeaderLength, int maxFrameLength, int maxAccessUnit) {
            if (maxHeaderLength < 256 || maxHeaderLength > 65_536 || maxFrameLength < 1 || maxFrameLength > 65_535
                    || maxAccessUnit < 1) {
                throw new IllegalArgumentException("limits");
            }
            this.maxHeaderLength = maxHeaderLength;
            this.maxFrameLength = maxFrameLength;
            this.maxAccessUnit = maxAccessUnit;
            return this;
        }

        /**
         * The User-Agent header (RFC 2326 §12.41).
         *
         * @param userAgent the value, default {@code arc4j}
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /** @return the client */
        public RtspClient build() {
            if (scheduler == null) {
                throw new IllegalStateException("scheduler is required");
            }
            return new RtspClient(new RtspConfig(uri, credentials, transports, scheduler, group, connectTimeout,
                    responseTimeout, readIdleTimeout, minBackoff, maxBackoff, maxHeaderLength, maxFrameLength,
                    maxAccessUnit, userAgent));
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive: " + d);
            }
            return d;
        }
    }

    /**
     * A URI without its user information, safe to log.
     *
     * @param uri any URI
     * @return the same URI minus {@code user:password@}
     */
    public static URI withoutUserInfo(URI uri) {
        String authority = uri.getRawAuthority();
        if (uri.getRawUserInfo() == null && authority != null && authority.contains("@")) {
            // an authority java.net.URI could not parse as server-based still carries the login before '@'
            String rest = authority.substring(authority.lastIndexOf('@') + 1);
            return URI.create(uri.getScheme() + "://" + rest + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme().toLowerCase(Locale.ROOT), null, uri.getHost(), uri.getPort(),
                    uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("unusable URI");
        }
    }
}
