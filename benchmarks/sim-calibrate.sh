#!/usr/bin/env bash
# Calibrates bin/arc4j-panel-sim against the independent C null receiver (benchmarks/driver/nullrcv), beside the C
# driver against the same receiver: whatever the simulator reports above the driver's figures is its own overhead.
# Usage: benchmarks/sim-calibrate.sh [--panels N] [--duration S] [RATE...]   (defaults: 300 panels, 15 s, 1000 20000)
# Runs only on this machine's loopback; each run is bounded by its duration plus the tools' drain.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
panels=300 duration=15
rates=()
while [ $# -gt 0 ]; do
  case "$1" in
    --panels) panels=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) rates+=("$1"); shift ;;
  esac
done
[ ${#rates[@]} -gt 0 ] || rates=(1000 20000)
bin="$root/benchmarks/target/driver"
make -s -C "$root/benchmarks/driver" OUT="$bin"
ulimit -n 65536 2>/dev/null || true
"$bin/nullrcv" -p 0 > "$bin/sim-calibrate.port" 2> "$bin/sim-calibrate.err" &
rcv=$!
trap 'kill $rcv 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$bin/sim-calibrate.port" ] && break; sleep 0.1; done
port=$(awk '{print $2}' "$bin/sim-calibrate.port")
echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $panels connections," \
     "$duration s per run, against nullrcv"
echo "| rate | tool | load avg | p50 | p90 | p99 | p99.9 |"
for r in "${rates[@]}"; do
  l0=$(cut -d' ' -f1 /proc/loadavg)
  res=$("$bin/dc09load" -p "$port" -c "$panels" -r "$r" -d "$duration" -w 3 -l "null-$r" | grep '^RESULT' || true)
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$res"; }
  awk -v r="$r" -v l="$l0→$(cut -d' ' -f1 /proc/loadavg)" -v a="$(get p50_us)" -v b="$(get p90_us)" \
      -v c="$(get p99_us)" -v d="$(get p999_us)" \
      'BEGIN {printf "| %s | dc09load | %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms |\n", r, l, a/1e3, b/1e3, c/1e3, d/1e3}'
  l0=$(cut -d' ' -f1 /proc/loadavg)
  line=$("$root/bin/arc4j-panel-sim" --target "127.0.0.1:$port" --panels "$panels" --rate "$r" \
      --duration "$duration" 2>&1 | grep '^ACK latency' || true)
  # "ACK latency from intended send time (ms): p50 X  p90 X  p99 X  p99.9 X  max X"
  awk -v r="$r" -v l="$l0→$(cut -d' ' -f1 /proc/loadavg)" '{
      for (i = 1; i <= NF; i++) v[$i] = $(i + 1);
      printf "| %s | arc4j-panel-sim | %s | %s ms | %s ms | %s ms | %s ms |\n", r, l, v["p50"], v["p90"], v["p99"],
          v["p99.9"] }' <<< "$line"
done
