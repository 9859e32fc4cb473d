package org.arc4j.gb28181.cascade.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.gb28181.cascade.CascadeMediaSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.internal.GbSdp;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.gb28181.sip.SipUri;
import org.arc4j.media.ps.PsMuxer;
import org.arc4j.media.ps.PsRtpPacketizer;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live video (and its sound) for an upper platform (GB/T 28181-2016 §9.2 through a lower platform): the upper's
 * INVITE ({@code s=Play}) for an exported channel opens the channel's live stream at the {@link CascadeMediaSource};
 * its access units and audio frames are re-muxed to PS ({@link PsMuxer}, from the first key picture on) and sent as
 * RTP (payload type 96, the upper's {@code y=} SSRC) as the upper's offer asks: datagrams to its address
 * ({@code RTP/AVP}), or RTP over TCP ({@code TCP/RTP/AVP}, RFC 4571 framing) on a connection the centre opens to the
 * upper ({@code a=setup:passive} offered) or accepts from it ({@code a=setup:active} offered, the centre's listening
 * port in the answer). The 200 carries a send-only PS answer. The upper's BYE ends the source's stream; the stream
 * ending, or the TCP connection failing, sends BYE to the upper.
 *
 * <p>Playback and download (§9.8: {@code s=Playback} / {@code s=Download}, the range in {@code t=} as seconds since
 * 1970, {@code a=downloadspeed} for a download) open the channel's recording at the source
 * ({@link CascadeMediaSource#openRecording}) and are re-muxed the same way; the upper's MANSRTSP INFOs in the dialog
 * are passed on ({@link #onInfo}) and answered with the device's status, and the device's end of the recording
 * (MediaStatus 121) is sent up as a MediaStatus 121 MESSAGE naming the upper's channel ID. A channel without
 * recordings (an ONVIF/RTSP camera) is answered {@code 488 Not Acceptable Here} with a {@code Warning: 399} giving
 * the reason, not 404: the channel exists, it has nothing to play back.
 */
public final class MediaRelay {
    private static final Logger LOG = LoggerFactory.getLogger(MediaRelay.class);
    private static final int MAX_PAYLOAD = 1400;
    private static final Pattern SESSION_NAME = Pattern.compile("(?m)^s=([^\\r\\n]*)");
    private static final Pattern TIME_RANGE = Pattern.compile("(?m)^t=(\\d{1,12}) (\\d{1,12})");
    private static final Pattern DOWNLOAD_SPEED = Pattern.compile("(?m)^a=downloadspeed:(\\d{1,3})");

    private final String localId;
    private final String bindHost;
    private final SipStack stack;
    private final Executor exec;
    private final CascadeMediaSource media;
    private final java.util.function.Function<String, List<ExportedItem>> catalog;
    private final Map<String, Relay> relays = new ConcurrentHashMap<>();

    /**
     * @param localId  the centre's ID
     * @param bindHost the address media ports are bound on
     * @param stack    the cascade's SIP stack
     * @param exec     the cascade's executor
     * @param media    where live video comes from, or null (every INVITE refused)
     * @param catalog  what an upper platform (by ID) sees: other channels are unknown to it (404)
     */
    public MediaRelay(String localId, String bindHost, SipStack stack, Executor exec, CascadeMediaSource media,
                      java.util.function.Function<String, List<ExportedItem>> catalog) {
        this.catalog = catalog;
        this.localId = localId;
        this.bindHost = bindHost;
        this.stack = stack;
        this.exec = exec;
        this.media = media;
    }

    /** @return the relays running now */
    public int active() {
        return relays.size();
    }

    private static void reply(ServerTransaction tx, int status, String reason) {
        tx.respond(SipResponse.replyTo(tx.request(), status, reason, "r" + Integer.toHexString(status)));
    }

    /**
     * An INVITE from an upper platform.
     *
     * @param tx   its transaction
     * @param link the upper platform's link
     */
    public void onInvite(ServerTransaction tx, UpperLink link) {
        SipRequest r = tx.request();
        if (r.to() != null && r.to().tag() != null) {
            reply(tx, 488, "Not Acceptable Here (re-INVITE not supported)");
            return;
        }
        if (media == null) {
            reply(tx, 488, "Not Acceptable Here (no media relay configured)");
            return;
        }
        SipUri target = SipUri.parse(r.uri());
        String key = target == null || target.user() == null ? null : link.ids().keyOf(target.user());
        String visible = key;
        if (key == null || catalog.apply(link.upper().id()).stream().noneMatch(i -> i.localKey().equals(visible))) {
            reply(tx, 404, "Not Found");
            return;
        }
        byte[] body = r.body();
        String text = body == null ? "" : new String(body, StandardCharsets.US_ASCII);
        Matcher sm = SESSION_NAME.matcher(text);
        String sname = sm.find() ? sm.group(1).trim() : "";
        MediaRequest.Kind kind = java.util.Arrays.stream(MediaRequest.Kind.values())
                .filter(k -> k.sessionName().equals(sname)).findFirst().orElse(null);
        if (kind == null) {
            reply(tx, 488, "Not Acceptable Here (s=" + sname + ": only Play, Playback and Download are relayed)");
            return;
        }
        Instant start = null;
        Instant end = null;
        int speed = 1;
        if (kind.isHistory()) {
            Matcher tm = TIME_RANGE.matcher(text);
            if (tm.find()) {
                start = Instant.ofEpochSecond(Long.parseLong(tm.group(1)));
                end = Instant.ofEpochSecond(Long.parseLong(tm.group(2)));
            }
            if (start == null || start.getEpochSecond() == 0 || !end.isAfter(start)) {
                reply(tx, 488, "Not Acceptable Here (" + sname + " needs a time range t=<start> <end>)");
                return;
            }
            Matcher dm = DOWNLOAD_SPEED.matcher(text);
            if (kind == MediaRequest.Kind.DOWNLOAD && dm.find()) {
                speed = (int) Math.max(1, Math.min(32, Long.parseLong(dm.group(1))));
            }
        }
        GbSdp.Answer offer = GbSdp.parseAnswer(body);
        if (offer == null) {
            reply(tx, 488, "Not Acceptable Here (no usable SDP offer)");
            return;
        }
        if (!text.matches("(?s).*m=video \\d+ (TCP/)?RTP/AVP( \\d+)* 96( .*|\\r?\\n.*)")) {
            reply(tx, 488, "Not Acceptable Here (PS on payload type 96 not offered)");
            return;
        }
        String setup = offer.setup();
        if (offer.tcp() && !"passive".equals(setup) && !"active".equals(setup)) {
            reply(tx, 488, "Not Acceptable Here (TCP media needs a=setup:passive or a=setup:active)");
            return;
        }
        String ssrc = offer.ssrc() != null && GbSdp.ssrcValue(offer.ssrc()) >= 0 ? offer.ssrc()
                : String.format("0%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
        Relay relay = new Relay(r.callId(), GbSdp.ssrcValue(ssrc), link, target.user(), kind);
        RtpOut out;
        try {
            InetSocketAddress bind = new InetSocketAddress(bindHost, 0);
            String name = "cascade-relay-" + key;
            // the upper listens (its setup:passive): the centre connects; the upper connects (setup:active): the
            // centre listens, and its port goes into the answer
            out = !offer.tcp() ? RtpOut.udp(bind, offer.address())
                    : "passive".equals(setup) ? RtpOut.tcpActive(offer.address(), name, relay::ended)
                    : RtpOut.tcpPassive(bind, name, relay::ended);
        } catch (IOException e) {
            reply(tx, 500, "Server Internal Error");
            return;
        }
        relay.out = out;
        tx.respond(SipResponse.replyTo(r, 100, "Trying", null));
        CompletionStage<? extends AutoCloseable> opening = kind == MediaRequest.Kind.PLAY
                ? media.openLive(key, relay) : media.openRecording(key, kind, start, end, speed, relay);
        opening.whenComplete((handle, err) -> run(() -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                relay.end(false);
                if (cause instanceof UnsupportedOperationException) {
                    // the channel exists but has nothing recorded to play: 488, with the reason in a Warning
                    String why = String.valueOf(cause.getMessage()).replace('"', '\'');
                    tx.respond(SipResponse.of(488, "Not Acceptable Here (" + why + ")",
                            SipResponse.replyHeaders(r, 488, "Not Acceptable Here", "r1e8")
                                    .add("Warning", "399 " + stack.advertisedHost() + " \"" + why + "\"").build(),
                            null));
                } else if (cause instanceof IllegalArgumentException) {
                    reply(tx, 488, "Not Acceptable Here (" + cause.getMessage() + ")");
                } else {
                    reply(tx, 480, "Temporarily Unavailable (" + cause + ")");
                }
                return;
            }
            relay.handle = handle;
            relay.recording = handle instanceof CascadeMediaSource.Recording rec ? rec : null;
            if (relay.closed) {
                closeQuietly(handle);
                reply(tx, 480, "Temporarily Unavailable (the channel's stream ended)");
                return;
            }
            String host = stack.advertisedHost();
            String sdp = "v=0\r\no=" + localId + " 0 0 IN IP4 " + host + "\r\ns=" + kind.sessionName() + "\r\nc=IN IP4 " + host
                    + "\r\nt=0 0\r\nm=video " + out.localPort() + (offer.tcp() ? " TCP/RTP/AVP" : " RTP/AVP")
                    + " 96\r\na=sendonly\r\na=rtpmap:96 PS/90000\r\n"
                    + (offer.tcp() ? "a=setup:" + ("passive".equals(setup) ? "active" : "passive")
                    + "\r\na=connection:new\r\n" : "") + "y=" + ssrc + "\r\n";
            String tag = stack.newToken();
            int sipPort = tx.source().transport() == SipTransport.UDP
                    ? stack.udpAddress().getPort() : stack.tcpAddress().getPort();
            SipHeaders h = SipResponse.replyHeaders(r, 200, "OK", tag)
                    .add("Contact", "<sip:" + localId + "@" + host + ":" + sipPort + ">")
                    .add("Content-Type", "application/sdp").build();
            relay.dialog = Dialog.asServer(r, tag, tx.source());
            relays.put(r.callId(), relay);
            if (!tx.respond(SipResponse.of(200, "OK", h, sdp.getBytes(StandardCharsets.US_ASCII)))) {
                relay.dialog = null; // cancelled meanwhile: no dialog, no BYE
                relay.end(false);
                return;
            }
            relay.started = true;
            LOG.info("relaying {} ({}) to upper platform {} at {} over {}", key, kind, link.upper().id(),
                    offer.address(),
                    offer.tcp() ? "TCP (" + setup + " upper)" : "UDP");
        }));
    }

    /**
     * A BYE from an upper platform: ends its relay (200) or, outside any, 481.
     *
     * @param tx the BYE's transaction
     * @return false when it is in no relay's dialog
     */
    public boolean onBye(ServerTransaction tx) {
        Relay relay = relays.get(tx.request().callId());
        if (relay == null || relay.dialog == null || !relay.dialog.matches(tx.request())) {
            return false;
        }
        reply(tx, 200, "OK");
        relay.end(false);
        return true;
    }

    /**
     * An INFO from an upper platform: MANSRTSP (GB/T 28181-2016 Annex B) in a playback or download relay's dialog,
     * passed on to the recording ({@code PAUSE}; {@code PLAY} with {@code Range: npt=<n>-} a seek, with
     * {@code Scale} a speed, else a resume at normal speed) and answered with the source's status. A live relay's
     * INFO is 405, a body that is no MANSRTSP 415, a MANSRTSP method other than PLAY or PAUSE 400.
     *
     * @param tx the INFO's transaction
     * @return false when it is in no relay's dialog
     */
    public boolean onInfo(ServerTransaction tx) {
        SipRequest r = tx.request();
        Relay relay = relays.get(r.callId());
        if (relay == null || relay.dialog == null || !relay.dialog.matches(r)) {
            return false;
        }
        CascadeMediaSource.Recording rec = relay.recording;
        if (rec == null) {
            reply(tx, 405, "Method Not Allowed (no playback control of live video)");
            return true;
        }
        String ct = r.contentType();
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).contains("mansrtsp")) {
            reply(tx, 415, "Unsupported Media Type");
            return true;
        }
        CompletionStage<Integer> done;
        try {
            done = control(new String(r.body() == null ? new byte[0] : r.body(), StandardCharsets.US_ASCII), rec);
        } catch (IllegalArgumentException e) {
            reply(tx, 400, "Bad Request (" + e.getMessage() + ")");
            return true;
        }
        done.whenComplete((status, err) -> run(() -> {
            if (err != null) {
                reply(tx, 500, "Server Internal Error (" + err + ")");
            } else {
                reply(tx, status, status < 300 ? "OK" : "Not Done (the device answered " + status + ")");
            }
        }));
        return true;
    }

    /** Applies a MANSRTSP request to a recording; IllegalArgumentException when it is none of PLAY or PAUSE. */
    static CompletionStage<Integer> control(String mansrtsp, CascadeMediaSource.Recording rec) {
        String[] lines = mansrtsp.split("\r?\n");
        String method = lines.length == 0 ? "" : lines[0].trim().split(" ")[0];
        Double scale = null;
        Long npt = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            try {
                if (name.equalsIgnoreCase("Scale")) {
                    scale = Double.parseDouble(value);
                } else if (name.equalsIgnoreCase("Range") && value.startsWith("npt=")
                        && !value.startsWith("npt=now")) {
                    String from = value.substring(4, value.indexOf('-') < 0 ? value.length() : value.indexOf('-'));
                    npt = (long) Math.floor(Double.parseDouble(from));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": " + value);
            }
        }
        switch (method) {
            case "PAUSE" -> {
                return rec.pause();
            }
            case "PLAY" -> {
                if (npt != null && npt < 0) {
                    throw new IllegalArgumentException("Range before the start");
                }
                if (npt == null) {
                    return rec.play(scale == null ? 1.0 : scale);
                }
                Double speed = scale;
                CompletionStage<Integer> seek = rec.seek(npt);
                return speed == null ? seek
                        : seek.thenCompose(st -> st >= 300 ? CompletableFuture.completedFuture(st) : rec.play(speed));
            }
            default -> throw new IllegalArgumentException("MANSRTSP method " + method);
        }
    }

    /** Ends every relay with a BYE to its upper platform. */
    public void close() {
        for (Relay r : List.copyOf(relays.values())) {
            r.end(true);
        }
    }

    private static void closeQuietly(AutoCloseable h) {
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                LOG.debug("closing a relay's source: {}", e.toString());
            }
        }
    }

    private void run(Runnable r) {
        try {
            exec.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /** One upper platform's live stream. */
    private final class Relay implements CascadeMediaSource.Sink {
        private final String callId;
        private final PsRtpPacketizer packetizer;
        private PsMuxer muxer;
        private PsStreamType videoType;
        private PsStreamType audioType;
        private boolean keySent;
        volatile RtpOut out;
        volatile boolean started;
        volatile boolean closed;
        volatile AutoCloseable handle;
        volatile Dialog dialog;
        volatile CascadeMediaSource.Recording recording;
        private final UpperLink link;
        private final String channelId;
        private final MediaRequest.Kind kind;

        Relay(String callId, long ssrc, UpperLink link, String channelId, MediaRequest.Kind kind) {
            this.callId = callId;
            this.link = link;
            this.channelId = channelId;
            this.kind = kind;
            this.packetizer = new PsRtpPacketizer(ssrc, ThreadLocalRandom.current().nextInt(0x10000), MAX_PAYLOAD);
        }

        @Override
        public synchronized void video(PsStreamType t, AccessUnit unit) {
            // over TCP nothing is sent before the connection: the first pack sent must be a key picture
            if (closed || !started || !out.ready() || (!keySent && !unit.isKey())) {
                return;
            }
            if (muxer == null || t != videoType) {
                videoType = t;
                muxer = new PsMuxer(t, audioType);
            }
            keySent = true;
            send(muxer.video(unit), unit.timestamp());
        }

        @Override
        public synchronized void audio(PsStreamType t, long pts, byte[] data) {
            if (t.isVideo() || data.length > PsMuxer.MAX_PES_PAYLOAD) {
                return;
            }
            if (t != audioType) {
                // the next key picture's stream map announces it
                audioType = t;
                muxer = videoType == null ? null : new PsMuxer(videoType, t);
            }
            if (closed || !started || !keySent || muxer == null || !out.ready()) {
                return;
            }
            send(muxer.audio(pts, data), pts);
        }

        private void send(byte[] pack, long pts) {
            try {
                for (RtpPacket p : packetizer.packetize(pack, pts)) {
                    out.send(p.encode());
                }
            } catch (RuntimeException e) {
                LOG.debug("relay {} cannot send: {}", callId, e.toString());
            }
        }

        /** The device's end of the recording, passed up as MediaStatus 121 about the upper's channel ID. */
        @Override
        public void endOfFile() {
            run(() -> {
                if (closed || !kind.isHistory()) {
                    return;
                }
                link.message(link.encoder().mediaStatus(link.nextSn(), channelId, 121)).whenComplete((resp, err) -> {
                    if (err != null || resp.status() >= 300) {
                        LOG.warn("MediaStatus 121 of relay {} not taken by upper platform {}: {}", callId,
                                link.upper().id(), err != null ? err.toString() : resp.status() + " " + resp.reason());
                    }
                });
            });
        }

        @Override
        public void ended(String reason) {
            LOG.info("the source of relay {} ended: {}", callId, reason);
            run(() -> end(true));
        }

        /** Stops the stream and frees the port; with a BYE to the upper platform when asked. */
        void end(boolean bye) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            relays.remove(callId, this);
            RtpOut o = out;
            if (o != null) {
                o.close();
            }
            closeQuietly(handle);
            Dialog d = dialog;
            if (bye && d != null) {
                stack.send(d.newRequest(SipRequest.BYE, null, null), d.peer()).whenComplete((resp, err) -> {
                    if (err != null) {
                        LOG.debug("BYE of relay {} got no answer: {}", callId, err.toString());
                    }
                });
            }
        }
    }
}
