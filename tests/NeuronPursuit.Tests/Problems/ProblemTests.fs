// SPDX-License-Identifier: MIT
/// Problems through the surface: the built-in examples by name and through the one specification grammar, what a
/// specification overrides, errors that name their key in one line, the named weight blocks, and what a problem
/// gives (loss at the origin, NCF with other weights, residual, the teacher's zero loss).
module NeuronPursuit.Tests.Problems.ProblemTests

open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

let private teacherWeights (p: Problem) =
    match p.TeacherWeights with
    | null -> failwith $"{p.Name} has no teacher weights"
    | w -> w

let tests =
    testList "Problems" [
        test "every built-in example is a problem by name, and the grammar builds the same problem" {
            for name in Problem.examples do
                let p = Problem.example name
                let q = Problem.parse $"example={name}"
                Expect.equal q.Network.Specification p.Network.Specification $"{name}: network"
                Expect.equal q.Loss.Specification p.Loss.Specification $"{name}: loss"
                Expect.sequenceEqual (q.Data.X.ToArray()) (p.Data.X.ToArray()) $"{name}: inputs"
                Expect.sequenceEqual (Problem.labels q) (Problem.labels p) $"{name}: labels"
                Expect.equal p.Data.InputDimension p.Network.InputDimension $"{name}: d"
        }

        test "a specification overrides the example's network, activation and initial point, and the name says so" {
            let example = Problem.example "two-relu-teacher"

            let p =
                Problem.parse "example=two-relu-teacher net=ff widths=4,2 activation=relu-power:2 init-scale=1e-3 seed=7"

            Expect.equal (Net.widths p.Network) [ 4; 2 ] "widths"
            Expect.equal (Problem.degree p) 7 "degree 1 + 2 + 4"
            Expect.equal p.Name "two-relu-teacher/ff:4,2/relu-power:2" "name"
            Expect.sequenceEqual (p.Data.X.ToArray()) (example.Data.X.ToArray()) "the example's data"
            Expect.sequenceEqual (Problem.w0 p) (Vec.gaussian 7L 1e-3 (Problem.dimension p)) "w(0) = δ·N(0, 1) from seed 7"
            let q = Problem.example "deep" |> Problem.withActivation (Activation.leakyRelu 0.2)
            Expect.equal q.Name "deep/leaky-relu:0.2" "withActivation names the change"
            Expect.equal (Net.widths q.Network) (Net.widths (Problem.example "deep").Network) "and keeps the architecture"

            Expect.sequenceEqual
                (Problem.w0 (Problem.withScale 2e-3 q))
                (Array.map ((*) 2e-3) (Problem.w0 (Problem.withScale 1.0 q)))
                "withScale scales w(0)"
        }

        test "a bad specification is refused with one line naming its key" {
            for text, key in
                [ "example=nope", "example"
                  "example=fig1 example=fig1", "example"
                  "bogus=1", "bogus"
                  "example=fig1 widths=0", "widths"
                  "example=fig1 net=two-layer widths=3,2", "widths"
                  "example=fig1 activation=tanh", "activation"
                  "example=fig1 loss=hinge", "loss"
                  "example=fig1 init-scale=-1", "init-scale"
                  "example=fig1 samples=many", "samples" ] do
                let e = Expect.throwsC (fun () -> Problem.parse text |> ignore) id

                match e with
                | :? SpecificationException as s ->
                    Expect.equal s.Key key $"'{text}': the key"
                    Expect.stringStarts s.Message (key + ": ") "the message starts with the key"
                    Expect.isFalse (s.Message.Contains '\n') "one line"
                | other -> failtestf "'%s': expected a SpecificationException, got %s: %s" text (other.GetType().Name) other.Message
        }

        test "weight blocks: the layers partition the weights; a neuron's block is its incoming and outgoing weights" {
            for p in
                [ Problem.example "deep"
                  Problem.example "two-layer-relu2"
                  Problem.example "fig1" ] do
                let layout = p.Network.Layout

                let layerIndices =
                    Problem.layers p |> List.collect (fun b -> List.ofArray b.Indices)

                Expect.equal layerIndices [ 0 .. Problem.dimension p - 1 ] $"{p.Name}: layers partition 0..P-1"
                let neurons = Problem.blocks p
                Expect.equal neurons.Length (List.sum (Net.widths p.Network)) $"{p.Name}: one block per hidden neuron"

                for b in neurons do
                    let expected =
                        Array.append (layout.IncomingIndices(b.Layer, b.Neuron.Value)) (layout.OutgoingIndices(b.Layer, b.Neuron.Value))

                    Expect.sequenceEqual b.Indices expected $"{p.Name}: {b.Name}"

                    if p.Name = "fig1" then
                        Expect.equal b.Indices.Length 2 "sum of powers: incoming weights only (d = 2)"
        }

        test "block norms and support: only the neurons above a fraction of the largest block norm" {
            let p = Problem.example "two-layer-relu2"
            let w = Array.zeroCreate (Problem.dimension p)
            let blocks = Problem.blocks p

            for k in blocks.[1].Indices do
                w.[k] <- 1.0

            for k in blocks.[4].Indices do
                w.[k] <- 0.1

            let norms = Problem.blockNorms p w
            expectCloseScalar 1e-15 1.0 norms.[1] (sqrt (float blocks.[1].Indices.Length)) "‖w_{l1n1}‖"
            Expect.sequenceEqual (Problem.support 0.5 p w) [| false; true; false; false; false; false |] "support at 1/2"
            Expect.sequenceEqual (Problem.support 0.01 p w) [| false; true; false; false; true; false |] "support at 1/100"
        }

        test "what a problem gives: loss at the origin, NCF with other weights, residual, zero loss at the teacher" {
            let p = Problem.example "two-relu-teacher"
            let y = Problem.labels p
            expectCloseScalar 1e-14 (Vec.dot y y) (Problem.lossAtOrigin p) (0.5 * Vec.dot y y) "ℒ(0) = ½‖y‖²"
            let mean = Problem.withLoss squareLossMean p
            expectCloseScalar 1e-14 (Vec.dot y y) (Problem.lossAtOrigin mean) (0.5 * Vec.dot y y / float y.Length) "mean: ½‖y‖²/n"

            let case =
                { Kind = NetworkKind.TwoLayer
                  InputDimension = 5
                  Widths = [ 2 ]
                  ActivationSpec = "relu"
                  SampleCount = 100
                  Seed = 1L }

            let u = case.WeightVector 0
            let c = case.SampleVector 0
            let h = Problem.outputs p u
            expectCloseScalar 1e-13 (maxAbs h) (value (Problem.ncfWith c p) u) (Vec.dot c h) "N_c(u) = Σ cᵢH(xᵢ; u)"
            expectCloseScalar 1e-13 (maxAbs h) (value (Problem.ncf p) u) (Vec.dot y h) "N(u) = Σ yᵢH(xᵢ; u)"
            expectClose 1e-15 1.0 (Problem.residual p u) (Array.map2 (-) y h) "r = y − H"
            Expect.equal (value (Problem.loss p) (teacherWeights p)) 0.0 "the teacher fits its data"
        }
    ]
