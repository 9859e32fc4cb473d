package org.arc4j.examples.center;

import java.net.InetSocketAddress;
import java.util.Locale;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;

/**
 * The centre's GB/T 28181 side, kept in one class: the SDK's {@link GbPlatform} on {@code --sip} (UDP and TCP)
 * as platform {@code --sip-id} in {@code --sip-domain}. Devices authenticate with the SIP passwords in the
 * credential vault (from the config file or {@code PUT /api/gb28181/devices/{id}}), their alarms go to the same
 * intake as DC-09 (the 200 OK waits for the journal), their registrations and keepalives to the same supervisor.
 */
final class Gb28181Wiring implements AutoCloseable {
    private final GbPlatform platform;

    private Gb28181Wiring(GbPlatform platform) {
        this.platform = platform;
    }

    /**
     * Starts the platform.
     *
     * @param options    the command line (bind address, SIP port, platform ID and domain)
     * @param config     the configuration (devices' charsets, arming on registration)
     * @param scheduler  the centre's scheduler
     * @param intake     where alarms go
     * @param supervisor where registrations and keepalives go
     * @param vault      where the SIP passwords are
     * @param metrics    where counters go
     * @param audit      where failed device authentications are recorded
     * @return the running wiring
     * @throws InterruptedException if interrupted while binding
     */
    static Gb28181Wiring start(CenterOptions options, CenterConfig config, Scheduler scheduler, AlarmIntake intake,
                               Supervisor supervisor, CredentialStore vault, Metrics metrics,
                               org.arc4j.core.security.AuditLog audit) throws InterruptedException {
        GbPlatformConfig.Builder b = GbPlatformConfig.builder(options.sipId()).domain(options.sipDomain())
                .bindHost(options.bind()).udpPort(options.sip()).tcpPort(options.sip())
                .armOnRegister(!Boolean.FALSE.equals(config.gb28181().armOnRegister()));
        for (CenterConfig.Device d : config.gb28181().devices()) {
            if (d.charset() != null) {
                b.deviceCharset(d.id(), charset(d.charset()));
            }
        }
        return new Gb28181Wiring(GbPlatform.start(b.build(), scheduler, intake, supervisor, vault, metrics,
                audit));
    }

    private static ManscdpCharset charset(String name) {
        String n = name.toUpperCase(Locale.ROOT).replace('-', '_');
        return n.equals("UTF8") ? ManscdpCharset.UTF_8 : ManscdpCharset.valueOf(n);
    }

    /** @return the platform: for the cameras whose video is a GB/T 28181 channel, and commands to devices */
    GbPlatform platform() {
        return platform;
    }

    /** @return the bound UDP address, or null */
    InetSocketAddress udp() {
        return platform.stack().udpAddress();
    }

    /** @return the bound TCP address, or null */
    InetSocketAddress tcp() {
        return platform.stack().tcpAddress();
    }

    @Override
    public void close() {
        platform.close();
    }
}
