#!/usr/bin/env bash
# The soak test (issue 15): runs the packaged reference centre (bin/arc4j-center) for a while under panels that
# poll and raise alarms (dc09soak, C) and operators who handle the cases over the REST API (operators.py), and
# records the heap after a full GC, the centre's CPU and its open cases once a minute.
#
# Usage: benchmarks/soak/soak.sh [minutes=30] [panels=10000] [alarms/s=50] [poll-seconds=90]
# Environment: SOAK_OUT (where to write, default benchmarks/soak/build/run-TIMESTAMP), SOAK_HTTP, SOAK_DC09,
#              SOAK_SIP, SOAK_PSTN (ports, default 28180, 29100,
#              25160, 25170), SOAK_OPERATORS (default 6), SOAK_SAMPLE_S (seconds between heap samples, default
#              60: each is a full GC, which shows in the latency figures), ARC4J_JAVA_OPTS (added to).
# Writes: center.log, gc.log, panels.log (dc09soak), operators.log, heap.tsv (one row a minute), histo-T.txt (the
# heap's top classes at each sample) and summary.txt.
# Not part of CI: it takes as long as you ask. bin/arc4j-center builds the centre first if it is stale.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/benchmarks/soak"
minutes=${1:-30}
panels=${2:-10000}
rate=${3:-50}
poll=${4:-90}
http=${SOAK_HTTP:-28180}
dc09=${SOAK_DC09:-29100}
sip=${SOAK_SIP:-25160}
pstn=${SOAK_PSTN:-25170}
out=${SOAK_OUT:-$here/build/run-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out" "$here/build"
gcc -O2 -g -std=c11 -Wall -Wextra -Werror -o "$here/build/dc09soak" "$here/dc09soak.c"
ulimit -n 20000

export ARC4J_ADMIN_PASSWORD='Soak-Centre-9vQ!r4Tz'
export ARC4J_JAVA_OPTS="${ARC4J_JAVA_OPTS:-} -Xlog:gc:file=$out/gc.log:uptime"
"$root/bin/arc4j-center" --data "$out/data" --http "$http" --dc09-tcp "$dc09" --dc09-udp "$dc09" --sip "$sip" --pstn-sip "$pstn" \
    > "$out/center.log" 2>&1 &
center=$!  # the script execs java: this is the JVM's pid
panels_pid=
operators_pid=
cleanup() {
  for p in $panels_pid $operators_pid $center; do
    kill "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

for _ in $(seq 600); do
  curl -fsS "http://127.0.0.1:$http/api/health" > /dev/null 2>&1 && break
  kill -0 "$center" 2>/dev/null || { echo "soak: the centre exited; see $out/center.log" >&2; exit 1; }
  sleep 1
done
echo "# $(date -u +%FT%TZ) centre pid $center up; load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/summary.txt"

seconds=$((minutes * 60))
"$here/build/dc09soak" -p "$dc09" -c "$panels" -P "$poll" -r "$rate" -d "$seconds" -i 60 -a 500000 \
    > "$out/panels.log" 2> "$out/panels.err" &
panels_pid=$!
python3 "$here/operators.py" --http "127.0.0.1:$http" --admin-password "$ARC4J_ADMIN_PASSWORD" \
    --operators "${SOAK_OPERATORS:-6}" --duration "$seconds" > "$out/operators.log" 2>&1 &
operators_pid=$!

# heap after a full GC: jcmd GC.class_histogram collects first (one full pause a minute, in the latency figures)
# and its top rows, kept per sample, say what grows
sample() {
  local t=$1 phase=$2 used cpu open rss
  jcmd "$center" GC.class_histogram | head -40 > "$out/histo-$t.txt"
  used=$(jcmd "$center" GC.heap_info | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' | head -1)
  cpu=$(awk '{print $14 + $15}' "/proc/$center/stat")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$center/status")
  open=$(curl -fsS "http://127.0.0.1:$http/api/health" | sed -n 's/.*"openCases" *: *\([0-9]*\).*/\1/p')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$used" "$cpu" "${open:-?}" "$rss" "$(cut -d' ' -f1 /proc/loadavg)" "$phase" \
      >> "$out/heap.tsv"
}
printf 't_s\theap_after_gc_kb\tcpu_ticks\topen_cases\trss_kb\tload1\tphase\n' > "$out/heap.tsv"
start=$(date +%s)
sample 0 run
while kill -0 "$panels_pid" 2>/dev/null; do
  sleep "${SOAK_SAMPLE_S:-60}"
  kill -0 "$center" 2>/dev/null || { echo "soak: the centre died; see $out/center.log" >&2; exit 1; }
  kill -0 "$panels_pid" 2>/dev/null || break
  sample $(( $(date +%s) - start )) run
done
wait "$panels_pid" || true
wait "$operators_pid" || true
sample $(( $(date +%s) - start )) after  # the panels have disconnected: not in the slope

{
  echo "# $(date -u +%FT%TZ) $minutes min, $panels panels polling every ${poll} s, $rate alarms/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  grep '^RESULT' "$out/panels.log" || echo "panels: no RESULT line (see panels.err)"
  grep '^RESULT' "$out/operators.log" || echo "operators: no RESULT line"
  # least-squares slope of the heap after GC while the panels ran, skipping the first two minutes (start-up,
  # warm-up); the last sample, after the panels disconnected, is left out
  awk -F'\t' 'NR > 1 && $1 >= 120 && $7 == "run" && $2 != "" { n++; x += $1; y += $2; xx += $1 * $1; xy += $1 * $2 }
      END { if (n > 1) { b = (n * xy - x * y) / (n * xx - x * x); printf "heap after GC: %d samples from 2 min to the end, slope %.2f MB/hour, mean %.1f MB\n", n, b * 3600 / 1024, y / n / 1024 } }' \
      "$out/heap.tsv"
  awk -F'\t' 'NR == 2 { c0 = $3; t0 = $1 } $7 == "run" { c = $3; t = $1 } END { printf "centre CPU: %.1f%% of one core on average\n", (c - c0) / 100 / (t - t0) * 100 }' \
      "$out/heap.tsv"
} | tee -a "$out/summary.txt"
