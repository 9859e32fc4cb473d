package org.arc4j.benchmarks.gb28181;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.sip.SipEncoder;
import org.arc4j.gb28181.sip.SipMessage;
import org.arc4j.gb28181.sip.SipParseResult;
import org.arc4j.gb28181.sip.SipParser;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SIP parse and serialise of the messages a GB/T 28181 centre handles most: a digest REGISTER (the 2013
 * Hikvision capture) and a keepalive MESSAGE with its MANSCDP body, and the 200 OK answer. Target (issue 8):
 * at least 200,000 parses per second on one core, i.e. at most 5 µs per parse.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SipCodecBenchmark {
    private static final String REGISTER = "REGISTER sip:130909115229300920@10.64.49.44:7100 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.64.49.218:7100;rport;branch=z9hG4bK3997518011\r\n"
            + "From: <sip:130909113319427420@10.64.49.218:7100>;tag=382068091\r\n"
            + "To: <sip:130909113319427420@10.64.49.218:7100>\r\n"
            + "Call-ID: 143225205\r\n"
            + "CSeq: 2 REGISTER\r\n"
            + "Contact: <sip:130909113319427420@10.64.49.218:7100>\r\n"
            + "Authorization: Digest username=\"admin\", realm=\"hik\", nonce=\"a8afe6fcbee6331d89d3eb0d3d19ce39\", "
            + "uri=\"sip:130909115229300920@10.64.49.44:7100\", response=\"907ddb1bcc25174d7de4a96c947fb066\", "
            + "algorithm=MD5, opaque=\"a853e4f25298413f9bf3a9aa6767857d\"\r\n"
            + "Max-Forwards: 70\r\n"
            + "User-Agent: Hikvision\r\n"
            + "Expires: 7200\r\n"
            + "Content-Length: 0\r\n\r\n";
    private static final String BODY = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n"
            + "<CmdType>Keepalive</CmdType>\r\n<SN>2749</SN>\r\n<DeviceID>34020000001320000001</DeviceID>\r\n"
            + "<Status>OK</Status>\r\n</Notify>\r\n";
    private static final String KEEPALIVE = "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.168.1.64:5060;rport;branch=z9hG4bK2672759896\r\n"
            + "From: <sip:34020000001320000001@3402000000>;tag=308835751\r\n"
            + "To: <sip:34020000002000000001@3402000000>\r\n"
            + "Call-ID: 63810466\r\n"
            + "CSeq: 20 MESSAGE\r\n"
            + "Content-Type: Application/MANSCDP+xml\r\n"
            + "Max-Forwards: 70\r\n"
            + "User-Agent: IP Camera\r\n"
            + "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY;

    private byte[] register;
    private byte[] keepalive;
    private byte[] body;
    private SipRequest keepaliveRequest;

    /** Encodes the inputs once. */
    @Setup
    public void setup() {
        register = REGISTER.getBytes(StandardCharsets.US_ASCII);
        keepalive = KEEPALIVE.getBytes(StandardCharsets.US_ASCII);
        body = BODY.getBytes(StandardCharsets.US_ASCII);
        keepaliveRequest = (SipRequest) ((SipParseResult.Parsed) SipParser.INSTANCE
                .parseDatagram(keepalive, 0, keepalive.length)).message();
    }

    /** @return the parsed REGISTER */
    @Benchmark
    public SipParseResult parseRegister() {
        return SipParser.INSTANCE.parseDatagram(register, 0, register.length);
    }

    /** @return the parsed keepalive MESSAGE (SIP only) */
    @Benchmark
    public SipParseResult parseKeepalive() {
        return SipParser.INSTANCE.parseDatagram(keepalive, 0, keepalive.length);
    }

    /** @return the decoded MANSCDP body of a keepalive */
    @Benchmark
    public ManscdpResult decodeKeepaliveBody() {
        return ManscdpDecoder.INSTANCE.decode(body);
    }

    /** @return the 200 OK to a keepalive, built and serialised */
    @Benchmark
    public byte[] answerKeepalive() {
        SipMessage ok = SipResponse.replyTo(keepaliveRequest, 200, "OK", "1a2b3c4d");
        return SipEncoder.INSTANCE.encode(ok);
    }

    /** @return the REGISTER parsed and serialised again */
    @Benchmark
    public byte[] parseAndSerialiseRegister() {
        SipParseResult.Parsed p = (SipParseResult.Parsed) SipParser.INSTANCE.parseDatagram(register, 0,
                register.length);
        return SipEncoder.INSTANCE.encode(p.message());
    }
}
