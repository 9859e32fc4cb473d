#!/usr/bin/env bash
# Measures the packaged reference centre (bin/arc4j-center) from outside with the independent C driver
# (benchmarks/driver/dc09load): one fresh centre on a fresh data directory, the disk's fdatasync floor in that
# directory first (fsyncprobe), then one dc09load run per rate, each panel its own account (every run its own
# accounts, so no frame is a retransmission of an earlier run's), and the centre's CPU from /proc/PID/stat over
# each run. Prints one table row per rate and leaves the drivers' output in the output directory.
#
# Usage: benchmarks/center-run.sh [--panels N] [--duration S] [--warmup S] [--data DIR] [--out DIR]
#                                 [--prime S] [--jfr] [--gc-log] [--] RATE...
#        (defaults: 300 panels, 25 s per rate of which 5 s warm-up, 15 s priming at 1,000/s, rates 1000 5000)
# --prime: an uncounted run first, so that the JIT has compiled the receive path before the first measured rate
# --jfr: a flight recording (settings=profile) of the measured runs into the output directory
# Environment: ARC4J_JAVA_OPTS is passed to the centre's JVM as bin/arc4j-center does.
# Runs only on this machine's loopback; every run is bounded by its duration plus the driver's 10 s drain.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
panels=300 duration=25 warmup=5 prime=15 data="" out="" jfr=0 gclog=0
rates=()
while [ $# -gt 0 ]; do
  case "$1" in
    --panels) panels=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --prime) prime=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jfr) jfr=1; shift ;;
    --gc-log) gclog=1; shift ;;
    --) shift; rates+=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) rates+=("$1"); shift ;;
  esac
done
[ ${#rates[@]} -gt 0 ] || rates=(1000 5000)
data=${data:-$(mktemp -d /var/tmp/arc4j-center-run.XXXXXX)}
out=${out:-$root/benchmarks/target/center-run/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$data" "$out"
make -s -C "$root/benchmarks/driver" OUT="$root/benchmarks/target/driver"
bin="$root/benchmarks/target/driver"
ulimit -n 65536 2>/dev/null || true

# ports: a random base so that two runs (or a run and a test) on one machine do not collide
in_use() { ss -Hlntu | awk '{print $5}' | grep -Eq ":($1|$2|$3)\$"; }
for _ in $(seq 20); do
  base=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768-)
  in_use "$base" "$((base + 1))" "$((base + 2))" || break
done
http=$base dc09=$((base + 1)) sip=$((base + 2))
opts="${ARC4J_JAVA_OPTS:-}"
# a GC log on top of bin/arc4j-center's own flags when none are given (an empty ARC4J_JAVA_OPTS keeps them)
[ -z "$opts" ] && [ $gclog -eq 1 ] && opts=$(sed -n 's/^default_opts="\(.*\)"$/\1/p' "$root/bin/arc4j-center")
[ $gclog -eq 1 ] && opts="$opts -Xlog:gc:file=$out/gc.log"

echo "# $(date -u +%FT%TZ) $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/summary.txt"
"$bin/fsyncprobe" -d "$data" -n 2000 -s 1024 -l floor | tee -a "$out/summary.txt" | grep -v '^RESULT'

ARC4J_JAVA_OPTS="$opts" "$root/bin/arc4j-center" --data "$data" --bind 127.0.0.1 --http "$http" \
    --dc09-tcp "$dc09" --dc09-udp "$dc09" --sip "$sip" > "$out/center.log" 2>&1 &
center=$!
stop() {
  kill "$center" 2>/dev/null && wait "$center" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 600); do
  curl -fs "http://127.0.0.1:$http/api/health" > /dev/null 2>&1 && break
  kill -0 "$center" 2>/dev/null || { echo "the centre exited:" >&2; tail -20 "$out/center.log" >&2; exit 1; }
  sleep 0.2
done
curl -fs "http://127.0.0.1:$http/api/health" > /dev/null || { echo "the centre did not answer" >&2; exit 1; }
echo "# centre pid $center, JVM options: $(tr '\0' ' ' < "/proc/$center/cmdline" | sed 's/ -cp .*//')" \
    | tee -a "$out/summary.txt"

if [ "$prime" -gt 0 ]; then
  "$bin/dc09load" -p "$dc09" -c "$panels" -r 1000 -d "$prime" -w 0 -a 90000000 -z 8 -l prime > "$out/prime.txt" 2>&1 \
      || echo "# priming run: $(grep '^  sent' "$out/prime.txt")" | tee -a "$out/summary.txt"
fi
[ $jfr -eq 1 ] && jcmd "$center" JFR.start name=center-run settings=profile filename="$out/center.jfr" > /dev/null

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$center/stat"; }
# the journal's forces and appended records so far, from the centre's metrics (loopback scrape)
forces() { curl -fs "http://127.0.0.1:$http/metrics" | awk '/^journal_force_seconds_count/ {f = $2}
    /^journal_appends_total/ {a = $2} /^journal_followups_late_total/ {l = $2} END {printf "%d %d %d\n", f, a, l}'; }
# per thread: "name ticks", the name without its trailing number (GC and event-loop threads grouped)
thread_ticks() {
  for t in /proc/"$center"/task/*/stat; do
    sed 's/^[0-9]* (\(.*\)) /\1\t/' "$t" 2>/dev/null | awk -F'\t' '{split($2, f, " "); n = $1;
        sub(/[-#]?[0-9]+$/, "", n); print n "\t" f[12] + f[13]}'
  done | awk -F'\t' '{s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | sort
}
printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' rate "load avg" "acked/s" p50 p99 p99.9 max \
    "unanswered/never sent" "centre CPU (% of a core)" "CPU per alarm" "forces per alarm" "records per alarm" "late follow-ups" | tee -a "$out/summary.txt"
# every run its own accounts: account = 10,000,000 × (run number) + panel, eight digits
run=0
for r in "${rates[@]}"; do
  run=$((run + 1))
  load0=$(cut -d' ' -f1 /proc/loadavg)
  "$bin/dc09load" -p "$dc09" -c "$panels" -r "$r" -d "$duration" -w "$warmup" -a $((run * 10000000)) -z 8 \
      -l "center-$r" > "$out/dc09load-$r.txt" 2>&1 &
  driver=$!
  # the centre's CPU is counted over the measured part only: from the end of the warm-up to the driver's exit
  sleep "$(awk -v w="$warmup" 'BEGIN {print w + 0.1}')"
  c0=$(cpu_ticks) t0=$(date +%s.%N) f0=$(forces)
  thread_ticks > "$out/threads-$r.before"
  wait "$driver" || true
  c1=$(cpu_ticks) t1=$(date +%s.%N) f1=$(forces)
  thread_ticks > "$out/threads-$r.after"
  # where the centre's CPU went, by thread, over the measured part
  join -t$'\t' -a2 -e0 -o 0,1.2,2.2 "$out/threads-$r.before" "$out/threads-$r.after" \
      | awk -F'\t' -v hz="$ticks" '$3 - $2 > 0 {printf "%8.2f s  %s\n", ($3 - $2) / hz, $1}' | sort -rn \
      > "$out/threads-$r.txt"
  res=$(grep '^RESULT' "$out/dc09load-$r.txt" || echo "RESULT")
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$res"; }
  awk -v r="$r" -v load="$load0→$(cut -d' ' -f1 /proc/loadavg)" -v c="$((c1 - c0))" -v hz="$ticks" \
      -v t0="$t0" -v t1="$t1" -v a="$(get acked)" -v m="$((duration - warmup))" -v p50="$(get p50_us)" \
      -v p99="$(get p99_us)" -v p999="$(get p999_us)" -v mx="$(get max_us)" -v cut="$(get cutoff)" \
      -v unsent="$(get unsent)" -v f0="$f0" -v f1="$f1" 'BEGIN {
        split(f0, x, " "); split(f1, y, " "); fs[1] = x[1]; fs[2] = y[1]; ns[1] = x[2]; ns[2] = y[2];
        late = y[3] - x[3];
        cpu = c / hz; wall = t1 - t0;
        printf "| %s | %s | %.0f | %.2f ms | %.2f ms | %.2f ms | %.1f ms | %s/%s | %.0f %% | %s | %s | %s | %d |\n", r,
            load, a / m, p50 / 1000, p99 / 1000, p999 / 1000, mx / 1000, cut, unsent, 100 * cpu / wall,
            (a > 0 ? sprintf("%.0f µs", 1e6 * cpu / a) : "-"),
            (a > 0 ? sprintf("%.2f", (fs[2] - fs[1]) / a) : "-"),
            (a > 0 ? sprintf("%.1f", (ns[2] - ns[1]) / a) : "-"), late }' | tee -a "$out/summary.txt"
  grep -E '^  (sent|latency)' "$out/dc09load-$r.txt" | sed 's/^/#/' >> "$out/summary.txt"
done
[ $jfr -eq 1 ] && jcmd "$center" JFR.stop name=center-run > /dev/null
echo "# output in $out; data in $data" | tee -a "$out/summary.txt"
