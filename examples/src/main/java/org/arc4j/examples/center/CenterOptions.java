package org.arc4j.examples.center;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The command line of {@code bin/arc4j-center}. {@link #parse} turns bad flags into one clear
 * {@link IllegalArgumentException} message that the launcher prints as a single line before exiting
 * non-zero.
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
 * @param help      true when {@code --help} was given
 */
public record CenterOptions(Path data, String bind, int http, int dc09Tcp, int dc09Udp, int sip, String sipId,
                            String sipDomain, Path config, boolean help) {
    /** The default platform ID: centre code 3402000000, industry 00, type 205 (alarm server), serial 0000001. */
    public static final String DEFAULT_SIP_ID = "34020000002050000001";

    /** Validates the values. */
    public CenterOptions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(sipId, "sipId");
        Objects.requireNonNull(sipDomain, "sipDomain");
    }

    /** @return the usage text */
    public static String usage() {
        return String.join("\n",
                "usage: arc4j-center [options]",
                "  --data DIR          journal and credential vault directory (default ./arc4j-data)",
                "  --bind ADDRESS      address to listen on (default 127.0.0.1; 0.0.0.0 for real panels)",
                "  --http PORT         web console and REST API (default 8080)",
                "  --dc09-tcp PORT     SIA DC-09 over TCP (default 9000)",
                "  --dc09-udp PORT     SIA DC-09 over UDP (default 9000)",
                "  --sip PORT          GB/T 28181 SIP over UDP and TCP (default 5060)",
                "  --sip-id ID         20-digit platform ID (default " + DEFAULT_SIP_ID + ")",
                "  --sip-domain DOMAIN SIP domain (default the first 10 digits of the platform ID)",
                "  --config FILE       YAML file with customers, accounts, devices, rules and plans",
                "  --help              this text",
                "environment: ARC4J_ADMIN_PASSWORD sets the first administrator's password;",
                "             ARC4J_VAULT_KEY (or ARC4J_VAULT_KEY_FILE) the credential vault's key-encryption key");
    }

    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     * @throws IllegalArgumentException with a one-line message for a bad flag or value
     */
    public static CenterOptions parse(String... args) {
        Path data = Path.of("arc4j-data");
        String bind = "127.0.0.1";
        int http = 8080;
        int dc09Tcp = 9000;
        int dc09Udp = 9000;
        int sip = 5060;
        String sipId = DEFAULT_SIP_ID;
        String sipDomain = null;
        Path config = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (flag.equals("--help") || flag.equals("-h")) {
                help = true;
                continue;
            }
            if (!flag.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + flag + "' (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--data": data = Path.of(value); break;
                case "--bind": bind = value; break;
                case "--http": http = port(flag, value); break;
                case "--dc09-tcp": dc09Tcp = port(flag, value); break;
                case "--dc09-udp": dc09Udp = port(flag, value); break;
                case "--sip": sip = port(flag, value); break;
                case "--sip-id":
                    if (!value.matches("[0-9]{20}")) {
                        throw new IllegalArgumentException("--sip-id must be 20 digits, got '" + value + "'");
                    }
                    sipId = value;
                    break;
                case "--sip-domain": sipDomain = value; break;
                case "--config": config = Path.of(value); break;
                default: throw new IllegalArgumentException("unknown option " + flag + " (see --help)");
            }
        }
        if (bind.isBlank()) {
            throw new IllegalArgumentException("--bind needs an address");
        }
        return new CenterOptions(data, bind, http, dc09Tcp, dc09Udp, sip, sipId,
                sipDomain != null ? sipDomain : sipId.substring(0, 10), config, help);
    }

    private static int port(String flag, String value) {
        try {
            int p = Integer.parseInt(value);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a port number 0-65535, got '" + value + "'");
        }
    }
}
