// SPDX-License-Identifier: MIT
/// Every check by name, in the order of the digest's claims table (§4, 1–16) then the NP digest's §6 items 1–2.
module NeuronPursuit.Checks.Registry

open NeuronPursuit.Checks.CheckTypes

let private make name family claim source (fast: Mode -> CheckResult) =
    { Name = name; Family = family; Claim = claim; Source = source; Run = fast }

/// All checks.
let all: Check list =
    let pick f fast full = fun mode -> f (match mode with Fast -> fast | Full -> full) mode
    [ make "early-norm-bound" "early phase" "#1 weights stay O(delta) early on" "A, B" (pick EarlyPhase.normBound EarlyPhase.normBoundFast EarlyPhase.normBoundFull)
      make "early-direction" "early phase" "#2 direction converges to a KKT point" "A, B" (pick EarlyPhase.direction EarlyPhase.directionFast EarlyPhase.directionFull)
      make "ncf-limit-nonnegative" "early phase" "#3 NCF value at the limit >= 0" "A, B" (pick EarlyPhase.limitSign EarlyPhase.limitSignFast EarlyPhase.limitSignFull)
      make "collapse" "early phase" "#4 collapse when N <= 0" "A, B" (pick EarlyPhase.collapse EarlyPhase.collapseFast EarlyPhase.collapseFull)
      make "escape-time-L2" "escape" "#5 T_esc ~ ln(1/delta)/(2N*) for L = 2" "A" (pick Escape.escapeL2 Escape.escapeL2Fast Escape.escapeL2Full)
      make "escape-time-L3" "escape" "#6 delta^(L-2) T_esc -> tau* for L > 2" "B" (pick Escape.escapeL3 Escape.escapeL3Fast Escape.escapeL3Full)
      make "origin-plateau" "early phase" "#7 first plateau at L(0)" "A, B, C" (pick EarlyPhase.originPlateau EarlyPhase.originPlateauFast EarlyPhase.originPlateauFull)
      make "saddle-residual-alignment" "saddles" "#8 alignment with the residual NCF near a saddle" "A" (pick Saddles.residualAlignment Saddles.residualAlignmentFast Saddles.residualAlignmentFull)
      make "first-saddle" "saddles" "#9 limiting path reaches the first saddle" "C" (pick Saddles.firstSaddle Saddles.firstSaddleFast Saddles.firstSaddleFull)
      make "limiting-path" "saddles" "#10 tracking the limiting path" "C" (pick Saddles.limitingPath Saddles.limitingPathFast Saddles.limitingPathFull)
      make "sparsity-preserved" "saddles" "#11 sparsity preserved after the escape" "C" (pick Saddles.sparsity Saddles.sparsityFast Saddles.sparsityFull)
      make "rank-one" "structure" "#12 rank-one early weights" "B" (pick Structure.rankOne Structure.rankOneFast Structure.rankOneFull)
      make "layer-norm-ratio" "structure" "#13 layer-norm ratio p at KKT points" "B" (pick Structure.layerRatio Structure.layerRatioFast Structure.layerRatioFull)
      make "two-layer-balance" "structure" "#14 two-layer KKT balance" "A, B" (pick Structure.balance Structure.balanceFast Structure.balanceFull)
      make "logistic-early-direction" "early phase" "#15 logistic loss, same early direction" "A" (pick EarlyPhase.logistic EarlyPhase.logisticFast EarlyPhase.logisticFull)
      make "winner-take-all" "structure" "#16 winner-take-all for L > 2" "B, C" (pick Structure.winner Structure.winnerFast Structure.winnerFull)
      make "near-saddle" "neuron pursuit" "NP Thm 7: directional convergence near a saddle" "NP" (pick NearSaddle.nearSaddle NearSaddle.nearSaddleFast NearSaddle.nearSaddleFull)
      make "post-escape" "neuron pursuit" "NP §3: after the escape, a new stationary point" "NP" (pick NearSaddle.postEscape NearSaddle.postEscapeFast NearSaddle.postEscapeFull) ]

/// The check with a name, if any.
let tryFind (name: string) = all |> List.tryFind (fun c -> c.Name = name)
