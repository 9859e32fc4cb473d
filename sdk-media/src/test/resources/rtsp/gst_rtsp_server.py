#!/usr/bin/python3
# The real RTSP peer of RtspGstreamerTest: GStreamer's RTSP server (gst-rtsp-server, Debian packages
# gir1.2-gst-rtsp-server-1.0, python3-gi, python3-gst-1.0) serving one mount, /test.
#
# Usage: gst_rtsp_server.py --port P --launch PIPELINE [--user U --password W] [--protocols tcp|udp|any]
#   PIPELINE is a gst-launch description whose payloader is named pay0, e.g.
#   "( videotestsrc is-live=true ! x264enc ! rtph264pay name=pay0 pt=96 )".
#   --user/--password make the mount require MD5 Digest authentication (RFC 2617) for that user.
#   --protocols limits the lower transports the server accepts (to test a client's fallback).
# Prints READY once the port is bound, or MISSING <reason> (exit 3) when the pipeline cannot be built here;
# serves until its stdin closes, so no server outlives the test that started it.
import argparse
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", required=True)
    ap.add_argument("--launch", required=True)
    ap.add_argument("--user")
    ap.add_argument("--password")
    ap.add_argument("--protocols", default="any")
    args = ap.parse_args()
    Gst.init(None)
    try:
        # built once here so a missing encoder or payloader shows now, not as a 503 to the first DESCRIBE
        Gst.parse_launch(args.launch.strip().strip("()"))
    except GLib.Error as e:
        print("MISSING " + e.message, flush=True)
        sys.exit(3)
    server = GstRtspServer.RTSPServer()
    server.set_service(args.port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(args.launch)
    factory.set_shared(True)
    if args.protocols == "udp":
        factory.set_protocols(GstRtsp.RTSPLowerTrans.UDP)
    elif args.protocols == "tcp":
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
    if args.user:
        auth = GstRtspServer.RTSPAuth()
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "viewer")
        auth.add_digest(args.user, args.password, token)
        server.set_auth(auth)
        perms = GstRtspServer.RTSPPermissions()
        perms.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        perms.add_permission_for_role("viewer", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
        factory.set_permissions(perms)
    server.get_mount_points().add_factory("/test", factory)
    if server.attach(None) == 0:
        print("MISSING port " + args.port + " cannot be bound", flush=True)
        sys.exit(2)
    loop = GLib.MainLoop()

    def watch_stdin():
        sys.stdin.read()
        GLib.idle_add(loop.quit)

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("READY", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
