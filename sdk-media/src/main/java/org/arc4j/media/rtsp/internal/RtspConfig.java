package org.arc4j.media.rtsp.internal;

import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.time.Scheduler;
import org.arc4j.media.rtsp.RtspTransport;

/**
 * What {@link org.arc4j.media.rtsp.RtspClient.Builder} collected. Immutable.
 *
 * @param uri             the URL, without user information
 * @param credentials     supplies the login on each challenge (null result: none), or null
 * @param transports      the transport preference
 * @param scheduler       the timers
 * @param group           the event loops, or null for a private one-thread group
 * @param connectTimeout  connect timeout
 * @param responseTimeout per-request timeout
 * @param readIdleTimeout read-idle watchdog
 * @param minBackoff      first reconnect delay
 * @param maxBackoff      longest reconnect delay
 * @param maxHeaderLength longest RTSP header
 * @param maxFrameLength  longest interleaved frame
 * @param maxAccessUnit   largest access unit
 * @param userAgent       User-Agent value
 */
public record RtspConfig(URI uri, Supplier<Credential> credentials, List<RtspTransport> transports,
                         Scheduler scheduler, EventLoopGroup group, Duration connectTimeout, Duration responseTimeout,
                         Duration readIdleTimeout, Duration minBackoff, Duration maxBackoff, int maxHeaderLength,
                         int maxFrameLength, int maxAccessUnit, String userAgent) {
}
