package org.arc4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What the command-line tools ({@code bin/arc4j-center}, {@code bin/arc4j-panel-sim},
 * {@code bin/arc4j-contactid-decode}, {@code bin/arc4j-onvif}) share on top of picocli: the same parser settings, one-line error messages
 * worded as the tools have always worded them, the version, and usage text without ANSI colours.
 *
 * <p>Each tool declares its flags as a picocli {@code @Command}; the flags' setter methods check values and throw
 * {@link ParameterException} with the tool's own one-line message, which {@link #parse} hands on as an
 * {@link IllegalArgumentException}. Not thread-safe; one parse at a time per {@link CommandLine}.
 */
public final class Cli {
    private Cli() {
    }

    /**
     * A picocli command line with the settings every tool shares: a repeated flag keeps its last value (as the
     * hand-written parsers did), {@code @file} arguments are taken literally, and usage text has no colours.
     *
     * @param command the annotated command object
     * @return its command line
     */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExpandAtFiles(false);
        cl.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        cl.setUsageHelpWidth(100);
        return cl;
    }

    /**
     * Parses a command line.
     *
     * @param cl   the command line
     * @param args the arguments
     * @throws IllegalArgumentException with one line (no usage) for a bad flag or value
     */
    public static void parse(CommandLine cl, String... args) {
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(oneLine(e), e);
        }
    }

    /**
     * The usage text of a command, without colours and without blank lines.
     *
     * @param cl the command line
     * @return the text, lines separated by {@code \n}, no trailing newline
     */
    public static String usage(CommandLine cl) {
        return String.join("\n", cl.getUsageMessage(Help.Ansi.OFF).strip().lines()
                .filter(l -> !l.isBlank()).toList());
    }

    /**
     * A picocli parse error as one line in the tools' own words: {@code unknown option --x (see --help)},
     * {@code unexpected argument 'x' (see --help)}, {@code --data needs a value}, or the message a flag's
     * setter gave.
     *
     * @param e the error
     * @return the line
     */
    public static String oneLine(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                int eq = first.indexOf('=');
                return "unknown option " + (eq > 0 ? first.substring(0, eq) : first) + " (see --help)";
            }
            return "unexpected argument '" + first + "' (see --help)";
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return o.longestName() + " needs a value";
        }
        return e.getMessage();
    }

    /** @return the arc4j version these tools were built from, e.g. {@code 0.1.0-SNAPSHOT} */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    /** The {@code --version} text of every tool: its name and the arc4j version. */
    public static final class Version implements IVersionProvider {
        /** Used by picocli. */
        public Version() {
        }

        @Override
        public String[] getVersion() {
            return new String[] {"${COMMAND-FULL-NAME} " + version()};
        }
    }
}
