#!/usr/bin/env bash
# Calibrates dc09load against its null receiver: the driver's own overhead at the given rates.
# Usage: benchmarks/driver/calibrate.sh [connections] [seconds] [rate...]   (defaults: 300 30 1000 5000 20000)
set -euo pipefail
cd "$(dirname "$0")"
make -s
conns=${1:-300}
secs=${2:-30}
shift $(( $# > 2 ? 2 : $# ))
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(1000 5000 20000)
ulimit -n 65536 2>/dev/null || true
build/nullrcv -p 0 > build/nullrcv.port 2> build/nullrcv.err &
rcv=$!
trap 'kill $rcv 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s build/nullrcv.port ] && break; sleep 0.1; done
port=$(awk '{print $2}' build/nullrcv.port)
echo "# $(date -u +%FT%TZ) load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in "${rates[@]}"; do
  build/dc09load -p "$port" -c "$conns" -r "$r" -d "$secs" -w 5 -l "null-$r"
  echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
