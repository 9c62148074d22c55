#!/usr/bin/env bash
# Book build time (issue #8): a cold `make book` (no _build) and a no-change rebuild.
# A measurement, not a test. Run from the project root after `make install`:
#     bash benchmarks/bench_build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s install >/dev/null
rm -rf _build
t0=$(date +%s.%N); make -s book >/tmp/bench_build_cold.log 2>&1; t1=$(date +%s.%N)
make -s book >/tmp/bench_build_again.log 2>&1; t2=$(date +%s.%N)
chapters=$(grep -c "Executed notebook" /tmp/bench_build_cold.log || true)
again=$(grep -c "Executed notebook" /tmp/bench_build_again.log || true)
awk -v a="$t0" -v b="$t1" -v n="$chapters" 'BEGIN { printf "cold make book:        %6.1f s (%s chapters executed)\n", b - a, n }'
awk -v a="$t1" -v b="$t2" -v n="$again" 'BEGIN { printf "no-change make book:   %6.1f s (%s chapters executed)\n", b - a, n }'
printf 'cores: %s\n' "$(nproc)"
