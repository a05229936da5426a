#!/usr/bin/env bash
# Gateway memory over many messages (issue 13: "gateway memory stays flat over 10,000 messages"): sends COUNT 10 KB
# messages through Postfix + `eea gateway` (demo policy: every message signed and encrypted for Bob) in batches of
# EVERY, and samples the gateway's resident memory (VmRSS) after each batch; with COUNTERS set to a dotnet-counters
# executable, also the managed heap (GC heap size, .NET's System.Runtime counters).
# Flat = the last sample is within MARGIN % of the sample at the end of the first batch (after warm-up).
# Bounded: every batch must reach the sink within 10 minutes or the run fails.
# Usage: sudo [COUNTERS=/path/to/dotnet-counters] bench/gateway-memory.sh [COUNT] [EVERY] [SESSIONS] [MARGIN]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}; every=${2:-1000}; sessions=${3:-4}; margin=${4:-10}
poll=0.5   # the maillog grows to ~100k lines: count it less often
source bench/gateway-setup.sh

counters_csv="$work/counters.csv"
if [ -n "${COUNTERS:-}" ]; then
  "$COUNTERS" collect -p "$gw" --counters System.Runtime --refresh-interval 1 --format csv -o "$counters_csv" >/dev/null 2>&1 & pids+=($!)
fi
gc_heap() { # the newest GC heap size sample in MiB, or "-"
  [ -s "$counters_csv" ] || { echo "-"; return; }
  awk -F, 'tolower($3) ~ /gc heap size|gc.heap.size|gc-heap-size/ && $5 != "" { v=$5 } END { if (v == "") print "-"; else printf "%.0f", v }' "$counters_csv"
}

run "$entry_eea" 20 10240 >/dev/null   # warm-up (JIT, policy and certificate caches), not counted
echo "| messages | msg/s (batch) | gateway RSS MiB | GC heap MiB |"
echo "|---|---|---|---|"
series=()
for (( done_=every; done_<=count; done_+=every )); do
  rate=$(run "$entry_eea" "$every" 10240)
  sleep 2   # one counters refresh after the batch
  r=$(rss); series+=("$r")
  echo "| $done_ | $rate | $r | $(gc_heap) |"
done
first=${series[0]}; last=${series[-1]}
verdict=$(python3 -c "print('flat' if abs($last-$first) <= $first*$margin/100 else 'NOT flat')")
echo
echo "RSS after the first $every: $first MiB; after $count: $last MiB; peak $(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$gw/status") MiB: $verdict (margin $margin %)."
echo "$(grep -c ' 5002 GatewayMessageRelayed.*encrypted' "$work/gateway.log" || true) messages relayed encrypted; $(nproc) cores, $sessions filter sessions; load average $(cut -d' ' -f1-3 /proc/loadavg)"
