package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.intake.AcceptanceQueue;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.metrics.JmxMetrics;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.KeyEncryptionKey;
import org.arc4j.core.security.Lockout;
import org.arc4j.core.security.LockoutPolicy;
import org.arc4j.core.security.PasswordHasher;
import org.arc4j.core.security.PasswordPolicy;
import org.arc4j.core.security.SessionManager;
import org.arc4j.core.security.UserDirectory;
import org.arc4j.core.security.VaultException;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.examples.center.admin.AdminStore;
import org.arc4j.examples.center.admin.Maintenance;
import org.arc4j.examples.center.api.AdminApi;
import org.arc4j.examples.center.api.CenterApi;
import org.arc4j.examples.center.api.VideoResource;
import org.arc4j.examples.center.cluster.CenterStore;
import org.arc4j.examples.center.cluster.PostgresStoreUrl;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.examples.center.http.HttpServer;
import org.arc4j.examples.center.http.Router;
import org.arc4j.examples.center.http.WebSocketHub;
import org.arc4j.examples.center.video.VideoService;
import org.arc4j.protocols.dc09.Dc09Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference alarm receiving centre ({@code bin/arc4j-center}): every SDK part assembled into one process.
 *
 * <p>What it runs: the durable {@link Journal} in {@code DATA/journal}; the credential vault in {@code DATA}
 * under a key-encryption key from {@code ARC4J_VAULT_KEY}, {@code ARC4J_VAULT_KEY_FILE} or, when neither is set,
 * a key generated once into {@code DATA.kek} beside (never inside) the data directory; the intake
 * ({@link StoreAlarmIntake}) behind an {@link AccountCheckingIntake} that flags alarms of unknown accounts; the
 * {@link AlarmPipeline}, recovered from the journal before anything is received; the {@link JournalledSupervisor};
 * the customer model from {@code --config} overlaid with the journalled API changes; the DC-09 receiver on TCP
 * and UDP, accepting the real-panel variants unless the config says {@code dc09.strict: true}; users and
 * sessions; quality statistics; JMX metrics under {@code org.arc4j.center}; the REST API, the WebSocket and
 * the console over HTTP.
 *
 * <p>Stopping ({@link #close()}, also the SIGTERM hook): receivers stop, the intake drains what is in flight,
 * the pipeline finishes what it was handed, and the journal closes: nothing acknowledged is lost.
 *
 * <p>With {@code --store postgresql://…} the records are in PostgreSQL instead of the journal, and two centres on
 * one database run as an active/standby pair ({@link CenterStore}): a standby waits before anything else starts,
 * and a leader that loses its lease exits with status 3.
 *
 * <p>GB/T 28181: {@link Gb28181Wiring} puts the SDK's platform on {@code --sip} (UDP and TCP) with the same
 * intake, supervisor and vault.
 */
public final class ReferenceCenter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceCenter.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** HTTP requests that may wait for a worker; more get 503 with Retry-After. */
    static final int HTTP_QUEUE = 256;
    /** Acceptances the pipeline may be behind the journal before new alarms are refused (about 1 s at 10,000/s). */
    static final int PIPELINE_QUEUE = 10_000;

    private final CenterOptions options;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** The switchover evidence of a leader on PostgreSQL, once it has started. */
    private volatile java.util.Optional<org.arc4j.examples.center.cluster.Switchovers> switchovers =
            java.util.Optional.empty();
    private SystemScheduler scheduler;
    private CenterStore store;
    private RecordStore journal;
    private CredentialVault vault;
    private AuditLog audit;
    private CenterModel model;
    private StoreAlarmIntake intake;
    private JournalledSupervisor supervisor;
    private AlarmPipeline pipeline;
    private AcceptanceQueue pipelineQueue;
    private ConsolePush push;
    private QualityLedger ledger;
    private EventIndex eventIndex;
    private PasswordPolicy passwordPolicy;
    private SessionManager sessions;
    private UserDirectory users;
    private CenterUsers userStore;
    private AccessControl access;
    private Dc09Receiver dc09;
    private Gb28181Wiring gb28181;
    private org.arc4j.examples.center.receive.ReceivePaths receivePaths;
    private org.arc4j.examples.center.supervise.SupervisionDuties duties;
    private org.arc4j.examples.center.forward.Forwarder forwarder;
    private VideoService video;
    private CascadeWiring cascade;
    private HttpServer http;
    private MetricsEndpoint metricsEndpoint;
    private ExecutorService workers;
    private WebSocketHub hub;
    private InetSocketAddress httpAddress;
    private volatile boolean closed;
    private Maintenance maintenance;
    private AdminStore admin;
    private org.arc4j.examples.center.terminal.LinkageActions linkage;

    private ReferenceCenter(CenterOptions options) {
        this.options = options;
    }

    /**
     * The command line entry: exit 2 with one line on stderr for bad flags or configuration.
     *
     * @param args the command line (see {@link CenterOptions#usage()})
     */
    public static void main(String[] args) {
        CenterOptions options;
        try {
            options = CenterOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("arc4j-center: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(CenterOptions.usage());
            return;
        }
        if (options.version()) {
            CenterOptions.commandLine().printVersionHelp(System.out);
            return;
        }
        ReferenceCenter centre;
        try {
            centre = start(options, System.getenv(), System.out);
        } catch (IllegalArgumentException | VaultException e) {
            System.err.println("arc4j-center: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("arc4j-center: cannot start: " + e);
            LOG.error("start failed", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            centre.close();
            System.out.println("arc4j-center: stopped; journal closed");
        }, "arc4j-center-shutdown"));
    }

    /**
     * Starts a centre.
     *
     * @param options  the options (ports may be 0 for any free port)
     * @param env      the environment ({@code ARC4J_ADMIN_PASSWORD}, {@code ARC4J_VAULT_KEY},
     *                 {@code ARC4J_VAULT_KEY_FILE}, {@code ARC4J_METRICS_TOKEN})
     * @param terminal where the start messages and a generated password go (never to the log)
     * @return the running centre
     * @throws IllegalArgumentException for a bad configuration, with a one-line message
     * @throws Exception                for anything else that prevents the start
     */
    public static ReferenceCenter start(CenterOptions options, Map<String, String> env, PrintStream terminal)
            throws Exception {
        CenterConfig config = options.config() == null ? CenterConfig.empty() : CenterConfig.load(options.config());
        ReferenceCenter c = new ReferenceCenter(options);
        try {
            c.startUp(config, env, terminal);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void startUp(CenterConfig config, Map<String, String> env, PrintStream terminal) throws Exception {
        Path data = options.data().toAbsolutePath().normalize();
        Files.createDirectories(data);
        int n = INSTANCES.getAndIncrement();
        // every instrument is an MXBean (JMX) and a Micrometer meter scraped at GET /metrics
        metricsEndpoint = new MetricsEndpoint(env.get("ARC4J_METRICS_TOKEN"));
        Metrics metrics = metricsEndpoint.metrics(new JmxMetrics(ManagementFactory.getPlatformMBeanServer(),
                n == 0 ? "org.arc4j.center" : "org.arc4j.center." + n));
        scheduler = new SystemScheduler();
        toClose.add(scheduler);
        Path backups = Path.of(env.getOrDefault("ARC4J_BACKUP_DIR", data.resolve("backups").toString()));
        if (options.store() == null) {
            Maintenance.restoreIfAsked(env, data.resolve("journal"), terminal);
            store = CenterStore.journal(data.resolve("journal"), scheduler, metrics, backups);
        } else {
            // active/standby on PostgreSQL (issue 24): a standby waits here until the leader's lease ends
            store = CenterStore.postgres(PostgresStoreUrl.parse(options.store(), env),
                    env.getOrDefault("ARC4J_NODE", "node-" + ProcessHandle.current().pid()), scheduler,
                    Duration.ofMillis(500), terminal, this::deposed);
        }
        toClose.add(0, store);
        journal = store.records();
        vault = CredentialVault.open(data, kek(env, data, terminal));
        audit = new AuditLog(journal, scheduler.clock());

        model = CenterModel.load(config, options.config(), journal, scheduler.clock());
        importKeys(config);
        // administration (GA 1383 系统管理, 数据维护): customer changes are records in the journal, each backed up
        // each backup holds the vault and a generated key too (Maintenance); alarm data daily (GA 1383 数据维护)
        maintenance = new Maintenance(store.backup(), backups, scheduler.clock(), data.resolve(CredentialVault.FILE_NAME),
                env.get("ARC4J_VAULT_KEY") != null ? null : env.get("ARC4J_VAULT_KEY_FILE") != null
                        ? Path.of(env.get("ARC4J_VAULT_KEY_FILE")) : data.resolveSibling(data.getFileName() + ".kek"));
        if (store.onlineBackups()) {
            toClose.add(0, maintenance.every(scheduler, Duration.ofDays(1)));
        }
        admin = AdminStore.open(journal, model.directory(), audit, scheduler.clock(),
                id -> pipeline.openCases().stream().anyMatch(c -> id.equals(c.customerId())));
        passwordPolicy = PasswordPolicy.defaults();
        // the GB/T 28181 devices as the administration API changes them, for remote control and linkage at once
        org.arc4j.examples.center.terminal.GbDevices gbDevices = new org.arc4j.examples.center.terminal.GbDevices();
        config.gb28181().devices().forEach(dv -> gbDevices.put(dv.id(), dv.site()));
        org.arc4j.examples.center.admin.DeviceStore adminDevices = org.arc4j.examples.center.admin.DeviceStore.open(
                journal, config.gb28181().devices(), admin, vault, passwordPolicy, audit, scheduler.clock(),
                (id, site) -> {
                    model.gbDevice(id, site);
                    gbDevices.bind(id, site);
                });
        // account, customer, site and device changes in the order they were made, so that a restart changes nothing
        org.arc4j.examples.center.admin.ConfigReplay.replay(journal, List.of(model::applyStored, admin::applyStored,
                adminDevices::applyStored));
        java.util.function.Consumer<String> aroundChange = store.onlineBackups() ? maintenance::backup : why -> { };
        admin.aroundChange(aroundChange);
        model.backups().hook(aroundChange);
        adminDevices.backups().hook(aroundChange);

        supervisor = JournalledSupervisor.open(journal, scheduler);
        // the intake remembers every message of the window with its events (for duplicate receipts): the window
        // bounds that memory; DC-09 panels retransmit within seconds to minutes
        intake = StoreAlarmIntake.open(journal, scheduler.clock(), new EventIdGenerator(scheduler.clock()), 1 << 16,
                config.intake().window());
        // rebuilt from the journal before the pipeline recovers, so that what recovery writes is counted once, live
        // rebuilt on a thread of its own: the receivers start without waiting for a replay of the whole history
        ledger = QualityLedger.openInBackground(journal, scheduler.clock());
        access = AccessControl.defaults();
        pipeline = AlarmPipeline.builder(journal, scheduler)
                .directory(model.directory())
                .rules(model.rules())
                // every operator step is checked here, by the SDK's table, against the user who takes it (the
                // directory is made below, before any step can arrive)
                .authorizer(new CaseAccess(access, name -> users.user(name)))
                .supervisor(supervisor)
                .siaCodes(CodeTables.sia())
                .metrics(metrics)
                .build();
        // administered rules and action plans (issue 23): the file's, then the journal's changes, kept in force
        org.arc4j.examples.center.admin.RuleStore adminRules = org.arc4j.examples.center.admin.RuleStore.open(
                journal, model.rules(), audit, scheduler.clock(), r -> {
                    model.planSteps(r);
                    pipeline.rules(r);
                }, aroundChange);
        hub = new WebSocketHub();
        push = new ConsolePush(hub, named("arc4j-center-push"), ConsolePush.CAPACITY);
        CaseViews views = new CaseViews(model);
        pipeline.addListener(ledger::onPipelineEvent);
        pipeline.addListener(e -> {
            if (e instanceof PipelineEvent.CaseChanged changed) {
                push.push(() -> {
                    ObjectNode msg = JsonNodeFactory.instance.objectNode();
                    msg.put("type", "case");
                    msg.set("case", views.summary(changed.c()));
                    return msg.toString();
                });
            }
        });
        supervisor.addListener(ledger::onSupervisionEvent);
        supervisor.addListener(e -> push.push(() -> {
            ObjectNode msg = JsonNodeFactory.instance.objectNode();
            msg.put("type", "device");
            msg.put("device", e.device().toString());
            msg.put("online", e instanceof SupervisionEvent.Online);
            msg.put("at", e.at().toString());
            return msg.toString();
        }));
        // linkage rules carried out (issue 22): listening before anything is received; what cases opened before the
        // remote control exists request is held and carried out once it does (LinkageActions.ready)
        linkage = new org.arc4j.examples.center.terminal.LinkageActions(audit);
        toClose.add(0, linkage);
        pipeline.addListener(linkage::onPipelineEvent);
        int recovered = pipeline.recover();
        // the intake's listeners run on the journal's writer thread: hand the events over at once, on a bounded
        // queue; when the pipeline falls that far behind, new alarms are refused (not ACKed) until it catches up
        pipelineQueue = AcceptanceQueue.attach(intake, "arc4j-center-pipeline", PIPELINE_QUEUE,
                pipeline::onAccepted);
        // the event index reads the history on the journal's subscription thread: the receivers start (and ACK)
        // without waiting for it; the HTTP API waits below, so that it never answers from half an index
        long next = journal.nextPosition();
        eventIndex = new EventIndex(journal);

        sessions = new SessionManager(scheduler, Duration.ofHours(8), new SecureRandom());
        users = new UserDirectory(passwordPolicy, PasswordHasher.defaults(),
                new Lockout(LockoutPolicy.DEFAULT, scheduler.clock()), sessions, audit, scheduler.clock());
        userStore = new CenterUsers(users, vault, passwordPolicy);
        userStore.restore(env, data, terminal);
        userStore.backups().hook(aroundChange); // user changes are backed up too (GA 1383 数据维护: 系统管理)

        CenterConfig.Dc09 d = config.dc09();
        Dc09Receiver.Builder rb = Dc09Receiver.builder(new AccountCheckingIntake(intake, model::knows), vault,
                        supervisor, scheduler)
                .strict(d.strict())
                .timestampWindow(d.behind(), d.ahead())
                .metrics(metrics)
                .pollExpectation(model::maxSilence)
                .threads(2);
        if (options.dc09Tcp() >= 0) {
            rb.tcp(new InetSocketAddress(options.bind(), options.dc09Tcp()));
        }
        if (options.dc09Udp() >= 0) {
            rb.udp(new InetSocketAddress(options.bind(), options.dc09Udp()));
        }
        dc09 = rb.build().start();
        gb28181 = Gb28181Wiring.start(options, config, scheduler, new AccountCheckingIntake(intake, model::knows),
                supervisor, vault, metrics, audit);
        // Contact ID over PSTN, serial/TCP receivers and automation outputs (docs/center-links.md)
        org.arc4j.examples.center.config.LinksConfig links = options.config() == null
                ? org.arc4j.examples.center.config.LinksConfig.empty()
                : org.arc4j.examples.center.config.LinksConfig.load(options.config());
        receivePaths = org.arc4j.examples.center.receive.ReceivePaths.start(options.bind(), options.pstnSip(),
                links.receive(), config.customers().size(), new AccountCheckingIntake(intake, model::knows), intake,
                supervisor, scheduler, metrics, terminal);
        // supervision prompts, fault tickets, inspection and clock report; forwards sent to their targets
        duties = org.arc4j.examples.center.supervise.SupervisionDuties.start(supervisor, scheduler, journal,
                msg -> push.push(msg::toString), links.supervision());
        intake.addListener(duties::accepted);
        forwarder = org.arc4j.examples.center.forward.Forwarder.start(data,
                org.arc4j.examples.center.forward.Forwarder.targets(links.forward(), vault, scheduler), pipeline,
                views::summary, scheduler, links.forward().firstRetry(), links.forward().maxRetry(),
                text -> duties.raise("forward", "forward", text));
        forwarder.superviseTerminals(supervisor, Duration.ofHours(24));
        forwarder.checkWebhooks(Duration.ofHours(24)); // a daily signed test POST; a failing webhook is prompted

        video = VideoService.start(config.video(), new VideoService.Parts(scheduler, journal, data, vault,
                new AccountCheckingIntake(intake, model::knows), supervisor, metrics, json -> push.push(() -> json),
                model::addCamera, config.customers().stream().flatMap(cu -> cu.sites().stream())
                        .map(CenterConfig.Site::id).collect(java.util.stream.Collectors.toSet()), ledger),
                config.customers().stream().flatMap(cu -> cu.sites().stream().map(st -> Map.entry(st.id(), cu.id())))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                                (a, b) -> a)));
        pipeline.addListener(video::onPipelineEvent);
        video.reportClocks((camera, skew) -> duties.report("camera " + camera, "ONVIF", skew)); // clock report
        video.gb28181(gb28181.platform()); // cameras whose video is a GB/T 28181 channel
        cascade = CascadeWiring.start(options, config, scheduler, journal, pipeline, vault, supervisor,
                gb28181.platform(), video);

        // a bounded queue: a flood of requests gets 503 instead of growing the heap
        workers = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(HTTP_QUEUE),
                named("arc4j-center-http"), new ThreadPoolExecutor.AbortPolicy());
        CenterApi.Services apiParts = new CenterApi.Services(scheduler.clock(), journal, eventIndex, intake, pipeline,
                views, model, supervisor, ledger, vault, audit, passwordPolicy, sessions, users, userStore, access);
        Router api = CenterApi.casesFromStore(CenterApi.router(apiParts), apiParts, store.queries())
                .get("/metrics", metricsEndpoint::scrape);
        org.arc4j.examples.center.api.ApiGuard apiGuard = new org.arc4j.examples.center.api.ApiGuard(sessions,
                access, audit);
        forwarder.routes(duties.routes(api, apiGuard), apiGuard);
        AdminApi.Services adminParts = new AdminApi.Services(scheduler.clock(), journal,
                java.util.Optional.of(store.retention().retentionPolicy()), admin, maintenance, ledger, audit, access,
                sessions, users, userStore, new AccountCheckingIntake(intake, model::knows), store.queries());
        AdminApi.eventsOfCustomers(AdminApi.routes(api, adminParts), adminParts, model::accountsOf);
        org.arc4j.examples.center.api.SwitchoverTestResource.routes(api, () -> switchovers, scheduler, sessions,
                access, audit);
        org.arc4j.examples.center.api.RuleResource.routes(api, adminRules, adminDevices, sessions, access, audit);
        if (!eventIndex.awaitCaughtUp(next, 120_000)) {
            LOG.warn("the event index has not read the whole journal yet; /api/events may miss old events for a while");
        }
        http = new HttpServer(new InetSocketAddress(options.bind(), options.http()), api, workers, hub,
                token -> sessions.resolve(Secret.ofUtf8(token)).isPresent());
        org.arc4j.examples.center.video.EmapEdits emap = org.arc4j.examples.center.video.EmapEdits.open(journal,
                data, scheduler.clock(), config.customers().stream().flatMap(cu -> cu.sites().stream())
                        .map(CenterConfig.Site::id).collect(java.util.stream.Collectors.toSet()));
        VideoResource.routes(api, video, new SitePlans(config, model, video, emap)::json, sessions, access, audit,
                pipeline, views, model.directory());
        org.arc4j.examples.center.api.EmapResource.routes(api, emap, sessions, access, audit); // e-map editor
        http.socket("/ws/video", VideoResource.streams(video, sessions, access, audit, model.directory(), pipeline));
        // remote control, terminals and operator work recordings (docs/center-terminals.md)
        org.arc4j.examples.center.terminal.RemoteControl control = org.arc4j.examples.center.terminal.RemoteControl
                .start(gbDevices, gb28181.platform(), video::configs, vault, scheduler, audit, m -> push.push(() -> m));
        toClose.add(control);
        linkage.ready(control);
        org.arc4j.examples.center.api.TerminalApi.routes(api, new org.arc4j.examples.center.api.TerminalApi.Parts(
                sessions, access, audit, config, control, pipeline, views, forwarder, video,
                new org.arc4j.examples.center.terminal.OnSitePhotos(data, journal, scheduler.clock()),
                new org.arc4j.examples.center.terminal.WorkRecords(data, journal, scheduler.clock())));
        httpAddress = http.start();

        terminal.println("arc4j-center: " + store + " (" + eventIndex.size() + " events, "
                + recovered + " open cases recovered)");
        terminal.println("arc4j-center: DC-09 tcp " + dc09.tcpPort() + " udp " + dc09.udpPort() + " on "
                + options.bind() + (d.strict() ? " (strict)" : " (real-panel variants accepted)"));
        terminal.println("arc4j-center: GB/T 28181 platform " + options.sipId() + " (domain " + options.sipDomain()
                + ") SIP udp " + port(gb28181.udp()) + " tcp " + port(gb28181.tcp()) + " on " + options.bind());
        terminal.println("arc4j-center: console and API http://" + hostForUrl(options.bind()) + ":"
                + httpAddress.getPort() + "/");
        terminal.flush();
        // on PostgreSQL: the takeover that made this node the leader is recorded now that it answers again
        switchovers = store.switchovers(scheduler.clock(), scheduler, switchoverEvery(env));
        switchovers.ifPresent(s -> toClose.add(0, s));
    }

    /** @return {@code ARC4J_SWITCHOVER_TEST_DAYS} (1 to 30, default 30): the scheduled switchover test's interval */
    private static Duration switchoverEvery(Map<String, String> env) {
        String v = env.get("ARC4J_SWITCHOVER_TEST_DAYS");
        try {
            return org.arc4j.examples.center.cluster.Switchovers.checkInterval(
                    v == null ? Duration.ofDays(30) : Duration.ofMillis((long) (Double.parseDouble(v) * 86_400_000)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ARC4J_SWITCHOVER_TEST_DAYS must be a number of days, got " + v);
        }
    }

    /** How long a deposed leader's shutdown may take before the process halts. */
    private static final Duration DEPOSED_EXIT_GRACE = Duration.ofSeconds(10);

    /**
     * The leader lease on PostgreSQL was lost (the database unreachable, or another node took over): the database
     * already refuses this node's appends, so it acknowledges nothing more; it exits with status 3, through the
     * shutdown hook (or, when closing hangs on the lost database, halted {@link #DEPOSED_EXIT_GRACE} later), and a
     * service manager restarts it as the standby.
     */
    private void deposed(long epoch) {
        System.err.println("arc4j-center: lost the leader lease (epoch " + epoch + "); exiting with status 3");
        Thread t = new Thread(() -> System.exit(3), "arc4j-center-deposed");
        t.start();
        // closing waits for the database (the store's queue, the pool) and a lost database never answers: what
        // closing would still commit is refused anyway, so the exit does not wait for it for long
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(DEPOSED_EXIT_GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("arc4j-center: shutdown did not end within " + DEPOSED_EXIT_GRACE.toSeconds()
                    + " s after losing the lease; halting");
            Runtime.getRuntime().halt(3);
        }, "arc4j-center-deposed-halt");
        halt.setDaemon(true);
        halt.start();
    }

    private static String port(InetSocketAddress a) {
        return a == null ? "-" : Integer.toString(a.getPort());
    }

    private static String hostForUrl(String bind) {
        return bind.equals("0.0.0.0") ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private static ThreadFactory named(String name) {
        AtomicInteger i = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + i.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The vault's key-encryption key: {@code ARC4J_VAULT_KEY}, else the file named by {@code ARC4J_VAULT_KEY_FILE},
     * else {@code DATA.kek} beside the data directory, generated (mode 0600) on the first start.
     */
    private static KeyEncryptionKey kek(Map<String, String> env, Path data, PrintStream terminal) throws IOException {
        if (env.get("ARC4J_VAULT_KEY") != null) {
            return KeyEncryptionKey.fromEnvironment("ARC4J_VAULT_KEY", env);
        }
        if (env.get("ARC4J_VAULT_KEY_FILE") != null) {
            return KeyEncryptionKey.fromFile(Path.of(env.get("ARC4J_VAULT_KEY_FILE")), data);
        }
        Path file = data.resolveSibling(data.getFileName() + ".kek");
        if (!Files.exists(file)) {
            Secret k = KeyEncryptionKey.generate(new SecureRandom());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, k.revealUtf8() + "\n");
            terminal.println("arc4j-center: no ARC4J_VAULT_KEY or ARC4J_VAULT_KEY_FILE: generated the credential "
                    + "vault's key into " + file + " (mode 0600); keep it apart from backups of " + data);
        }
        return KeyEncryptionKey.fromFile(file, data);
    }

    /** Keys in the file go into the vault unless the API has set one for that account since. */
    private void importKeys(CenterConfig config) {
        for (CenterConfig.Customer cu : config.customers()) {
            for (CenterConfig.Site s : cu.sites()) {
                for (CenterConfig.Account a : s.accounts()) {
                    if (a.dc09Key() == null) {
                        continue;
                    }
                    CredentialKey key = CredentialKey.of(CredentialKind.DC09_KEY, a.account());
                    boolean fromApi = vault.find(key).map(x -> "api".equals(x.option("source"))).orElse(false);
                    if (fromApi) {
                        continue;
                    }
                    boolean text = "text".equals(a.keyFormat());
                    Secret secret = text ? Secret.ofUtf8(a.dc09Key()) : Secret.ofHex(a.dc09Key());
                    Credential want = new Credential(null, secret, Map.of(Credential.OPTION_KEY_FORMAT,
                            text ? "text" : "hex", "source", "file"));
                    boolean same = vault.find(key).map(x -> x.secret().equals(secret)
                            && want.options().equals(x.options())).orElse(false);
                    if (!same) {
                        vault.put(key, want);
                    }
                }
            }
        }
        for (CenterConfig.Device dev : config.gb28181().devices()) {
            if (dev.password() == null) {
                continue;
            }
            CredentialKey key = CredentialKey.of(CredentialKind.SIP_PASSWORD, dev.id());
            boolean fromApi = vault.find(key).map(x -> "api".equals(x.option("source"))).orElse(false);
            if (!fromApi && vault.find(key).map(x -> !x.secret().equals(Secret.ofUtf8(dev.password())))
                    .orElse(true)) {
                vault.put(key, new Credential(dev.id(), Secret.ofUtf8(dev.password()), Map.of("source", "file")));
            }
        }
    }

    /** @return the bound HTTP address */
    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** @return the bound DC-09 TCP port, or -1 */
    public int dc09TcpPort() {
        return dc09.tcpPort();
    }

    /** @return the bound GB/T 28181 SIP UDP port */
    public int sipUdpPort() {
        return gb28181.udp().getPort();
    }

    /** @return the bound GB/T 28181 SIP TCP port */
    public int sipTcpPort() {
        return gb28181.tcp().getPort();
    }

    /** @return the Contact ID over PSTN gateway's SIP port, or -1 when it is off */
    public int pstnSipPort() {
        return receivePaths.pstnSipPort();
    }

    /** @return the bound DC-09 UDP port, or -1 */
    public int dc09UdpPort() {
        return dc09.udpPort();
    }

    /**
     * Stops cleanly: receivers first (no new messages), then the intake drains what it has in flight (up to
     * 10 s), the pipeline finishes what it was handed, the HTTP server stops and the journal closes.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        quietly(dc09);
        quietly(gb28181);
        quietly(receivePaths);
        quietly(forwarder);
        quietly(duties);
        quietly(video);
        quietly(cascade);
        if (intake != null) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (intake.inFlight() > 0 && System.nanoTime() < end) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(5); // waiting for real disk I/O to finish, not for a timer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            intake.close();
        }
        if (pipelineQueue != null) {
            pipelineQueue.close();
        }
        quietly(pipeline);
        quietly(http);
        quietly(push);
        if (workers != null) {
            workers.shutdownNow();
        }
        quietly(eventIndex);
        for (AutoCloseable a : toClose) {
            quietly(a);
        }
    }

    private static void quietly(AutoCloseable a) {
        if (a == null) {
            return;
        }
        try {
            a.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", a.getClass().getSimpleName(), e);
        }
    }
}
