#!/usr/bin/env bash
# Messages per second through a private Postfix instance, side by side in one run:
#   relay-only : Postfix with a pass-through after-queue filter that only relays (content_filter = Postfix's own
#                smtp client into its re-injection smtpd: the queue -> filter -> queue path with no work in it);
#   eea gateway: Postfix with `eea gateway` as the content filter, demo policy, every message encrypted for Bob.
# 10 KB and 1 MB messages (smtp-source), destination smtp-sink. Also the gateway's resident memory after each run.
# Goal (issue 13): encryption costs Postfix no more than half its pass-through rate at 10 KB; gateway memory flat.
# Usage: sudo bench/gateway-throughput.sh [COUNT_10KB] [COUNT_1MB] [SESSIONS]     (root: Postfix runs as itself)
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-500}; large=${2:-50}; sessions=${3:-4}
source bench/gateway-setup.sh

# Warm-up (JIT, policy caches), not counted.
run "$entry_eea" 20 10240 >/dev/null
echo "| message | count | relay-only msg/s | eea gateway (encrypt) msg/s | ratio | gateway CPU ms/msg | gateway RSS MiB after |"
echo "|---|---|---|---|---|---|---|"
for spec in "10 KB:$small:10240" "1 MB:$large:1048576"; do
  IFS=: read -r label count size <<<"$spec"
  [ "$count" -gt 0 ] || continue
  relay=$(run "$entry_relay" "$count" "$size")
  before=$(ticks)
  enc=$(run "$entry_eea" "$count" "$size")
  cpu=$(python3 -c "print(f'{($(ticks)-$before)*1000/$tck/$count:.1f}')")
  ratio=$(python3 -c "print(f'{$enc/$relay:.2f}')")
  echo "| $label | $count | $relay | $enc | $ratio | $cpu | $(rss) |"
done
encrypted=$(grep -c " 5002 GatewayMessageRelayed.*encrypted" "$work/gateway.log" || true)
echo
echo "gateway: $encrypted messages relayed encrypted; peak RSS $(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$gw/status") MiB; $(nproc) cores, $sessions filter sessions; load average $(cut -d' ' -f1-3 /proc/loadavg)"
