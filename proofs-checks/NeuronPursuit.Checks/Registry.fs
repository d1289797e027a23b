// SPDX-License-Identifier: MIT
/// Every check by name, in the order of docs/claims.md: claims 1–16, then Neuron Pursuit's NP-1 to NP-3.
module NeuronPursuit.Checks.Registry

open NeuronPursuit

/// All checks.
let all: Check list =
    [ EarlyPhase.normBoundCheck
      EarlyPhase.directionCheck
      EarlyPhase.limitSignCheck
      EarlyPhase.collapseCheck
      Escape.escapeL2Check
      Escape.escapeL3Check
      EarlyPhase.originPlateauCheck
      Saddles.residualAlignmentCheck
      Saddles.firstSaddleCheck
      Saddles.limitingPathCheck
      Saddles.sparsityCheck
      Structure.rankOneCheck
      Structure.layerRatioCheck
      Structure.balanceCheck
      EarlyPhase.logisticCheck
      Structure.winnerCheck
      NearSaddle.nearSaddleCheck
      NearSaddle.postEscapeCheck
      NpDemo.check ]

/// The check with a name, if any.
let tryFind (name: string) =
    all |> List.tryFind (fun c -> c.Name = name)
