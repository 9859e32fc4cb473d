package org.arc4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.arc4j.examples.center.CenterOptions;
import org.arc4j.examples.contactid.ContactIdDecode;
import org.arc4j.examples.sim.SimOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What picocli adds to the tools: --help, --version, usage after a bad flag, and shell completion. */
class CliTest {
    @Test
    void versionIsTheProjectVersionFilledInByTheBuild() {
        assertThat(Cli.version()).isNotEqualTo("unknown").doesNotContain("${").matches("\\d+\\.\\d+\\.\\d+.*");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CenterOptions.commandLine().printVersionHelp(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).isEqualTo("arc4j-center " + Cli.version());
    }

    @Test
    void helpAndVersionFlagsAreRecognised() {
        assertThat(CenterOptions.parse("--help").help()).isTrue();
        assertThat(CenterOptions.parse("-h").help()).isTrue();
        assertThat(CenterOptions.parse("--version").version()).isTrue();
        assertThat(CenterOptions.parse("-V").help()).isFalse();
        CommandLine sim = SimOptions.commandLine();
        assertThat(SimOptions.parse(sim, "--version")).isNull();
        assertThat(sim.isVersionHelpRequested()).isTrue();
    }

    @Test
    void usageNamesEveryFlagAndTheEnvironment() {
        assertThat(CenterOptions.usage()).startsWith("usage: arc4j-center [options]")
                .contains("--data=DIR", "--bind=ADDRESS", "--http=PORT", "--dc09-tcp=PORT", "--dc09-udp=PORT",
                        "--sip=PORT", "--sip-id=ID", "--sip-domain=DOMAIN", "--config=FILE", "--help", "--version",
                        "ARC4J_ADMIN_PASSWORD", "ARC4J_VAULT_KEY_FILE");
        assertThat(SimOptions.usage()).startsWith("usage: arc4j-panel-sim --target HOST:PORT[,HOST:PORT] [options]")
                .contains("--udp", "--source-ips", "--connect-batch", "exit status");
    }

    @Test
    void theDecodeToolAnswersHelpAndABadFlagWithOneLinePlusUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(ContactIdDecode.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: arc4j-contactid-decode FILE.wav");
        assertThat(ContactIdDecode.run(new String[] {"--frobnicate", "x.wav"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "arc4j-contactid-decode: unknown option --frobnicate (see --help)",
                "usage: arc4j-contactid-decode FILE.wav");
    }

    @Test
    void completionCoversEveryToolAndFlag() {
        String script = Completion.script();
        assertThat(script).contains("complete -F _complete_arc4j-center -o default arc4j-center ")
                .contains("complete -F _complete_arc4j-panel-sim -o default arc4j-panel-sim ")
                .contains("complete -F _complete_arc4j-contactid-decode -o default arc4j-contactid-decode ")
                .contains("complete -F _complete_arc4j-onvif -o default arc4j-onvif ")
                .contains("--dc09-tcp", "--sip-domain", "--null-interval", "--connect-batch")
                .contains("discover", "profiles", "--duration", "--interface");
    }
}
