#!/usr/bin/python3
# The real RTSP peer of RtspGstreamerTest: GStreamer's RTSP server (gst-rtsp-server) serving one mount, /test.
# Usage: gst_rtsp_server.py PORT PIPELINE [USER PASSWORD]
#   PIPELINE is a gst-launch description whose payloader is named pay0, e.g.
#   "( videotestsrc is-live=true ! x264enc ! rtph264pay name=pay0 pt=96 )"
#   with USER and PASSWORD the mount requires MD5 Digest authentication (RFC 2617) for that user.
# Prints "READY" on stdout once the port is bound, then serves until killed or stdin closes.
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main():
    port, launch = sys.argv[1], sys.argv[2]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    if len(sys.argv) > 4:
        user, password = sys.argv[3], sys.argv[4]
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth.add_digest(user, password, token)
        server.set_auth(auth)
        perms = GstRtspServer.RTSPPermissions()
        perms.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        perms.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(perms)
    server.get_mount_points().add_factory("/test", factory)
    if server.attach(None) == 0:
        print("BIND FAILED", flush=True)
        sys.exit(2)
    loop = GLib.MainLoop()

    # the test closes our stdin when it is done, so no server outlives a killed JVM
    def watch_stdin():
        sys.stdin.read()
        GLib.idle_add(loop.quit)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("READY", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
