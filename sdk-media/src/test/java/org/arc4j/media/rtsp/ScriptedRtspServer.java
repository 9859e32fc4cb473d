package org.arc4j.media.rtsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.media.rtp.RtpPacket;

/**
 * An RTSP server in the test tree for what GStreamer's cannot be made to do: SHA-256 Digest (through sdk-core's
 * {@link DigestAuthenticator}, the server side of the same RFC 7616 code), a 401 in the middle of a session, RTP
 * interleaved before the PLAY answer, silence after PLAY, and malformed answers. TCP interleaved only; plain
 * blocking sockets with a thread per connection, which is fine for a test peer. The video is synthetic H.264
 * (SPS, PPS, IDR, P slices of known bytes) so tests can compare what arrives byte for byte.
 */
final class ScriptedRtspServer implements AutoCloseable {
    /** What the server does; set before the client connects. */
    static final class Script {
        DigestAuthenticator digest;
        String basicUser;
        String password = "s3cret";
        int sessionTimeout = 60;
        /** Access units sent at once after PLAY (the first is a key picture). */
        int burst = 3;
        /** Then one more every 20 ms until the connection closes. */
        boolean streaming;
        boolean rtpBeforePlayAnswer;
        /** How many keep-alives (GET_PARAMETER) are answered 401 with a fresh nonce before one is accepted. */
        int unauthorisedKeepAlives;
        /** The DESCRIBE body, or null for the normal one. */
        String sdp;
        /** A header line of this many bytes in the DESCRIBE answer. */
        int oversizeHeader;
        /** After the burst, a frame followed by this many bytes its length did not announce, then the burst again. */
        int frameOverrun;
        /** User information echoed in Content-Base, as some cameras echo the URL they were asked for. */
        String echoedUserInfo;
        /** Leave GET_PARAMETER out of Public, so keep-alives must be OPTIONS. */
        boolean noGetParameter;
        /** After PLAY, ask the client OPTIONS as some servers do (RFC 2326 §10.1 allows either direction). */
        boolean serverOptions;
        /** After the burst, an RTCP sender report on channel 1 with this NTP time. */
        java.time.Instant senderReportAt;
        /** The DESCRIBE body is cut this many bytes short of its Content-Length, and the server then says nothing. */
        int describeShortBy;
        /** After the burst, one picture is not sent (a camera dropping what its TCP buffer could not take), then two. */
        boolean dropOneAfterBurst;
        /** Also offer MD5 (listed first) beside the SHA-256 {@link #digest}, as RFC 7616 §3.7 servers may. */
        boolean alsoOfferMd5;
    }

    static final byte[] SPS = Base64.getDecoder().decode("Z0LAHtkBQfsBEAAAAwAQAAADAyDxYuSA");
    static final byte[] PPS = Base64.getDecoder().decode("aMuMsg==");

    final Script script;
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The client's interleaved frames (RTCP on channel 1), whole packets. */
    final List<byte[]> clientFrames = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private volatile boolean closed;

    ScriptedRtspServer(Script script, int port) throws IOException {
        this.script = script;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread t = new Thread(this::accept, "scripted-rtsp-accept");
        t.setDaemon(true);
        t.start();
    }

    static DigestAuthenticator digest(DigestAlgorithm alg) {
        return new DigestAuthenticator(Clock.systemUTC(), "scripted", alg, true, Duration.ofMinutes(5), 16);
    }

    URI uri() {
        return URI.create("rtsp://127.0.0.1:" + server.getLocalPort() + "/live");
    }

    private String base() {
        String u = uri().toString();
        return script.echoedUserInfo == null ? u : u.replace("rtsp://", "rtsp://" + script.echoedUserInfo + "@");
    }

    int port() {
        return server.getLocalPort();
    }

    /** The i-th access unit sent on a connection: SPS, PPS and an IDR slice every 10, else a P slice. */
    static List<byte[]> accessUnit(int i) {
        List<byte[]> nals = new ArrayList<>();
        if (i % 10 == 0) {
            nals.add(SPS);
            nals.add(PPS);
            nals.add(slice(0x65, 3000, i));   // larger than a packet: FU-A
        } else {
            nals.add(slice(0x41, 200 + i, i));
        }
        return nals;
    }

    private static byte[] slice(int header, int length, int seed) {
        byte[] b = new byte[length];
        b[0] = (byte) header;
        for (int k = 1; k < length; k++) {
            b[k] = (byte) (k * 31 + seed);
        }
        return b;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-rtsp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        int[] au = {0};
        int[] seq = {1000};
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int keepAlive401 = 0;
            while (true) {
                Map<String, String> h = new LinkedHashMap<>();
                String line = readRequest(in, h, this::clientFrame);
                if (line == null) {
                    return;
                }
                String[] rl = line.split(" ");
                String method = rl[0];
                if (method.startsWith("RTSP/")) {   // the client's answer to our own request
                    record("ANSWER " + rl[1] + " CSeq " + h.get("cseq"));
                    continue;
                }
                String auth = h.get("authorization");
                record(method + " " + rl[1] + (auth == null ? "" : " " + auth));
                String cseq = h.getOrDefault("cseq", "0");
                boolean midSession = method.equals("GET_PARAMETER") && keepAlive401 < script.unauthorisedKeepAlives;
                if (midSession || !authorised(method, auth)) {
                    if (midSession) {
                        keepAlive401++;
                    }
                    String challenge = script.digest != null ? script.digest.challenge(false).toHeaderValue()
                            : "Basic realm=\"scripted\"";
                    String md5 = script.alsoOfferMd5 ? "WWW-Authenticate: " + digest(DigestAlgorithm.MD5)
                            .challenge(false).toHeaderValue() + "\r\n" : "";
                    write(out, "RTSP/1.0 401 Unauthorized\r\nCSeq: " + cseq + "\r\n" + md5 + "WWW-Authenticate: "
                            + challenge + "\r\n\r\n");
                    continue;
                }
                switch (method) {
                    case "OPTIONS" -> write(out, "RTSP/1.0 200 OK\r\nCSeq: " + cseq
                            + "\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN"
                            + (script.noGetParameter ? "" : ", GET_PARAMETER") + "\r\n\r\n");
                    case "DESCRIBE" -> {
                        String body = script.sdp != null ? script.sdp : "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"
                                + "s=scripted\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                                + "a=fmtp:96 packetization-mode=1\r\na=control:track1\r\n";
                        String pad = script.oversizeHeader > 0 ? "X-Pad: " + "p".repeat(script.oversizeHeader)
                                + "\r\n" : "";
                        int length = body.getBytes(StandardCharsets.UTF_8).length;
                        write(out, "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nContent-Base: " + base() + "/\r\n" + pad
                                + "Content-Type: application/sdp\r\nContent-Length: " + length + "\r\n\r\n"
                                + body.substring(0, body.length() - script.describeShortBy));
                    }
                    case "SETUP" -> write(out, "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nSession: 12345678;timeout="
                            + script.sessionTimeout + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
                    case "PLAY" -> {
                        if (script.rtpBeforePlayAnswer) {
                            sendAu(out, au, seq);
                        }
                        write(out, "RTSP/1.0 200 OK\r\nCSeq: " + cseq + "\r\nSession: 12345678\r\n"
                                + "RTP-Info: url=" + uri() + "/track1;seq=1000\r\n\r\n");
                        while (au[0] < script.burst) {
                            sendAu(out, au, seq);
                        }
                        if (script.dropOneAfterBurst) {
                            au[0]++;
                            seq[0]++;   // picture 3 is a single packet: its sequence number goes missing
                            sendAu(out, au, seq);
                            sendAu(out, au, seq);
                        }
                        if (script.senderReportAt != null) {
                            byte[] sr = org.arc4j.media.rtcp.RtcpCodec.INSTANCE.encode(List.of(
                                    new org.arc4j.media.rtcp.RtcpPacket.SenderReport(0x1234L,
                                            org.arc4j.media.rtcp.NtpTimestamp.of(script.senderReportAt),
                                            3600L * (au[0] - 1), au[0], 4000, List.of())));
                            synchronized (out) {
                                out.write(new byte[] {'$', 1, (byte) (sr.length >> 8), (byte) sr.length});
                                out.write(sr);
                                out.flush();
                            }
                        }
                        if (script.frameOverrun > 0) {
                            byte[] junk = new byte[script.frameOverrun];
                            java.util.Arrays.fill(junk, (byte) 0x07);   // neither '$' nor a start-line letter
                            synchronized (out) {
                                out.write(new byte[] {'$', 0, 0, 4, 1, 2, 3, 4});
                                out.write(junk);
                            }
                            int until = au[0] + script.burst;
                            while (au[0] < until) {
                                sendAu(out, au, seq);
                            }
                        }
                        if (script.serverOptions) {
                            write(out, "OPTIONS * RTSP/1.0\r\nCSeq: 77\r\n\r\n");
                        }
                        if (script.streaming) {
                            Thread t = new Thread(() -> {
                                try {
                                    while (!s.isClosed()) {
                                        Thread.sleep(20);   // a live source's pace, not a wait for a timer
                                        sendAu(out, au, seq);
                                    }
                                } catch (IOException | InterruptedException e) {
                                    // the connection ended
                                }
                            }, "scripted-rtsp-stream");
                            t.setDaemon(true);
                            t.start();
                        }
                    }
                    case "GET_PARAMETER", "TEARDOWN" -> write(out, "RTSP/1.0 200 OK\r\nCSeq: " + cseq
                            + "\r\nSession: 12345678\r\nContent-Length: 0\r\n\r\n");
                    default -> write(out, "RTSP/1.0 501 Not Implemented\r\nCSeq: " + cseq + "\r\n\r\n");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void record(String request) {
        synchronized (requests) {
            requests.add(request);
            requests.notifyAll();
        }
    }

    /**
     * Waits until the requests received so far satisfy a condition.
     *
     * @param condition on the list of requests
     * @param timeout   how long to wait
     * @return whether it was met in time
     */
    boolean awaitRequests(java.util.function.Predicate<List<String>> condition, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (requests) {
            while (!condition.test(requests)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                requests.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private boolean authorised(String method, String auth) {
        if (script.digest != null) {
            if (auth == null || !auth.startsWith("Digest ")) {
                return false;
            }
            DigestCredentials c = DigestCredentials.parse(auth);
            return c != null && script.digest.verify(method, c, script.password.getBytes(StandardCharsets.UTF_8))
                    == DigestAuthenticator.Verdict.OK;
        }
        if (script.basicUser != null) {
            String expected = "Basic " + Base64.getEncoder().encodeToString((script.basicUser + ":"
                    + script.password).getBytes(StandardCharsets.UTF_8));
            return expected.equals(auth);
        }
        return true;
    }

    private static synchronized void sendAu(OutputStream out, int[] au, int[] seq) throws IOException {
        List<byte[]> nals = accessUnit(au[0]);
        long ts = 3600L * au[0];
        au[0]++;
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int n = 0; n < nals.size(); n++) {
            byte[] nal = nals.get(n);
            boolean lastNal = n == nals.size() - 1;
            if (nal.length <= 1400) {
                frame(frames, new RtpPacket(lastNal, 96, seq[0]++ & 0xFFFF, ts, 0x1234L, 0, nal));
                continue;
            }
            // FU-A (RFC 6184 §5.8)
            int off = 1;
            while (off < nal.length) {
                int len = Math.min(1000, nal.length - off);
                byte[] p = new byte[2 + len];
                p[0] = (byte) ((nal[0] & 0xE0) | 28);
                p[1] = (byte) ((nal[0] & 0x1F) | (off == 1 ? 0x80 : 0) | (off + len == nal.length ? 0x40 : 0));
                System.arraycopy(nal, off, p, 2, len);
                off += len;
                frame(frames, new RtpPacket(lastNal && off == nal.length, 96, seq[0]++ & 0xFFFF, ts, 0x1234L, 0, p));
            }
        }
        synchronized (out) {
            out.write(frames.toByteArray());
            out.flush();
        }
    }

    private static void frame(ByteArrayOutputStream frames, RtpPacket p) {
        byte[] b = p.encode();
        frames.write('$');
        frames.write(0);
        frames.write(b.length >> 8);
        frames.write(b.length & 0xFF);
        frames.writeBytes(b);
    }

    private static void write(OutputStream out, String text) throws IOException {
        synchronized (out) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void clientFrame(byte[] frame) {
        clientFrames.add(frame);
        record("FRAME " + frame.length);
    }

    private static String readRequest(InputStream in, Map<String, String> headers,
                                      java.util.function.Consumer<byte[]> frames) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (b.size() == 0 && c == '$') {   // RTCP from the client
                in.read();   // channel
                int len = (in.read() << 8) | in.read();
                frames.accept(in.readNBytes(len));
                continue;
            }
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                String[] lines = new String(a, StandardCharsets.UTF_8).split("\r\n");
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                lines[i].substring(colon + 1).trim());
                    }
                }
                int body = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                in.skipNBytes(body);
                return lines[0];
            }
        }
        return null;
    }

    /** Closes the listening socket and every connection, as a server that stops does. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
