#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Work-precision diagram (issue 4, item 7): final error against wall time, rtol 1e-4 .. 1e-13,
# np's dp5/dop853/lie2/rodas4/auto and SciPy's RK45/DOP853/Radau/LSODA on the same problem.
# Usage: run.sh [OUT]   (default /tmp/np-work-precision). Env: NP (np binary), PY (python with
# numpy+scipy+matplotlib, default /usr/bin/python3), T_END (default 16), CAP (seconds per run, 60).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="${1:-/tmp/np-work-precision}"
PY="${PY:-/usr/bin/python3}"
T_END="${T_END:-16}"
CAP="${CAP:-60}"
if [[ -z "${NP:-}" ]]; then
  NP="$(ls -d "$REPO"/core/NeuronPursuit.Cli/bin/Release/net*/np 2>/dev/null | head -1 || true)"
  if [[ -z "$NP" ]]; then
    dotnet build "$REPO/core/NeuronPursuit.Cli" -c Release >/dev/null
    NP="$(ls -d "$REPO"/core/NeuronPursuit.Cli/bin/Release/net*/np | head -1)"
  fi
fi
mkdir -p "$OUT/runs"
cd "$OUT"

"$PY" "$HERE/make_problem.py" "$OUT"
"$PY" "$HERE/scipy_flow.py" check "$OUT" | tee check.txt
"$NP" eval --data data.csv --net two-layer --width 50 --activation relu-power:2 --weights w0.csv | tail -2 | tee -a check.txt
"$NP" eval --data data.csv --net two-layer --width 50 --activation relu-power:2 --weights w_random.csv | tail -2 | tee -a check.txt

flow() {  # flow METHOD RTOL PRECISION DIR
  timeout "$CAP" "$NP" flow --data data.csv --net two-layer --width 50 --activation relu-power:2 \
    --init w0.csv --t-end "$T_END" --method "$1" --rtol "$2" --atol 0 --precision "$3" \
    --max-steps 100000000 --times linear:17 --observe loss --out "$4" > "$4.log" 2>&1
}

# Reference: dop853 in double-double at rtol 1e-20, atol 0 (no time cap).
if [[ ! -f ref/weights.csv ]]; then
  CAP=100000 flow dop853 1e-20 double-double ref
fi

for method in dp5 dop853 lie2 rodas4 auto; do
  for k in 4 5 6 7 8 9 10 11 12 13; do
    dir="runs/$method-double-1e-$k"
    [[ -f "$dir/run.json" ]] && { echo "$method rtol 1e-$k: reusing $dir"; continue; }
    if ! flow "$method" "1e-$k" double "$dir"; then
      echo "$method rtol 1e-$k: no result within $CAP s (or failed); finer rtols skipped" | tee -a skipped.txt
      break
    fi
    echo "$method rtol 1e-$k: done"
  done
done
# Cost of double-double against double, same method and rtol.
for mr in dop853:1e-10 dp5:1e-8; do
  flow "${mr%%:*}" "${mr##*:}" double-double "runs/${mr%%:*}-double-double-${mr##*:}" \
    || echo "${mr%%:*} double-double ${mr##*:}: over $CAP s" | tee -a skipped.txt
done

CAP="$CAP" WP_CAP="$CAP" "$PY" "$HERE/scipy_flow.py" run "$OUT" "$T_END" ref/weights.csv scipy.csv
"$PY" "$HERE/collect.py" "$OUT"
echo "written: $OUT/results.csv $OUT/work-precision.png"
