package org.arc4j.examples.center.terminal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.examples.center.video.VideoConfig;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.protocols.onvif.OnvifClient;
import org.arc4j.protocols.onvif.OnvifDevice;
import org.arc4j.protocols.onvif.OnvifDeviceConfig;
import org.arc4j.protocols.onvif.RelayOutput;

/**
 * The centre's remote control (GA 1383 远程控制): arming and disarming GB/T 28181 devices ({@code DeviceControl}
 * with {@code GuardCmd SetGuard/ResetGuard}, answered by the device's DeviceControl Response), resetting their alarms
 * ({@code AlarmCmd ResetAlarm}) and linkage outputs on
 * ONVIF cameras ({@code SetRelayOutputState}: lights, sirens, locks, intercom). DC-09 panels are not commanded: the
 * centre's DC-09 receiver has no remote-command channel, so their arming stays with the panel.
 *
 * <p>Every command is audited twice ({@code REMOTE_CONTROL}): durably before it is sent, with who sent it, and when
 * the device answered, failed or timed out (the GB/T 28181 platform's query timeout; the ONVIF client's request
 * timeout). A
 * command's state is kept in memory (the last {@value #KEPT} commands) for the terminal to show; the audit log is the
 * durable record. Who may send what is checked by the caller ({@code ControlResource}). Thread-safe.
 */
public final class RemoteControl implements AutoCloseable {
    /** How many commands are kept for display. */
    static final int KEPT = 500;

    /** What a command has come to. */
    public enum State {
        /** Sent; no answer yet. */
        SENT,
        /** The device carried it out. */
        OK,
        /** The device answered that it did not. */
        ERROR,
        /** No answer in time. */
        TIMEOUT,
        /** It could not be sent (device not registered, refused, unreachable). */
        FAILED
    }

    /**
     * A command and what came of it.
     *
     * @param id       its id
     * @param kind     {@code guard}, {@code alarm} or {@code relay}
     * @param device   the device (GB/T 28181 ID or camera id)
     * @param command  what was asked ({@code arm}, {@code disarm}, {@code reset-alarm},
     *                 {@code RELAYTOKEN=active|inactive})
     * @param by       the user who sent it
     * @param sentAt   when it was sent
     * @param state    what came of it
     * @param result   the device's answer or the failure, or null while {@link State#SENT}
     * @param answeredAt when it ended, or null
     */
    public record Command(String id, String kind, String device, String command, String by, Instant sentAt,
                          State state, String result, Instant answeredAt) {
        Command ended(State s, String r, Instant at) {
            return new Command(id, kind, device, command, by, sentAt, s, r, at);
        }
    }

    /**
     * A controllable device.
     *
     * @param id     its id
     * @param kind   {@code gb28181} or {@code onvif}
     * @param name   its name
     * @param siteId its site, or null
     */
    public record Target(String id, String kind, String name, String siteId) {
    }

    private final GbPlatform gb;
    private final Supplier<Map<String, String>> gbDevices;
    private final Supplier<Map<String, VideoConfig.Camera>> cameras;
    private final OnvifClient onvif;
    private final Map<String, OnvifDevice> onvifDevices = new ConcurrentHashMap<>();
    private final AuditLog audit;
    private final Clock clock;
    private final Consumer<Command> changed;
    private final Map<String, Command> commands = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param gb        the GB/T 28181 platform (null: none)
     * @param gbDevices the configured GB/T 28181 devices: id to site (site may be null)
     * @param cameras   the cameras, by id (those with an ONVIF address have relays)
     * @param onvif     the ONVIF client (camera logins from the vault)
     * @param audit     where commands and answers are audited
     * @param clock     the centre's clock
     * @param changed   told of every command's change (for the consoles' push)
     */
    public RemoteControl(GbPlatform gb, Map<String, String> gbDevices,
                         Supplier<Map<String, VideoConfig.Camera>> cameras, OnvifClient onvif, AuditLog audit,
                         Clock clock, Consumer<Command> changed) {
        this(gb, fixed(gbDevices), cameras, onvif, audit, clock, changed);
    }

    /**
     * A remote control whose GB/T 28181 devices may change while it runs: each call asks {@code gbDevices} again, so
     * a device added through the administration API ({@link GbDevices}) can be commanded, and is found by linkage
     * rules, at once, without a restart.
     *
     * @param gb        the GB/T 28181 platform (null: none)
     * @param gbDevices the GB/T 28181 devices now: id to site (site may be null)
     * @param cameras   the cameras, by id (those with an ONVIF address have relays)
     * @param onvif     the ONVIF client (camera logins from the vault)
     * @param audit     where commands and answers are audited
     * @param clock     the centre's clock
     * @param changed   told of every command's change (for the consoles' push)
     */
    public RemoteControl(GbPlatform gb, Supplier<Map<String, String>> gbDevices,
                         Supplier<Map<String, VideoConfig.Camera>> cameras, OnvifClient onvif, AuditLog audit,
                         Clock clock, Consumer<Command> changed) {
        this.gb = gb;
        this.gbDevices = Objects.requireNonNull(gbDevices, "gbDevices");
        this.cameras = Objects.requireNonNull(cameras, "cameras");
        this.onvif = Objects.requireNonNull(onvif, "onvif");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    private static Supplier<Map<String, String>> fixed(Map<String, String> devices) {
        Map<String, String> copy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices));
        return () -> copy;
    }

    /**
     * The centre's remote control: its GB/T 28181 devices (the configuration's and the administration API's, as they
     * are now) and the cameras of the video plane.
     *
     * @param devices   the GB/T 28181 devices and their sites, kept current by the administration API
     * @param gb        the GB/T 28181 platform
     * @param cameras   the cameras, by id
     * @param vault     the camera logins ({@code ONVIF_LOGIN}, scope the camera id)
     * @param scheduler the centre's scheduler
     * @param audit     the audit log
     * @param push      where command changes go, as console JSON messages
     * @return the remote control
     */
    public static RemoteControl start(GbDevices devices, GbPlatform gb,
                                      Supplier<Map<String, VideoConfig.Camera>> cameras,
                                      org.arc4j.core.credentials.CredentialStore vault,
                                      org.arc4j.core.time.Scheduler scheduler, AuditLog audit,
                                      Consumer<String> push) {
        return new RemoteControl(gb, devices::snapshot, cameras, OnvifClient.builder(scheduler, vault).build(), audit,
                scheduler.clock(), c -> {
                    com.fasterxml.jackson.databind.node.ObjectNode m =
                            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                    m.put("type", "control").put("id", c.id()).put("device", c.device()).put("state",
                            c.state().name());
                    push.accept(m.toString());
                });
    }

    /** @return every device commands can go to */
    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        gbDevices.get().forEach((id, site) -> out.add(new Target(id, "gb28181", id, site)));
        cameras.get().forEach((id, c) -> {
            if (c.onvif() != null) {
                out.add(new Target(id, "onvif", c.name() == null ? id : c.name(), c.site()));
            }
        });
        out.sort(java.util.Comparator.comparing(Target::id));
        return out;
    }

    /**
     * @param id a device id
     * @return the device, or null when commands cannot go to it
     */
    public Target target(String id) {
        for (Target t : targets()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Arms or disarms a GB/T 28181 device; the returned command is {@link State#SENT} and changes when the device
     * answers.
     *
     * @param deviceId the device
     * @param arm      true to arm
     * @param by       who sends it
     * @return the command
     * @throws IllegalArgumentException if it is no GB/T 28181 device of the centre
     * @throws IllegalStateException    if the audit log cannot be written (then nothing is sent)
     */
    public Command guard(String deviceId, boolean arm, Actor by) {
        if (gb == null || !gbDevices.get().containsKey(deviceId)) {
            throw new IllegalArgumentException("no GB/T 28181 device " + deviceId);
        }
        Command c = begin("guard", deviceId, arm ? "arm" : "disarm", by);
        CompletableFuture<ManscdpDocument> answer;
        try {
            answer = gb.guardAnswered(deviceId, arm);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answered(c, by, answer);
        return c;
    }

    /**
     * Resets a GB/T 28181 device's alarm ({@code DeviceControl AlarmCmd ResetAlarm}): the device's alarm output
     * stops and it reports alarms again. The returned command is {@link State#SENT} and changes when the device
     * answers. A DC-09 panel has no such command: DC-09 carries reports from the panel only, with no downlink.
     *
     * @param deviceId the device
     * @param by       who sends it
     * @return the command
     * @throws IllegalArgumentException if it is no GB/T 28181 device of the centre
     * @throws IllegalStateException    if the audit log cannot be written (then nothing is sent)
     */
    public Command resetAlarm(String deviceId, Actor by) {
        if (gb == null || !gbDevices.get().containsKey(deviceId)) {
            throw new IllegalArgumentException("no GB/T 28181 device " + deviceId);
        }
        Command c = begin("alarm", deviceId, "reset-alarm", by);
        CompletableFuture<ManscdpDocument> answer;
        try {
            answer = gb.resetAlarmAnswered(deviceId, null, null);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answered(c, by, answer);
        return c;
    }

    private void answered(Command c, Actor by, CompletableFuture<ManscdpDocument> answer) {
        answer.whenComplete((doc, err) -> {
            if (err != null) {
                end(c, by, err);
            } else {
                String result = doc.text("Result");
                end(c, by, "OK".equalsIgnoreCase(result) ? State.OK : State.ERROR,
                        result == null ? "no Result" : result);
            }
        });
    }

    /**
     * Switches a relay output of an ONVIF camera.
     *
     * @param cameraId the camera
     * @param token    the relay token ({@code GetRelayOutputs})
     * @param active   true for the active state
     * @param by       who sends it
     * @return the command
     * @throws IllegalArgumentException if the camera has no ONVIF address or the token is malformed
     * @throws IllegalStateException    if the audit log cannot be written (then nothing is sent)
     */
    public Command relay(String cameraId, String token, boolean active, Actor by) {
        if (token == null || !token.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new IllegalArgumentException("relay token must be 1 to 64 letters, digits or _ . : -");
        }
        OnvifDevice d = device(cameraId);
        Command c = begin("relay", cameraId, token + "=" + (active ? "active" : "inactive"), by);
        d.setRelayOutputState(token, active).whenComplete((v, err) -> {
            if (err != null) {
                end(c, by, err);
            } else {
                end(c, by, State.OK, token + " " + (active ? "active" : "inactive"));
            }
        });
        return c;
    }

    /**
     * A camera's relay outputs.
     *
     * @param cameraId the camera
     * @return its relays, as the camera lists them
     * @throws IllegalArgumentException if the camera has no ONVIF address
     */
    public CompletableFuture<List<RelayOutput>> relays(String cameraId) {
        return device(cameraId).getRelayOutputs();
    }

    private OnvifDevice device(String cameraId) {
        VideoConfig.Camera cam = cameras.get().get(cameraId);
        if (cam == null || cam.onvif() == null) {
            throw new IllegalArgumentException("no ONVIF camera " + cameraId);
        }
        return onvifDevices.computeIfAbsent(cameraId + "|" + cam.onvif(), k -> onvif.device(
                OnvifDeviceConfig.of(URI.create(cam.onvif()), cameraId).withEndpointReference(cameraId)));
    }

    /**
     * @param id a command's id
     * @return the command, or null
     */
    public Command command(String id) {
        return commands.get(id);
    }

    /** @return the kept commands, newest first */
    public List<Command> commands() {
        List<Command> l = new ArrayList<>(commands.values());
        l.sort((a, b) -> b.sentAt().compareTo(a.sentAt()) != 0 ? b.sentAt().compareTo(a.sentAt())
                : b.id().compareTo(a.id()));
        return l;
    }

    private Command begin(String kind, String device, String command, Actor by) {
        Command c = new Command(String.format("rc-%06d", ids.incrementAndGet()), kind, device, command,
                by.username(), clock.instant(), State.SENT, null, null);
        commands.put(c.id(), c);
        if (commands.size() > KEPT) {
            commands().stream().skip(KEPT).forEach(o -> commands.remove(o.id()));
        }
        // sent only once its trace is on disk: a crash right after must not leave a command without one
        try {
            audit.record(by, AuditAction.REMOTE_CONTROL, kind + ":" + device, details(c)).toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            commands.remove(c.id());
            throw new IllegalStateException("interrupted while writing the audit log", e);
        } catch (ExecutionException | TimeoutException e) {
            commands.remove(c.id());
            throw new IllegalStateException("the audit log could not be written; the command was not sent", e);
        }
        changed.accept(c);
        return c;
    }

    private void end(Command c, Actor by, Throwable err) {
        Throwable cause = err instanceof CompletionException || err instanceof ExecutionException
                ? err.getCause() : err;
        if (cause instanceof TimeoutException) {
            end(c, by, State.TIMEOUT, "no answer: " + cause.getMessage());
        } else {
            end(c, by, State.FAILED, String.valueOf(cause.getMessage()));
        }
    }

    private void end(Command c, Actor by, State state, String result) {
        Command done = c.ended(state, result, clock.instant());
        commands.replace(c.id(), done);
        audit.record(by, AuditAction.REMOTE_CONTROL, c.kind() + ":" + c.device(), details(done));
        changed.accept(done);
    }

    private static Map<String, String> details(Command c) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("command", c.command());
        d.put("id", c.id());
        d.put("state", c.state().name());
        if (c.result() != null) {
            d.put("result", c.result());
        }
        return d;
    }

    @Override
    public void close() {
        onvif.close();
    }
}
