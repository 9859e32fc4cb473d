package org.arc4j.gb28181.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.media.ps.PsRtpPacketizer;
import org.arc4j.media.rtp.RtpPacket;

/**
 * The test's device-side media: ffmpeg (Debian package ffmpeg) encodes the lavfi test pattern in real time
 * ({@code -re}) into an MPEG-2 program stream ({@code -f vob}) on its standard output; this small packetiser cuts
 * it at pack start codes into RTP packets of payload type 96 (as GB/T 28181 devices send PS) and sends them over
 * UDP or RFC 4571-framed TCP. ffmpeg itself sends neither PS over RTP nor RFC 4571 framing.
 */
public final class PsRtpSender implements AutoCloseable {
    /** Where packets go. */
    public interface Out extends AutoCloseable {
        /** @param rtp an encoded RTP packet @throws IOException if it cannot be sent */
        void send(byte[] rtp) throws IOException;

        @Override
        void close() throws IOException;

        /**
         * @return this connection as a sender that leaves it open when the stream ends (as a device keeps its TCP
         *         media connection when it stops sending); whoever holds this one closes it
         */
        default Out keptOpen() {
            Out connection = this;
            return new Out() {
                @Override
                public void send(byte[] rtp) throws IOException {
                    connection.send(rtp);
                }

                @Override
                public void close() {
                    // the holder of the connection closes it
                }
            };
        }
    }

    private final Process ffmpeg;
    private final Thread pump;
    private final AtomicLong sent = new AtomicLong();
    private volatile Throwable failure;

    private PsRtpSender(List<String> cmd, long ssrc, Out out) throws IOException {
        this.ffmpeg = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        PsRtpPacketizer packetizer = new PsRtpPacketizer(ssrc, 4242, 1400);
        long t0 = System.nanoTime();
        this.pump = new Thread(() -> {
            try (InputStream in = ffmpeg.getInputStream(); out) {
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    pending.write(buf, 0, n);
                    byte[] all = pending.toByteArray();
                    int last = 0;
                    for (int i = 1; i + 3 < all.length; i++) {
                        if (all[i] == 0 && all[i + 1] == 0 && all[i + 2] == 1 && (all[i + 3] & 0xFF) == 0xBA) {
                            sendPack(packetizer, java.util.Arrays.copyOfRange(all, last, i), t0, out);
                            last = i;
                        }
                    }
                    pending.reset();
                    pending.write(all, last, all.length - last);
                }
                if (pending.size() > 0) {
                    sendPack(packetizer, pending.toByteArray(), t0, out);
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }, "ps-rtp-sender");
        pump.setDaemon(true);
        pump.start();
    }

    private void sendPack(PsRtpPacketizer packetizer, byte[] pack, long t0, Out out) throws IOException {
        long ts = (System.nanoTime() - t0) * 9 / 100_000; // 90 kHz
        for (RtpPacket p : packetizer.packetize(pack, ts)) {
            out.send(p.encode());
            sent.incrementAndGet();
        }
    }

    /**
     * Starts ffmpeg and the packetiser.
     *
     * @param encoder  libx264 or libx265
     * @param seconds  how long the stream lasts
     * @param ssrc     the SSRC of the RTP packets
     * @param out      where they go
     * @return the running sender
     */
    public static PsRtpSender start(String encoder, int seconds, long ssrc, Out out) throws IOException {
        return start(encoder, seconds, ssrc, out, List.of());
    }

    /**
     * Starts ffmpeg, with more encoder options, and the packetiser.
     *
     * @param encoder  libx264 or libx265
     * @param seconds  how long the stream lasts
     * @param ssrc     the SSRC of the RTP packets
     * @param out      where they go
     * @param options  more ffmpeg output options, e.g. {@code -qp 0}: ffmpeg's PS muxer puts small pictures two to a
     *                 PES packet, with one time stamp for both; larger ones each get their own, as cameras send them
     * @return the running sender
     */
    public static PsRtpSender start(String encoder, int seconds, long ssrc, Out out, List<String> options)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", Integer.toString(seconds), "-c:v", encoder, "-g", "25",
                "-pix_fmt", "yuv420p"));
        if (encoder.equals("libx265")) {
            cmd.addAll(List.of("-x265-params", "log-level=error"));
        }
        cmd.addAll(options);
        cmd.addAll(List.of("-f", "vob", "pipe:1"));
        return new PsRtpSender(cmd, ssrc, out);
    }

    /** @param to the platform's RTP port @return datagrams to it */
    public static Out udp(InetSocketAddress to) throws IOException {
        DatagramSocket s = new DatagramSocket();
        return new Out() {
            @Override
            public void send(byte[] rtp) throws IOException {
                s.send(new DatagramPacket(rtp, rtp.length, to));
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    /** @param s a connected socket @return RFC 4571 frames on it (a 16-bit length before each packet) */
    public static Out tcp(Socket s) throws IOException {
        OutputStream os = s.getOutputStream();
        return new Out() {
            @Override
            public void send(byte[] rtp) throws IOException {
                byte[] frame = new byte[rtp.length + 2];
                frame[0] = (byte) (rtp.length >> 8);
                frame[1] = (byte) rtp.length;
                System.arraycopy(rtp, 0, frame, 2, rtp.length);
                os.write(frame);
                os.flush();
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    /** @return RTP packets sent */
    long sent() {
        return sent.get();
    }

    /**
     * Waits for ffmpeg's end and the last packet.
     *
     * @param seconds at most this long
     */
    public void await(int seconds) throws InterruptedException {
        if (!ffmpeg.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("ffmpeg did not finish");
        }
        pump.join(TimeUnit.SECONDS.toMillis(seconds));
        if (failure != null) {
            throw new AssertionError("sending failed", failure);
        }
        if (ffmpeg.exitValue() != 0) {
            throw new AssertionError("ffmpeg exited with " + ffmpeg.exitValue());
        }
    }

    @Override
    public void close() {
        ffmpeg.destroyForcibly();
    }
}
