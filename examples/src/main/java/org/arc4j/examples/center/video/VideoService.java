package org.arc4j.examples.center.video;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.media.buffer.BufferBudget;
import org.arc4j.media.clip.ClipRecorder;
import org.arc4j.media.clip.ClipRecording;
import org.arc4j.media.clip.ClipResult;
import org.arc4j.media.clip.MseLiveStream;
import org.arc4j.media.rtsp.RtspClient;
import org.arc4j.media.rtsp.RtspState;
import org.arc4j.protocols.onvif.MediaProfile;
import org.arc4j.protocols.onvif.OnvifClient;
import org.arc4j.protocols.onvif.OnvifDevice;
import org.arc4j.protocols.onvif.OnvifDeviceConfig;
import org.arc4j.protocols.onvif.OnvifEvents;
import org.arc4j.protocols.onvif.PtzPreset;
import org.arc4j.protocols.onvif.PtzVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video plane of the reference centre (GA 1383 报警复核, 视频监控, 时钟同步): the cameras of each site, each with an
 * RTSP session or a GB/T 28181 live session ({@link #gb28181}) feeding its pre-alarm buffer; their ONVIF events into the intake as alarms like a panel's; a
 * {@code VIDEO_FAULT} status event when a camera's frame rate falls below 15 fps or its stream is lost (and its restore
 * when it recovers), counted in the quality statistics, with a repair ticket open until the camera recovers; each
 * camera's clock error; a case's clip (pre-record plus live,
 * {@link ClipRecorder}) for every camera at the case's site when the case opens; and the browser streams of
 * {@code /ws/video}.
 *
 * <p>A camera's events and faults report with the camera's id as the account, which the centre resolves to the
 * camera's site. Camera logins live in the credential vault ({@code ONVIF_LOGIN}, scope the camera id) and serve
 * both RTSP Digest and ONVIF. Cameras come from the configuration file and {@code PUT /api/video/cameras/{id}};
 * changes made through the API are journalled ({@code CONFIG_CHANGE}, subject {@code center/video/camera/<id>})
 * and win over the file after a restart. Thread-safe.
 *
 * <p>Over 500 lines because it is the one place that owns the cameras' life cycle (configuration and API changes,
 * health, clocks, PTZ, snapshots, clips, browser streams), each part short and all working on the same camera
 * table; the streaming, feed and GB/T 28181 parts live in their own classes.
 */
public final class VideoService implements AutoCloseable {
    /** GA 1383's least frame rate for video verification. */
    public static final double MIN_FPS = 15.0;
    /** A camera that has sent no picture for this long has lost its stream. */
    public static final Duration STREAM_LOST = Duration.ofSeconds(5);
    /** How often the GB/T 28181 devices of cameras are asked their DeviceStatus (encoding, recording, status). */
    static final Duration DEVICE_STATUS_CHECK = Duration.ofMinutes(1);
    /** How often the cameras' clocks are read over ONVIF. */
    static final Duration CLOCK_CHECK = Duration.ofMinutes(10);
    /** The subject of the journal's {@code CONFIG_CHANGE} records of cameras changed through the API. */
    static final String SUBJECT = "center/video/camera/";
    private static final Logger LOG = LoggerFactory.getLogger(VideoService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VideoConfig config;
    private final Scheduler scheduler;
    private final RecordStore journal;
    private final CredentialStore vault;
    private final AlarmIntake intake;
    private final Supervisor supervisor;
    private final Consumer<String> push;
    private final BiConsumer<String, String> accountOfSite;
    private final Set<String> sites;
    private final QualityLedger ledger;
    private final BufferBudget budget;
    private final ClipRecorder clips;
    private final OnvifClient onvif;
    private final ExecutorService streams;
    private final EventLoopGroup rtspLoops;
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final Map<String, List<Clip>> caseClips = new ConcurrentHashMap<>();
    private final List<Cancellable> timers = new CopyOnWriteArrayList<>();
    private volatile Map<String, String> customerOfSite = Map.of();
    private volatile GbPlatform gbPlatform;
    private volatile BiConsumer<String, Duration> clockSink;

    /** One configured camera at run time. */
    private final List<Runnable> camerasChanged = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final class Camera {
        final CameraFeed feed;
        final OnvifDevice device;
        volatile OnvifEvents events;
        volatile String fault;
        volatile String reported;
        volatile String ticket;
        volatile String profile;
        volatile URI snapshotUri;
        volatile GbCameraSource gb;
        /** Faults the camera reports itself (disk, recording, video loss), by kind: what, and its repair ticket. */
        final Map<String, String[]> ownFaults = new ConcurrentHashMap<>();

        Camera(CameraFeed feed, OnvifDevice device) {
            this.feed = feed;
            this.device = device;
        }
    }

    /** A case's clip from one camera. */
    private record Clip(String camera, Path planned, Instant from, ClipRecording recording) {
    }

    /**
     * The parts of the centre the video plane works with.
     *
     * @param scheduler     the centre's clock and timers
     * @param journal       where clip records go
     * @param data          the data directory (clips go to {@code DATA/clips})
     * @param vault         camera logins
     * @param intake        where camera alarms and video faults go (resolving accounts to sites)
     * @param supervisor    ONVIF event subscriptions check in here
     * @param metrics       clip metrics
     * @param push          sends a JSON message to every console
     * @param accountOfSite registers a camera id as an account of a site
     * @param sites         the ids of the configured sites
     * @param ledger        where video faults become repair tickets (GA 1383 故障维修)
     */
    public record Parts(Scheduler scheduler, RecordStore journal, Path data, CredentialStore vault, AlarmIntake intake,
                        Supervisor supervisor, Metrics metrics, Consumer<String> push,
                        BiConsumer<String, String> accountOfSite, Set<String> sites, QualityLedger ledger) {
        /** Every part is required. */
        public Parts {
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(journal, "journal");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(intake, "intake");
            Objects.requireNonNull(supervisor, "supervisor");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(push, "push");
            Objects.requireNonNull(accountOfSite, "accountOfSite");
            Objects.requireNonNull(ledger, "ledger");
            sites = Set.copyOf(sites);
        }
    }

    private VideoService(VideoConfig config, Parts p) {
        this.config = config;
        this.scheduler = p.scheduler();
        this.journal = p.journal();
        this.vault = p.vault();
        this.intake = p.intake();
        this.supervisor = p.supervisor();
        this.push = p.push();
        this.accountOfSite = p.accountOfSite();
        this.sites = p.sites();
        this.ledger = p.ledger();
        // 30 s at 4 Mbit/s for each of 64 cameras, but never more than a quarter of the heap; beyond that the
        // oldest groups of pictures go first (counted as overruns)
        this.budget = new BufferBudget(Math.min(64 * BufferBudget.bytesPerChannel(4_000, 30),
                Runtime.getRuntime().maxMemory() / 4), p.metrics());
        this.clips = ClipRecorder.builder(p.data().resolve("clips"), p.journal(), scheduler).metrics(p.metrics())
                .clipMax(config.clipMaxDuration()).build();
        this.onvif = OnvifClient.builder(scheduler, vault).build();
        // every camera's RTSP session on two shared event loops, not a thread each
        this.rtspLoops = new MultiThreadIoEventLoopGroup(2, r -> {
            Thread t = new Thread(r, "arc4j-center-rtsp");
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        this.streams = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "arc4j-center-video");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the cameras of the configuration and the health checks.
     *
     * @param config the {@code video:} section (already validated)
     * @param parts  the centre's parts
     * @return the running service
     */
    public static VideoService start(VideoConfig config, Parts parts) {
        return start(config, parts, Map.of());
    }

    /**
     * Starts the cameras of the configuration and the health checks, with the sites' customers for the
     * configuration's {@code preAlarmBy} depths by customer.
     *
     * @param config         the {@code video:} section (already validated)
     * @param parts          the centre's parts
     * @param customerOfSite each site's customer id
     * @return the running service
     */
    public static VideoService start(VideoConfig config, Parts parts, Map<String, String> customerOfSite) {
        VideoService v = new VideoService(config, parts);
        v.customerOfSite = Map.copyOf(customerOfSite);
        for (VideoConfig.Camera c : config.cameras()) {
            v.storeLogin(c, "file");
            v.add(c);
        }
        v.replayChanges();
        v.timers.add(v.scheduler.scheduleAtFixedRate(Duration.ofSeconds(1), v::checkHealth));
        v.timers.add(v.scheduler.scheduleAtFixedRate(CLOCK_CHECK, v::readClocks));
        v.timers.add(v.scheduler.scheduleAtFixedRate(DEVICE_STATUS_CHECK, v::checkGbDevices));
        return v;
    }

    /** The API's changes since, in order: they win over the file, as the centre's other API changes do. */
    private void replayChanges() {
        journal.replay(1, Set.of(RecordType.CONFIG_CHANGE), r -> {
            if (!r.subject().startsWith(SUBJECT)) {
                return;
            }
            try {
                JsonNode n = JSON.readTree(r.payload());
                String id = r.subject().substring(SUBJECT.length());
                if (n.path("removed").asBoolean(false)) {
                    removeCamera(id);
                } else {
                    VideoConfig.Camera c = JSON.treeToValue(n.path("camera"), VideoConfig.Camera.class);
                    // the journal has no password: the vault has kept it
                    boolean login = c.username() != null
                            && vault.find(CredentialKey.of(CredentialKind.ONVIF_LOGIN, id)).isPresent();
                    String problem = (login ? c.withPassword("(vault)") : c).problem(sites, depth(c));
                    if (problem != null) {
                        LOG.warn("camera {} from the API is not started again: {}", id, problem);
                        return;
                    }
                    removeCamera(id);
                    add(c);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("journalled camera change at {} cannot be applied: {}", r.position(), e.toString());
            }
        });
    }

    private CompletionStage<Long> journal(String id, ObjectNode change, String by) {
        change.put("by", by);
        return journal.append(new NewRecord(RecordType.CONFIG_CHANGE, 1, scheduler.now(), SUBJECT + id,
                change.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void storeLogin(VideoConfig.Camera c, String source) {
        if (c.username() == null) {
            return;
        }
        CredentialKey key = CredentialKey.of(CredentialKind.ONVIF_LOGIN, c.id());
        boolean fromApi = vault.find(key).map(x -> "api".equals(x.option("source"))).orElse(false);
        if (source.equals("file") && fromApi) {
            return;
        }
        vault.put(key, new Credential(c.username(), Secret.ofUtf8(c.password()), Map.of("source", source)));
    }

    private synchronized void add(VideoConfig.Camera c) {
        accountOfSite.accept(c.id(), c.site());
        CameraFeed feed = new CameraFeed(c, depth(c), budget, scheduler.clock());
        if (c.gb28181() != null) {
            Camera cam = new Camera(feed, null);
            cameras.put(c.id(), cam);
            startGb(cam);
            return;
        }
        RtspClient.Builder rb = RtspClient.builder(URI.create(c.rtsp())).scheduler(scheduler)
                .eventLoopGroup(rtspLoops);
        if (c.username() != null) {
            rb.credentials(vault, CredentialKey.of(CredentialKind.ONVIF_LOGIN, c.id()));
        }
        OnvifDevice device = c.onvif() == null ? null
                : onvif.device(OnvifDeviceConfig.of(URI.create(c.onvif()), c.id()).withEndpointReference(c.id()));
        Camera cam = new Camera(feed, device);
        cameras.put(c.id(), cam);
        feed.session(rb.build().start(feed));
        if (device != null) {
            cam.events = OnvifEvents.builder(device, intake, supervisor).account(c.id())
                    .observer((m, raised) -> cameraFaults(cam, raised)).build().start();
            readClock(cam);
        }
    }

    /** @return the camera's own pre-alarm depth, else its site's or customer's ({@code preAlarmBy}), else the default */
    private Duration depth(VideoConfig.Camera c) {
        Duration byPlace = config.preAlarmDepth(c.site(), customerOfSite.get(c.site()));
        return c.preAlarmDepth(byPlace);
    }

    /** Invites a GB/T 28181 camera's channel, once the platform is there. */
    private void startGb(Camera cam) {
        GbPlatform p = gbPlatform;
        if (p == null) {
            cam.feed.error("no GB/T 28181 platform");
            return;
        }
        GbCameraSource source = new GbCameraSource(cam.feed, p, scheduler);
        cam.gb = source;
        cam.feed.session(source);
        source.start();
    }

    /**
     * Gives the cameras whose video is a GB/T 28181 channel ({@code gb28181:}) the platform their live sessions run
     * on, and invites those waiting for it.
     *
     * @param platform the centre's GB/T 28181 platform
     */
    public synchronized void gb28181(GbPlatform platform) {
        this.gbPlatform = Objects.requireNonNull(platform, "platform");
        cameras.values().stream().filter(c -> c.feed.config.gb28181() != null && c.gb == null)
                .forEach(this::startGb);
    }

    /**
     * @param id a camera
     * @return its live GB/T 28181 session, or null
     */
    MediaSession gbSession(String id) {
        Camera c = cameras.get(id);
        GbCameraSource g = c == null ? null : c.gb;
        return g == null ? null : g.session();
    }

    /**
     * Adds or replaces a camera (its stream restarts; clips being recorded from the old one end) and journals the
     * change (without the password, which goes to the vault), so that it is there again after a restart.
     *
     * @param c  the camera
     * @param by who changed it
     * @return completes once the change is durable
     * @throws IllegalArgumentException with the problem, for the API's 400
     */
    public synchronized CompletionStage<Long> put(VideoConfig.Camera c, String by) {
        String problem = c.problem(sites, depth(c));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        removeCamera(c.id());
        storeLogin(c, "api");
        add(c);
        camerasChanged.forEach(Runnable::run);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode cam = JSON.valueToTree(c);
        cam.remove("password");
        n.set("camera", cam);
        return journal(c.id(), n, by);
    }

    /**
     * Removes a camera and journals it.
     *
     * @param id the camera
     * @param by who removed it
     * @return completes once the removal is durable; empty when there was no such camera
     */
    public synchronized Optional<CompletionStage<Long>> remove(String id, String by) {
        if (!removeCamera(id)) {
            return Optional.empty();
        }
        camerasChanged.forEach(Runnable::run);
        return Optional.of(journal(id, JsonNodeFactory.instance.objectNode().put("removed", true), by));
    }

    private synchronized boolean removeCamera(String id) {
        Camera old = cameras.remove(id);
        if (old == null) {
            return false;
        }
        if (old.events != null) {
            old.events.close();
        }
        old.feed.close();
        return true;
    }

    /**
     * When a case opens at a site with cameras, records a clip from each: the whole pre-record and the live video
     * after it (GA 1383 报警复核). Faults of the cameras themselves get none. Register it with the pipeline.
     *
     * @param e a pipeline event
     */
    public void onPipelineEvent(PipelineEvent e) {
        if (!(e instanceof PipelineEvent.CaseChanged changed) || changed.transition().action() != CaseAction.RECEIVED) {
            return;
        }
        AlarmCase k = changed.c();
        if (k.siteId() == null || k.category() == Category.VIDEO_FAULT) {
            return;
        }
        for (Camera cam : cameras.values()) {
            if (!k.siteId().equals(cam.feed.config.site())) {
                continue;
            }
            Instant from = k.receivedAt().minus(cam.feed.buffer.depth());
            ClipRecording r = cam.feed.startClip(clips, k.id(), from);
            if (r != null) {
                caseClips.computeIfAbsent(k.id(), x -> new CopyOnWriteArrayList<>())
                        .add(new Clip(cam.feed.config.id(), r.plannedFile(), from, r));
                r.result().thenAccept(res -> {
                    if (res instanceof ClipResult.Failed f) {
                        LOG.warn("clip of case {} from camera {} failed: {} {}", k.id(), cam.feed.config.id(),
                                f.reason(), f.detail());
                    }
                    push.accept(JsonNodeFactory.instance.objectNode().put("type", "clip").put("caseId", k.id())
                            .toString());
                });
            }
        }
    }

    /**
     * Ends a case's clips now (verification is over); each is stored with what it has.
     *
     * @param caseId the case
     */
    public void stopClips(String caseId) {
        caseClips.getOrDefault(caseId, List.of()).forEach(c -> c.recording().stop());
    }

    /**
     * Opens a browser stream on {@code /ws/video} once its WebSocket handshake is done.
     *
     * @param channel the WebSocket
     * @param params  {@code camera} (required) and {@code from} (epoch milliseconds of the chosen point in the
     *                pre-alarm buffer, cut for this viewer; absent for live video, from the camera's live stream
     *                shared by all its live viewers, joined at the next key frame)
     */
    public void openStream(Channel channel, Map<String, List<String>> params) {
        String id = first(params, "camera");
        Camera cam = id == null ? null : cameras.get(id);
        if (cam == null) {
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "no such camera"));
            channel.close();
            return;
        }
        Instant from;
        try {
            String f = first(params, "from");
            from = f == null ? null : Instant.ofEpochMilli(Long.parseLong(f));
        } catch (NumberFormatException e) {
            channel.writeAndFlush(new CloseWebSocketFrame(1008, "from must be epoch milliseconds"));
            channel.close();
            return;
        }
        // the pre-record goes out at once: up to 30 s of video may wait in the socket before the browser is "too slow"
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4 << 20, 16 << 20));
        boolean g711 = "g711".equals(first(params, "audio"));
        if (from == null) {
            // live: the camera's one live stream, shared by every browser watching it
            LiveSocket l = new LiveSocket(cam.feed, channel);
            MseLiveStream.Subscription sub = cam.feed.watchLive(streams, g711, l);
            if (sub == null) {
                channel.writeAndFlush(new CloseWebSocketFrame(1008, "no picture from the camera yet"));
                channel.close();
                return;
            }
            l.subscription(sub);
            return;
        }
        MseStream s = new MseStream(cam.feed, channel, streams, false, g711);
        streams.execute(() -> cam.feed.subscribe(from, s, s.audio));
    }

    /**
     * A camera's live pictures and G.711 sound for a GB/T 28181 upper platform (the cascade re-muxes them to PS):
     * from the camera's next key picture on, each picture as an access unit and each audio frame with a 90 kHz
     * time stamp counted from the first thing handed over, both on the same clock. AAC sound is not relayed.
     *
     * @param id   the camera
     * @param sink where they go, on the camera session's thread
     * @return closes the relay
     * @throws IllegalArgumentException for an unknown camera
     */
    public AutoCloseable relay(String id, org.arc4j.gb28181.cascade.CascadeMediaSource.Sink sink) {
        Camera cam = cameras.get(id);
        if (cam == null) {
            throw new IllegalArgumentException("no camera " + id);
        }
        CameraFeed feed = cam.feed;
        java.util.concurrent.atomic.AtomicReference<Instant> base = new java.util.concurrent.atomic.AtomicReference<>();
        Consumer<org.arc4j.media.buffer.BufferedFrame> video = f -> {
            org.arc4j.media.video.VideoCodec c = feed.codec();
            if (c == null) {
                return;
            }
            byte[] b = f.bytes();
            sink.video(c == org.arc4j.media.video.VideoCodec.H265 ? org.arc4j.media.ps.PsStreamType.H265
                    : org.arc4j.media.ps.PsStreamType.H264, new org.arc4j.media.video.AccessUnit(c, pts(base, f.at()),
                    org.arc4j.media.video.AnnexB.INSTANCE.split(b, 0, b.length), true));
        };
        java.util.concurrent.atomic.AtomicReference<org.arc4j.media.rtp.AacRtpDepacketizer> adts =
                new java.util.concurrent.atomic.AtomicReference<>();
        Consumer<AudioFrame> audio = a -> {
            org.arc4j.media.ps.PsStreamType t = switch (a.track().codec()) {
                case G711A -> org.arc4j.media.ps.PsStreamType.G711A;
                case G711U -> org.arc4j.media.ps.PsStreamType.G711U;
                case AAC -> org.arc4j.media.ps.PsStreamType.AAC;
                default -> null;
            };
            byte[] data = a.bytes();
            if (t == org.arc4j.media.ps.PsStreamType.AAC && org.arc4j.media.clip.AudioTrack.adtsHeaderLength(data) == 0) {
                // an RTSP camera's AAC (RFC 3640) comes as bare access units: a program stream carries ADTS
                data = withAdts(adts, a.track(), data);
            }
            if (t != null && data != null) {
                sink.audio(t, pts(base, a.at()), data);
            }
        };
        feed.subscribe(null, video, audio);
        return () -> {
            feed.unsubscribe(video);
            feed.unsubscribeAudio(audio);
        };
    }

    /**
     * An AAC access unit with the ADTS header its track's AudioSpecificConfig gives (sdk-media's
     * {@link org.arc4j.media.rtp.AacRtpDepacketizer#adts}); null when the track has no config ADTS can carry.
     */
    private static byte[] withAdts(
            java.util.concurrent.atomic.AtomicReference<org.arc4j.media.rtp.AacRtpDepacketizer> cache,
            org.arc4j.media.clip.AudioTrack track, byte[] unit) {
        org.arc4j.media.rtp.AacRtpDepacketizer d = cache.get();
        if (d == null || !java.util.Arrays.equals(d.config(), track.aacConfig())) {
            if (track.aacConfig() == null) {
                return null;
            }
            d = org.arc4j.media.rtp.AacRtpDepacketizer.of(track.sampleRate(), Map.of("config",
                    java.util.HexFormat.of().formatHex(track.aacConfig()), "sizelength", "13"));
            if (d == null) {
                return null;
            }
            cache.set(d);
        }
        return unit.length + 7 > 0x1FFF ? null : d.adts(unit);
    }

    /** 90 kHz ticks since the first thing a relay handed over. */
    private static long pts(java.util.concurrent.atomic.AtomicReference<Instant> base, Instant at) {
        base.compareAndSet(null, at);
        Duration d = Duration.between(base.get(), at);
        return Math.max(0, d.getSeconds() * 90_000 + d.getNano() / (1_000_000_000L / 90_000));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * Moves a camera's PTZ head (ONVIF PTZ ContinuousMove), or stops it when every speed is 0.
     *
     * @param id   the camera
     * @param pan  speed, -1 to 1
     * @param tilt speed, -1 to 1
     * @param zoom speed, -1 to 1
     * @throws IllegalArgumentException for an unknown camera or one without ONVIF
     * @throws Exception                what the camera answered
     */
    public void ptz(String id, double pan, double tilt, double zoom) throws Exception {
        Camera cam = onvifCamera(id);
        String profile = profile(cam);
        if (pan == 0 && tilt == 0 && zoom == 0) {
            cam.device.stop(profile, true, true).get(10, TimeUnit.SECONDS);
        } else {
            cam.device.continuousMove(profile, PtzVector.of(pan, tilt, zoom), Duration.ofSeconds(1))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The camera's PTZ presets (ONVIF PTZ {@code GetPresets}).
     *
     * @param id the camera
     * @return token and name of each, in the camera's order
     * @throws IllegalArgumentException for an unknown camera or one without ONVIF
     * @throws Exception                what the camera answered
     */
    public ArrayNode presets(String id) throws Exception {
        Camera cam = onvifCamera(id);
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (PtzPreset p : cam.device.getPresets(profile(cam)).get(10, TimeUnit.SECONDS)) {
            a.addObject().put("token", p.token()).put("name", p.name());
        }
        return a;
    }

    /**
     * Moves a camera to a PTZ preset.
     *
     * @param id     the camera
     * @param preset the preset token
     * @throws IllegalArgumentException for an unknown camera or one without ONVIF
     * @throws Exception                what the camera answered
     */
    public void gotoPreset(String id, String preset) throws Exception {
        Camera cam = onvifCamera(id);
        cam.device.gotoPreset(profile(cam), preset, null).get(10, TimeUnit.SECONDS);
    }

    /**
     * A still picture from the camera itself (ONVIF Media {@code GetSnapshotUri}, then an HTTP GET with the camera's
     * login): what the console shows of a camera whose video the browser cannot decode (H.265 where Media Source
     * Extensions have no H.265), refreshed every second. The URI is asked once and kept.
     *
     * @param id the camera
     * @return the JPEG
     * @throws IllegalArgumentException for an unknown camera or one without ONVIF
     * @throws Exception                what the camera answered
     */
    public byte[] snapshot(String id) throws Exception {
        Camera cam = onvifCamera(id);
        URI u = cam.snapshotUri;
        if (u == null) {
            u = cam.device.getSnapshotUri(profile(cam)).get(10, TimeUnit.SECONDS).uri();
            cam.snapshotUri = u;
        }
        return cam.device.fetchSnapshot(u).get(10, TimeUnit.SECONDS);
    }

    /**
     * Sets a camera's clock to the centre's (GA 1383 时钟同步) and reads it back.
     *
     * @param id the camera
     * @throws IllegalArgumentException for an unknown camera or one without ONVIF
     * @throws Exception                what the camera answered
     */
    public void syncClock(String id) throws Exception {
        Camera cam = onvifCamera(id);
        cam.device.setSystemDateAndTime(scheduler.now()).get(10, TimeUnit.SECONDS);
        readClock(cam);
    }

    private Camera onvifCamera(String id) {
        Camera cam = cameras.get(id);
        if (cam == null) {
            throw new IllegalArgumentException("no camera " + id);
        }
        if (cam.device == null) {
            throw new IllegalArgumentException("camera " + id + " has no ONVIF address");
        }
        return cam;
    }

    private String profile(Camera cam) throws Exception {
        if (cam.profile == null) {
            List<MediaProfile> ps = cam.device.getProfiles().get(10, TimeUnit.SECONDS);
            if (ps.isEmpty()) {
                throw new IllegalArgumentException("camera " + cam.feed.config.id() + " has no media profile");
            }
            cam.profile = ps.get(0).token();
        }
        return cam.profile;
    }

    /**
     * Hands every ONVIF camera's clock offset to a sink — the offsets known now at once, then each as it is read
     * (every {@link #CLOCK_CHECK}, and after a {@link #syncClock}): the centre's device clock report (GA 1383
     * 设备校时) without the video plane depending on it.
     *
     * @param sink takes the camera's id and its clock minus the centre's
     */
    public void reportClocks(BiConsumer<String, Duration> sink) {
        clockSink = Objects.requireNonNull(sink, "sink");
        cameras.values().forEach(c -> {
            Duration off = c.feed.clockOffset();
            if (off != null) {
                sink.accept(c.feed.config.id(), off);
            }
        });
    }

    private void readClocks() {
        cameras.values().stream().filter(c -> c.device != null).forEach(this::readClock);
    }

    private void readClock(Camera cam) {
        cam.device.getSystemDateAndTime().whenComplete((t, err) -> {
            if (t != null) {
                cam.feed.clockOffset(cam.device.clockOffset());
                BiConsumer<String, Duration> sink = clockSink;
                if (sink != null && cam.device.clockOffset() != null) {
                    sink.accept(cam.feed.config.id(), cam.device.clockOffset());
                }
            } else {
                LOG.debug("camera {}: clock not read: {}", cam.feed.config.id(), err.toString());
            }
        });
    }

    /** The frame-rate and stream checks, every second: a change of a camera's fault is an event and a push. */
    private void checkHealth() {
        Instant now = scheduler.now();
        for (Camera cam : cameras.values()) {
            String f = fault(cam.feed, now);
            String before = cam.fault;
            if (Objects.equals(f, before)) {
                continue;
            }
            cam.fault = f;
            if (before == null) {
                cam.reported = f.startsWith("STREAM_LOST") ? "VIDEO_LOSS" : "LOW_FRAME_RATE";
                report(cam, cam.reported, f, Qualifier.NEW_EVENT, now);
                ticket(cam, true, now);
            } else if (f == null) {
                // the restore names what was reported, even when the fault changed kind meanwhile
                report(cam, cam.reported, before, Qualifier.RESTORE, now);
                ticket(cam, false, now);
            }
            push.accept(status(cam).put("type", "camera").toString());
        }
    }

    private static String fault(CameraFeed feed, Instant now) {
        Instant last = feed.lastFrameAt();
        Instant since = last == null ? feed.started() : last;
        if (feed.lost() || Duration.between(since, now).compareTo(STREAM_LOST) > 0) {
            return "STREAM_LOST" + (feed.lastError() == null ? "" : " (" + feed.lastError() + ")");
        }
        OptionalDouble fps = feed.framesPerSecond();
        if (fps.isPresent() && fps.getAsDouble() < MIN_FPS) {
            return String.format(java.util.Locale.ROOT, "LOW_FRAME_RATE %.1f fps < %.0f", fps.getAsDouble(), MIN_FPS);
        }
        return null;
    }

    private void report(Camera cam, String code, String what, Qualifier q, Instant now) {
        VideoConfig.Camera c = cam.feed.config;
        AlarmEvent e = AlarmEvent.builder().account(c.id()).protocol(Protocol.INTERNAL).transport(Transport.IP)
                .ingress(new Ingress("video", c.source()))
                .code(CodeSystem.ARC4J, code).qualifier(q).category(Category.VIDEO_FAULT)
                .description("camera " + c.id() + ": " + what + (q == Qualifier.RESTORE ? " restored" : ""))
                .zone(c.zone()).triggeredAt(now).receivedAt(now).build();
        intake.accept(List.of(e), IdempotencyKey.of("video", c.id(), code, q.name(), now.toString()))
                .whenComplete((r, err) -> LOG.info("camera {}: {} {} -> {}", c.id(), what, q, err == null ? r : err));
    }

    /**
     * The faults a camera reports over ONVIF (the video faults of {@code OnvifTopicMapping}: its disk, its recording
     * job, its video signal), each kept on the camera with a repair ticket until its restore comes. The alarm events
     * themselves reach the intake through the camera's event subscription, as any camera event does.
     */
    private void cameraFaults(Camera cam, List<AlarmEvent> raised) {
        for (AlarmEvent e : raised) {
            if (e.category() != Category.VIDEO_FAULT) {
                continue;
            }
            String kind = faultKind(e.code());
            Instant now = scheduler.now();
            if (e.qualifier() == Qualifier.RESTORE) {
                String[] was = cam.ownFaults.remove(kind);
                if (was != null) {
                    ledger.closeFault(was[1], now);
                }
            } else if (!cam.ownFaults.containsKey(kind)) {
                String t = "video-" + cam.feed.config.id() + "-" + kind.toLowerCase(java.util.Locale.ROOT) + "-"
                        + now.toEpochMilli();
                cam.ownFaults.put(kind, new String[] {kind + " " + e.code()
                        + (e.zone() == null ? "" : " (" + e.zone() + ")"), t});
                ledger.openFault(t, now, Category.VIDEO_FAULT.name(), false);
            } else {
                continue;
            }
            LOG.info("camera {}: {} {}", cam.feed.config.id(), e.code(), e.qualifier());
            push.accept(status(cam).put("type", "camera").toString());
        }
    }

    /**
     * Asks the GB/T 28181 device of each GB camera its DeviceStatus (GB/T 28181-2016 A.2.6.6): a device that is not
     * encoding ({@code Encode} OFF), not recording ({@code Record} OFF) or in error ({@code Status} ERROR, with its
     * {@code Reason}) is a camera fault — a {@code VIDEO_FAULT} event ({@code GB_ENCODER}, {@code GB_RECORDING},
     * {@code GB_DEVICE}) with a repair ticket, restored when a later answer no longer says so. Runs every
     * {@link #DEVICE_STATUS_CHECK}.
     */
    void checkGbDevices() {
        GbPlatform p = gbPlatform;
        if (p == null) {
            return;
        }
        for (Camera cam : cameras.values()) {
            GbCameraSource gb = cam.gb;
            String device = gb == null ? null : gb.device();
            if (device == null) {
                continue;
            }
            p.queryDeviceStatus(device).whenComplete((s, err) -> {
                if (s != null) {
                    gbStatus(cam, s);
                } else {
                    LOG.debug("camera {}: DeviceStatus of {} not read: {}", cam.feed.config.id(), device, err.toString());
                }
            });
        }
    }

    private void gbStatus(Camera cam, org.arc4j.gb28181.manscdp.DeviceStatusResponse s) {
        Map<String, String> faults = new LinkedHashMap<>();
        faults.put("ENCODER", "OFF".equalsIgnoreCase(s.encode()) ? "DeviceStatus Encode OFF" : null);
        faults.put("RECORDING", "OFF".equalsIgnoreCase(s.record()) ? "DeviceStatus Record OFF" : null);
        faults.put("DEVICE", "ERROR".equalsIgnoreCase(s.status())
                ? "DeviceStatus Status ERROR" + (s.reason() == null ? "" : " (" + s.reason() + ")") : null);
        Instant now = scheduler.now();
        faults.forEach((kind, what) -> {
            String[] was = cam.ownFaults.get(kind);
            if (what != null && was == null) {
                String t = "video-" + cam.feed.config.id() + "-" + kind.toLowerCase(java.util.Locale.ROOT) + "-"
                        + now.toEpochMilli();
                cam.ownFaults.put(kind, new String[] {kind + " " + what, t});
                ledger.openFault(t, now, Category.VIDEO_FAULT.name(), false);
                report(cam, "GB_" + kind, what, Qualifier.NEW_EVENT, now);
            } else if (what == null && was != null) {
                cam.ownFaults.remove(kind);
                ledger.closeFault(was[1], now);
                report(cam, "GB_" + kind, was[0], Qualifier.RESTORE, now);
            } else {
                return;
            }
            push.accept(status(cam).put("type", "camera").toString());
        });
    }

    /** @return what kind of camera fault an ONVIF video fault topic is */
    static String faultKind(String topic) {
        if (topic.contains("Storage")) {
            return "DISK";
        }
        if (topic.startsWith("Recording")) {
            return "RECORDING";
        }
        if (topic.contains("Loss")) {
            return "VIDEO_LOSS";
        }
        return "CAMERA";
    }

    /** Opens a repair ticket when a camera's fault starts and closes it when the camera recovers (GA 1383 故障维修). */
    private void ticket(Camera cam, boolean open, Instant now) {
        String id = cam.ticket;
        if (open) {
            String t = "video-" + cam.feed.config.id() + "-" + now.toEpochMilli();
            cam.ticket = t;
            ledger.openFault(t, now, Category.VIDEO_FAULT.name(), false);
        } else if (id != null) {
            cam.ticket = null;
            ledger.closeFault(id, now);
        }
    }

    /** @return every camera with its health, for {@code GET /api/video/cameras} */
    public ArrayNode cameras() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        cameras.values().stream().sorted((x, y) -> x.feed.config.id().compareTo(y.feed.config.id()))
                .forEach(c -> a.add(status(c)));
        return a;
    }

    /**
     * @param siteId a site
     * @return its cameras with their health
     */
    public ArrayNode cameras(String siteId) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        cameras().forEach(n -> {
            if (n.path("site").asText().equals(siteId)) {
                a.add(n);
            }
        });
        return a;
    }

    private ObjectNode status(Camera cam) {
        CameraFeed f = cam.feed;
        VideoConfig.Camera c = f.config;
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("site", c.site());
        n.put("zone", c.zone());
        if (c.x() != null && c.y() != null) {
            n.putObject("position").put("x", c.x()).put("y", c.y());
        }
        n.put("area", c.area());
        n.put("category", c.category());
        // browsing by device and channel: a GB/T 28181 device and its channel, or the RTSP server and its stream path
        if (c.gb28181() != null) {
            int slash = c.gb28181().indexOf('/');
            n.put("device", slash < 0 ? c.gb28181() : c.gb28181().substring(0, slash));
            n.put("channel", c.gb28181().substring(slash + 1));
        } else {
            URI u = URI.create(c.rtsp());
            n.put("device", u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
            n.put("channel", u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
        }
        n.put("onvif", cam.device != null);
        n.put("snapshot", cam.device != null); // pictures from the camera where the browser cannot play its video
        n.put("gb28181", c.gb28181());
        RtspState st = f.state();
        n.put("state", st == null ? null : st.name());
        n.put("codec", f.codec() == null ? null : f.codec().name());
        OptionalDouble fps = f.framesPerSecond();
        if (fps.isPresent()) {
            n.put("fps", Math.round(fps.getAsDouble() * 10) / 10.0);
        } else {
            n.putNull("fps");
        }
        n.put("lastFrameAt", f.lastFrameAt() == null ? null : f.lastFrameAt().toString());
        Instant oldest = f.buffer.oldest();
        Instant newest = f.buffer.newest();
        n.put("bufferedFrom", oldest == null ? null : oldest.toString());
        n.put("bufferedSeconds", oldest == null ? 0 : Duration.between(oldest, newest).toMillis() / 1000.0);
        n.put("preAlarmSeconds", f.buffer.depth().toSeconds());
        n.put("liveViewers", f.liveViewers());
        // the stream's fault first, else what the camera reports of itself; every fault with its ticket in faults
        String[] own = cam.ownFaults.values().stream().min(java.util.Comparator.comparing(x -> x[0])).orElse(null);
        n.put("fault", cam.fault != null ? cam.fault : own == null ? null : own[0]);
        n.put("ticket", cam.ticket != null ? cam.ticket : own == null ? null : own[1]);
        ArrayNode faults = n.putArray("faults");
        if (cam.fault != null) {
            faults.addObject().put("fault", cam.fault).put("ticket", cam.ticket);
        }
        cam.ownFaults.values().stream().sorted(java.util.Comparator.comparing(x -> x[0]))
                .forEach(x -> faults.addObject().put("fault", x[0]).put("ticket", x[1]));
        Duration off = f.clockOffset();
        if (off != null) {
            n.put("clockErrorSeconds", off.toMillis() / 1000.0);
        } else {
            n.putNull("clockErrorSeconds");
        }
        return n;
    }

    /**
     * @param caseId a case
     * @return its clips: camera, file, chosen start and state ({@code recording}, {@code recorded} with size and
     *         SHA-256, or {@code failed} with the reason)
     */
    public ArrayNode clips(String caseId) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Clip c : caseClips.getOrDefault(caseId, List.of())) {
            ObjectNode n = a.addObject();
            n.put("camera", c.camera());
            n.put("from", c.from().toString());
            ClipResult r = c.recording().result().toCompletableFuture().getNow(null);
            if (r == null) {
                n.put("state", "recording");
                n.put("file", c.planned().toString());
            } else if (r instanceof ClipResult.Recorded rec) {
                n.put("state", "recorded");
                n.put("file", rec.file().toString());
                n.put("bytes", rec.clip().bytes());
                n.put("sha256", rec.clip().sha256());
                n.put("start", rec.clip().start().toString());
                n.put("end", rec.clip().end().toString());
            } else if (r instanceof ClipResult.Failed fail) {
                n.put("state", "failed");
                n.put("file", fail.file().toString());
                n.put("reason", fail.reason().name());
                n.put("detail", fail.detail());
            }
        }
        return a;
    }

    /**
     * @param id a camera
     * @return its feed, or null
     */
    CameraFeed feed(String id) {
        Camera c = cameras.get(id);
        return c == null ? null : c.feed;
    }

    /**
     * @param r run (on the API's thread, must not block) after a camera was added, replaced or removed through the
     *          API, when {@link #configs()} already shows it; the cascade exports the change at once
     */
    public void onCamerasChanged(Runnable r) {
        camerasChanged.add(r);
    }

    /** @return the ids of the cameras, in order */
    public List<String> ids() {
        List<String> l = new ArrayList<>(cameras.keySet());
        l.sort(null);
        return l;
    }

    /** @return what each camera shows, by id, for the e-map */
    public Map<String, VideoConfig.Camera> configs() {
        Map<String, VideoConfig.Camera> m = new LinkedHashMap<>();
        ids().forEach(id -> {
            Camera c = cameras.get(id);
            if (c != null) {
                m.put(id, c.feed.config);
            }
        });
        return m;
    }

    /** Stops every camera, ends the clips (stored with what they have) and the ONVIF client. */
    @Override
    public synchronized void close() {
        timers.forEach(Cancellable::cancel);
        for (String id : List.copyOf(cameras.keySet())) {
            removeCamera(id);
        }
        clips.close();
        onvif.close();
        streams.shutdownNow();
        rtspLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
