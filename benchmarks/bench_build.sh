#!/usr/bin/env bash
# Book build time (issues #8, #20): a cold `make book` (no _build), every chapter's execution time and
# their serial sum (myst-nb's execution data, kept in the build's Sphinx environment), and a no-change
# `make book`. With --serial, first the same cold build the way it ran before #20 (`jupyter-book build`,
# one chapter after another), so that the two are measured back to back.
# A measurement, not a test. The machine may be busy: the load average is printed with every time.
# Run from the project root after `make install`:
#     bash benchmarks/bench_build.sh [--serial]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s install >/dev/null
export JUPYTER_PLATFORM_DIRS=1 PYDEVD_DISABLE_FILE_VALIDATION=1
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
report() {  # label, start, end, log, load before, load after
  awk -v l="$1" -v a="$2" -v b="$3" -v n="$(grep -c "Executed notebook" "$4" || true)" -v s="$5" -v e="$6" \
    'BEGIN { printf "%-30s %6.1f s  (%s chapters executed; load average %s before, %s after)\n", l, b - a, n, s, e }'
}
# A build, its log lines stamped with the seconds since it started, and its CPU time (user + system of
# every process it ran: Sphinx, its workers, the kernels) in $1.cpu.
timed_build() {  # log, command...
  local log=$1 start=$EPOCHREALTIME; shift
  PYTHONUNBUFFERED=1 /usr/bin/time -f "%U %S" -o "$log.cpu" "$@" 2>&1 | while IFS= read -r line; do
    printf '%7.1f %s\n' "$(echo "$EPOCHREALTIME - $start" | bc)" "$line"; done >"$log"
}
phases() {  # log: when the last chapter was read (executed), when writing began, the build's CPU time
  awk -v cpu="$(cat "$1.cpu")" '
    / reading sources\.\.\. / { last_read = $1 } / writing output\.\.\. \[/ && !w { w = $1 } { end = $1 }
    END { split(cpu, c, " "); printf "  last chapter read (executed and merged) at %.0f s, pages written from %.0f s, done at %.0f s;" \
          " CPU time %.0f s (user %.0f + system %.0f)\n", last_read, w, end, c[1] + c[2], c[1], c[2] }' "$1"
}
chapter_times() {
  .venv/bin/python - <<'PY'
import pickle
from pathlib import Path

env = pickle.loads(Path("_build/.doctrees/environment.pickle").read_bytes())
runs = {doc: data["exec_data"]["runtime"] for doc, data in env.nb_metadata.items() if data.get("exec_data")}
for doc, seconds in sorted(runs.items(), key=lambda item: -item[1]):
    print(f"  {doc:40} {seconds:6.1f} s{'   (over 15 s)' if seconds > 15 else ''}")
print(f"  {'serial sum':40} {sum(runs.values()):6.1f} s  ({len(runs)} chapters)")
PY
}

if [ "${1:-}" = "--serial" ]; then
  rm -rf _build
  l0=$(load); t0=$(now)
  .venv/bin/jupyter-book build --all -W -n --keep-going . >/tmp/bench_build_serial.log 2>&1; t1=$(now)
  report "cold, serial (before #20):" "$t0" "$t1" /tmp/bench_build_serial.log "$l0" "$(load)"
  echo "chapter execution times, serial build:"; chapter_times
fi

rm -rf _build
l0=$(load); t0=$(now); timed_build /tmp/bench_build_cold.log make -s book; t1=$(now); l1=$(load)
make -s book >/tmp/bench_build_again.log 2>&1; t2=$(now)
report "cold make book:" "$t0" "$t1" /tmp/bench_build_cold.log "$l0" "$l1"
phases /tmp/bench_build_cold.log
echo "chapter execution times, parallel build (each chapter shares the cores with another):"; chapter_times
report "no-change make book:" "$t1" "$t2" /tmp/bench_build_again.log "$l1" "$(load)"
printf 'cores: %s\n' "$(nproc)"
