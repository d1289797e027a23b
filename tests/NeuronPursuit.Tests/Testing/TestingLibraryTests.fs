// SPDX-License-Identifier: MIT
/// The property-testing library (core/NeuronPursuit.Testing) and the script that shows it: generated cases lie
/// within their shapes with finite, well-scaled numbers; the shrinker offers only simpler cases; a false property
/// is shrunk to the minimal counterexample; and scripts/invariant.fsx prints both of its outcomes.
module NeuronPursuit.Tests.Testing.TestingLibraryTests

open System
open System.Diagnostics
open System.IO
open Expecto
open FsCheck
open FsCheck.FSharp
open NeuronPursuit
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing
open NeuronPursuit.Tests.Support.Requirements

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 200 }

/// The number of weights and samples: what the shrinker must never increase.
let private size (c: NetworkCase) =
    c.InputDimension, c.Widths.Length, List.sum c.Widths, c.SampleCount


let tests =
    testList "Property-testing library" [
        testPropertyWithConfig config "every drawn case lies within its shapes, with finite data and weights"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            Expect.isTrue (Shapes.accepts Shapes.defaults case.Kind case.InputDimension case.Widths case.ActivationSpec case.SampleCount) $"{case}"
            let finite = Array.forall Double.IsFinite
            Expect.isTrue (finite (case.Data.X.ToArray()) && finite (case.Data.Y.ToArray())) "data finite"
            Expect.isTrue (finite (case.WeightVector 0) && finite (case.Weights(1e-3, 1))) "weights finite"
            expectCloseScalar 1e-14 1.0 (Vec.norm (case.Direction 0)) 1.0 "a unit direction")

        testPropertyWithConfig config "deep networks get powers p <= 2 only (degree 1 + p + ... + p^depth stays small)"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            if case.Widths.Length >= 2 then
                Expect.isLessThanOrEqual (Shapes.power case.ActivationSpec) 2 $"{case}")

        testPropertyWithConfig config "the shrinker offers only different, no larger cases within the shapes, keeping the seed"
        <| Prop.forAll Arbitraries.defaultCases (fun case ->
            for smaller in Shrink.networkCase Shapes.defaults case do
                Expect.notEqual smaller case "a different case"
                Expect.equal smaller.Seed case.Seed "same seed"
                let d, depth, width, n = size smaller
                let d0, depth0, width0, n0 = size case
                Expect.isTrue (d <= d0 && depth <= depth0 && width <= width0 && n <= n0) $"{smaller} is no larger than {case}"

                Expect.isTrue
                    (Shapes.accepts Shapes.defaults smaller.Kind smaller.InputDimension smaller.Widths smaller.ActivationSpec smaller.SampleCount)
                    $"{smaller} within the shapes")

        test "a false property is falsified and shrunk to the minimal counterexample" {
            // Fails exactly when n ≥ 3: the minimal case has n = 3 and every other size at its smallest.
            let result =
                Property.forAllCases Shapes.defaults (fun case -> case.SampleCount < 3)
                |> Property.check 100

            match result with
            | Falsified c ->
                Expect.stringContains c.Shrunk "d=1 widths=1 activation=relu samples=3" $"shrunk: {c.Shrunk}"
                Expect.stringContains c.Reason "false" $"a false result: {c.Reason}"
            | other -> failtestf "expected a counterexample, got %A" other
        }

        test "a property that throws is falsified with the exception's message as the reason" {
            let result =
                Property.forAllProblems Shapes.defaults (fun problem _ -> failwithf "no %s" "luck")
                |> Property.check 10

            match result with
            | Falsified c -> Expect.equal c.Reason "no luck" "reason"
            | other -> failtestf "expected a counterexample, got %A" other
        }

        test "a property that discards every case gives up: exhausted" {
            let result =
                Property.forAllCases Shapes.defaults (fun case -> Prop.filter (case.SampleCount > Shapes.defaults.MaxSamples) true)
                |> Property.check 10

            match result with
            | Exhausted n -> Expect.equal n 0 "no test was run"
            | other -> failtestf "expected exhaustion, got %A" other
        }

        test "a true property passes every test; the same replay seed draws the same cases" {
            let drawn = Collections.Generic.List<string>()

            let record seed =
                drawn.Clear()

                let result =
                    Property.forAllCases Shapes.defaults (fun case ->
                        drawn.Add(string case)
                        true)
                    |> Property.checkSeeded seed 25

                result, List.ofSeq drawn

            let first, cases = record 7UL
            Expect.equal first (Passed 25) "passed"
            Expect.equal (snd (record 7UL)) cases "replayed"
            Expect.notEqual (snd (record 8UL)) cases "another seed"
        }

        test "weights at a scale are N(0, scale^2/fan-in) per block" {
            let net = Net.feedForward 40 [ 50; 30 ] Activation.relu
            let w = Draw.weights 0.5 3L net

            for block in net.Layout.Blocks do
                let entries = w.[block.Offset .. block.Offset + block.Count - 1]
                let variance = entries |> Array.averageBy (fun x -> x * x)
                let expected = 0.25 / float block.Columns
                // 2,000 entries per hidden block: the sample variance is within 3 % (one standard error) of the
                // true one; the 30 readout weights only within 26 %.
                let tolerance = if block.Count >= 1000 then 0.1 else 0.8
                Expect.isLessThan (abs (variance / expected - 1.0)) tolerance $"{block.Name}: variance {variance:e3} vs {expected:e3}"
        }

        test "double-double draws keep the double and add a low word below 2^-54 relative" {
            let x = Draw.gaussian 5L 200
            let xx = Draw.doubleDouble 6L x

            for a, b in Array.zip x xx do
                Expect.equal b.Hi a "the leading word is the double"
                Expect.isLessThanOrEqual (abs b.Lo) (Math.ScaleB(abs a, -54)) "the low word is below half an ulp"

            Expect.isGreaterThan (xx |> Array.filter (fun v -> v.Lo <> 0.0) |> Array.length) 190 "almost every low word is non-zero"
        }

        test "a case's problem is its network on its data with the square loss" {
            let case =
                { Kind = NetworkKind.FeedForward
                  InputDimension = 3
                  Widths = [ 4; 2 ]
                  ActivationSpec = "relu"
                  SampleCount = 5
                  Seed = 3L }

            let p = case.Problem
            Expect.equal p.Network.Specification case.Network.Specification "network"
            Expect.sequenceEqual (p.Data.X.ToArray()) (case.Data.X.ToArray()) "inputs"
            let w = case.WeightVector 0
            let h = outputs case.Network case.Data w

            let expected =
                0.5
                * Array.fold2 (fun s hi yi -> s + (hi - yi) * (hi - yi)) 0.0 h (case.Data.Y.ToArray())

            expectCloseScalar 1e-14 expected (value (Problem.loss p) w) expected "ℒ(w) = ½Σ(H − y)²"
        }

        test "scripts/invariant.fsx passes the conservation law and shrinks its breakage to a one-neuron network" {
            requirePackages ()
            let root = repositoryRoot ()

            let info =
                ProcessStartInfo(
                    "dotnet",
                    "fsi scripts/invariant.fsx",
                    WorkingDirectory = root,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true
                )

            use proc =
                match Process.Start info with
                | null -> failwith "dotnet did not start"
                | p -> p

            let out = proc.StandardOutput.ReadToEndAsync()
            let err = proc.StandardError.ReadToEndAsync()
            Expect.isTrue (proc.WaitForExit 300_000) "the script ends within 5 minutes"
            Expect.equal proc.ExitCode 0 $"exit code; stderr: {err.Result}"
            let lines = out.Result.Split('\n') |> Array.map (fun l -> l.Trim())

            let after (heading: string) =
                lines.[1 + (lines |> Array.findIndex (fun l -> l.StartsWith heading))]

            Expect.stringStarts (after "σ = relu(z)² (p = 2") "passed 40 tests" "homogeneous σ: the law holds"
            Expect.stringStarts (after "σ = relu(z)² + 0.5z") "falsified" "perturbed σ: the law is broken"
            let shrunk = lines |> Array.find (fun l -> l.StartsWith "shrunk:")
            Expect.stringContains shrunk "d=1 widths=1 activation=perturbed-relu-power:2:0.5 samples=1" $"minimal counterexample: {shrunk}"
        }
    ]
