package org.arc4j.examples.center.receive;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.arc4j.core.codes.CodeTables;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.config.LinksConfig;
import org.arc4j.protocols.contactid.ContactIdEvents;
import org.arc4j.protocols.contactid.ContactIdOrigin;
import org.arc4j.protocols.serial.ByteLink;
import org.arc4j.protocols.serial.ReceiverInput;
import org.arc4j.protocols.serial.ReceiverOutput;
import org.arc4j.protocols.serial.SerialPortLink;
import org.arc4j.protocols.serial.TcpLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The centre's serial and TCP links (config {@code receive.receivers} and {@code receive.automation}):
 * <ul>
 *   <li>each hardware receiver (Sur-Gard MLR2/System 5, Ademco 685) is read with sdk-protocols'
 *       {@link ReceiverInput}: its records become alarms in the intake, ACKed once durable, and its heartbeats
 *       check the receiver in with the supervisor;</li>
 *   <li>each automation output gets every alarm the intake accepts as a Sur-Gard record through
 *       {@link ReceiverOutput} (ACK, resend, heartbeats, a buffer while the software is down), so third-party
 *       automation software sees the centre as a receiver.</li>
 * </ul>
 * A link that cannot be opened at start (a TCP peer not yet up, a serial adapter not plugged in) is tried again
 * every {@link #RETRY}; a link whose far end goes away later (the peer closed the connection, the adapter was
 * unplugged) is noticed within {@link #RETRY} and opened anew the same way. Nothing is lost meanwhile: a hardware
 * receiver repeats every record it has no ACK for, and an automation output's unacknowledged records move to the
 * new link ({@link ReceiverOutput#handOver}). Links are opened on a thread of their own, never on the scheduler's.
 * Thread-safe.
 */
public final class ReceiverLinks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverLinks.class);
    /** How often a link that failed to open is tried again, and how often open links are checked. */
    public static final Duration RETRY = Duration.ofSeconds(5);

    private final Scheduler scheduler;
    private final List<OpenLink> open = new ArrayList<>();
    private Cancellable watchTimer;
    private final List<ReceiverOutput> outputs = new ArrayList<>();
    private final ExecutorService publisher;
    private final ExecutorService opener;
    private volatile boolean closed;

    /** A link that is open, and how to open it again. */
    private record OpenLink(LinksConfig.Link config, Opener opener, ByteLink link, AutoCloseable protocol) {
    }

    private ReceiverLinks(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.opener = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arc4j-center-links");
            t.setDaemon(true);
            return t;
        });
        this.publisher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arc4j-center-automation");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the configured links.
     *
     * @param config     the {@code receive} section
     * @param intake     where receivers' alarms go
     * @param supervisor where receivers' heartbeats go
     * @param scheduler  the centre's scheduler (receive times, output timers, retries)
     * @param metrics    where {@code receiver.records} counts go
     * @return the links; {@link #accepted} feeds the automation outputs
     */
    public static ReceiverLinks start(LinksConfig.Receive config, AlarmIntake intake, Supervisor supervisor,
                                      Scheduler scheduler, Metrics metrics) {
        ReceiverLinks links = new ReceiverLinks(Objects.requireNonNull(scheduler, "scheduler"));
        for (LinksConfig.Link l : config.receivers()) {
            ContactIdOrigin origin = new ContactIdOrigin(Protocol.SERIAL_RECEIVER, Transport.PSTN,
                    new Ingress("receiver", l.name()), l.name(), null, null);
            links.openLater(l, (link, previous) -> {
                ReceiverInput in = new ReceiverInput(link, panelAccounts(intake), supervisor, scheduler.clock(), origin,
                        ContactIdEvents.withShippedTable(), CodeTables::sia, metrics);
                in.start();
                return in;
            });
        }
        for (LinksConfig.Link l : config.automation()) {
            String receiver = l.receiver() == null ? "01" : l.receiver();
            String line = l.line() == null ? "1" : l.line();
            links.openLater(l, (link, previous) -> {
                ReceiverOutput out = new ReceiverOutput(link, scheduler, new ReceiverOutput.Settings(receiver, line,
                        Duration.ofSeconds(4), 3, Duration.ofSeconds(30), 10_000), e -> ReceiverOutput.defaultRecord(e, receiver, line));
                out.start();
                synchronized (links) {
                    links.outputs.add(out);
                    if (previous instanceof ReceiverOutput old) {
                        links.outputs.remove(old);
                    }
                }
                if (previous instanceof ReceiverOutput old) {
                    int lost = old.handOver(out);
                    if (lost > 0) {
                        LOG.warn("automation output {}: {} records did not fit the new link's buffer", l.name(), lost);
                    }
                }
                return out;
            });
        }
        links.watchLater();
        return links;
    }

    /**
     * The intake as the panels' accounts see it: a hardware receiver's own receiver and line numbers say which line
     * card took the call, not which panel called, so they move to the extended fields {@code receiverNumber} and
     * {@code receiverLine}; the account alone names the panel, as on the centre's own PSTN gateway, and the
     * pipeline merges the same alarm arriving over the receiver and over another link into one case.
     */
    private static AlarmIntake panelAccounts(AlarmIntake intake) {
        return (events, key) -> {
            if (events == null) {
                return intake.accept(null, key);
            }
            List<AlarmEvent> out = new ArrayList<>(events.size());
            for (AlarmEvent e : events) {
                AlarmEvent.Builder b = e.toBuilder().receiver(null).line(null);
                if (e.receiver() != null) {
                    b.extended("receiverNumber", e.receiver());
                }
                if (e.line() != null) {
                    b.extended("receiverLine", e.line());
                }
                out.add(b.build());
            }
            return intake.accept(out, key);
        };
    }

    /** Opens the protocol on a link; {@code previous} is what ran on the link it replaces, or null. */
    private interface Opener {
        AutoCloseable open(ByteLink link, AutoCloseable previous) throws IOException;
    }

    private void openLater(LinksConfig.Link l, Opener how) {
        openLater(l, how, null);
    }

    private void openLater(LinksConfig.Link l, Opener how, AutoCloseable previous) {
        try {
            opener.execute(() -> open(l, how, previous));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void open(LinksConfig.Link l, Opener how, AutoCloseable previous) {
        if (closed) {
            return;
        }
        ByteLink link = null;
        try {
            link = l.serial() != null ? new SerialPortLink(l.serial(), l.speed())
                    : TcpLink.connect(host(l.tcp()), port(l.tcp()), 3000);
            AutoCloseable a = how.open(link, previous);
            synchronized (this) {
                if (closed) {
                    a.close();
                    return;
                }
                open.add(new OpenLink(l, how, link, a));
            }
            LOG.info("link {} open on {}", l.name(), link.endpoint());
        } catch (Exception e) {
            if (link != null) {
                link.close();
            }
            LOG.warn("link {} cannot be opened ({}); trying again in {} s", l.name(), e.getMessage(),
                    RETRY.toSeconds());
            if (!closed) {
                // after close() the attempt finds the link set closed (or the opener shut down) and does nothing
                scheduler.schedule(RETRY, () -> openLater(l, how, previous));
            }
        }
    }

    private synchronized void watchLater() {
        if (!closed) {
            watchTimer = scheduler.schedule(RETRY, this::watch);
        }
    }

    /** Replaces every link whose far end went away. */
    private void watch() {
        List<OpenLink> lost = new ArrayList<>();
        synchronized (this) {
            for (var it = open.iterator(); it.hasNext(); ) {
                OpenLink o = it.next();
                if (!o.link().isOpen()) {
                    it.remove();
                    lost.add(o);
                }
            }
        }
        for (OpenLink o : lost) {
            LOG.warn("link {} on {} went away; opening it again", o.config().name(), o.link().endpoint());
            if (!(o.protocol() instanceof ReceiverOutput)) {
                quietly(o.protocol());
            }
            // an output is closed by handing its unacknowledged records to its successor
            openLater(o.config(), o.opener(), o.protocol() instanceof ReceiverOutput ? o.protocol() : null);
        }
        watchLater();
    }

    private static void quietly(AutoCloseable a) {
        try {
            a.close();
        } catch (Exception e) {
            LOG.debug("closing a link failed", e);
        }
    }

    private static String host(String hostPort) {
        return hostPort.substring(0, hostPort.lastIndexOf(':'));
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /**
     * An intake listener: queues the acceptance's alarms for every automation output, off the intake's thread.
     *
     * @param accepted what the intake accepted
     */
    public void accepted(Receipt.Accepted accepted) {
        List<ReceiverOutput> to;
        synchronized (this) {
            if (outputs.isEmpty() || closed) {
                return;
            }
            to = List.copyOf(outputs);
        }
        try {
            publisher.execute(() -> to.forEach(o -> {
                if (!o.accepted(accepted)) {
                    LOG.warn("automation output buffer full; an alarm was not passed on");
                }
            }));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** @return a listener for the intake */
    public Consumer<Receipt.Accepted> listener() {
        return this::accepted;
    }

    /** Closes every link and stops retrying. */
    @Override
    public void close() {
        List<OpenLink> toClose;
        synchronized (this) {
            closed = true;
            if (watchTimer != null) {
                watchTimer.cancel();
            }
            toClose = new ArrayList<>(open);
        }
        publisher.shutdownNow();
        opener.shutdownNow();
        for (OpenLink o : toClose) {
            quietly(o.protocol());
        }
    }
}
