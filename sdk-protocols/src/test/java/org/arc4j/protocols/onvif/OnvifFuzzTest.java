package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import org.arc4j.protocols.onvif.internal.Readers;
import org.arc4j.protocols.onvif.internal.Xml;
import org.arc4j.protocols.onvif.internal.XmlElement;
import org.junit.jupiter.api.Test;

/**
 * Mutated and random inputs never make the reader throw anything but the typed {@link OnvifException}: every
 * recorded response with bytes flipped, deleted, inserted or truncated, and random bytes, goes through the
 * parser and every typed reader. Seeded, so a failure is reproducible.
 */
class OnvifFuzzTest {
    @Test
    void mutatedRecordingsAreReadOrRefusedWithATypedError() throws Exception {
        Random rnd = new Random(0x0F1F);
        List<String> files = OnvifVectorTest.files().toList();
        int typedErrors = 0;
        int read = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] b = Files.readAllBytes(OnvifVectorTest.root().resolve(files.get(rnd.nextInt(files.size()))));
            byte[] m = mutate(b, rnd);
            Xml.Result r = Xml.INSTANCE.parse(m);
            assertThat(r.ok() || r.error() != null).isTrue();
            try {
                XmlElement p = Readers.payload(m, 200);
                readAll(p);
                read++;
            } catch (OnvifException e) {
                typedErrors++;
            }
        }
        // both outcomes occur: the mutations are neither all harmless nor all fatal
        assertThat(read).isGreaterThan(50);
        assertThat(typedErrors).isGreaterThan(50);
    }

    @Test
    void randomBytesAreATypedError() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            try {
                readAll(Readers.payload(b, 200));
            } catch (OnvifException e) {
                assertThat(e.kind()).isIn(OnvifException.Kind.MALFORMED, OnvifException.Kind.FAULT);
            }
        }
    }

    @Test
    void everyOneByteTruncationOfAFaultIsHandled() throws Exception {
        byte[] b = Files.readAllBytes(OnvifVectorTest.root().resolve("ex_onvif/soap_fault.xml"));
        for (int n = 0; n < b.length; n++) {
            byte[] m = java.util.Arrays.copyOf(b, n);
            try {
                Readers.payload(m, 400);
            } catch (OnvifFault f) {
                assertThat(f.httpStatus()).isEqualTo(400);
            } catch (OnvifException e) {
                assertThat(e.kind()).isEqualTo(OnvifException.Kind.MALFORMED);
            }
        }
    }

    private static void readAll(XmlElement p) throws OnvifException {
        Readers.deviceInformation(p);
        Readers.services(p);
        Readers.capabilities(p);
        Readers.networkInterfaces(p);
        Readers.relayOutputs(p);
        Readers.digitalInputs(p);
        Readers.profiles(p, 1);
        Readers.profiles(p, 2);
        Readers.presets(p);
        Readers.subscription(p);
        Readers.pullMessages(p).messages().forEach(OnvifTopicMapping.DEFAULT::map);
        Readers.probeMatches(p, null);
        try {
            Readers.systemDateAndTime(p);
        } catch (OnvifException e) {
            assertThat(e.kind()).isEqualTo(OnvifException.Kind.MALFORMED);
        }
        try {
            Readers.mediaUri(p);
        } catch (OnvifException e) {
            assertThat(e.kind()).isEqualTo(OnvifException.Kind.MALFORMED);
        }
    }

    private static byte[] mutate(byte[] b, Random rnd) {
        byte[] m = b.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
            case 2 -> {
                int at = rnd.nextInt(m.length);
                byte[] out = new byte[m.length - 1];
                System.arraycopy(m, 0, out, 0, at);
                System.arraycopy(m, at + 1, out, at, m.length - at - 1);
                m = out;
            }
            default -> {
                int at = rnd.nextInt(m.length);
                byte[] ins = {'<', '>', '&', ':', '"', 0, (byte) 0xC3};
                byte[] out = new byte[m.length + 1];
                System.arraycopy(m, 0, out, 0, at);
                out[at] = ins[rnd.nextInt(ins.length)];
                System.arraycopy(m, at, out, at + 1, m.length - at);
                m = out;
            }
        }
        return m;
    }
}
