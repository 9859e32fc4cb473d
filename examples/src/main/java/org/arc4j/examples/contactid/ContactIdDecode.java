package org.arc4j.examples.contactid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.examples.cli.Cli;
import org.arc4j.protocols.audio.DtmfDetector;
import org.arc4j.protocols.audio.DtmfDigit;
import org.arc4j.protocols.audio.Resampler;
import org.arc4j.protocols.audio.WavFile;
import org.arc4j.protocols.contactid.AdemcoDecoder;
import org.arc4j.protocols.contactid.AdemcoExpressMessage;
import org.arc4j.protocols.contactid.AdemcoHighSpeedMessage;
import org.arc4j.protocols.contactid.ContactIdDecodeResult;
import org.arc4j.protocols.contactid.ContactIdDecoder;
import org.arc4j.protocols.contactid.ContactIdError;
import org.arc4j.protocols.contactid.ContactIdMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Decodes the Ademco Contact ID messages (SIA DC-05) in a recorded telephone call: the tool to reach for when a
 * panel "calls but nothing arrives". Reads a WAV file of any sample rate and sample format the WAV declares,
 * resamples it to 8 kHz, detects DTMF with arc4j's ITU-T Q.24 detector, splits the digits into messages at pauses
 * longer than the inter-digit timeout (200 ms), and prints one JSON line per message: account, message type,
 * qualifier, code, partition, zone, checksum status, and the time offset in the file. A group of digits that is
 * not Contact ID but a valid Ademco Express 4+1 / 4+2 or High Speed message is reported in that format, since a
 * panel programmed for the wrong format is a common reason why "nothing arrives".
 *
 * <p>Exit status 0 whenever the file was read, whatever it contained; 2 for a usage error or an unreadable file.
 * Usage: {@code bin/arc4j-contactid-decode FILE.wav} (and {@code --help}, {@code --version}, through picocli).
 */
public final class ContactIdDecode {
    private static final long INTER_DIGIT_SAMPLES = 200 * 8;

    private ContactIdDecode() {
    }

    /**
     * Runs the tool.
     *
     * @param args the file
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the tool with explicit output streams.
     *
     * @param args the command line
     * @param out  where JSON lines go
     * @param err  where errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Flags flags = new Flags();
        CommandLine cl = Cli.commandLine(flags);
        try {
            Cli.parse(cl, args);
        } catch (IllegalArgumentException e) {
            err.println("arc4j-contactid-decode: " + e.getMessage());
            err.println("usage: arc4j-contactid-decode FILE.wav");
            return 2;
        }
        if (cl.isUsageHelpRequested()) {
            out.println(Cli.usage(cl));
            return 0;
        }
        if (cl.isVersionHelpRequested()) {
            cl.printVersionHelp(out);
            return 0;
        }
        Path file = flags.file;
        WavFile.Audio audio;
        try {
            audio = WavFile.read(file);
        } catch (IOException e) {
            err.println("arc4j-contactid-decode: " + file + ": " + e.getMessage());
            return 2;
        }
        short[] samples = Resampler.resample(audio.samples(), audio.sampleRate(), DtmfDetector.SAMPLE_RATE);
        List<DtmfDigit> digits = new ArrayList<>();
        DtmfDetector detector = new DtmfDetector(digits::add);
        detector.process(samples, 0, samples.length);
        detector.flush();
        ObjectMapper json = new ObjectMapper();
        for (List<DtmfDigit> message : split(digits)) {
            out.println(describe(json, message).toString());
        }
        out.flush();
        return 0;
    }

    /** @return a picocli command line for the tool (for usage and shell completion) */
    public static CommandLine commandLine() {
        return Cli.commandLine(new Flags());
    }

    /** The command line as picocli sees it: one WAV file. */
    @Command(name = "arc4j-contactid-decode", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
            customSynopsis = "usage: arc4j-contactid-decode FILE.wav", synopsisHeading = "",
            description = "Decodes the Contact ID messages in a recorded call and prints one JSON line per message.",
            footer = "exit status: 0 whenever the file was read, whatever it contained; 2 for a usage error or an"
                    + " unreadable file")
    static final class Flags {
        @Parameters(paramLabel = "FILE.wav", arity = "1", description = "the recording (any WAV sample rate/format)")
        Path file;
    }

    static List<List<DtmfDigit>> split(List<DtmfDigit> digits) {
        List<List<DtmfDigit>> groups = new ArrayList<>();
        List<DtmfDigit> current = new ArrayList<>();
        for (DtmfDigit d : digits) {
            if (!current.isEmpty()
                    && d.startSample() - current.get(current.size() - 1).endSample() > INTER_DIGIT_SAMPLES) {
                groups.add(current);
                current = new ArrayList<>();
            }
            current.add(d);
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        // Contact ID messages sent back to back without a pause: cut a run of 32, 48, ... digits into sixteens
        List<List<DtmfDigit>> messages = new ArrayList<>();
        for (List<DtmfDigit> g : groups) {
            if (g.size() > ContactIdMessage.LENGTH && g.size() % ContactIdMessage.LENGTH == 0) {
                for (int i = 0; i < g.size(); i += ContactIdMessage.LENGTH) {
                    messages.add(g.subList(i, i + ContactIdMessage.LENGTH));
                }
            } else {
                messages.add(g);
            }
        }
        return messages;
    }

    /** Older Ademco formats a panel may be set to by mistake: Express 4+1 / 4+2 and High Speed. */
    private static boolean legacy(ObjectNode n, String keys) {
        AdemcoDecoder.Result r = keys.length() <= 9 ? AdemcoDecoder.INSTANCE.decodeExpress(keys)
                : AdemcoDecoder.INSTANCE.decodeHighSpeed(keys);
        if (!(r instanceof AdemcoDecoder.Valid v)) {
            return false;
        }
        if (v.message() instanceof AdemcoExpressMessage e) {
            n.put("format", e.format() == AdemcoExpressMessage.Format.FOUR_PLUS_ONE ? "ADEMCO_EXPRESS_4_1"
                    : "ADEMCO_EXPRESS_4_2");
            n.put("account", e.account());
            n.put("code", e.event());
            n.put("checksum", "valid");
        } else {
            AdemcoHighSpeedMessage h = (AdemcoHighSpeedMessage) v.message();
            n.put("format", "ADEMCO_HIGH_SPEED");
            n.put("account", h.account());
            n.put("channels", h.channels());
            n.put("status", String.valueOf(h.status()));
            n.put("checksum", h.checksum() == 0 ? "two rounds agree" : "valid");
        }
        n.put("digits", v.message().digits());
        return true;
    }

    private static ObjectNode describe(ObjectMapper json, List<DtmfDigit> message) {
        StringBuilder keys = new StringBuilder();
        message.forEach(d -> keys.append(d.key()));
        ObjectNode n = json.createObjectNode();
        n.put("offsetSeconds", Math.round(message.get(0).startSample() / 8.0) / 1000.0);
        n.put("dtmf", keys.toString());
        ContactIdDecodeResult r = ContactIdDecoder.INSTANCE.decodeDtmf(keys);
        if (r instanceof ContactIdDecodeResult.Valid v) {
            ContactIdMessage m = v.message();
            n.put("format", "CONTACT_ID");
            n.put("digits", m.digits());
            n.put("account", m.account());
            n.put("messageType", m.messageType());
            n.put("qualifier", m.qualifier().contactIdDigit());
            n.put("event", m.qualifier().name());
            n.put("code", m.eventCode());
            n.put("partition", m.partition());
            n.put("zone", m.zone());
            n.put("checksum", "valid");
        } else if (!legacy(n, keys.toString())) {
            ContactIdDecodeResult.Invalid inv = (ContactIdDecodeResult.Invalid) r;
            n.put("format", "CONTACT_ID");
            n.put("checksum", inv.error() == ContactIdError.BAD_CHECKSUM ? "invalid" : "not checked");
            n.put("error", inv.error().name());
            n.put("detail", inv.detail());
        }
        double low = message.stream().mapToDouble(DtmfDigit::lowDbm0).average().orElse(0);
        double high = message.stream().mapToDouble(DtmfDigit::highDbm0).average().orElse(0);
        n.put("lowDbm0", Math.round(low * 10) / 10.0);
        n.put("highDbm0", Math.round(high * 10) / 10.0);
        return n;
    }
}
