package org.arc4j.examples.center;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.arc4j.examples.center.video.VideoConfig;
import org.arc4j.examples.center.video.VideoService;
import org.arc4j.gb28181.cascade.CascadeAlarm;
import org.arc4j.gb28181.cascade.CascadeListener;
import org.arc4j.gb28181.cascade.CascadeMediaSource;
import org.arc4j.gb28181.cascade.CascadeSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.cascade.GbCascade;
import org.arc4j.gb28181.cascade.GbCascadeConfig;
import org.arc4j.gb28181.cascade.LinkState;
import org.arc4j.gb28181.cascade.UpperPlatform;
import org.arc4j.gb28181.cascade.UpperPlatformLink;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.platform.GbChannel;
import org.arc4j.gb28181.platform.GbDeviceId;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The centre as a GB/T 28181 lower platform ({@code gb28181.cascade} in the configuration), kept in one class: the
 * SDK's {@link GbCascade} on its own SIP port registers with each upper platform (password from the vault), shows
 * the configured customers and sites as virtual organisations (216), their zones as alarm inputs (134), the GB/T
 * 28181 devices and the video section's cameras (ONVIF/RTSP or GB/T 28181 fed) as cameras under them (GB/T 28181
 * devices OFF while the supervisor has them offline, catalog subscribers told at once); each upper platform sees only
 * the customers its {@code customers} list names. It sends a case up as an Alarm Notify when the pipeline forwards
 * it to the recipient an upper platform stands for, and every new case to the uppers that subscribed to alarms. The
 * upper platform's 200 OK is reported to the pipeline as the forward's delivery, which ends the {@code FORWARDING}
 * step against its GA 1383 limit (IP: 4 s). Live video from above is relayed from the device (GB/T 28181 devices,
 * through the centre's platform) or from the camera's feed ({@link VideoService#relay}); playback and download from
 * above are the device's own (GB/T 28181 devices only; an ONVIF/RTSP camera's are refused with 488 and a Warning);
 * PTZ from above goes to the
 * device as PTZCmd or to the camera as ONVIF PTZ.
 */
final class CascadeWiring implements AutoCloseable, CascadeSource, CascadeListener {
    private static final Logger LOG = LoggerFactory.getLogger(CascadeWiring.class);

    private final AlarmPipeline pipeline;
    /** What is exported now: the file's customers, sites, zones and devices, then the video cameras. */
    private volatile List<ExportedItem> catalog;
    private volatile Set<String> keys;
    /** The customer of each site, for cameras added later. */
    private final Map<String, String> customerOfSite = new HashMap<>();
    /** {@code gb28181.cascade.ids}. */
    private Map<String, String> configuredIds = Map.of();
    private final Map<String, String> upperByRecipient = new HashMap<>();
    private final Set<String> offline = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** An upper platform's customers, absent when it sees all. */
    private final Map<String, Set<String>> views = new HashMap<>();
    /** The customer an exported item belongs to; absent for items of none. */
    private final Map<String, String> customerOf;
    private final ExecutorService commands = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "arc4j-cascade-commands");
        t.setDaemon(true);
        return t;
    });
    private GbCascade cascade;
    private GbPlatform platform;
    private VideoService video;
    private CascadeMediaSource media;

    private CascadeWiring(AlarmPipeline pipeline, List<ExportedItem> catalog, Map<String, String> customerOf) {
        this.pipeline = pipeline;
        this.catalog = List.copyOf(catalog);
        this.customerOf = new java.util.concurrent.ConcurrentHashMap<>(customerOf);
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
     * @param platform  the centre's GB/T 28181 platform, whose devices' live video and PTZ an upper platform may ask
     *                  for; null for none
     * @param video     the video plane, whose cameras' live video and ONVIF PTZ an upper platform may ask for; null
     *                  for none
     * @return the running wiring, or null when no upper platform is configured
     * @throws InterruptedException if interrupted while binding
     * @throws IllegalArgumentException when an upper platform lacks its ID, host or password
     */
    static CascadeWiring start(CenterOptions options, CenterConfig config, Scheduler scheduler, RecordStore journal,
                               AlarmPipeline pipeline, CredentialStore vault, Supervisor supervisor,
                               GbPlatform platform, VideoService video) throws InterruptedException {
        CenterConfig.Cascade c = config.gb28181().cascade();
        if (c == null || c.uppers().isEmpty()) {
            return null;
        }
        for (CenterConfig.Upper u : c.uppers()) {
            if (u.id() == null || u.host() == null || u.password() == null) {
                throw new IllegalArgumentException("gb28181.cascade.uppers: an upper platform needs id, host and "
                        + "password: " + u.id());
            }
        }
        int port = c.port() == null ? 5061 : c.port();
        GbCascadeConfig.Builder b = GbCascadeConfig.builder(c.id() != null ? c.id() : options.sipId())
                .bindHost(options.bind()).udpPort(port).tcpPort(port);
        if (!options.bind().equals("0.0.0.0")) {
            b.advertisedHost(options.bind());
        }
        Map<String, String> customerOf = new HashMap<>();
        List<ExportedItem> items = new ArrayList<>();
        for (ExportedItem i : catalog(config, customerOf)) {
            // gb28181.cascade.ids: the configured ID replaces an allocated one (both journalled by the cascade)
            String configured = c.ids().get(i.localKey());
            items.add(configured != null ? i.withConfiguredId(configured) : i);
        }
        CascadeWiring w = new CascadeWiring(pipeline, items, customerOf);
        w.configuredIds = c.ids();
        for (CenterConfig.Customer cu : config.customers()) {
            for (CenterConfig.Site site : cu.sites()) {
                w.customerOfSite.put(site.id(), cu.id());
            }
        }
        if (video != null) {
            // the video section as it is now: the file's cameras and those the API added, changed or removed since
            w.replaceCameras(video.configs().values());
        }
        w.platform = platform;
        w.video = video;
        w.media = new CascadeMediaSource() {
            @Override
            public CompletionStage<AutoCloseable> openLive(String localKey, Sink sink) {
                return w.openLive(localKey, sink);
            }

            @Override
            public CompletionStage<Recording> openRecording(String localKey, MediaRequest.Kind kind, Instant from,
                                                            Instant to, int speed, Sink sink) {
                return w.openRecording(localKey, kind, from, to, speed, sink);
            }
        };
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
            if (u.customers() != null) {
                w.views.put(u.id(), Set.copyOf(u.customers()));
            }
        }
        w.cascade = GbCascade.start(b.build(), scheduler, journal, w, w);
        pipeline.addListener(e -> {
            try {
                w.onPipelineEvent(e);
            } catch (RuntimeException ex) {
                // the pipeline's own work must not fail because a case could not be told upward
                LOG.warn("cascade could not take {}: {}", e.getClass().getSimpleName(), ex.toString());
            }
        });
        supervisor.addListener(w::onSupervision);
        if (video != null) {
            video.onCamerasChanged(() -> {
                w.replaceCameras(video.configs().values());
                w.cascade.catalogChanged(); // catalog subscribers get ADD, DEL or UPDATE
            });
        }
        return w;
    }

    /**
     * Customers and sites as virtual organisations, zones as alarm inputs, GB/T 28181 devices and the video
     * section's cameras as cameras; fills in the customer of each item.
     */
    private static List<ExportedItem> catalog(CenterConfig config, Map<String, String> customerOf) {
        List<ExportedItem> items = new ArrayList<>();
        Map<String, String> customerOfSite = new HashMap<>();
        for (CenterConfig.Customer cu : config.customers()) {
            String ck = "customer:" + cu.id();
            items.add(ExportedItem.group(ck, cu.name() != null ? cu.name() : cu.id(), null));
            customerOf.put(ck, cu.id());
            for (CenterConfig.Site s : cu.sites()) {
                String sk = "site:" + s.id();
                items.add(ExportedItem.group(sk, s.name() != null ? s.name() : s.id(), ck));
                customerOf.put(sk, cu.id());
                customerOfSite.put(s.id(), cu.id());
                for (CenterConfig.Zone z : s.zones()) {
                    String zk = "zone:" + s.id() + "/" + z.number();
                    items.add(ExportedItem.alarmInput(zk, z.name() != null ? z.name() : "zone " + z.number(), sk,
                            true));
                    customerOf.put(zk, cu.id());
                }
            }
        }
        for (CenterConfig.Device d : config.gb28181().devices()) {
            String parent = d.site() != null && customerOfSite.containsKey(d.site()) ? "site:" + d.site()
                    : d.customer() != null ? "customer:" + d.customer() : null;
            ExportedItem cam = ExportedItem.camera("gb:" + d.id(), d.id(), parent, true);
            // a 20-digit device keeps its own ID upward, as cascaded platforms usually do
            items.add(d.id().length() == 20 ? cam.withConfiguredId(d.id()) : cam);
            String customer = d.site() != null ? customerOfSite.get(d.site()) : d.customer();
            if (customer != null) {
                customerOf.put("gb:" + d.id(), customer);
            }
        }
        for (VideoConfig.Camera vc : config.video().cameras()) {
            if (vc.id() == null) {
                continue;
            }
            String k = "cam:" + vc.id();
            String site = vc.site() != null && customerOfSite.containsKey(vc.site()) ? vc.site() : null;
            items.add(ExportedItem.camera(k, vc.name() != null ? vc.name() : vc.id(),
                    site == null ? null : "site:" + site, true));
            if (site != null) {
                customerOf.put(k, customerOfSite.get(site));
            }
        }
        return items;
    }

    /** Exports these video cameras in place of those exported so far (under their sites, with configured IDs). */
    private synchronized void replaceCameras(java.util.Collection<VideoConfig.Camera> cameras) {
        List<ExportedItem> now = new ArrayList<>();
        for (ExportedItem i : catalog) {
            if (!i.localKey().startsWith("cam:")) {
                now.add(i);
            }
        }
        customerOf.keySet().removeIf(k -> k.startsWith("cam:"));
        for (VideoConfig.Camera vc : cameras) {
            if (vc.id() == null) {
                continue;
            }
            String k = "cam:" + vc.id();
            String site = vc.site() != null && customerOfSite.containsKey(vc.site()) ? vc.site() : null;
            ExportedItem item = ExportedItem.camera(k, vc.name() != null ? vc.name() : vc.id(),
                    site == null ? null : "site:" + site, true);
            String configured = configuredIds.get(k);
            now.add(configured != null ? item.withConfiguredId(configured) : item);
            if (site != null) {
                customerOf.put(k, customerOfSite.get(site));
            }
        }
        catalog = List.copyOf(now);
        keys = now.stream().map(ExportedItem::localKey).collect(Collectors.toUnmodifiableSet());
    }

    /** The live stream of an exported camera: a GB/T 28181 device through the platform, a camera from its feed. */
    private CompletionStage<AutoCloseable> openLive(String localKey, CascadeMediaSource.Sink sink) {
        if (localKey.startsWith("cam:") && video != null) {
            try {
                return CompletableFuture.completedFuture(video.relay(localKey.substring(4), sink));
            } catch (IllegalArgumentException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        if (localKey.startsWith("gb:") && platform != null) {
            String device = localKey.substring(3);
            return CascadeMediaSource.of(platform, k -> Optional.of(MediaRequest.live(device, channelOf(device))))
                    .openLive(localKey, sink);
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException(localKey + " is not a camera"));
    }

    /**
     * A recording of an exported camera: a GB/T 28181 device's own playback or download through the platform; the
     * video section's ONVIF/RTSP cameras keep no recordings the cascade could serve, so their playback and download
     * are refused (the cascade answers 488 with a Warning naming the reason).
     */
    private CompletionStage<CascadeMediaSource.Recording> openRecording(String localKey, MediaRequest.Kind kind,
                                                                        Instant from, Instant to, int speed,
                                                                        CascadeMediaSource.Sink sink) {
        if (localKey.startsWith("gb:") && platform != null) {
            String device = localKey.substring(3);
            return CascadeMediaSource.of(platform, k -> Optional.of(MediaRequest.live(device, channelOf(device))))
                    .openRecording(localKey, kind, from, to, speed, sink);
        }
        return CompletableFuture.failedFuture(new UnsupportedOperationException(localKey
                + " has no recordings: ONVIF/RTSP cameras are relayed live only"));
    }

    /**
     * The channel to play of a GB/T 28181 device: its first camera channel from the catalog it sent, or the device
     * itself (a single-channel camera answers for its own ID, and a device that has sent no catalog yet has no
     * channel to name).
     */
    private String channelOf(String device) {
        return platform.registry().get(device).map(d -> d.channels().values().stream()
                .filter(ch -> ch.deviceId() != null && (ch.deviceId().typeCode() == GbDeviceId.CAMERA
                        || ch.deviceId().typeCode() == GbDeviceId.IPC))
                .map(GbChannel::id).sorted().findFirst().orElse(device)).orElse(device);
    }

    /**
     * PTZ from an upper platform: to a GB/T 28181 device's channel as the same PTZCmd, to an ONVIF camera as
     * ContinuousMove (speeds scaled from the code's), Stop, or GotoPreset for a preset call; other codes refused.
     */
    @Override
    public CompletionStage<Boolean> ptz(String localKey, PtzCmd cmd) {
        if (localKey.startsWith("gb:") && platform != null) {
            String device = localKey.substring(3);
            return platform.ptz(device, channelOf(device), cmd).thenApply(r -> r.status() < 300);
        }
        if (!localKey.startsWith("cam:") || video == null) {
            return CompletableFuture.completedFuture(false);
        }
        String camera = localKey.substring(4);
        int i = cmd.instruction();
        return CompletableFuture.supplyAsync(() -> {
            try {
                switch (cmd.kind()) {
                    case STOP -> video.ptz(camera, 0, 0, 0);
                    case PTZ -> video.ptz(camera, direction(i, 0x01, 0x02) * cmd.data1() / 255.0,
                            direction(i, 0x08, 0x04) * cmd.data2() / 255.0,
                            direction(i, 0x10, 0x20) * cmd.data3() / 15.0);
                    case PRESET -> {
                        if (i != 0x82) {
                            return false;
                        }
                        video.gotoPreset(camera, Integer.toString(cmd.data2()));
                    }
                    default -> {
                        return false;
                    }
                }
                return true;
            } catch (Exception e) {
                LOG.warn("PTZ from an upper platform to camera {} failed: {}", camera, e.toString());
                return false;
            }
        }, commands);
    }

    /** +1 when the positive bit is set, -1 for the negative one, 0 for neither. */
    private static int direction(int instruction, int positive, int negative) {
        return (instruction & positive) != 0 ? 1 : (instruction & negative) != 0 ? -1 : 0;
    }

    @Override
    public CascadeMediaSource media() {
        return media;
    }

    /** What an upper platform sees: the items of its customers and those of no customer (the centre's own). */
    @Override
    public List<ExportedItem> catalog(String upperId) {
        Set<String> customers = views.get(upperId);
        List<ExportedItem> all = catalog();
        if (customers == null) {
            return all;
        }
        List<ExportedItem> seen = new ArrayList<>(all.size());
        for (ExportedItem i : all) {
            String customer = customerOf.get(i.localKey());
            if (customer == null || customers.contains(customer)) {
                seen.add(i);
            }
        }
        return seen;
    }

    @Override
    public List<ExportedItem> catalog() {
        List<ExportedItem> catalog = this.catalog;
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

    /**
     * A new case goes to the upper platforms that subscribed to alarms; a case forwarded to an upper platform's
     * recipient goes up as an Alarm Notify until answered.
     */
    private void onPipelineEvent(PipelineEvent e) {
        if (!(e instanceof PipelineEvent.CaseChanged cc)) {
            return;
        }
        CaseAction action = cc.transition().action();
        if (action == CaseAction.RECEIVED) {
            cascade.alarmRaised(alarmOf(cc.c()));
            return;
        }
        if (action != CaseAction.FORWARDED) {
            return;
        }
        String upper = upperByRecipient.get(cc.transition().details().get("recipient"));
        if (upper == null) {
            return;
        }
        AlarmCase c = cc.c();
        cascade.forwardAlarm(upper, alarmOf(c)).whenComplete((at, err) -> {
            if (err != null) {
                LOG.warn("case {} not forwarded to upper platform {}: {}", c.id(), upper, err.toString());
            }
        });
    }

    /** A case as the alarm of its exported device or zone (the centre's own when neither is exported). */
    private CascadeAlarm alarmOf(AlarmCase c) {
        AlarmEvent ev = c.event();
        String key = null;
        if (ev != null && ev.protocol() == Protocol.GB28181 && keys.contains("gb:" + ev.account())) {
            key = "gb:" + ev.account();
        } else if (ev != null && keys.contains("cam:" + ev.account())) {
            key = "cam:" + ev.account();
        } else if (ev != null && c.siteId() != null && keys.contains("zone:" + c.siteId() + "/" + ev.zone())) {
            key = "zone:" + c.siteId() + "/" + ev.zone();
        }
        // an event without a device time (many panels send none) is dated by its receipt
        Instant time = ev != null && ev.triggeredAt() != null ? ev.triggeredAt() : c.receivedAt();
        if (time == null) {
            time = c.transitions().isEmpty() ? Instant.EPOCH : c.transitions().get(0).at();
        }
        String description = ev != null && ev.description() != null ? ev.description() : String.valueOf(c.category());
        return new CascadeAlarm(c.id(), key, Math.max(1, Math.min(4, c.priority())), 2, null, time, description);
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
        commands.shutdownNow();
    }
}
