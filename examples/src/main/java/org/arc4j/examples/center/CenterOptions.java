package org.arc4j.examples.center;

import java.nio.file.Path;
import java.util.Objects;
import org.arc4j.examples.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@code bin/arc4j-center}, declared for picocli (which also gives {@code --help},
 * {@code --version} and the shell completion of {@code bin/arc4j-completion}). {@link #parse} turns bad flags into
 * one clear {@link IllegalArgumentException} message that the launcher prints as a single line before exiting 2.
 *
 * @param data      the journal and vault directory ({@code --data}, default {@code ./arc4j-data})
 * @param bind      the address every listener binds ({@code --bind}, default {@code 127.0.0.1})
 * @param http      the HTTP port of the API and console ({@code --http}, default 8080)
 * @param dc09Tcp   the DC-09 TCP port ({@code --dc09-tcp}, default 9000)
 * @param dc09Udp   the DC-09 UDP port ({@code --dc09-udp}, default 9000)
 * @param sip       the GB/T 28181 SIP port, UDP and TCP ({@code --sip}, default 5060)
 * @param sipId     the centre's 20-digit GB/T 28181 platform ID ({@code --sip-id})
 * @param sipDomain the SIP domain ({@code --sip-domain}, default the first 10 digits of the ID)
 * @param config    the YAML configuration file ({@code --config}), or null
 * @param help      true when {@code --help} ({@code -h}) was given
 * @param version   true when {@code --version} ({@code -V}) was given
 * @param pstnSip   the SIP port (UDP) of the Contact ID over PSTN gateway ({@code --pstn-sip}, default 5070)
 * @param store     the PostgreSQL store ({@code --store postgresql://USER[:PASSWORD]@HOST:PORT/DB}), or null for
 *                  the embedded journal in the data directory
 */
public record CenterOptions(Path data, String bind, int http, int dc09Tcp, int dc09Udp, int sip, String sipId,
                            String sipDomain, Path config, boolean help, boolean version,
                            int pstnSip, String store) {
    /** The default platform ID: centre code 3402000000, industry 00, type 205 (alarm server), serial 0000001. */
    public static final String DEFAULT_SIP_ID = "34020000002050000001";

    /** Validates the values. */
    public CenterOptions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(sipId, "sipId");
        Objects.requireNonNull(sipDomain, "sipDomain");
    }

    /** @return the usage text, without blank lines */
    public static String usage() {
        return Cli.usage(commandLine());
    }

    /** @return a picocli command line for these options (for usage and shell completion) */
    public static CommandLine commandLine() {
        return Cli.commandLine(new Flags());
    }

    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with a one-line message for a bad flag or value
     */
    public static CenterOptions parse(String... args) {
        Flags f = new Flags();
        CommandLine cl = Cli.commandLine(f);
        Cli.parse(cl, args);
        if (f.bind.isBlank()) {
            throw new IllegalArgumentException("--bind needs an address");
        }
        return new CenterOptions(f.data, f.bind, f.http, f.dc09Tcp, f.dc09Udp, f.sip, f.sipId,
                f.sipDomain != null ? f.sipDomain : f.sipId.substring(0, 10), f.config, cl.isUsageHelpRequested(),
                cl.isVersionHelpRequested(), f.pstnSip, f.store);
    }

    /** The flags as picocli sees them: each setter checks its value and says what is wrong in one line. */
    @Command(name = "arc4j-center", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            sortOptions = false, customSynopsis = "usage: arc4j-center [options]", synopsisHeading = "",
            description = "Starts the arc4j reference centre in the foreground.",
            footer = {"environment: ARC4J_ADMIN_PASSWORD sets the first administrator's password;",
                "             ARC4J_VAULT_KEY (or ARC4J_VAULT_KEY_FILE) the credential vault's key-encryption key;",
                "             ARC4J_METRICS_TOKEN the bearer token for GET /metrics (unset: loopback clients only);",
                "             ARC4J_PG_PASSWORD the PostgreSQL password when --store has none",
                "exit status: 2 for bad options or configuration, 1 when the centre cannot start,",
                "             3 when a centre on PostgreSQL lost the leader lease (restart it: it waits as the standby)"})
    static final class Flags {
        @Spec
        CommandSpec spec;
        Path data = Path.of("arc4j-data");
        String bind = "127.0.0.1";
        int http = 8080;
        int dc09Tcp = 9000;
        int dc09Udp = 9000;
        int sip = 5060;
        String sipId = DEFAULT_SIP_ID;
        String sipDomain;
        Path config;
        int pstnSip = 5070;
        String store;

        @Option(names = "--data", paramLabel = "DIR", order = 1,
                description = "journal and credential vault directory (default ./arc4j-data)")
        void data(String v) {
            data = Path.of(v);
        }

        @Option(names = "--bind", paramLabel = "ADDRESS", order = 2,
                description = "address to listen on (default 127.0.0.1; 0.0.0.0 for real panels)")
        void bind(String v) {
            bind = v;
        }

        @Option(names = "--http", paramLabel = "PORT", order = 3, description = "web console and REST API (default 8080)")
        void http(String v) {
            http = port("--http", v);
        }

        @Option(names = "--dc09-tcp", paramLabel = "PORT", order = 4, description = "SIA DC-09 over TCP (default 9000)")
        void dc09Tcp(String v) {
            dc09Tcp = port("--dc09-tcp", v);
        }

        @Option(names = "--dc09-udp", paramLabel = "PORT", order = 5, description = "SIA DC-09 over UDP (default 9000)")
        void dc09Udp(String v) {
            dc09Udp = port("--dc09-udp", v);
        }

        @Option(names = "--sip", paramLabel = "PORT", order = 6,
                description = "GB/T 28181 SIP over UDP and TCP (default 5060)")
        void sip(String v) {
            sip = port("--sip", v);
        }

        @Option(names = "--sip-id", paramLabel = "ID", order = 7,
                description = "20-digit platform ID (default " + DEFAULT_SIP_ID + ")")
        void sipId(String v) {
            if (!v.matches("[0-9]{20}")) {
                throw new ParameterException(spec.commandLine(), "--sip-id must be 20 digits, got '" + v + "'");
            }
            sipId = v;
        }

        @Option(names = "--sip-domain", paramLabel = "DOMAIN", order = 8,
                description = "SIP domain (default the first 10 digits of the platform ID)")
        void sipDomain(String v) {
            sipDomain = v;
        }

        @Option(names = "--config", paramLabel = "FILE", order = 9,
                description = "YAML file with customers, accounts, devices, rules and plans")
        void config(String v) {
            config = Path.of(v);
        }

        @Option(names = "--pstn-sip", paramLabel = "PORT", order = 10,
                description = "Contact ID over PSTN: SIP (UDP) port for the VoIP gateway (default 5070)")
        void pstnSip(String v) {
            pstnSip = port("--pstn-sip", v);
        }

        @Option(names = "--store", paramLabel = "URL", order = 11,
                description = "postgresql://USER[:PASSWORD]@HOST:PORT/DB: records in PostgreSQL, shared by an"
                        + " active/standby pair of centres (default: the journal in --data)")
        void store(String v) {
            try {
                org.arc4j.examples.center.cluster.PostgresStoreUrl.parse(v, java.util.Map.of());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--store: " + e.getMessage());
            }
            store = v;
        }

        private int port(String flag, String value) {
            try {
                int p = Integer.parseInt(value);
                if (p < 0 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(),
                        flag + " must be a port number 0-65535, got '" + value + "'");
            }
        }
    }
}
