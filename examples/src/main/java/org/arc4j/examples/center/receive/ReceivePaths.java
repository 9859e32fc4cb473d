package org.arc4j.examples.center.receive;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.config.LinksConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive paths the reference centre runs besides DC-09 and GB/T 28181 (GA 1383 传输部分 asks for two or more
 * different links): the Contact ID over PSTN gateway ({@link PstnGateway}) and the serial/TCP receiver links and
 * automation outputs ({@link ReceiverLinks}). Thread-safe.
 */
public final class ReceivePaths implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivePaths.class);
    private final PstnGateway pstn;
    private final ReceiverLinks links;

    private ReceivePaths(PstnGateway pstn, ReceiverLinks links) {
        this.pstn = pstn;
        this.links = links;
    }

    /**
     * Starts the paths.
     *
     * @param bind       the address to listen on
     * @param pstnSip    the gateway's SIP port (0 for any free port)
     * @param config     the {@code receive} section
     * @param customers  how many customers the centre serves (for the trunk warning)
     * @param intake     where alarms go (the account-checking intake)
     * @param store      the durable intake whose acceptances feed the automation outputs
     * @param supervisor where receiver heartbeats go
     * @param scheduler  the centre's scheduler
     * @param metrics    the centre's metrics
     * @param terminal   where the start lines and the trunk warning go
     * @return the running paths
     * @throws InterruptedException if interrupted while binding
     */
    public static ReceivePaths start(String bind, int pstnSip, LinksConfig.Receive config, int customers,
                                     AlarmIntake intake, StoreAlarmIntake store, Supervisor supervisor,
                                     Scheduler scheduler, Metrics metrics, PrintStream terminal)
            throws InterruptedException {
        PstnGateway pstn = null;
        ReceiverLinks links = null;
        try {
            if (config.pstn().on()) {
                int lines = config.pstn().lineCount();
                String advertised = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
                pstn = PstnGateway.start(new InetSocketAddress(bind, pstnSip), advertised, lines, intake, scheduler,
                        metrics);
                terminal.println("arc4j-center: Contact ID over PSTN gateway SIP udp " + pstn.sipPort() + " on "
                        + bind + ", " + lines + " lines");
                int required = PstnGateway.requiredLines(customers);
                if (lines < required) {
                    String w = "arc4j-center: warning: " + lines + " PSTN lines for " + customers
                            + " customers; GA 1383 传输部分 asks for at least " + required
                            + " (4, plus one per 200 customers above 300): set receive.pstn.lines";
                    terminal.println(w);
                    LOG.warn(w);
                }
            }
            links = ReceiverLinks.start(config, intake, supervisor, scheduler, metrics);
            store.addListener(links.listener());
            if (!config.receivers().isEmpty() || !config.automation().isEmpty()) {
                terminal.println("arc4j-center: " + config.receivers().size() + " receiver links, "
                        + config.automation().size() + " automation outputs");
            }
        } catch (InterruptedException | RuntimeException e) {
            if (pstn != null) {
                pstn.close();
            }
            if (links != null) {
                links.close();
            }
            throw e;
        }
        return new ReceivePaths(pstn, links);
    }

    /** @return the PSTN gateway's SIP port, or -1 when it is off */
    public int pstnSipPort() {
        return pstn == null ? -1 : pstn.sipPort();
    }

    /** @return the PSTN gateway, or null when it is off */
    public PstnGateway pstn() {
        return pstn;
    }

    /** Stops the gateway (hanging up calls) and closes the links. */
    @Override
    public void close() {
        if (pstn != null) {
            pstn.close();
        }
        links.close();
    }
}
