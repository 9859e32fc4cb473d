package org.arc4j.gb28181.platform;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.arc4j.core.event.Transport;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.gb28181.sip.SipTimers;

/**
 * How the centre acts as an upper platform (GB/T 28181-2016 §9): its ID and domain, ports, digest policy,
 * keepalive supervision, time zones and charsets per device. Immutable; build with {@link #builder(String)}.
 */
public final class GbPlatformConfig {
    final String platformId;
    final String domain;
    final String bindHost;
    final String advertisedHost;
    final int udpPort;
    final int tcpPort;
    final Duration keepaliveInterval;
    final int keepaliveCount;
    final boolean dateHeader;
    final ZoneId timeZone;
    final Map<String, ZoneId> deviceZones;
    final ManscdpCharset charset;
    final Map<String, ManscdpCharset> deviceCharsets;
    final DigestAlgorithm algorithm;
    final boolean sha256For2022;
    final boolean offerQop;
    final Duration nonceLifetime;
    final Duration queryTimeout;
    final boolean queryCatalogOnRegister;
    final boolean armOnRegister;
    final Transport transport;
    final SipTimers timers;
    final String defaultPassword;
    final int maxDevices;
    final int maxChannelsPerDevice;
    final int maxPendingQueries;
    final int maxHeldAlarms;
    final Duration heldAlarmWait;
    final Duration tcpIdleTimeout;

    private GbPlatformConfig(Builder b) {
        this.platformId = b.platformId;
        this.domain = b.domain != null ? b.domain : b.platformId.substring(0, Math.min(10, b.platformId.length()));
        this.bindHost = b.bindHost;
        this.advertisedHost = b.advertisedHost;
        this.udpPort = b.udpPort;
        this.tcpPort = b.tcpPort;
        this.keepaliveInterval = b.keepaliveInterval;
        this.keepaliveCount = b.keepaliveCount;
        this.dateHeader = b.dateHeader;
        this.timeZone = b.timeZone;
        this.deviceZones = Map.copyOf(b.deviceZones);
        this.charset = b.charset;
        this.deviceCharsets = Map.copyOf(b.deviceCharsets);
        this.algorithm = b.algorithm;
        this.sha256For2022 = b.sha256For2022;
        this.offerQop = b.offerQop;
        this.nonceLifetime = b.nonceLifetime;
        this.queryTimeout = b.queryTimeout;
        this.queryCatalogOnRegister = b.queryCatalogOnRegister;
        this.armOnRegister = b.armOnRegister;
        this.transport = b.transport;
        this.timers = b.timers;
        this.defaultPassword = b.defaultPassword;
        this.maxDevices = b.maxDevices;
        this.maxChannelsPerDevice = b.maxChannelsPerDevice;
        this.maxPendingQueries = b.maxPendingQueries;
        this.maxHeldAlarms = b.maxHeldAlarms;
        this.heldAlarmWait = b.heldAlarmWait;
        this.tcpIdleTimeout = b.tcpIdleTimeout != null ? b.tcpIdleTimeout
                : b.keepaliveInterval.multipliedBy(b.keepaliveCount);
    }

    /** @return the most devices the registry holds (default {@value Builder#DEFAULT_MAX_DEVICES}) */
    public int maxDevices() {
        return maxDevices;
    }

    /** @return the most channels one device may declare (default {@value Builder#DEFAULT_MAX_CHANNELS}) */
    public int maxChannelsPerDevice() {
        return maxChannelsPerDevice;
    }

    /** @return the most queries awaiting an answer at once (default {@value Builder#DEFAULT_MAX_PENDING}) */
    public int maxPendingQueries() {
        return maxPendingQueries;
    }

    /** @return the idle timeout of SIP over TCP (default three keepalive intervals) */
    public Duration tcpIdleTimeout() {
        return tcpIdleTimeout;
    }

    /**
     * @param platformId the centre's 20-digit platform ID (type 200, or 205 alarm server)
     * @return a builder with the defaults
     */
    public static Builder builder(String platformId) {
        return new Builder(platformId);
    }

    /** @return the platform ID */
    public String platformId() {
        return platformId;
    }

    /** @return the SIP domain and digest realm (by default the first 10 digits of the ID) */
    public String domain() {
        return domain;
    }

    /** @return the keepalive interval devices are expected to keep */
    public Duration keepaliveInterval() {
        return keepaliveInterval;
    }

    /** @return how many keepalives may be missed */
    public int keepaliveCount() {
        return keepaliveCount;
    }

    /**
     * @param deviceId a device
     * @return its time zone (per device, else the centre's, default Asia/Shanghai)
     */
    public ZoneId timeZone(String deviceId) {
        return deviceZones.getOrDefault(deviceId, timeZone);
    }

    /**
     * @param deviceId a device
     * @return the charset the centre writes to it
     */
    public ManscdpCharset charset(String deviceId) {
        return deviceCharsets.getOrDefault(deviceId, charset);
    }

    /** Builds a {@link GbPlatformConfig}. Not thread-safe. */
    public static final class Builder {
        private final String platformId;
        private String domain;
        private String bindHost = "0.0.0.0";
        private String advertisedHost = "127.0.0.1";
        private int udpPort = 5060;
        private int tcpPort = 5060;
        private Duration keepaliveInterval = Duration.ofSeconds(60);
        private int keepaliveCount = 3;
        private boolean dateHeader = true;
        private ZoneId timeZone = ZoneId.of("Asia/Shanghai");
        private final Map<String, ZoneId> deviceZones = new HashMap<>();
        private ManscdpCharset charset = ManscdpCharset.GB2312;
        private final Map<String, ManscdpCharset> deviceCharsets = new HashMap<>();
        private DigestAlgorithm algorithm = DigestAlgorithm.MD5;
        private boolean sha256For2022;
        private boolean offerQop = true;
        private Duration nonceLifetime = DigestAuthenticator.DEFAULT_NONCE_LIFETIME;
        private Duration queryTimeout = Duration.ofSeconds(30);
        private boolean queryCatalogOnRegister = true;
        private boolean armOnRegister;
        private Transport transport = Transport.IP;
        private SipTimers timers = SipTimers.DEFAULT;
        private String defaultPassword;
        private int maxDevices = DEFAULT_MAX_DEVICES;
        private int maxChannelsPerDevice = DEFAULT_MAX_CHANNELS;
        private int maxPendingQueries = DEFAULT_MAX_PENDING;
        private int maxHeldAlarms = DEFAULT_MAX_HELD_ALARMS;
        private Duration heldAlarmWait = Duration.ofSeconds(32);
        private Duration tcpIdleTimeout;

        /** Default bound of the device registry: a large centre's cameras, NVRs and alarm controllers. */
        public static final int DEFAULT_MAX_DEVICES = 50_000;
        /** Default bound of channels per device: a 256-channel NVR with alarm inputs and outputs fits. */
        public static final int DEFAULT_MAX_CHANNELS = 2_048;
        /** Default bound of queries awaiting an answer, over all devices. */
        public static final int DEFAULT_MAX_PENDING = 4_096;
        /** Default bound of alarms held while their sender is challenged. */
        public static final int DEFAULT_MAX_HELD_ALARMS = 1_024;

        private Builder(String platformId) {
            if (!GbDeviceId.isValid(platformId)) {
                throw new IllegalArgumentException("platform ID must be 20 digits: " + platformId);
            }
            this.platformId = platformId;
        }

        /** @param v the SIP domain / realm @return this */
        public Builder domain(String v) {
            this.domain = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the address to bind @return this */
        public Builder bindHost(String v) {
            this.bindHost = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the address devices reach the centre at, written in Via and Contact @return this */
        public Builder advertisedHost(String v) {
            this.advertisedHost = Objects.requireNonNull(v);
            return this;
        }

        /** @param v UDP port (0 any, -1 none) @return this */
        public Builder udpPort(int v) {
            this.udpPort = v;
            return this;
        }

        /** @param v TCP port (0 any, -1 none) @return this */
        public Builder tcpPort(int v) {
            this.tcpPort = v;
            return this;
        }

        /**
         * Keepalive supervision: offline after min(registration expiry, interval × count).
         *
         * @param interval the interval devices send keepalives at (default 60 s)
         * @param count    how many may be missed (default 3)
         * @return this
         */
        public Builder keepalive(Duration interval, int count) {
            if (interval.isNegative() || interval.isZero() || count < 1) {
                throw new IllegalArgumentException("keepalive interval and count must be positive");
            }
            this.keepaliveInterval = interval;
            this.keepaliveCount = count;
            return this;
        }

        /** @param v whether the REGISTER 200 OK carries the GB {@code Date} for time sync (default on) @return this */
        public Builder dateHeader(boolean v) {
            this.dateHeader = v;
            return this;
        }

        /** @param v the centre's default device time zone (default Asia/Shanghai) @return this */
        public Builder timeZone(ZoneId v) {
            this.timeZone = Objects.requireNonNull(v);
            return this;
        }

        /** @param deviceId a device @param zone its time zone @return this */
        public Builder deviceTimeZone(String deviceId, ZoneId zone) {
            this.deviceZones.put(deviceId, zone);
            return this;
        }

        /** @param v the default charset written to devices (default GB2312) @return this */
        public Builder charset(ManscdpCharset v) {
            this.charset = Objects.requireNonNull(v);
            return this;
        }

        /** @param deviceId a device @param cs the charset written to it (e.g. UTF-8) @return this */
        public Builder deviceCharset(String deviceId, ManscdpCharset cs) {
            this.deviceCharsets.put(deviceId, cs);
            return this;
        }

        /**
         * Digest policy.
         *
         * @param alg            the challenge algorithm (default MD5)
         * @param sha256For2022  challenge devices announcing {@code X-GB-Ver: 3.0} with SHA-256
         * @param offerQop       offer {@code qop="auth"} (default true); answers in the RFC 2069 form are
         *                       accepted either way
         * @param nonceLifetime  how long a nonce is good
         * @return this
         */
        public Builder digest(DigestAlgorithm alg, boolean sha256For2022, boolean offerQop, Duration nonceLifetime) {
            this.algorithm = Objects.requireNonNull(alg);
            this.sha256For2022 = sha256For2022;
            this.offerQop = offerQop;
            this.nonceLifetime = Objects.requireNonNull(nonceLifetime);
            return this;
        }

        /**
         * A password for devices without their own credential in the store (GB/T 28181 platforms commonly have
         * one). Without it, such devices are refused.
         *
         * @param v the password, or null
         * @return this
         */
        public Builder defaultPassword(String v) {
            this.defaultPassword = v;
            return this;
        }

        /** @param v how long to wait for the MANSCDP answer to a query (default 30 s) @return this */
        public Builder queryTimeout(Duration v) {
            this.queryTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** @param v query the Catalog after each new registration (default true) @return this */
        public Builder queryCatalogOnRegister(boolean v) {
            this.queryCatalogOnRegister = v;
            return this;
        }

        /** @param v arm (SetGuard) devices on registration: many cameras send no alarms until armed @return this */
        public Builder armOnRegister(boolean v) {
            this.armOnRegister = v;
            return this;
        }

        /** @param v the GA 1383 transport of the devices' links (default IP) @return this */
        public Builder transport(Transport v) {
            this.transport = Objects.requireNonNull(v);
            return this;
        }

        /** @param v SIP timers @return this */
        public Builder timers(SipTimers v) {
            this.timers = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Bounds of the state that network input creates (GB/T 28181 devices are many and a sender may lie):
         * a REGISTER beyond {@code maxDevices} evicts the device whose registration lapsed longest ago, else it
         * gets 503; Catalog items beyond {@code maxChannelsPerDevice} are ignored and counted; a query beyond
         * {@code maxPendingQueries} fails at once.
         *
         * @param maxDevices           registry size, positive
         * @param maxChannelsPerDevice channels per device, positive
         * @param maxPendingQueries    queries awaiting answers, positive
         * @return this
         */
        public Builder limits(int maxDevices, int maxChannelsPerDevice, int maxPendingQueries) {
            if (maxDevices < 1 || maxChannelsPerDevice < 1 || maxPendingQueries < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
            this.maxDevices = maxDevices;
            this.maxChannelsPerDevice = maxChannelsPerDevice;
            this.maxPendingQueries = maxPendingQueries;
            return this;
        }

        /**
         * How an alarm from a registered device's ID at an address it never authenticated from is held while
         * the sender is challenged: if no authenticated copy comes within {@code wait} (default 32 s, SIP's
         * timer F) the alarm is handed to the intake flagged {@code suspected spoof}, so it is shown and never
         * lost; at most {@code max} are held (beyond that, flagged at once).
         *
         * @param max  the most alarms held, positive
         * @param wait how long one is held, positive
         * @return this
         */
        public Builder heldAlarms(int max, Duration wait) {
            if (max < 1 || wait.isNegative() || wait.isZero()) {
                throw new IllegalArgumentException("held alarms: max and wait must be positive");
            }
            this.maxHeldAlarms = max;
            this.heldAlarmWait = wait;
            return this;
        }

        /**
         * @param v the idle timeout of SIP over TCP connections (default three keepalive intervals)
         * @return this
         */
        public Builder tcpIdleTimeout(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive: " + v);
            }
            this.tcpIdleTimeout = v;
            return this;
        }

        /** @return the configuration */
        public GbPlatformConfig build() {
            return new GbPlatformConfig(this);
        }
    }
}
