package org.arc4j.benchmarks.dc09;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.arc4j.protocols.dc09.Dc09CrcStyle;
import org.arc4j.protocols.dc09.Dc09DecodeResult;
import org.arc4j.protocols.dc09.Dc09Decoder;
import org.arc4j.protocols.dc09.Dc09Encoder;
import org.arc4j.protocols.dc09.Dc09Frame;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Token;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DC-09 codec on one thread: decode of a plain SIA-DCS frame, decode of an AES-128 SIA-DCS frame (hex decode,
 * AES-CBC with a cached cipher, pad strip, body parse), and encode of an ACK. Targets of issue 3 on one core:
 * at least 1,000,000 plain decodes/s (≤ 1 µs each) and 400,000 AES-128 decodes/s (≤ 2.5 µs each).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Dc09CodecBenchmark {
    private Dc09Decoder decoder;
    private byte[] plain;
    private byte[] aes128;
    private Dc09Frame received;
    private Dc09Encoder encoder;

    /** Builds the frames once. */
    @Setup
    public void setUp() {
        Dc09Key key = Dc09Key.ofHex("2B7E151628AED2A6ABF7158809CF4F3C");
        decoder = Dc09Decoder.builder().keys((r, l, a) -> key).build();
        encoder = new Dc09Encoder();
        Instant ts = Instant.parse("2026-11-24T08:00:00Z");
        plain = encoder.encode(Dc09Frame.of(Dc09Token.SIA_DCS, false, "0042", "12AB", "3F", "1234",
                "#1234|Nri1/BA001", ts), null);
        received = Dc09Frame.of(Dc09Token.SIA_DCS, true, "0042", "12AB", "3F", "1234", "#1234|Nri1/BA001", ts);
        aes128 = encoder.encode(received, key);
    }

    /** @return the decoded plain frame */
    @Benchmark
    public Dc09DecodeResult decodePlainSiaDcs() {
        return decoder.decode(plain, 0, plain.length);
    }

    /** @return the decoded AES-128 frame */
    @Benchmark
    public Dc09DecodeResult decodeAes128SiaDcs() {
        return decoder.decode(aes128, 0, aes128.length);
    }

    /** @return the bytes of a plain ACK */
    @Benchmark
    public byte[] encodeAck() {
        return encoder.encode(Dc09Encoder.ackFor(Dc09Frame.of(Dc09Token.SIA_DCS, false, "0042", "12AB", "3F",
                "1234", "", null), null), Dc09CrcStyle.HEX, null);
    }
}
