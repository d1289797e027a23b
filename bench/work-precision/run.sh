#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Work-precision benchmark (issue 13): np flow with every adaptive method against SciPy's RK45, DOP853, Radau
# and LSODA on OpenBLAS (1 and 2 threads), rtol 1e-6 .. 1e-13, two-layer and three-layer ReLU² problems, in one
# run. Usage: run.sh [OUT]   (default /tmp/np-work-precision; nothing is written to the repository).
# Env: NP (np binary; default the published build (native AOT, compiled for this machine), published if missing), PY (python with numpy,
# SciPy and matplotlib, default /usr/bin/python3), and benchmark.py's PROBLEMS, RTOLS, NP_METHODS,
# SCIPY_METHODS, THREADS, CAP, REF_RTOL.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="${1:-/tmp/np-work-precision}"
PY="${PY:-/usr/bin/python3}"
if [[ -z "${NP:-}" ]]; then
  NP="$REPO/core/NeuronPursuit.Cli/bin/Release/publish/np"
  [[ -x "$NP" ]] || dotnet publish "$REPO/core/NeuronPursuit.Cli" -c Release -o "$(dirname "$NP")" >/dev/null
fi
mkdir -p "$OUT"
"$PY" "$HERE/benchmark.py" "$OUT" "$NP"
echo "written: $OUT/work-precision.md $OUT/work-precision.png"
