// SPDX-License-Identifier: MIT
/// The claim checks of proofs-checks/: every fast configuration passes (or is honestly unverifiable), every check FAILS,
/// for the stated reason, on a case where its claim is false — a check that cannot fail is a defect — and every check's
/// identity is written once (its result carries the registry's name, claim and source).
module NeuronPursuit.Tests.Checks.CheckTests

open Expecto
open NeuronPursuit
open NeuronPursuit.Checks

/// Asserts FAIL with a reason containing `fragment`.
let private expectFail (fragment: string) (r: CheckResult) =
    match r.Outcome.Verdict with
    | Fail reason -> Expect.stringContains reason fragment $"{r.Check.Name} fails for the expected reason"
    | v -> failtestf "%s should FAIL on a false claim, got %s\n%s" r.Check.Name v.Label (Check.render r)

/// A w₀ seed whose NCF limit activates a different neuron than the default w₀'s (a different KKT point).
let private otherKktSeed () =
    let p = Problem.example "two-layer-relu2"

    let top (w: float[]) =
        Problem.blockNorms p w |> Array.indexed |> Array.maxBy snd |> fst

    let u = (Kkt.limitOf p (Problem.w0 p)).Direction

    [ 3L .. 60L ]
    |> List.find (fun s -> top (Kkt.limitOf p (Vec.unitRandom s p.Dimension)).Direction <> top u)

/// (check, expected fragment of the FAIL reason, a false configuration of its claim).
let private negatives: (Check * string * (unit -> Outcome)) list =
    let fig1 = Problem.example "fig1"
    let fig1Negative = Problem.example "fig1-negative"

    [ EarlyPhase.normBoundCheck,
      "depends on delta",
      fun () ->
          EarlyPhase.normBound
              { EarlyPhase.normBoundFast with
                  HorizonFraction = 1.5 }
      EarlyPhase.directionCheck,
      "does not decrease",
      fun () ->
          EarlyPhase.direction
              { EarlyPhase.directionFast with
                  ReferenceIsInitialDirection = true }
      EarlyPhase.limitSignCheck,
      "N <= 0",
      fun () ->
          EarlyPhase.limitSign
              { EarlyPhase.limitSignFast with
                  EvaluateWithFlippedLabels = true }
      EarlyPhase.collapseCheck,
      "increases",
      fun () ->
          EarlyPhase.collapse
              { EarlyPhase.collapseFast with
                  Problems = [ fig1 ] }
      Escape.escapeL2Check,
      "no escape",
      fun () ->
          Escape.escapeL2
              { Escape.escapeL2Fast with
                  Problem = fig1Negative }
      Escape.escapeL2Check,
      "does not match",
      fun () ->
          Escape.escapeL2
              { Escape.escapeL2Fast with
                  PredictionFactor = 2.0 }
      Escape.escapeL3Check,
      "does not blow up",
      fun () ->
          Escape.escapeL3
              { Escape.escapeL3Fast with
                  Problem = fig1Negative |> Problem.withActivation (Activation.reluPower 3) }
      Escape.escapeL3Check,
      "differs from tau*",
      fun () ->
          Escape.escapeL3
              { Escape.escapeL3Fast with
                  PredictionFactor = 1.05 }
      EarlyPhase.originPlateauCheck,
      "does not match L",
      fun () ->
          EarlyPhase.originPlateau
              { EarlyPhase.originPlateauFast with
                  Problem = fig1 |> Problem.withActivation (Activation.perturbedReluPower 2 0.5)
                  PredictedSlope = Some 2 }
      Saddles.residualAlignmentCheck,
      "does not decrease",
      fun () ->
          Saddles.residualAlignment
              { Saddles.residualAlignmentFast with
                  UseResidual = false }
      Saddles.firstSaddleCheck,
      "differs from the sub-network minimum",
      fun () ->
          Saddles.firstSaddle
              { Saddles.firstSaddleFast with
                  StartAtKkt = false }
      Saddles.limitingPathCheck,
      "does not shrink",
      fun () ->
          Saddles.limitingPath
              { Saddles.limitingPathFast with
                  ReferenceSeed = Some(otherKktSeed ()) }
      Saddles.sparsityCheck,
      "grew beyond",
      fun () ->
          Saddles.sparsity
              { Saddles.sparsityFast with
                  Window = 8.0
                  WindowTimesOneOverDelta = true }
      Structure.rankOneCheck,
      "does not fall",
      fun () ->
          Structure.rankOne
              { Structure.rankOneFast with
                  Level = 10.0
                  LevelTimesDelta = true }
      Structure.layerRatioCheck,
      "deviates from p",
      fun () ->
          Structure.layerRatio
              { Structure.layerRatioFast with
                  MaxSteps = 0
                  RequireConverged = false }
      Structure.balanceCheck,
      "imbalance",
      fun () ->
          Structure.balance
              { Structure.balanceFast with
                  MaxSteps = 0
                  RequireConverged = false }
      EarlyPhase.logisticCheck,
      "differ",
      fun () ->
          EarlyPhase.logistic
              { EarlyPhase.logisticFast with
                  LogisticScale = 1.0 }
      Structure.winnerCheck,
      "single winner",
      fun () ->
          Structure.winner
              { Structure.winnerFast with
                  Problem = fig1 }
      NearSaddle.nearSaddleCheck,
      "moved",
      fun () ->
          NearSaddle.nearSaddle
              { NearSaddle.nearSaddleFast with
                  Deltas = [ 1e-3; 5e-4 ]
                  Perturbation = 0.3 }
      NearSaddle.postEscapeCheck,
      "no new stationary point",
      fun () ->
          NearSaddle.postEscape
              { NearSaddle.postEscapeFast with
                  Window = 10.0 }
      NpDemo.check,
      "cube MSE",
      fun () ->
          NpDemo.demo
              { NpDemo.demoFast with
                  Options = Pursuit.defaults.WithMaxIterations 2 } ]

let tests =
    testList "Claim checks" [
        testList "fast configurations pass or are unverifiable" [
            for check in Registry.all ->
                test check.Name {
                    let r = Check.run Fast check

                    match r.Outcome.Verdict with
                    | Fail reason -> failtestf "%s failed: %s\n%s" check.Name reason (Check.render r)
                    | _ -> Expect.isNonEmpty r.Outcome.Parameters "records its parameters"
                }
        ]
        testList "each check fails where its claim is false" [
            for check, fragment, run in negatives -> test $"{check.Name}: {fragment}" { expectFail fragment (Check.runAs check Fast run) }
        ]
        test "every check has a negative test" {
            let covered = negatives |> List.map (fun (c, _, _) -> c.Name) |> set

            for c in Registry.all do
                Expect.isTrue (covered.Contains c.Name) $"{c.Name} has a negative test"
        }
        test "checks run concurrently give the sequential outcomes, in the given order" {
            // The cheap checks (well under a second each), several of them sharing the thread pool at once.
            let cheap =
                [ "early-direction"
                  "escape-time-L3"
                  "origin-plateau"
                  "two-layer-balance"
                  "winner-take-all"
                  "first-saddle" ]
                |> List.map (fun n -> (Registry.tryFind n).Value)

            let sequential = cheap |> List.map (Check.run Fast)
            let reported = ResizeArray()

            let concurrent =
                cheap |> Check.runAll Fast System.Threading.CancellationToken.None reported.Add

            Expect.sequenceEqual [ for r in reported -> r.Check.Name ] [ for c in cheap -> c.Name ] "reported in the given order"

            for s, c in List.zip sequential concurrent do
                Expect.equal c.Outcome s.Outcome $"{s.Check.Name}: same outcome"
        }
        test "check names are unique and every source cites docs/claims.md" {
            Expect.equal (Registry.all |> List.map (fun c -> c.Name) |> List.distinct).Length Registry.all.Length "unique names"

            for c in Registry.all do
                Expect.stringContains c.Source "docs/claims.md" $"{c.Name} cites its claim"
        }
    ]
