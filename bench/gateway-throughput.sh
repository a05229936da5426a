#!/usr/bin/env bash
# Messages per second through a private Postfix instance, side by side in one run:
#   relay-only : Postfix with a pass-through after-queue filter that only relays (content_filter = Postfix's own
#                smtp client into its re-injection smtpd: the queue -> filter -> queue path with no work in it);
#   eea gateway: Postfix with `eea gateway` as the content filter, demo policy, every message encrypted for Bob.
# 10 KB and 1 MB messages (smtp-source), destination smtp-sink. Also the gateway's resident memory after each run.
# Goal (issue 13): encryption costs Postfix no more than half its pass-through rate at 10 KB; gateway memory flat.
# Usage: sudo bench/gateway-throughput.sh [COUNT_10KB] [COUNT_1MB] [SESSIONS] [CONCURRENCY]   (root: Postfix runs as itself)
#   SESSIONS    smtp-source's parallel sessions into Postfix (default 4)
#   CONCURRENCY the filter transport's maxproc, the same for both entries (default 2 x cores, the value docs/gateway.md
#               recommends)
# Besides msg/s it prints what does not depend on the machine's load as much: CPU ms per message of the gateway and
# of Postfix (all its processes, from /proc), and the filter hop's latency per message as Postfix saw it (maillog
# delays c+d: connect + hand over until the filter's 250) and as the gateway logged it (5002 "in N ms": from the
# end of DATA to its answer). CONCURRENCY / latency is the most the filter hop can carry: when it is close to the
# measured msg/s, latency sets the rate; when (gateway + Postfix CPU ms/msg) x msg/s nears cores x 1000, the CPU does.
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-500}; large=${2:-50}; sessions=${3:-4}; concurrency=${4:-$(( 2 * $(nproc) ))}
source bench/gateway-setup.sh

# Warm-up (JIT, policy caches), not counted.
run "$entry_eea" 20 10240 >/dev/null
per_msg() { python3 -c "print(f'{($1)*1000/$tck/$2:.1f}')"; }   # clock ticks -> CPU ms per message
gateway_ms() { # mean of the gateway's own "in N ms" over its last $1 relayed messages
  { grep ' 5002 GatewayMessageRelayed' "$work/gateway.log" || true; } | tail -n "$1" | sed -n 's/.* in \([0-9.]*\) ms\.$/\1/p' \
    | awk '{s+=$1; n++} END {if (n) printf "%.1f", s/n; else print "-"}'
}
echo "| message | count | relay-only msg/s | eea gateway (encrypt) msg/s | ratio | gateway CPU ms/msg | Postfix CPU ms/msg relay-only / eea | filter hop ms/msg relay-only / eea (Postfix) | gateway ms/msg (own log) | gateway RSS MiB after | load average |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for spec in "10 KB:$small:10240" "1 MB:$large:1048576"; do
  IFS=: read -r label count size <<<"$spec"
  [ "$count" -gt 0 ] || continue
  pf=$(postfix_ticks); mark_log
  relay=$(run "$entry_relay" "$count" "$size")
  pf_relay=$(per_msg "$(postfix_ticks)-$pf" "$count"); hop_relay=$(filter_latency "$reinject")
  before=$(ticks); pf=$(postfix_ticks); mark_log
  enc=$(run "$entry_eea" "$count" "$size")
  cpu=$(per_msg "$(ticks)-$before" "$count"); pf_eea=$(per_msg "$(postfix_ticks)-$pf" "$count"); hop_eea=$(filter_latency "$gateway")
  ratio=$(python3 -c "print(f'{$enc/$relay:.2f}')")
  echo "| $label | $count | $relay | $enc | $ratio | $cpu | $pf_relay / $pf_eea | $hop_relay / $hop_eea | $(gateway_ms "$count") | $(rss) | $(cut -d' ' -f1 /proc/loadavg) |"
done
encrypted=$(grep -c " 5002 GatewayMessageRelayed.*encrypted" "$work/gateway.log" || true)
echo
echo "gateway: $encrypted messages relayed encrypted; peak RSS $(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$gw/status") MiB; $(nproc) cores, $sessions smtp-source sessions, filter concurrency $concurrency (both entries); load average $(cut -d' ' -f1-3 /proc/loadavg)"
