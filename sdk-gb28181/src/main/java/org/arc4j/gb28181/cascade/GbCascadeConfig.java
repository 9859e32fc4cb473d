package org.arc4j.gb28181.cascade;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.arc4j.gb28181.platform.GbDeviceId;

/**
 * Settings of a {@link GbCascade}: the centre's ID and SIP port as a lower platform, its upper platforms, and the
 * timings of registration back-off, keepalive loss and alarm retries. Immutable; built with {@link #builder}.
 */
public final class GbCascadeConfig {
    final String localId;
    final String domain;
    final String bindHost;
    final String advertisedHost;
    final int udpPort;
    final int tcpPort;
    final List<UpperPlatform> uppers;
    final int catalogPageSize;
    final ZoneId timeZone;
    final String name;
    final String manufacturer;
    final String model;
    final Duration backoffMin;
    final Duration backoffMax;
    final int keepaliveMisses;
    final Duration alarmRetry;

    private GbCascadeConfig(Builder b) {
        this.localId = b.localId;
        this.domain = b.domain != null ? b.domain : b.localId.substring(0, 10);
        this.bindHost = b.bindHost;
        this.advertisedHost = b.advertisedHost;
        this.udpPort = b.udpPort;
        this.tcpPort = b.tcpPort;
        this.uppers = List.copyOf(b.uppers);
        this.catalogPageSize = b.catalogPageSize;
        this.timeZone = b.timeZone;
        this.name = b.name;
        this.manufacturer = b.manufacturer;
        this.model = b.model;
        this.backoffMin = b.backoffMin;
        this.backoffMax = b.backoffMax;
        this.keepaliveMisses = b.keepaliveMisses;
        this.alarmRetry = b.alarmRetry;
    }

    /**
     * @param localId the centre's 20-digit ID as a lower platform (type 200)
     * @return a builder
     */
    public static Builder builder(String localId) {
        return new Builder(localId);
    }

    /** @return the centre's ID toward its upper platforms */
    public String localId() {
        return localId;
    }

    /** @return the centre's SIP domain */
    public String domain() {
        return domain;
    }

    /** @return the upper platforms */
    public List<UpperPlatform> uppers() {
        return uppers;
    }

    /** @return catalog items per Response MESSAGE */
    public int catalogPageSize() {
        return catalogPageSize;
    }

    /** @return the first wait after a failed registration (doubled per failure up to {@link #backoffMax()}) */
    public Duration backoffMin() {
        return backoffMin;
    }

    /** @return the longest wait between registration attempts */
    public Duration backoffMax() {
        return backoffMax;
    }

    /** @return how many keepalives in a row may go unanswered before the link registers again */
    public int keepaliveMisses() {
        return keepaliveMisses;
    }

    /** @return the wait before an unanswered alarm Notify is sent again */
    public Duration alarmRetry() {
        return alarmRetry;
    }

    /** @return the time zone the centre's MANSCDP times are written in */
    public ZoneId timeZone() {
        return timeZone;
    }

    /** @return the name, manufacturer and model the centre gives in DeviceInfo, in this order */
    public List<String> identity() {
        return List.of(name, manufacturer, model);
    }

    /** Builds a {@link GbCascadeConfig}. Not thread-safe. */
    public static final class Builder {
        private final String localId;
        private String domain;
        private String bindHost = "0.0.0.0";
        private String advertisedHost = "127.0.0.1";
        private int udpPort = 5061;
        private int tcpPort = 5061;
        private final List<UpperPlatform> uppers = new ArrayList<>();
        private int catalogPageSize = 4;
        private ZoneId timeZone = ZoneId.of("Asia/Shanghai");
        private String name = "arc4j centre";
        private String manufacturer = "arc4j";
        private String model = "arc4j";
        private Duration backoffMin = Duration.ofSeconds(5);
        private Duration backoffMax = Duration.ofMinutes(5);
        private int keepaliveMisses = 3;
        private Duration alarmRetry = Duration.ofSeconds(1);

        private Builder(String localId) {
            if (!GbDeviceId.isValid(localId) || localId.length() != 20) {
                throw new IllegalArgumentException("the centre's ID must be 20 digits: " + localId);
            }
            this.localId = localId;
        }

        /** @param v the SIP domain, default the ID's first 10 digits @return this */
        public Builder domain(String v) {
            this.domain = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the address to bind, default {@code 0.0.0.0} @return this */
        public Builder bindHost(String v) {
            this.bindHost = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the address upper platforms reach the centre at (Via, Contact), default 127.0.0.1 @return this */
        public Builder advertisedHost(String v) {
            this.advertisedHost = Objects.requireNonNull(v);
            return this;
        }

        /** @param v the UDP port (0 any, -1 none), default 5061: not the device-facing 5060 @return this */
        public Builder udpPort(int v) {
            this.udpPort = v;
            return this;
        }

        /** @param v the TCP port (0 any, -1 none), default 5061 @return this */
        public Builder tcpPort(int v) {
            this.tcpPort = v;
            return this;
        }

        /** @param v an upper platform to register with @return this */
        public Builder upper(UpperPlatform v) {
            for (UpperPlatform u : uppers) {
                if (u.id().equals(v.id())) {
                    throw new IllegalArgumentException("upper platform " + v.id() + " given twice");
                }
            }
            uppers.add(Objects.requireNonNull(v));
            return this;
        }

        /**
         * Catalog items per Response MESSAGE, default 4 (a UDP datagram stays near the path MTU).
         *
         * @param v 1–100
         * @return this
         */
        public Builder catalogPageSize(int v) {
            if (v < 1 || v > 100) {
                throw new IllegalArgumentException("page size 1-100: " + v);
            }
            this.catalogPageSize = v;
            return this;
        }

        /** @param v the zone MANSCDP times are written in, default Asia/Shanghai @return this */
        public Builder timeZone(ZoneId v) {
            this.timeZone = Objects.requireNonNull(v);
            return this;
        }

        /**
         * @param newName         DeviceName in DeviceInfo
         * @param newManufacturer Manufacturer
         * @param newModel        Model
         * @return this
         */
        public Builder identity(String newName, String newManufacturer, String newModel) {
            this.name = Objects.requireNonNull(newName);
            this.manufacturer = Objects.requireNonNull(newManufacturer);
            this.model = Objects.requireNonNull(newModel);
            return this;
        }

        /**
         * Registration back-off: the first wait after a failure, doubled per failure up to the longest.
         *
         * @param min default 5 s
         * @param max default 5 min
         * @return this
         */
        public Builder backoff(Duration min, Duration max) {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("back-off " + min + ".." + max);
            }
            this.backoffMin = min;
            this.backoffMax = max;
            return this;
        }

        /** @param v keepalives in a row without answer before registering again, default 3 @return this */
        public Builder keepaliveMisses(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("keepalive misses: " + v);
            }
            this.keepaliveMisses = v;
            return this;
        }

        /** @param v wait before an unanswered alarm is sent again, default 1 s @return this */
        public Builder alarmRetry(Duration v) {
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("alarm retry: " + v);
            }
            this.alarmRetry = v;
            return this;
        }

        /** @return the settings */
        public GbCascadeConfig build() {
            if (udpPort < 0 && tcpPort < 0) {
                throw new IllegalStateException("neither UDP nor TCP");
            }
            return new GbCascadeConfig(this);
        }
    }
}
