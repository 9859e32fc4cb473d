package org.arc4j.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event reported by an alarm panel, camera, platform or the centre itself: the unit that the intake
 * makes durable, the pipeline turns into cases and the journal keeps.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}. A protocol adapter builds events without
 * an {@link #id() id}; the {@code AlarmIntake} assigns it when it accepts them.
 *
 * <p>What identifies the reporting panel: real receivers identify a panel by receiver number, line prefix
 * and account together, so all three are kept exactly as received (as text, with leading zeros and letters).
 * The {@link #transport() transport} is not read from the wire: it comes from the configuration of the
 * account or port, since GA 1383-2017's response limits (4 s IP, 20 s PSTN, 5 s wireless) depend on it and a
 * frame cannot tell wired IP from GPRS.
 *
 * <p>Times: {@link #receivedAt()} is our clock when the bytes arrived; {@link #triggeredAt()} is the
 * device's own event time if it reported one, and {@link #clockSkew()} the device clock's offset against
 * ours (device minus centre) when it is known, so that {@link #correctedTriggerTime()} can place the
 * trigger on our time line.
 *
 * <p>The {@link #raw() raw} message bytes are kept for evidence, but never a secret: adapters store the
 * ciphertext of encrypted messages, not keys or passwords.
 *
 * <p>Its JSON form (see {@link EventJson}) is normative and versioned.
 */
public final class AlarmEvent {
    private final EventId id;
    private final String account;
    private final String receiver;
    private final String line;
    private final Protocol protocol;
    private final Transport transport;
    private final Ingress ingress;
    private final String link;
    private final CodeSystem codeSystem;
    private final String code;
    private final Qualifier qualifier;
    private final Category category;
    private final String description;
    private final String partition;
    private final String zone;
    private final Instant triggeredAt;
    private final Duration clockSkew;
    private final Instant receivedAt;
    private final Map<String, String> extended;
    private final boolean drill;
    private final byte[] raw;

    private AlarmEvent(Builder b) {
        this.id = b.id;
        this.account = b.account;
        this.receiver = b.receiver;
        this.line = b.line;
        this.protocol = Objects.requireNonNull(b.protocol, "protocol");
        this.transport = b.transport == null ? Transport.UNKNOWN : b.transport;
        this.ingress = Objects.requireNonNull(b.ingress, "ingress");
        this.link = b.link == null ? b.ingress.toString() : b.link;
        this.codeSystem = Objects.requireNonNull(b.codeSystem, "codeSystem");
        this.code = Objects.requireNonNull(b.code, "code");
        this.qualifier = b.qualifier == null ? Qualifier.NEW_EVENT : b.qualifier;
        this.category = b.category == null ? Category.UNKNOWN_CODE : b.category;
        this.description = b.description;
        this.partition = b.partition;
        this.zone = b.zone;
        this.triggeredAt = b.triggeredAt;
        this.clockSkew = b.clockSkew;
        this.receivedAt = Objects.requireNonNull(b.receivedAt, "receivedAt");
        this.extended = b.takeExtended();
        this.drill = b.drill;
        this.raw = b.raw == null ? EMPTY : b.raw.clone();
    }

    private static final byte[] EMPTY = new byte[0];

    /** @return a new, empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this event's values, to derive a changed copy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.account = account;
        b.receiver = receiver;
        b.line = line;
        b.protocol = protocol;
        b.transport = transport;
        b.ingress = ingress;
        b.link = link;
        b.codeSystem = codeSystem;
        b.code = code;
        b.qualifier = qualifier;
        b.category = category;
        b.description = description;
        b.partition = partition;
        b.zone = zone;
        b.triggeredAt = triggeredAt;
        b.clockSkew = clockSkew;
        b.receivedAt = receivedAt;
        if (!extended.isEmpty()) {
            b.extended = new LinkedHashMap<>(extended);
        }
        b.drill = drill;
        b.raw = raw;
        return b;
    }

    /**
     * This event with the id the intake assigned.
     *
     * @param newId the id
     * @return a copy with the id set
     */
    public AlarmEvent withId(EventId newId) {
        return new AlarmEvent(this, Objects.requireNonNull(newId, "id"));
    }

    /**
     * A copy with another id that shares this event's extended data and raw bytes, both immutable here: the intake
     * gives every event its id, and copying them through a builder was a visible part of its cost.
     */
    private AlarmEvent(AlarmEvent e, EventId id) {
        this.id = id;
        this.account = e.account;
        this.receiver = e.receiver;
        this.line = e.line;
        this.protocol = e.protocol;
        this.transport = e.transport;
        this.ingress = e.ingress;
        this.link = e.link;
        this.codeSystem = e.codeSystem;
        this.code = e.code;
        this.qualifier = e.qualifier;
        this.category = e.category;
        this.description = e.description;
        this.partition = e.partition;
        this.zone = e.zone;
        this.triggeredAt = e.triggeredAt;
        this.clockSkew = e.clockSkew;
        this.receivedAt = e.receivedAt;
        this.extended = e.extended;
        this.drill = e.drill;
        this.raw = e.raw;
    }

    /** @return the id assigned at intake, or null before intake */
    public EventId id() {
        return id;
    }

    /** @return the account (subscriber) number exactly as received, or null if the protocol has none */
    public String account() {
        return account;
    }

    /** @return the receiver number as received (DC-09 {@code R}), or null */
    public String receiver() {
        return receiver;
    }

    /** @return the line prefix as received (DC-09 {@code L}, receiver line card), or null */
    public String line() {
        return line;
    }

    /** @return the protocol that carried the event */
    public Protocol protocol() {
        return protocol;
    }

    /** @return the transport from configuration; {@link Transport#UNKNOWN} if none was configured */
    public Transport transport() {
        return transport;
    }

    /** @return the adapter and endpoint the event came in on */
    public Ingress ingress() {
        return ingress;
    }

    /**
     * The receive link: GA 1383 requires two or more different receive links, and the same alarm may arrive
     * on both; the pipeline merges such arrivals into one case.
     *
     * @return the link id; defaults to the ingress's text
     */
    public String link() {
        return link;
    }

    /** @return the code table the {@link #code()} belongs to */
    public CodeSystem codeSystem() {
        return codeSystem;
    }

    /** @return the event code exactly as received, e.g. {@code 130} or {@code BA}; never dropped, even if unknown */
    public String code() {
        return code;
    }

    /** @return new event, restore or previously reported */
    public Qualifier qualifier() {
        return qualifier;
    }

    /** @return the category from the code tables; {@link Category#UNKNOWN_CODE} for a code they do not know */
    public Category category() {
        return category;
    }

    /** @return the default priority of the category, 1 most urgent */
    public int priority() {
        return category.priority();
    }

    /** @return a short description of the code, or null */
    public String description() {
        return description;
    }

    /** @return the partition (area, group) as received, or null */
    public String partition() {
        return partition;
    }

    /** @return the zone, or the user number for codes that carry one, as received; or null */
    public String zone() {
        return zone;
    }

    /**
     * The zone as a number, when the received text is all decimal digits.
     *
     * @return the zone number, or -1 when there is none
     */
    public int zoneNumber() {
        if (zone == null || zone.isEmpty() || zone.length() > 9) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < zone.length(); i++) {
            char c = zone.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** @return the device's own event time, or null if it reported none */
    public Instant triggeredAt() {
        return triggeredAt;
    }

    /** @return the device clock's offset (device minus centre), or null if unknown */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * The trigger time on the centre's time line: the device's event time corrected by its known clock skew,
     * the device time itself when no skew is known, else the receive time.
     *
     * @return the best estimate of when the event happened, in centre time
     */
    public Instant correctedTriggerTime() {
        if (triggeredAt == null) {
            return receivedAt;
        }
        return clockSkew == null ? triggeredAt : triggeredAt.minus(clockSkew);
    }

    /** @return when the centre received the bytes, on the centre's clock */
    public Instant receivedAt() {
        return receivedAt;
    }

    /**
     * Extended data in the order received: DC-09 x-data by its letter ({@code X} longitude, {@code Y}
     * latitude, {@code H} event time, {@code M} MAC, {@code V} verification link, {@code I} text, …), and
     * named values such as {@code text}, {@code location}, {@code unknownAccount}.
     *
     * @return an unmodifiable map, empty when there is none
     */
    public Map<String, String> extended() {
        return extended;
    }

    /** @return true for a drill (GA 1383 演练): handled end to end, never forwarded to police */
    public boolean drill() {
        return drill;
    }

    /** @return a copy of the raw message bytes (never containing a secret); empty if none */
    public byte[] raw() {
        return raw.clone();
    }

    /** @return the length of the raw bytes, without copying them */
    public int rawLength() {
        return raw.length;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AlarmEvent)) {
            return false;
        }
        AlarmEvent e = (AlarmEvent) o;
        return drill == e.drill && Objects.equals(id, e.id) && Objects.equals(account, e.account)
                && Objects.equals(receiver, e.receiver) && Objects.equals(line, e.line)
                && protocol == e.protocol && transport == e.transport && ingress.equals(e.ingress)
                && link.equals(e.link) && codeSystem == e.codeSystem && code.equals(e.code)
                && qualifier == e.qualifier && category == e.category
                && Objects.equals(description, e.description) && Objects.equals(partition, e.partition)
                && Objects.equals(zone, e.zone) && Objects.equals(triggeredAt, e.triggeredAt)
                && Objects.equals(clockSkew, e.clockSkew) && receivedAt.equals(e.receivedAt)
                && extended.equals(e.extended) && Arrays.equals(raw, e.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, account, code, receivedAt, zone);
    }

    @Override
    public String toString() {
        return "AlarmEvent{" + (id == null ? "" : id + " ") + protocol + " " + (account == null ? "-" : account)
                + " " + code + " " + qualifier + " " + category + (zone == null ? "" : " zone " + zone)
                + (partition == null ? "" : " part " + partition) + " via " + link + (drill ? " DRILL" : "") + "}";
    }

    /**
     * Builds an {@link AlarmEvent}. Required: protocol, ingress, code system, code, receive time. Not
     * thread-safe; a builder may be reused after {@link #build()}.
     */
    public static final class Builder {
        private EventId id;
        private String account;
        private String receiver;
        private String line;
        private Protocol protocol;
        private Transport transport;
        private Ingress ingress;
        private String link;
        private CodeSystem codeSystem;
        private String code;
        private Qualifier qualifier;
        private Category category;
        private String description;
        private String partition;
        private String zone;
        private Instant triggeredAt;
        private Duration clockSkew;
        private Instant receivedAt;
        /*
         * Copy on write: build() hands the map itself to the event, unmodifiable, and the builder copies it only if
         * it is changed again afterwards. Every event the adapters make went through one map copy per build.
         */
        private LinkedHashMap<String, String> extended = new LinkedHashMap<>();
        private boolean extendedGiven;

        private Map<String, String> takeExtended() {
            if (extended.isEmpty()) {
                return Map.of();
            }
            extendedGiven = true;
            return Collections.unmodifiableMap(extended);
        }
        private boolean drill;
        private byte[] raw;

        private Builder() {
        }

        /** @param v the id (normally set by the intake) @return this */
        public Builder id(EventId v) {
            this.id = v;
            return this;
        }

        /** @param v the account as received @return this */
        public Builder account(String v) {
            this.account = v;
            return this;
        }

        /** @param v the receiver number as received @return this */
        public Builder receiver(String v) {
            this.receiver = v;
            return this;
        }

        /** @param v the line prefix as received @return this */
        public Builder line(String v) {
            this.line = v;
            return this;
        }

        /** @param v the protocol @return this */
        public Builder protocol(Protocol v) {
            this.protocol = v;
            return this;
        }

        /** @param v the configured transport @return this */
        public Builder transport(Transport v) {
            this.transport = v;
            return this;
        }

        /** @param v the ingress @return this */
        public Builder ingress(Ingress v) {
            this.ingress = v;
            return this;
        }

        /** @param v the receive link id @return this */
        public Builder link(String v) {
            this.link = v;
            return this;
        }

        /**
         * Sets the code and the table it belongs to.
         *
         * @param system the code table
         * @param v      the code as received
         * @return this
         */
        public Builder code(CodeSystem system, String v) {
            this.codeSystem = system;
            this.code = v;
            return this;
        }

        /** @param v the qualifier @return this */
        public Builder qualifier(Qualifier v) {
            this.qualifier = v;
            return this;
        }

        /** @param v the category @return this */
        public Builder category(Category v) {
            this.category = v;
            return this;
        }

        /** @param v a short description of the code @return this */
        public Builder description(String v) {
            this.description = v;
            return this;
        }

        /** @param v the partition as received @return this */
        public Builder partition(String v) {
            this.partition = v;
            return this;
        }

        /** @param v the zone or user number as received @return this */
        public Builder zone(String v) {
            this.zone = v;
            return this;
        }

        /** @param v the device's event time @return this */
        public Builder triggeredAt(Instant v) {
            this.triggeredAt = v;
            return this;
        }

        /** @param v the device clock's offset, device minus centre @return this */
        public Builder clockSkew(Duration v) {
            this.clockSkew = v;
            return this;
        }

        /** @param v the receive time on the centre's clock @return this */
        public Builder receivedAt(Instant v) {
            this.receivedAt = v;
            return this;
        }

        /**
         * Adds one extended data value; a later value for the same key replaces the earlier one.
         *
         * @param key   the key (DC-09 x-data letter or a name)
         * @param value the value
         * @return this
         */
        public Builder extended(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (extendedGiven) {
                extended = new LinkedHashMap<>(extended);
                extendedGiven = false;
            }
            this.extended.put(key, value);
            return this;
        }

        /** @param values extended data to add @return this */
        public Builder extended(Map<String, String> values) {
            values.forEach(this::extended);
            return this;
        }

        /** @param v whether this is a drill @return this */
        public Builder drill(boolean v) {
            this.drill = v;
            return this;
        }

        /** @param v the raw message bytes (copied; never a secret) @return this */
        public Builder raw(byte[] v) {
            this.raw = v;
            return this;
        }

        /**
         * Builds the event.
         *
         * @return the event
         * @throws NullPointerException if a required value is missing
         */
        public AlarmEvent build() {
            return new AlarmEvent(this);
        }
    }
}
