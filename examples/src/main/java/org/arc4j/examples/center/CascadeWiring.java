package org.arc4j.examples.center;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.gb28181.cascade.CascadeAlarm;
import org.arc4j.gb28181.cascade.CascadeListener;
import org.arc4j.gb28181.cascade.CascadeSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.cascade.GbCascade;
import org.arc4j.gb28181.cascade.GbCascadeConfig;
import org.arc4j.gb28181.cascade.LinkState;
import org.arc4j.gb28181.cascade.UpperPlatform;
import org.arc4j.gb28181.cascade.UpperPlatformLink;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The centre as a GB/T 28181 lower platform ({@code gb28181.cascade} in the configuration), kept in one class: the
 * SDK's {@link GbCascade} on its own SIP port registers with each upper platform (password from the vault), shows
 * the configured customers and sites as virtual organisations (216), their zones as alarm inputs (134) and the GB/T
 * 28181 devices as cameras under them (OFF while the supervisor has them offline, catalog subscribers told at once),
 * and sends a case up as an Alarm Notify when the pipeline forwards it to the
 * recipient an upper platform stands for. The upper platform's 200 OK is reported to the pipeline as the forward's
 * delivery, which ends the {@code FORWARDING} step against its GA 1383 limit (IP: 4 s).
 */
final class CascadeWiring implements AutoCloseable, CascadeSource, CascadeListener {
    private static final Logger LOG = LoggerFactory.getLogger(CascadeWiring.class);

    private final AlarmPipeline pipeline;
    private final List<ExportedItem> catalog;
    private final Set<String> keys;
    private final Map<String, String> upperByRecipient = new HashMap<>();
    private final Set<String> offline = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private GbCascade cascade;
    private org.arc4j.gb28181.cascade.CascadeMediaSource media;

    private CascadeWiring(AlarmPipeline pipeline, List<ExportedItem> catalog) {
        this.pipeline = pipeline;
        this.catalog = List.copyOf(catalog);
        this.keys = catalog.stream().map(ExportedItem::localKey).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Starts the cascade when the configuration has upper platforms.
     *
     * @param options   the command line (bind address, the platform's ID)
     * @param config    the configuration ({@code gb28181.cascade}, customers, sites, devices)
     * @param scheduler the centre's scheduler
     * @param journal   where exported IDs and pending forwards are journalled
     * @param pipeline  the pipeline whose forwards go up and which hears their delivery
     * @param vault     where upper platforms' passwords are kept (imported from the file)
     * @param supervisor whose offline and online decisions about GB/T 28181 devices are shown upward
     * @param platform  the centre's GB/T 28181 platform, whose devices' live video an upper platform may ask for
     *                  (relayed as PS over RTP/UDP); null for none (every INVITE from above answered 488)
     * @return the running wiring, or null when no upper platform is configured
     * @throws InterruptedException if interrupted while binding
     */
    static CascadeWiring start(CenterOptions options, CenterConfig config, Scheduler scheduler, RecordStore journal,
                               AlarmPipeline pipeline, CredentialStore vault, Supervisor supervisor,
                               GbPlatform platform) throws InterruptedException {
        CenterConfig.Cascade c = config.gb28181().cascade();
        if (c == null || c.uppers().isEmpty()) {
            return null;
        }
        int port = c.port() == null ? 5061 : c.port();
        GbCascadeConfig.Builder b = GbCascadeConfig.builder(c.id() != null ? c.id() : options.sipId())
                .bindHost(options.bind()).udpPort(port).tcpPort(port);
        if (!options.bind().equals("0.0.0.0")) {
            b.advertisedHost(options.bind());
        }
        CascadeWiring w = new CascadeWiring(pipeline, catalog(config));
        if (platform != null) {
            // an exported camera "gb:<device>" is the device's own channel (single-channel cameras answer for their ID)
            w.media = org.arc4j.gb28181.cascade.CascadeMediaSource.of(platform, key -> key.startsWith("gb:")
                    ? java.util.Optional.of(org.arc4j.gb28181.media.MediaRequest.live(key.substring(3),
                            key.substring(3)))
                    : java.util.Optional.empty());
        }
        for (CenterConfig.Upper u : c.uppers()) {
            CredentialKey key = CredentialKey.of(CredentialKind.SIP_PASSWORD, "cascade/" + u.id());
            Secret fromFile = Secret.ofUtf8(u.password());
            if (vault.find(key).map(x -> !x.secret().equals(fromFile)).orElse(true)) {
                vault.put(key, new Credential(u.id(), fromFile, Map.of("source", "file")));
            }
            String recipient = u.recipient() != null ? u.recipient() : u.id();
            UpperPlatform up = new UpperPlatform(u.id(), u.id().substring(0, 10), u.host(),
                    u.port() == null ? 5060 : u.port(), "TCP".equals(u.transport()) ? SipTransport.TCP
                    : SipTransport.UDP, vault.find(key).orElseThrow().secret(), Duration.ofHours(1),
                    Duration.ofSeconds(60), recipient);
            b.upper(up);
            w.upperByRecipient.put(recipient, u.id());
        }
        w.cascade = GbCascade.start(b.build(), scheduler, journal, w, w);
        pipeline.addListener(w::onPipelineEvent);
        supervisor.addListener(w::onSupervision);
        return w;
    }

    /** Customers and sites as virtual organisations, zones as alarm inputs, GB/T 28181 devices as cameras. */
    private static List<ExportedItem> catalog(CenterConfig config) {
        List<ExportedItem> items = new ArrayList<>();
        for (CenterConfig.Customer cu : config.customers()) {
            String ck = "customer:" + cu.id();
            items.add(ExportedItem.group(ck, cu.name(), null));
            for (CenterConfig.Site s : cu.sites()) {
                String sk = "site:" + s.id();
                items.add(ExportedItem.group(sk, s.name() != null ? s.name() : s.id(), ck));
                for (CenterConfig.Zone z : s.zones()) {
                    items.add(ExportedItem.alarmInput("zone:" + s.id() + "/" + z.number(),
                            z.name() != null ? z.name() : "zone " + z.number(), sk, true));
                }
            }
        }
        for (CenterConfig.Device d : config.gb28181().devices()) {
            String parent = d.site() != null ? "site:" + d.site() : d.customer() != null ? "customer:" + d.customer()
                    : null;
            ExportedItem cam = ExportedItem.camera("gb:" + d.id(), d.id(), parent, true);
            // a 20-digit device keeps its own ID upward, as cascaded platforms usually do
            items.add(d.id().length() == 20 ? cam.withConfiguredId(d.id()) : cam);
        }
        return items;
    }

    @Override
    public org.arc4j.gb28181.cascade.CascadeMediaSource media() {
        return media;
    }

    @Override
    public List<ExportedItem> catalog() {
        if (offline.isEmpty()) {
            return catalog;
        }
        List<ExportedItem> now = new ArrayList<>(catalog.size());
        for (ExportedItem i : catalog) {
            now.add(offline.contains(i.localKey()) ? new ExportedItem(i.localKey(), i.typeCode(), i.name(),
                    i.parentKey(), i.configuredId(), false, i.manufacturer(), i.model(), i.address()) : i);
        }
        return now;
    }

    /** A GB/T 28181 device the supervisor took offline (or back) is shown OFF (ON) to catalog subscribers. */
    private void onSupervision(SupervisionEvent e) {
        for (ExportedItem i : catalog) {
            if (i.localKey().startsWith("gb:") && GbPlatform.deviceKey(i.localKey().substring(3)).equals(e.device())) {
                boolean changed = e instanceof SupervisionEvent.Offline ? offline.add(i.localKey())
                        : offline.remove(i.localKey());
                if (changed) {
                    cascade.catalogChanged();
                }
            }
        }
    }

    /** A case forwarded to an upper platform's recipient goes up as an Alarm Notify. */
    private void onPipelineEvent(PipelineEvent e) {
        if (!(e instanceof PipelineEvent.CaseChanged cc) || cc.transition().action() != CaseAction.FORWARDED) {
            return;
        }
        String upper = upperByRecipient.get(cc.transition().details().get("recipient"));
        if (upper == null) {
            return;
        }
        AlarmCase c = cc.c();
        AlarmEvent ev = c.event();
        String key = null;
        if (ev != null && ev.protocol() == Protocol.GB28181 && keys.contains("gb:" + ev.account())) {
            key = "gb:" + ev.account();
        } else if (ev != null && c.siteId() != null && keys.contains("zone:" + c.siteId() + "/" + ev.zone())) {
            key = "zone:" + c.siteId() + "/" + ev.zone();
        }
        Instant time = ev != null ? ev.triggeredAt() : c.receivedAt();
        String description = ev != null && ev.description() != null ? ev.description() : String.valueOf(c.category());
        CascadeAlarm alarm = new CascadeAlarm(c.id(), key, Math.max(1, Math.min(4, c.priority())), 2, null, time,
                description);
        cascade.forwardAlarm(upper, alarm).whenComplete((at, err) -> {
            if (err != null) {
                LOG.warn("case {} not forwarded to upper platform {}: {}", c.id(), upper, err.toString());
            }
        });
    }

    @Override
    public void alarmDelivered(UpperPlatform upper, CascadeAlarm alarm, Instant deliveredAt, int attempts) {
        pipeline.forwardDelivered(alarm.reference(), upper.recipient(),
                new CaseActor(CaseActor.Kind.EXTERNAL, upper.id())).whenComplete((c, err) -> {
                    if (err != null) {
                        LOG.warn("delivery of case {} to {} not recorded: {}", alarm.reference(), upper.id(),
                                err.toString());
                    }
                });
    }

    @Override
    public void linkStateChanged(UpperPlatformLink link, LinkState from, LinkState to, String reason) {
        LOG.info("upper platform {} ({}): {} ({})", link.upper().id(), link.upper().recipient(), to, reason);
    }

    /** @return the cascade */
    GbCascade cascade() {
        return cascade;
    }

    @Override
    public void close() {
        cascade.close();
    }
}
