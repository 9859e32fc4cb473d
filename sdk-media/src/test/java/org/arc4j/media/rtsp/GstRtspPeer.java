package org.arc4j.media.rtsp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.RealPeers;

/**
 * GStreamer's RTSP server, started by a test through {@code /usr/bin/python3} (Debian's Python, the one that has
 * {@code python3-gi}) running {@code rtsp/gst_rtsp_server.py}. Under {@code CI=true} a missing GStreamer fails the
 * test (see {@link RealPeers}).
 */
final class GstRtspPeer implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    private static final String PACKAGES = "Debian packages gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0 "
            + "gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad";
    private static Boolean bindings;

    private final Process process;
    private final int port;

    private GstRtspPeer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server on a free port.
     *
     * @param launch    the pipeline, payloader named pay0
     * @param user      null for no authentication, else the Digest user
     * @param password  the Digest password
     * @param protocols {@code any}, {@code tcp} or {@code udp}
     * @return the running server
     */
    static GstRtspPeer start(String launch, String user, String password, String protocols) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return start(launch, user, password, protocols, port);
    }

    /**
     * Starts a server on a given port (to restart one where a client expects it).
     *
     * @param launch    the pipeline
     * @param user      null for no authentication
     * @param password  the Digest password
     * @param protocols {@code any}, {@code tcp} or {@code udp}
     * @param port      the port
     * @return the running server
     */
    static GstRtspPeer start(String launch, String user, String password, String protocols, int port)
            throws IOException {
        RealPeers.require(hasBindings(), "GStreamer RTSP server for Python (" + PACKAGES + ")");
        Path script = Path.of("src/test/resources/rtsp/gst_rtsp_server.py").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--port", Integer.toString(port),
                "--launch", launch, "--protocols", protocols));
        if (user != null) {
            cmd.addAll(List.of("--user", user, "--password", password));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line != null && line.startsWith("MISSING")) {
            p.destroy();
            RealPeers.require(false, "GStreamer element: " + line.substring(8) + " (" + PACKAGES + ")");
        }
        if (!"READY".equals(line)) {
            p.destroyForcibly();
            throw new IllegalStateException("gst_rtsp_server.py said " + line);
        }
        return new GstRtspPeer(p, port);
    }

    private static synchronized boolean hasBindings() {
        if (bindings == null) {
            if (!Files.isExecutable(Path.of(PYTHON))) {
                bindings = false;
            } else {
                try {
                    Process p = new ProcessBuilder(PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', "
                            + "'1.0'); from gi.repository import GstRtspServer").redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    bindings = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
                } catch (IOException e) {
                    bindings = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    bindings = false;
                }
            }
        }
        return bindings;
    }

    /** @return the mount's URL */
    URI uri() {
        return URI.create("rtsp://127.0.0.1:" + port + "/test");
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();   // the script quits when its stdin closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
