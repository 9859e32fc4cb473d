package org.arc4j.core.sla;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.arc4j.core.event.Transport;

/**
 * The time limits a case is held to: GA 1383-2017's limits by default ({@link #ga1383()}), which a
 * customer's service contract may tighten (GA 1383 服务合同: 明确报警响应时间、报警复核时间、警情转发时间) but never
 * loosen.
 *
 * <table>
 *   <caption>GA 1383 defaults</caption>
 *   <tr><th>step</th><th>limit</th></tr>
 *   <tr><td>response (报警响应), IP / PSTN / wireless</td><td>4 s / 20 s / 5 s</td></tr>
 *   <tr><td>verification (报警复核), video, audio, picture / phone</td><td>1 min / 5 min</td></tr>
 *   <tr><td>forwarding (警情转发), IP / PSTN / wireless / phone</td><td>4 s / 20 s / 5 s / 2 min</td></tr>
 *   <tr><td>guard departure after the dispatch order</td><td>2 min</td></tr>
 * </table>
 *
 * <p>Serial and unknown transports are held to the PSTN limit, the slowest the standard allows. Picture
 * verification has no limit of its own in the standard and is held to the video limit; verification by a
 * guard is timed by the dispatch steps. Limits are met when the measured duration is at most the limit.
 *
 * <p>Immutable and thread-safe.
 */
public final class SlaPolicy {
    private static final SlaPolicy GA1383 = new SlaPolicy(
            limits(Transport.class, Map.of(Transport.IP, 4_000L, Transport.PSTN, 20_000L, Transport.WIRELESS, 5_000L,
                    Transport.SERIAL, 20_000L, Transport.UNKNOWN, 20_000L)),
            limits(VerificationMethod.class, Map.of(VerificationMethod.VIDEO, 60_000L, VerificationMethod.AUDIO,
                    60_000L, VerificationMethod.PICTURE, 60_000L, VerificationMethod.PHONE, 300_000L)),
            limits(ForwardChannel.class, Map.of(ForwardChannel.IP, 4_000L, ForwardChannel.PSTN, 20_000L,
                    ForwardChannel.WIRELESS, 5_000L, ForwardChannel.PHONE, 120_000L)),
            Duration.ofMinutes(2));

    private final EnumMap<Transport, Duration> response;
    private final EnumMap<VerificationMethod, Duration> verification;
    private final EnumMap<ForwardChannel, Duration> forwarding;
    private final Duration guardDeparture;

    private SlaPolicy(EnumMap<Transport, Duration> response, EnumMap<VerificationMethod, Duration> verification,
                      EnumMap<ForwardChannel, Duration> forwarding, Duration guardDeparture) {
        this.response = response;
        this.verification = verification;
        this.forwarding = forwarding;
        this.guardDeparture = guardDeparture;
    }

    private static <K extends Enum<K>> EnumMap<K, Duration> limits(Class<K> type, Map<K, Long> millis) {
        EnumMap<K, Duration> m = new EnumMap<>(type);
        millis.forEach((k, v) -> m.put(k, Duration.ofMillis(v)));
        return m;
    }

    /** @return the GA 1383-2017 defaults */
    public static SlaPolicy ga1383() {
        return GA1383;
    }

    /**
     * The response limit (GA 1383 报警响应).
     *
     * @param transport the transport the alarm came over
     * @return the limit
     */
    public Duration response(Transport transport) {
        return response.get(Objects.requireNonNull(transport, "transport"));
    }

    /**
     * The verification limit (GA 1383 报警复核).
     *
     * @param method the verification method
     * @return the limit, empty for {@link VerificationMethod#GUARD}
     */
    public Optional<Duration> verification(VerificationMethod method) {
        return Optional.ofNullable(verification.get(Objects.requireNonNull(method, "method")));
    }

    /**
     * The forwarding limit (GA 1383 警情转发).
     *
     * @param channel the channel used
     * @return the limit
     */
    public Duration forwarding(ForwardChannel channel) {
        return forwarding.get(Objects.requireNonNull(channel, "channel"));
    }

    /** @return how soon a guard must leave after the dispatch order */
    public Duration guardDeparture() {
        return guardDeparture;
    }

    /**
     * This policy with a tighter response limit for one transport.
     *
     * @param transport the transport
     * @param limit     the new limit, positive and not above the current one
     * @return the tightened policy
     * @throws IllegalArgumentException if the limit would loosen the policy
     */
    public SlaPolicy withResponse(Transport transport, Duration limit) {
        EnumMap<Transport, Duration> m = new EnumMap<>(response);
        m.put(transport, tighter(response(transport), limit, "response " + transport));
        return new SlaPolicy(m, verification, forwarding, guardDeparture);
    }

    /**
     * This policy with a tighter verification limit for one method.
     *
     * @param method the method (not {@link VerificationMethod#GUARD})
     * @param limit  the new limit, positive and not above the current one
     * @return the tightened policy
     * @throws IllegalArgumentException if the limit would loosen the policy
     */
    public SlaPolicy withVerification(VerificationMethod method, Duration limit) {
        Duration current = verification(method).orElseThrow(
                () -> new IllegalArgumentException("guard verification is timed by the dispatch steps"));
        EnumMap<VerificationMethod, Duration> m = new EnumMap<>(verification);
        m.put(method, tighter(current, limit, "verification " + method));
        return new SlaPolicy(response, m, forwarding, guardDeparture);
    }

    /**
     * This policy with a tighter forwarding limit for one channel.
     *
     * @param channel the channel
     * @param limit   the new limit, positive and not above the current one
     * @return the tightened policy
     * @throws IllegalArgumentException if the limit would loosen the policy
     */
    public SlaPolicy withForwarding(ForwardChannel channel, Duration limit) {
        EnumMap<ForwardChannel, Duration> m = new EnumMap<>(forwarding);
        m.put(channel, tighter(forwarding(channel), limit, "forwarding " + channel));
        return new SlaPolicy(response, verification, m, guardDeparture);
    }

    /**
     * This policy with a tighter guard departure limit.
     *
     * @param limit the new limit, positive and not above the current one
     * @return the tightened policy
     * @throws IllegalArgumentException if the limit would loosen the policy
     */
    public SlaPolicy withGuardDeparture(Duration limit) {
        return new SlaPolicy(response, verification, forwarding, tighter(guardDeparture, limit, "guard departure"));
    }

    private static Duration tighter(Duration current, Duration limit, String what) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException(what + " limit must be positive: " + limit);
        }
        if (limit.compareTo(current) > 0) {
            throw new IllegalArgumentException(what + " limit " + limit + " would loosen " + current
                    + " (a contract may only tighten GA 1383's limits)");
        }
        return limit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SlaPolicy p && p.response.equals(response) && p.verification.equals(verification)
                && p.forwarding.equals(forwarding) && p.guardDeparture.equals(guardDeparture);
    }

    @Override
    public int hashCode() {
        return Objects.hash(response, verification, forwarding, guardDeparture);
    }

    @Override
    public String toString() {
        return "SlaPolicy{response=" + response + ", verification=" + verification + ", forwarding=" + forwarding
                + ", guardDeparture=" + guardDeparture + "}";
    }
}
