// SPDX-License-Identifier: MIT
/// The claim checks of proofs-checks/: every fast configuration passes (or is honestly unverifiable), and every check
/// FAILS, for the stated reason, on a case where its claim is false — a check that cannot fail is a defect.
module NeuronPursuit.Tests.Checks.CheckTests

open Expecto
open NeuronPursuit.Checks
open NeuronPursuit.Checks.CheckTypes
open NeuronPursuit.Checks.Problems

/// Asserts FAIL with a reason containing `fragment`.
let private expectFail (fragment: string) (r: CheckResult) =
    match r.Verdict with
    | Fail reason -> Expect.stringContains reason fragment $"{r.Name} fails for the expected reason"
    | v -> failtestf "%s should FAIL on a false claim, got %s\n%s" r.Name v.Label (render r)

/// A w₀ seed whose NCF limit activates a different neuron than seed 2's (a different KKT point).
let private otherKktSeed () =
    let p = twoLayerL3 2L
    let top (w: float[]) = blockNorms p w |> Array.indexed |> Array.maxBy snd |> fst
    let u, _, _ = ncfLimit p p.W0
    [ 3L .. 60L ] |> List.find (fun s -> let v, _, _ = ncfLimit p (unitGaussian s p.Dimension) in top v <> top u)

let private negatives =
    [ "early-norm-bound", "depends on delta", fun () -> EarlyPhase.normBound { EarlyPhase.normBoundFast with HorizonFraction = 1.5 } Fast
      "early-direction", "does not decrease", fun () -> EarlyPhase.direction { EarlyPhase.directionFast with ReferenceIsInitialDirection = true } Fast
      "ncf-limit-nonnegative", "N <= 0", fun () -> EarlyPhase.limitSign { EarlyPhase.limitSignFast with EvaluateWithFlippedLabels = true } Fast
      "collapse", "increases", fun () -> EarlyPhase.collapse { EarlyPhase.collapseFast with Problems = [ fig1 3L ] } Fast
      "escape-time-L2 (N <= 0)", "no escape", fun () -> Escape.escapeL2 { Escape.escapeL2Fast with Problem = fig1With 2 -1.0 0.0 3L } Fast
      "escape-time-L2 (wrong slope)", "does not match", fun () -> Escape.escapeL2 { Escape.escapeL2Fast with PredictionFactor = 2.0 } Fast
      "escape-time-L3 (N <= 0)", "does not blow up", fun () -> Escape.escapeL3 { Escape.escapeL3Fast with Problem = fig1With 3 -1.0 0.0 3L } Fast
      "escape-time-L3 (wrong tau*)", "differs from tau*", fun () -> Escape.escapeL3 { Escape.escapeL3Fast with PredictionFactor = 1.05 } Fast
      "origin-plateau", "does not match L", fun () -> EarlyPhase.originPlateau { EarlyPhase.originPlateauFast with Problem = fig1With 2 1.0 0.5 3L } Fast
      "saddle-residual-alignment", "does not decrease", fun () -> Saddles.residualAlignment { Saddles.residualAlignmentFast with UseResidual = false } Fast
      "first-saddle", "differs from the sub-network minimum", fun () -> Saddles.firstSaddle { Saddles.firstSaddleFast with StartAtKkt = false } Fast
      "limiting-path", "does not shrink", fun () -> Saddles.limitingPath { Saddles.limitingPathFast with ReferenceSeed = Some(otherKktSeed ()) } Fast
      "sparsity-preserved", "grew beyond", fun () -> Saddles.sparsity { Saddles.sparsityFast with Window = 8.0; WindowTimesOneOverDelta = true } Fast
      "rank-one", "does not fall", fun () -> Structure.rankOne { Structure.rankOneFast with Level = 10.0; LevelTimesDelta = true } Fast
      "layer-norm-ratio", "deviates from p", fun () -> Structure.layerRatio { Structure.layerRatioFast with MaxSteps = 0; RequireConverged = false } Fast
      "two-layer-balance", "imbalance", fun () -> Structure.balance { Structure.balanceFast with MaxSteps = 0; RequireConverged = false } Fast
      "logistic-early-direction", "differ", fun () -> EarlyPhase.logistic { EarlyPhase.logisticFast with LogisticScale = 1.0 } Fast
      "winner-take-all", "single winner", fun () -> Structure.winner { Structure.winnerFast with Problem = fig1 } Fast
      "near-saddle", "moved", fun () -> NearSaddle.nearSaddle { NearSaddle.nearSaddleFast with Deltas = [ 1e-3; 5e-4 ]; Perturbation = 0.3 } Fast
      "post-escape", "no new stationary point", fun () -> NearSaddle.postEscape { NearSaddle.postEscapeFast with Window = 10.0 } Fast ]

let tests =
    testList "Claim checks" [
        testList "fast configurations pass or are unverifiable" [
            for check in Registry.all ->
                test check.Name {
                    let r = check.Run Fast
                    match r.Verdict with
                    | Fail reason -> failtestf "%s failed: %s\n%s" check.Name reason (render r)
                    | _ -> Expect.isNonEmpty r.Parameters "records its parameters"
                }
        ]
        testList "each check fails where its claim is false" [
            for name, fragment, run in negatives -> test name { expectFail fragment (run ()) }
        ]
        test "every check has a negative test" {
            let covered = negatives |> List.map (fun (n, _, _) -> n.Split(' ').[0]) |> set
            for c in Registry.all do Expect.isTrue (covered.Contains c.Name) $"{c.Name} has a negative test"
        }
    ]
