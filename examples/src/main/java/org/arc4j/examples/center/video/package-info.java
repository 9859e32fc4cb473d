/**
 * The reference centre's video plane (GA 1383 报警复核, 视频监控, 电子地图, 时钟同步): cameras per site, each with an
 * RTSP session feeding a pre-alarm buffer; ONVIF events into the intake; video faults (stream lost, frame rate below
 * 15 fps) as fault cases; case clips; and the browser streams (fragmented MP4 over the WebSocket {@code /ws/video}
 * for Media Source Extensions). {@link org.arc4j.examples.center.video.VideoService} is the entry; the configuration
 * is {@link org.arc4j.examples.center.video.VideoConfig}.
 */
package org.arc4j.examples.center.video;
