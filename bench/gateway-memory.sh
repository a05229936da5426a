#!/usr/bin/env bash
# Gateway memory over many messages (issue 13: "gateway memory stays flat over 10,000 messages"): sends COUNT 10 KB
# messages through Postfix + `eea gateway` (demo policy: every message signed and encrypted for Bob) in batches of
# EVERY, and samples the gateway's resident memory after each batch: VmRSS, and its parts from /proc (anonymous =
# the managed heap, native allocations and stacks; file = mapped assemblies and libraries; shmem = the JIT's
# double-mapped code); with COUNTERS set to a dotnet-counters executable, also the managed heap (.NET's GC heap size
# after the last collection, all generations).
# Flat = the last VmRSS sample is within MARGIN % of the reference sample, taken after a quarter of the run (3,000
# of 10,000 at the defaults). Why not the first batch: during the first thousands of messages the runtime is still
# warming up, not leaking: tiered compilation re-JITs the hot paths (shmem grows), more pages of the assemblies and
# OpenSSL are touched (file grows), the GC sizes its budgets. Measured (docs/performance.md): that growth stops by
# 3,000 messages while the GC heap stays at a few MiB throughout; a leak keeps climbing after it.
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
gc_heap() { # the GC heap after the newest collection (sum of its generations) in MiB, or "-"
  [ -s "$counters_csv" ] || { echo "-"; return; }
  awk -F, '$3 ~ /^dotnet.gc.last_collection.heap.size/ { if ($1 != t) { t = $1; v = 0 } v += $5 }
    END { if (t == "") print "-"; else printf "%.1f", v / 1048576 }' "$counters_csv"
}
rss_parts() { awk '/^(RssAnon|RssFile|RssShmem):/ {printf "%s%.0f", sep, $2/1024; sep=" / "}' "/proc/$gw/status"; }

run "$entry_eea" 20 10240 >/dev/null   # warm-up (JIT, policy and certificate caches), not counted
echo "| messages | msg/s (batch) | gateway RSS MiB | anon / file / shmem MiB | GC heap MiB | load average |"
echo "|---|---|---|---|---|---|"
series=()
for (( done_=every; done_<=count; done_+=every )); do
  rate=$(run "$entry_eea" "$every" 10240)
  sleep 2   # one counters refresh after the batch
  r=$(rss); series+=("$r")
  echo "| $done_ | $rate | $r | $(rss_parts) | $(gc_heap) | $(cut -d' ' -f1 /proc/loadavg) |"
done
refi=$(( ${#series[@]} / 4 )); first=${series[$refi]}; last=${series[-1]}
verdict=$(python3 -c "print('flat' if abs($last-$first) <= $first*$margin/100 else 'NOT flat')")
echo
echo "RSS after $(( (refi + 1) * every )) (warm-up: the first quarter): $first MiB; after $count: $last MiB; first batch ${series[0]} MiB; peak $(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$gw/status") MiB: $verdict (margin $margin %)."
echo "$(grep -c ' 5002 GatewayMessageRelayed.*encrypted' "$work/gateway.log" || true) messages relayed encrypted; $(nproc) cores, $sessions filter sessions; load average $(cut -d' ' -f1-3 /proc/loadavg)"
