package org.arc4j.examples.center.receive;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipRequestHandler;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.media.rtp.G711RtpReceiver;
import org.arc4j.media.rtp.G711RtpSender;
import org.arc4j.media.rtp.RtpUdpEndpoint;
import org.arc4j.protocols.audio.G711;
import org.arc4j.protocols.contactid.ContactIdCallReport;
import org.arc4j.protocols.contactid.ContactIdEvents;
import org.arc4j.protocols.contactid.ContactIdLine;
import org.arc4j.protocols.contactid.ContactIdOrigin;
import org.arc4j.protocols.contactid.ContactIdReceiverSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contact ID over the telephone network, through a VoIP gateway (FXO port, SIP trunk): the gateway sends the
 * panel's call as a SIP INVITE; the centre answers with the SDK's SIP stack, receives the G.711 audio (and RFC 4733
 * telephone-events) over RTP through sdk-media's jitter buffer, and runs one {@link ContactIdLine} per call, which
 * plays the handshake and the kissoff back over RTP and puts every message into the intake before its kissoff.
 * When the panel is done the centre hangs up with BYE.
 *
 * <p>At most {@code lines} calls at once (GA 1383 传输部分: at least 4 trunks, one more per 200 customers above 300,
 * see {@link #requiredLines}); a call beyond them gets 486 Busy Here, and the panel dials again later. An INVITE
 * without G.711 in its offer gets 488. A call whose RTP stops for {@link #SILENCE_HANGUP} is hung up.
 *
 * <p>Thread-safe. SIP runs on the stack's event loop, each call's audio on its RTP endpoint's thread (never the
 * event loop); timers on the centre's {@link Scheduler}.
 */
public final class PstnGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PstnGateway.class);
    /** How long a call may go without RTP before the centre hangs up. */
    public static final Duration SILENCE_HANGUP = Duration.ofSeconds(10);

    private final Scheduler scheduler;
    private final Clock clock;
    private final AlarmIntake intake;
    private final Metrics metrics;
    private final String bindHost;
    private final int lines;
    private final ContactIdEvents events = ContactIdEvents.withShippedTable();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final AtomicLong callCount = new AtomicLong();
    private final SipStack stack;

    private PstnGateway(InetSocketAddress sip, String advertisedHost, int lines, AlarmIntake intake,
                        Scheduler scheduler, Metrics metrics) throws InterruptedException {
        if (lines < 1) {
            throw new IllegalArgumentException("lines must be at least 1");
        }
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = scheduler.clock();
        this.intake = Objects.requireNonNull(intake, "intake");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.bindHost = sip.getHostString();
        this.lines = lines;
        this.stack = SipStack.builder().bindHost(bindHost).advertisedHost(advertisedHost).udpPort(sip.getPort())
                .tcpPort(-1).scheduler(scheduler).metrics(metrics).handler(new Handler()).start();
    }

    /**
     * Starts the gateway's SIP side on UDP.
     *
     * @param sip            where SIP listens (port 0 for any free port)
     * @param advertisedHost the host written in Contact and SDP (the address the gateway reaches the centre at)
     * @param lines          simultaneous calls taken
     * @param intake         where the alarms go
     * @param scheduler      the centre's scheduler (SIP timers, receive times, the silence check)
     * @param metrics        where {@code contactid.*} and {@code pstn.calls} counts go
     * @return the running gateway
     * @throws InterruptedException if interrupted while binding
     */
    public static PstnGateway start(InetSocketAddress sip, String advertisedHost, int lines, AlarmIntake intake,
                                    Scheduler scheduler, Metrics metrics) throws InterruptedException {
        return new PstnGateway(sip, advertisedHost, lines, intake, scheduler, metrics);
    }

    /**
     * The trunks GA 1383 传输部分 asks for: at least 4, and one more for every 200 customers above 300.
     *
     * @param customers the customers served
     * @return the lines required
     */
    public static int requiredLines(int customers) {
        return 4 + Math.max(0, (customers - 300 + 199) / 200);
    }

    /** @return the bound SIP UDP port */
    public int sipPort() {
        return stack.udpAddress().getPort();
    }

    /** @return the configured number of lines */
    public int lines() {
        return lines;
    }

    /** @return calls in progress */
    public int activeCalls() {
        return calls.size();
    }

    /** @return calls answered since start */
    public long answeredCalls() {
        return callCount.get();
    }

    private final class Handler implements SipRequestHandler {
        @Override
        public void onRequest(ServerTransaction tx) {
            SipRequest r = tx.request();
            switch (r.method()) {
                case SipRequest.INVITE -> invite(tx);
                case SipRequest.BYE -> bye(tx);
                case SipRequest.OPTIONS -> tx.respond(SipResponse.replyTo(r, 200, "OK", stack.newToken()));
                case SipRequest.CANCEL -> tx.respond(SipResponse.replyTo(r, 200, "OK", null));
                default -> tx.respond(SipResponse.of(405, "Method Not Allowed",
                        SipResponse.replyHeaders(r, 405, "Method Not Allowed", stack.newToken())
                                .add("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS").build(), null));
            }
        }
    }

    private void invite(ServerTransaction tx) {
        SipRequest r = tx.request();
        if (r.headers().get("To") != null && r.headers().get("To").contains("tag=")) {
            // a re-INVITE in a call: keep the media as it is
            Call c = calls.get(r.callId());
            tx.respond(c == null ? SipResponse.replyTo(r, 481, "Call/Transaction Does Not Exist", null)
                    : answer(r, c.localTag, c));
            return;
        }
        Call answered = calls.get(r.callId());
        if (answered != null) {
            // the INVITE again: our 200 was lost or late (RFC 3261 §13.3.1.4), so the same answer again
            tx.respond(answer(r, answered.localTag, answered));
            return;
        }
        Offer offer = Offer.parse(r.bodyText(StandardCharsets.US_ASCII));
        if (offer == null) {
            metrics.counter("pstn.calls", "outcome", "not-acceptable").increment();
            tx.respond(SipResponse.replyTo(r, 488, "Not Acceptable Here", stack.newToken()));
            return;
        }
        if (calls.size() >= lines) {
            metrics.counter("pstn.calls", "outcome", "busy").increment();
            tx.respond(SipResponse.replyTo(r, 486, "Busy Here", stack.newToken()));
            return;
        }
        String tag = stack.newToken();
        Call call;
        try {
            call = new Call(r.callId(), tag, offer, Dialog.asServer(r, tag, tx.source()));
        } catch (IOException e) {
            LOG.warn("no RTP port for a call: {}", e.toString());
            tx.respond(SipResponse.replyTo(r, 503, "Service Unavailable", tag));
            return;
        }
        Call first = calls.putIfAbsent(r.callId(), call);
        if (first != null) {
            // the same INVITE twice at once: both get the first one's answer
            call.stopMedia();
            tx.respond(answer(r, first.localTag, first));
            return;
        }
        callCount.incrementAndGet();
        metrics.counter("pstn.calls", "outcome", "answered").increment();
        call.startMedia();
        tx.respond(answer(r, tag, call));
    }

    private SipResponse answer(SipRequest r, String tag, Call c) {
        String host = stack.advertisedHost();
        String sdp = "v=0\r\n"
                + "o=arc4j 1 1 IN IP4 " + host + "\r\n"
                + "s=arc4j Contact ID\r\n"
                + "c=IN IP4 " + host + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + c.rtp.localAddress().getPort() + " RTP/AVP " + c.offer.payloadType
                + (c.offer.eventType >= 0 ? " " + c.offer.eventType : "") + "\r\n"
                + "a=rtpmap:" + c.offer.payloadType + (c.offer.payloadType == 0 ? " PCMU/8000" : " PCMA/8000") + "\r\n"
                + (c.offer.eventType >= 0 ? "a=rtpmap:" + c.offer.eventType + " telephone-event/8000\r\n"
                + "a=fmtp:" + c.offer.eventType + " 0-15\r\n" : "")
                + "a=ptime:20\r\na=sendrecv\r\n";
        return SipResponse.of(200, "OK", SipResponse.replyHeaders(r, 200, "OK", tag)
                .add("Contact", "<sip:arc4j@" + host + ":" + sipPort() + ">")
                .add("Content-Type", "application/sdp").build(), sdp.getBytes(StandardCharsets.US_ASCII));
    }

    private void bye(ServerTransaction tx) {
        SipRequest r = tx.request();
        Call c = calls.get(r.callId());
        if (c == null || !c.dialog.matches(r)) {
            tx.respond(SipResponse.replyTo(r, 481, "Call/Transaction Does Not Exist", null));
            return;
        }
        tx.respond(SipResponse.replyTo(r, 200, "OK", null));
        c.end(false);
    }

    /** One answered call: its RTP endpoint, jitter buffer and Contact ID line. */
    private final class Call {
        final String callId;
        final String localTag;
        final Offer offer;
        final Dialog dialog;
        final RtpUdpEndpoint rtp;
        final ContactIdLine line;
        final G711RtpReceiver receiver;
        final G711RtpSender sender;
        final G711.Law law;
        volatile long lastPacket = clock.millis();
        private Cancellable ticker;
        private boolean ended;

        Call(String callId, String localTag, Offer offer, Dialog dialog) throws IOException {
            this.callId = callId;
            this.localTag = localTag;
            this.offer = offer;
            this.dialog = dialog;
            this.law = offer.payloadType == 0 ? G711.Law.ULAW : G711.Law.ALAW;
            this.rtp = RtpUdpEndpoint.bind(new InetSocketAddress(bindHost, 0), offer.media);
            ContactIdOrigin origin = ContactIdOrigin.pstn(new Ingress("contactid-pstn", "sip:" + sipPort()));
            this.line = new ContactIdLine(ContactIdReceiverSession.Settings.dc05(), intake, events, origin,
                    callId, clock, this::ended, metrics);
            this.sender = new G711RtpSender(offer.payloadType, -1, callId.hashCode() & 0xFFFFFFFFL, 1, 0);
            this.receiver = new G711RtpReceiver(offer.eventType, new G711RtpReceiver.Sink() {
                @Override
                public void audio(int payloadType, byte[] codes, long sampleTime) {
                    byte[] back = line.feed(payloadType == 0 ? G711.Law.ULAW : G711.Law.ALAW, codes, sampleTime);
                    for (byte[] p : sender.audio(back)) {
                        try {
                            rtp.send(p);
                        } catch (IOException e) {
                            // the panel misses a packet of tone; it repeats its message if it misses the kissoff
                        }
                    }
                }

                @Override
                public void telephoneEvent(char key, long startSample, long endSample) {
                    line.session().telephoneEvent(key, startSample, endSample);
                }
            });
        }

        void startMedia() {
            rtp.start(d -> {
                synchronized (this) {
                    if (ended) {
                        return;
                    }
                    lastPacket = clock.millis();
                    receiver.receive(d, 0, d.length);
                }
                if (line.session().isEnded()) {
                    end(true);
                }
            });
            ticker = scheduler.scheduleAtFixedRate(Duration.ofMillis(100), this::tick);
        }

        /** Gives up gaps the jitter buffer held for too long; hangs up a call whose RTP stopped. */
        private void tick() {
            boolean silent;
            synchronized (this) {
                if (ended) {
                    return;
                }
                receiver.flush();
                silent = clock.millis() - lastPacket > SILENCE_HANGUP.toMillis();
            }
            if (silent) {
                end(true);
            }
        }

        private void ended(ContactIdCallReport report) {
            LOG.info("PSTN call {} ended {}: {} messages, {} handshakes", callId, report.ending(),
                    report.messages().size(), report.handshakes());
        }

        /**
         * Ends the call once: hangs the session up if it is still going and, when we end it, says BYE.
         *
         * @param sendBye true when the centre hangs up, false when the gateway did
         */
        void end(boolean sendBye) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                line.session().hangUp();
            }
            calls.remove(callId, this);
            stopMedia();
            if (sendBye) {
                stack.send(dialog.newRequest(SipRequest.BYE, null, null), dialog.peer())
                        .whenComplete((resp, e) -> {
                            if (e != null) {
                                LOG.debug("BYE for {} not answered: {}", callId, e.toString());
                            }
                        });
            }
        }

        void stopMedia() {
            if (ticker != null) {
                ticker.cancel();
            }
            rtp.close();
        }
    }

    /** What the gateway's SDP offer says: where to send audio, which G.711 law and the telephone-event type. */
    private record Offer(InetSocketAddress media, int payloadType, int eventType) {
        static Offer parse(String sdp) {
            if (sdp == null || sdp.isEmpty()) {
                return null;
            }
            String host = null;
            int port = -1;
            String[] formats = new String[0];
            int event = -1;
            for (String l : sdp.split("\r?\n")) {
                if (l.startsWith("c=IN IP4 ") || l.startsWith("c=IN IP6 ")) {
                    host = l.substring(9).trim().split("/")[0];
                } else if (l.startsWith("m=audio ")) {
                    String[] f = l.substring(8).trim().split("\\s+");
                    try {
                        port = Integer.parseInt(f[0].split("/")[0]);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    formats = java.util.Arrays.copyOfRange(f, Math.min(2, f.length), f.length);
                } else if (l.startsWith("a=rtpmap:") && l.toLowerCase(java.util.Locale.ROOT)
                        .contains("telephone-event/8000")) {
                    try {
                        event = Integer.parseInt(l.substring(9, l.indexOf(' ')).trim());
                    } catch (RuntimeException e) {
                        event = -1;
                    }
                }
            }
            int pt = -1;
            for (String f : formats) {
                if (f.equals("0") || f.equals("8")) {
                    pt = Integer.parseInt(f);
                    break;
                }
            }
            if (host == null || port <= 0 || port > 65535 || pt < 0) {
                return null;
            }
            return new Offer(new InetSocketAddress(host, port), pt, event);
        }
    }

    /** Hangs up every call (BYE) and closes the SIP socket. */
    @Override
    public void close() {
        for (Call c : calls.values()) {
            c.end(true);
        }
        stack.close();
    }
}
