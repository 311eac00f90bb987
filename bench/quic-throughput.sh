#!/usr/bin/env bash
# QUIC bulk throughput on loopback: our client <-> our server (tools/AwgProxy.Interop) next to
# quicgo-peer client <-> quicgo-peer server (../shared/interop), in the same run, interleaved.
# One connection, one stream, GET of --bytes (default 1 GiB), SHA-256 checked by the clients.
#
#   bench/quic-throughput.sh [--bytes N] [--rounds R] [--only ours|quicgo]
#
# Prints one row per run (MiB/s and CPU seconds per GiB = client + server user+sys) and the
# medians, and ours/quic-go ratios computed from this run only (this machine is noisy).
# Needs: the .NET SDK, golang-go and golang-github-lucas-clemente-quic-go-dev (for quicgo-peer),
# GNU time (/usr/bin/time). Everything listens on 127.0.0.1; every process runs under `timeout`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
BYTES=$((1024 * 1024 * 1024)) ROUNDS=3 ONLY=
while [ $# -gt 0 ]; do
  case $1 in
    --bytes) BYTES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "quic-throughput.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
CERT=$SHARED/interop/certs/cert.pem KEY=$SHARED/interop/certs/key.pem
WORK=$(mktemp -d /tmp/quic-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "building..." >&2
dotnet build "$ROOT/tools/AwgProxy.Interop" -c Release -v q -nologo >/dev/null
OURS="dotnet $ROOT/tools/AwgProxy.Interop/bin/Release/net10.0/AwgProxy.Interop.dll"
QG=$WORK/quicgo-peer
sh "$SHARED/interop/quicgo-peer/build.sh" "$QG" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_of() { awk '{print $1 + $2}' "$1"; }   # GNU time -f "%U %S"

run_one() { # stack label -> prints "label MiB/s cpu_s_per_GiB"
  local stack=$1 port srv cli
  port=$(free_port)
  case $stack in
    ours)   srv="$OURS server -listen 127.0.0.1:$port -cert $CERT -key $KEY -max-conns 1 -lifetime 10m"
            cli="$OURS client -addr 127.0.0.1:$port -mode get -bytes $BYTES -timeout 10m" ;;
    quicgo) srv="env GOMAXPROCS=1 $QG server -listen 127.0.0.1:$port -cert $CERT -key $KEY -max-conns 1 -lifetime 10m"
            cli="env GOMAXPROCS=1 $QG client -addr 127.0.0.1:$port -mode get -bytes $BYTES -timeout 10m" ;;
  esac
  /usr/bin/time -f "%U %S" -o "$WORK/srv.time" timeout 700 $srv >"$WORK/srv.log" 2>&1 &
  local srv_pid=$!
  sleep 1.5
  /usr/bin/time -f "%U %S" -o "$WORK/cli.time" timeout 650 $cli >"$WORK/cli.log" 2>&1 || true
  wait "$srv_pid" || true
  local result mib cpu
  result=$(grep '^RESULT' "$WORK/cli.log" | tail -1)
  mib=$(sed -n 's/.*MiB_per_s=\([0-9.]*\).*/\1/p' <<<"$result")
  if [ -z "$mib" ]; then echo "$stack FAILED: ${result:-no RESULT line}" >&2; tail -5 "$WORK/cli.log" "$WORK/srv.log" >&2; return 1; fi
  cpu=$(awk -v c="$(cpu_of "$WORK/cli.time")" -v s="$(cpu_of "$WORK/srv.time")" -v b="$BYTES" 'BEGIN { printf "%.2f", (c + s) / (b / 1073741824) }')
  echo "$stack $mib $cpu"
}

stacks="ours quicgo"; [ -n "$ONLY" ] && stacks=$ONLY
: >"$WORK/rows"
for r in $(seq "$ROUNDS"); do
  for s in $stacks; do
    row=$(run_one "$s") && { echo "round=$r $row"; echo "$row" >>"$WORK/rows"; }
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo
printf '%-8s %10s %14s\n' stack MiB/s CPU_s/GiB
for s in $stacks; do
  m=$(awk -v s="$s" '$1 == s { print $2 }' "$WORK/rows" | median)
  c=$(awk -v s="$s" '$1 == s { print $3 }' "$WORK/rows" | median)
  printf '%-8s %10s %14s\n' "$s" "$m" "$c"
  eval "med_${s}_mib=$m med_${s}_cpu=$c"
done
if [ -z "$ONLY" ]; then
  awk -v om="$med_ours_mib" -v qm="$med_quicgo_mib" -v oc="$med_ours_cpu" -v qc="$med_quicgo_cpu" \
    'BEGIN { printf "\nours/quic-go: throughput x%.2f, CPU per GiB x%.2f (bytes=%s)\n", om / qm, oc / qc, "'"$BYTES"'" }'
fi
