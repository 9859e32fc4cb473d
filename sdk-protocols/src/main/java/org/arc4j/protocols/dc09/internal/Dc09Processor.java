package org.arc4j.protocols.dc09.internal;

// Over 500 lines because it is the one path from bytes to an answer (decode, key, decrypt, timestamp window, events, intake,
// ACK/NAK/DUH) shared by the TCP and UDP handlers; each step is a short method of it.

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.arc4j.core.codes.CodeDefinition;
import org.arc4j.core.codes.CodeKind;
import org.arc4j.core.codes.CodeRole;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.protocols.dc09.AdmCidEvent;
import org.arc4j.protocols.dc09.Dc09CrcStyle;
import org.arc4j.protocols.dc09.Dc09DataParser;
import org.arc4j.protocols.dc09.Dc09DecodeResult;
import org.arc4j.protocols.dc09.Dc09Decoder;
import org.arc4j.protocols.dc09.Dc09Encoder;
import org.arc4j.protocols.dc09.Dc09Error;
import org.arc4j.protocols.dc09.Dc09ExtendedData;
import org.arc4j.protocols.dc09.Dc09Frame;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Timestamp;
import org.arc4j.protocols.dc09.Dc09Token;
import org.arc4j.protocols.dc09.Dc09Variant;
import org.arc4j.protocols.dc09.SiaEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver's decision for one frame, independent of the network: decode, authenticate, check the time,
 * hand the events to the intake and choose the answer (the table in the package documentation). Returns the
 * reply bytes, or null for no reply. Never throws; thread-safe.
 */
public final class Dc09Processor {
    private static final Logger LOG = LoggerFactory.getLogger(Dc09Processor.class);
    /** The device namespace of DC-09 panels in the {@link Supervisor}. */
    public static final String NAMESPACE = "dc09";
    private static final CompletableFuture<byte[]> SILENT = CompletableFuture.completedFuture(null);

    /** Settings of a processor, from the receiver's builder. */
    public record Settings(AlarmIntake intake, CredentialStore credentials, Supervisor supervisor,
                           Scheduler scheduler, Metrics metrics, Dc09Decoder.Builder decoder, boolean strict,
                           Duration behind, Duration ahead, boolean nakOnBadFrame, Function<String, Transport> transport,
                           Supplier<CodeTable> sia, Supplier<CodeTable> contactId,
                           Function<String, Duration> pollExpectation, Predicate<String> traced,
                           Consumer<String> trace) {
    }

    private final Settings s;
    private final Dc09Decoder decoder;
    private final Dc09DataParser parser;
    private final Dc09Encoder encoder = new Dc09Encoder();
    private final CredentialKeyResolver keys;
    private final Map<String, EnumMap<Dc09Variant, LongAdder>> variants = new ConcurrentHashMap<>();
    /** Accounts whose variants are counted one by one; the rest are counted together under {@link #OTHER_ACCOUNTS}. */
    public static final int MAX_VARIANT_ACCOUNTS = 10_000;
    /** The account name under which variants of accounts beyond {@link #MAX_VARIANT_ACCOUNTS} are counted. */
    public static final String OTHER_ACCOUNTS = "*";
    private final Set<DeviceKey> expected = ConcurrentHashMap.newKeySet();

    /** @param settings the settings */
    public Dc09Processor(Settings settings) {
        this.s = settings;
        this.keys = new CredentialKeyResolver(settings.credentials(), settings.metrics());
        this.decoder = settings.decoder().keys(keys).strict(settings.strict()).build();
        this.parser = settings.strict() ? Dc09DataParser.STRICT : Dc09DataParser.INSTANCE;
    }

    /** @return the decoder's frame bound */
    public int maxFrameLength() {
        return decoder.maxFrameLength();
    }

    /**
     * Decides about one frame.
     *
     * @param b       the bytes
     * @param off     where the frame starts
     * @param len     its length
     * @param ingress where it came in
     * @return the reply bytes, or null for no reply; completes after the intake's receipt when there are events
     */
    public CompletionStage<byte[]> process(byte[] b, int off, int len, Ingress ingress) {
        try {
            return decide(b, off, len, ingress);
        } catch (RuntimeException e) {
            // a bug or a broken collaborator must not kill the connection; the panel retries
            LOG.error("DC-09 frame from {} could not be processed", ingress, e);
            count("silent", "internal-error");
            return SILENT;
        }
    }

    private CompletionStage<byte[]> decide(byte[] b, int off, int len, Ingress ingress) {
        Instant now = s.scheduler().now();
        Dc09DecodeResult r = decoder.decode(b, off, len);
        if (r instanceof Dc09DecodeResult.Invalid bad) {
            return invalid(bad, b, off, len, ingress, now);
        }
        Dc09DecodeResult.Valid ok = (Dc09DecodeResult.Valid) r;
        Dc09Frame f = ok.frame();
        traceIn(f.account(), b, off, len, f.encrypted(), ingress);
        if (!f.token().isReport()) {
            return reply(Dc09Encoder.duh(f.encrypted(), f.sequence(), f.receiver(), f.line(), f.account(), now),
                    ok, "duh", "not-a-report", f.account(), ingress);
        }
        Dc09DataParser.Result data = f.token() == Dc09Token.NULL || f.data().isEmpty() ? null : parser.parse(f);
        String account = f.account() != null ? f.account() : dataAccount(data);
        countVariants(account, ok.variants());
        if (data instanceof Dc09DataParser.Sia sia) {
            countVariants(account, sia.variants());
        } else if (data instanceof Dc09DataParser.Cid cid) {
            countVariants(account, cid.variants());
        }
        Duration skew = f.timestamp() == null ? null : Duration.between(now, f.timestamp());
        if (skew != null && (skew.compareTo(s.behind().negated()) < 0 || skew.compareTo(s.ahead()) > 0)) {
            return reply(Dc09Encoder.nak(f.encrypted(), now), ok, "nak", "timestamp", account, ingress);
        }
        if (data == null) {
            // NULL, or a report without data: a link test
            s.supervisor().checkIn(device(f, account), ingress.toString(), now);
            expect(f, account);
            return reply(Dc09Encoder.ackFor(f, now), ok, "ack", "link-test", account, ingress);
        }
        if (data instanceof Dc09DataParser.Invalid inv) {
            LOG.debug("DC-09 data from {} not understood: {} at {}", account, inv.reason(), inv.position());
            return reply(Dc09Encoder.duh(f.encrypted(), f.sequence(), f.receiver(), f.line(), f.account(), now),
                    ok, "duh", "data", account, ingress);
        }
        String keyChange = f.extended('K');
        // a refused key change is answered DUH, but the events it carries are still stored: no alarm is lost
        boolean keyChangeRefused = keyChange != null && !changeKey(f, account, keyChange);
        List<AlarmEvent> events = events(f, data, account, skew, now, ingress, b, off, len);
        IdempotencyKey key = IdempotencyKey.of(NAMESPACE, f.token().wire(), f.receiver(), f.line(), account,
                f.sequence(), f.data(), extendedText(f));
        s.supervisor().checkIn(device(f, account), ingress.toString(), now);
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        s.intake().accept(events, key).whenComplete((receipt, err) -> {
            try {
                answer(f, ok, receipt, keyChangeRefused, account, ingress, out);
            } catch (RuntimeException e) {
                LOG.error("DC-09 answer to account {} could not be made", account, e);
                count("silent", "internal-error");
                out.complete(null);
            }
        });
        return out;
    }

    private void answer(Dc09Frame f, Dc09DecodeResult.Valid ok, Receipt receipt, boolean keyChangeRefused,
                        String account, Ingress ingress, CompletableFuture<byte[]> out) {
        if (receipt instanceof Receipt.Accepted && keyChangeRefused) {
            out.complete(encode(Dc09Encoder.duh(f.encrypted(), f.sequence(), f.receiver(), f.line(),
                    f.account(), s.scheduler().now()), ok, "duh", "key-change-refused", account, ingress));
        } else if (receipt instanceof Receipt.Accepted a) {
            out.complete(encode(Dc09Encoder.ackFor(f, s.scheduler().now()), ok, "ack",
                    a.duplicate() ? "duplicate" : "accepted", account, ingress));
        } else {
            String reason = receipt instanceof Receipt.Refused ref
                    ? "refused-" + ref.reason().name().toLowerCase(java.util.Locale.ROOT) : "intake-failed";
            count("silent", reason);
            out.complete(null);
        }
    }

    private CompletionStage<byte[]> invalid(Dc09DecodeResult.Invalid bad, byte[] b, int off, int len,
                                            Ingress ingress, Instant now) {
        traceIn(bad.account(), b, off, len, bad.encrypted(), ingress);
        String reason = bad.error().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        switch (bad.error().kind()) {
            case CRYPTO: {
                communicationEvent(bad, ingress, now, b, off, len);
                Dc09Frame nak = Dc09Encoder.nak(bad.key() != null, now);
                return CompletableFuture.completedFuture(encode(nak, style(bad), bad.key(), "nak", reason,
                        bad.account(), ingress));
            }
            case CONTENT: {
                Dc09Frame duh = Dc09Encoder.duh(bad.key() != null, bad.sequence(), bad.receiver(), bad.line(),
                        bad.account(), now);
                return CompletableFuture.completedFuture(encode(duh, style(bad), bad.key(), "duh", reason,
                        bad.account(), ingress));
            }
            default: {
                if (s.nakOnBadFrame()) {
                    return CompletableFuture.completedFuture(encode(Dc09Encoder.nak(false, now), Dc09CrcStyle.HEX,
                            null, "nak", reason, null, ingress));
                }
                count("silent", reason);
                return SILENT;
            }
        }
    }

    private static Dc09CrcStyle style(Dc09DecodeResult.Invalid bad) {
        return bad.crcStyle() == null ? Dc09CrcStyle.HEX : bad.crcStyle();
    }

    private CompletionStage<byte[]> reply(Dc09Frame reply, Dc09DecodeResult.Valid to, String outcome,
                                          String reason, String account, Ingress ingress) {
        return CompletableFuture.completedFuture(encode(reply, to, outcome, reason, account, ingress));
    }

    private byte[] encode(Dc09Frame reply, Dc09DecodeResult.Valid to, String outcome, String reason,
                          String account, Ingress ingress) {
        return encode(reply, to.crcStyle(), to.key(), outcome, reason, account, ingress);
    }

    private byte[] encode(Dc09Frame reply, Dc09CrcStyle style, Dc09Key key, String outcome, String reason,
                          String account, Ingress ingress) {
        count(outcome, reason);
        Dc09Frame f = reply.encrypted() && key == null ? Dc09Frame.of(reply.token(), false, reply.sequence(),
                reply.receiver(), reply.line(), reply.account(), reply.data(), reply.timestamp()) : reply;
        byte[] out = encoder.encode(f, style, key);
        if (account != null && s.traced().test(account)) {
            s.trace().accept("out " + ingress + " " + printable(out, 0, out.length, f.encrypted()));
        }
        return out;
    }

    private void count(String outcome, String reason) {
        s.metrics().counter("dc09.frames", "outcome", outcome, "reason", reason).increment();
    }

    private void traceIn(String account, byte[] b, int off, int len, boolean encrypted, Ingress ingress) {
        if (account != null && s.traced().test(account)) {
            s.trace().accept("in " + ingress + " " + printable(b, off, len, encrypted));
        }
    }

    /** The frame as text for the trace; a plain key-change block's value is redacted. */
    static String printable(byte[] b, int off, int len, boolean encrypted) {
        StringBuilder sb = new StringBuilder(len + 8);
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        String t = sb.toString();
        return encrypted ? t : t.replaceAll("\\[K[^\\]]*\\]", "[K<redacted>]");
    }

    private static String dataAccount(Dc09DataParser.Result data) {
        if (data instanceof Dc09DataParser.Sia sia) {
            return sia.data().account();
        }
        if (data instanceof Dc09DataParser.Cid cid) {
            return cid.data().account();
        }
        return null;
    }

    private void countVariants(String account, Set<Dc09Variant> vs) {
        if (vs.isEmpty()) {
            return;
        }
        String a = account == null ? "" : account;
        if (variants.size() >= MAX_VARIANT_ACCOUNTS && !variants.containsKey(a)) {
            a = OTHER_ACCOUNTS; // bounded: any sender can make up accounts, each would be a map entry and an MBean
        }
        EnumMap<Dc09Variant, LongAdder> m = variants.computeIfAbsent(a, k -> {
            EnumMap<Dc09Variant, LongAdder> e = new EnumMap<>(Dc09Variant.class);
            for (Dc09Variant v : Dc09Variant.values()) {
                e.put(v, new LongAdder());
            }
            return e;
        });
        for (Dc09Variant v : vs) {
            m.get(v).increment();
            s.metrics().counter("dc09.variants", "account", a, "variant", v.name()).increment();
        }
    }

    /**
     * @return accepted variants by account ({@code ""} when the sender gave none; beyond
     *         {@value #MAX_VARIANT_ACCOUNTS} accounts, the others together under {@code "*"})
     */
    public Map<String, Map<Dc09Variant, Long>> variantCounts() {
        Map<String, Map<Dc09Variant, Long>> out = new LinkedHashMap<>();
        variants.forEach((a, m) -> {
            EnumMap<Dc09Variant, Long> c = new EnumMap<>(Dc09Variant.class);
            m.forEach((v, n) -> {
                if (n.sum() > 0) {
                    c.put(v, n.sum());
                }
            });
            out.put(a, Collections.unmodifiableMap(c));
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The supervisor's key for a panel: {@code R<rcvr>/L<line>/#<acct>}, absent parts left out.
     *
     * @param receiver the receiver or null
     * @param line     the line or null
     * @param account  the account or null
     * @return the device key
     */
    public static DeviceKey deviceKey(String receiver, String line, String account) {
        StringBuilder sb = new StringBuilder();
        if (receiver != null) {
            sb.append('R').append(receiver).append('/');
        }
        if (line != null) {
            sb.append('L').append(line).append('/');
        }
        sb.append('#').append(account == null ? "" : account);
        return DeviceKey.of(NAMESPACE, sb.toString());
    }

    private static DeviceKey device(Dc09Frame f, String account) {
        return deviceKey(f.receiver(), f.line(), account);
    }

    private void expect(Dc09Frame f, String account) {
        if (account == null) {
            return;
        }
        DeviceKey d = device(f, account);
        if (!expected.contains(d)) {
            Duration maxSilence = s.pollExpectation().apply(account);
            if (maxSilence != null && expected.add(d)) {
                s.supervisor().expect(d, maxSilence);
            }
        }
    }

    private boolean changeKey(Dc09Frame f, String account, String value) {
        Optional<Map.Entry<String, Credential>> found = keys.credential(f.line(), account);
        if (found.isEmpty() || !found.get().getValue().flag(Credential.OPTION_KEY_CHANGE_ALLOWED)) {
            LOG.warn("DC-09 key change request from account {} refused: not allowed for the account", account);
            return false;
        }
        Credential old = found.get().getValue();
        try {
            Dc09Key.ofKeyChange(value, old); // validates the new key in the account's format
        } catch (IllegalArgumentException e) {
            LOG.warn("DC-09 key change request from account {} refused: {}", account, e.getMessage());
            return false;
        }
        boolean text = "text".equalsIgnoreCase(old.option(Credential.OPTION_KEY_FORMAT));
        Secret secret = text ? Secret.ofUtf8(value) : Secret.ofHex(value);
        s.credentials().put(CredentialKey.of(CredentialKind.DC09_KEY, found.get().getKey()),
                new Credential(old.username(), secret, old.options()));
        LOG.info("DC-09 key of scope {} changed at the panel's request", found.get().getKey());
        s.metrics().counter("dc09.keys", "outcome", "changed").increment();
        return true;
    }

    private static String extendedText(Dc09Frame f) {
        if (f.extendedData().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Dc09ExtendedData x : f.extendedData()) {
            sb.append(x.wire());
        }
        return sb.toString();
    }

    private List<AlarmEvent> events(Dc09Frame f, Dc09DataParser.Result data, String account, Duration skew,
                                    Instant now, Ingress ingress, byte[] b, int off, int len) {
        byte[] raw = java.util.Arrays.copyOfRange(b, off, off + len);
        Instant deviceTime = f.timestamp();
        String h = f.extended('H');
        if (h != null) {
            Instant t = Dc09Timestamp.INSTANCE.parse("_" + h, 0);
            if (t != null) {
                deviceTime = t;
            }
        }
        List<AlarmEvent> out = new ArrayList<>(2);
        if (data instanceof Dc09DataParser.Sia sia) {
            CodeTable table = s.sia().get();
            for (SiaEvent e : sia.data().events()) {
                AlarmEvent.Builder eb = base(f, account, skew, deviceTime, now, ingress, raw, Protocol.DC09_SIA_DCS);
                Optional<CodeDefinition> d = table.find(e.code());
                eb.code(CodeSystem.SIA, e.code())
                        .category(d.map(CodeDefinition::category).orElse(Category.UNKNOWN_CODE))
                        .description(d.map(CodeDefinition::description).orElse(null))
                        .qualifier(qualifier(e, d))
                        .partition(e.area())
                        .zone(e.address().isEmpty() ? e.user() : e.address());
                putIfSet(eb, "text", e.text());
                putIfSet(eb, "user", e.user());
                putIfSet(eb, "peripheral", e.peripheral());
                putIfSet(eb, "time", e.time());
                putIfSet(eb, "trailing", e.trailing());
                if (!sia.data().texts().isEmpty()) {
                    eb.extended("ascii", String.join("|", sia.data().texts()));
                }
                out.add(eb.build());
            }
        } else {
            CodeTable table = s.contactId().get();
            for (AdmCidEvent e : ((Dc09DataParser.Cid) data).data().events()) {
                AlarmEvent.Builder eb = base(f, account, skew, deviceTime, now, ingress, raw, Protocol.DC09_ADM_CID);
                Optional<CodeDefinition> d = table.find(e.code());
                eb.code(CodeSystem.CONTACT_ID, e.code())
                        .category(d.map(CodeDefinition::category).orElse(Category.UNKNOWN_CODE))
                        .description(d.map(CodeDefinition::description).orElse(null))
                        .qualifier(Qualifier.ofContactIdDigit(e.qualifier()))
                        .partition(e.group())
                        .zone(e.zone());
                out.add(eb.build());
            }
        }
        return out;
    }

    /**
     * A restore, and a SIA closing (arming) as Contact ID's qualifier 3 marks it, is {@link Qualifier#RESTORE};
     * which codes are closings is the shipped code table's role column, the one the pipeline arms sites by.
     */
    private static Qualifier qualifier(SiaEvent e, Optional<CodeDefinition> d) {
        if (e.oldEvent()) {
            return Qualifier.PREVIOUSLY_REPORTED;
        }
        if (d.isPresent() && (d.get().kind() == CodeKind.RESTORE
                || CodeTables.sia().role(d.get().code()) == CodeRole.CLOSING)) {
            return Qualifier.RESTORE;
        }
        return Qualifier.NEW_EVENT;
    }

    private AlarmEvent.Builder base(Dc09Frame f, String account, Duration skew, Instant deviceTime, Instant now,
                                    Ingress ingress, byte[] raw, Protocol protocol) {
        AlarmEvent.Builder eb = AlarmEvent.builder()
                .account(account)
                .receiver(f.receiver())
                .line(f.line())
                .protocol(protocol)
                .transport(transportOf(account))
                .ingress(ingress)
                .triggeredAt(deviceTime)
                .clockSkew(skew)
                .receivedAt(now)
                .raw(raw);
        for (Dc09ExtendedData x : f.extendedData()) {
            if (x.id() != 'K') { // never keep key material on an event
                eb.extended(String.valueOf(x.id()), x.value());
            }
        }
        eb.extended("sequence", f.sequence());
        if (f.encrypted()) {
            eb.extended("encrypted", "true");
        }
        return eb;
    }

    private Transport transportOf(String account) {
        Transport t = s.transport().apply(account);
        return t == null ? Transport.UNKNOWN : t;
    }

    private static void putIfSet(AlarmEvent.Builder eb, String k, String v) {
        if (v != null) {
            eb.extended(k, v);
        }
    }

    private void communicationEvent(Dc09DecodeResult.Invalid bad, Ingress ingress, Instant now, byte[] b, int off,
                                    int len) {
        Protocol p = bad.token() == Dc09Token.ADM_CID ? Protocol.DC09_ADM_CID
                : bad.token() == Dc09Token.NULL ? Protocol.DC09_NULL : Protocol.DC09_SIA_DCS;
        String code = "DC09_" + bad.error().name();
        AlarmEvent e = AlarmEvent.builder()
                .account(bad.account())
                .receiver(bad.receiver())
                .line(bad.line())
                .protocol(p)
                .transport(transportOf(bad.account()))
                .ingress(ingress)
                .code(CodeSystem.ARC4J, code)
                .category(Category.COMMUNICATION)
                .description(bad.error() == Dc09Error.NO_KEY ? "encrypted DC-09 message from an account without key"
                        : bad.error() == Dc09Error.WEAK_KEY ? "encrypted DC-09 message with a refused weak key"
                        : "encrypted DC-09 message that cannot be read")
                .receivedAt(now)
                .raw(java.util.Arrays.copyOfRange(b, off, off + len))
                .extended("error", bad.detail())
                .build();
        IdempotencyKey key = IdempotencyKey.of("dc09-comm", code, bad.receiver(), bad.line(), bad.account(),
                bad.sequence(), HexFormat.of().formatHex(bad.offending()));
        s.intake().accept(List.of(e), key).whenComplete((r, err) -> {
            if (!(r instanceof Receipt.Accepted)) {
                LOG.warn("communication event for account {} not accepted: {}", bad.account(),
                        err != null ? err.toString() : r);
            }
        });
    }
}
