package org.arc4j.examples.contactid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.protocols.audio.DtmfDetector;
import org.arc4j.protocols.audio.DtmfDigit;
import org.arc4j.protocols.audio.Resampler;
import org.arc4j.protocols.audio.WavFile;
import org.arc4j.protocols.contactid.ContactIdDecodeResult;
import org.arc4j.protocols.contactid.ContactIdDecoder;
import org.arc4j.protocols.contactid.ContactIdError;
import org.arc4j.protocols.contactid.ContactIdMessage;

/**
 * Decodes the Ademco Contact ID messages (SIA DC-05) in a recorded telephone call: the tool to reach for when a
 * panel "calls but nothing arrives". Reads a WAV file of any sample rate and sample format the WAV declares,
 * resamples it to 8 kHz, detects DTMF with arc4j's ITU-T Q.24 detector, splits the digits into messages at the
 * 16th digit or a pause longer than the inter-digit timeout (200 ms), and prints one JSON line per message:
 * account, message type, qualifier, code, partition, zone, checksum status, and the time offset in the file.
 *
 * <p>Exit status 0 whenever the file was read, whatever it contained; 2 for a usage error or an unreadable file.
 * Usage: {@code bin/arc4j-contactid-decode FILE.wav}
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
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("usage: arc4j-contactid-decode FILE.wav");
            return 2;
        }
        Path file = Path.of(args[0]);
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

    static List<List<DtmfDigit>> split(List<DtmfDigit> digits) {
        List<List<DtmfDigit>> messages = new ArrayList<>();
        List<DtmfDigit> current = new ArrayList<>();
        for (DtmfDigit d : digits) {
            if (!current.isEmpty()
                    && (d.startSample() - current.get(current.size() - 1).endSample() > INTER_DIGIT_SAMPLES
                    || current.size() == ContactIdMessage.LENGTH)) {
                messages.add(current);
                current = new ArrayList<>();
            }
            current.add(d);
        }
        if (!current.isEmpty()) {
            messages.add(current);
        }
        return messages;
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
            n.put("digits", m.digits());
            n.put("account", m.account());
            n.put("messageType", m.messageType());
            n.put("qualifier", m.qualifier().contactIdDigit());
            n.put("event", m.qualifier().name());
            n.put("code", m.eventCode());
            n.put("partition", m.partition());
            n.put("zone", m.zone());
            n.put("checksum", "valid");
        } else {
            ContactIdDecodeResult.Invalid inv = (ContactIdDecodeResult.Invalid) r;
            n.put("checksum", inv.error() == ContactIdError.BAD_CHECKSUM
                    ? "invalid" : "not checked");
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
