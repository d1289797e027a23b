// SPDX-License-Identifier: MIT
/// Wrong shapes, NaN and ∞ raise an ArgumentException whose message names the argument and the problem.
module NeuronPursuit.Tests.Models.ValidationTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

let private case =
    { Kind = NetworkKind.FeedForward
      InputDimension = 3
      Widths = [ 4; 2 ]
      ActivationSpec = "relu"
      SampleCount = 5
      Seed = 3L }

/// Runs f, expects an ArgumentException whose message starts with "name:" and contains `problem`.
let private expectArgumentError (name: string) (problem: string) (f: unit -> unit) =
    try
        f ()
        failtestf "expected an ArgumentException about %s" name
    with :? ArgumentException as e ->
        Expect.stringStarts e.Message (name + ":") $"the message names the argument: {e.Message}"
        Expect.stringContains e.Message problem "the message states the problem"
        Expect.isFalse (e.Message.Contains '\n') "the message is one line"

let tests =
    testList "Input validation" [
        for kind, widths in
            [ NetworkKind.TwoLayer, [ 4 ]
              NetworkKind.FeedForward, [ 4; 2 ]
              NetworkKind.SumOfPowers, [ 4 ] ] do
            let c =
                { case with
                    Kind = kind
                    Widths = widths }

            let kind = NetworkSpec.NameOf kind
            let net = c.Network
            let x = c.Data.X.ToArray()
            let w = c.WeightVector 0
            let n = c.SampleCount
            let ws = net.CreateWorkspace<float>(n)
            let h = Array.zeroCreate<float> n
            let g = Array.zeroCreate<float> net.ParameterCount

            test $"{kind}: X whose length is not n·d is rejected" {
                expectArgumentError "x" "not n·d" (fun () -> net.Forward<float>(ReadOnlySpan(Array.append x [| 1.0 |]), ReadOnlySpan w, Span h, ws))
            }

            test $"{kind}: weights of the wrong length are rejected" {
                expectArgumentError "w" $"expected {net.ParameterCount}" (fun () ->
                    net.Forward<float>(ReadOnlySpan x, ReadOnlySpan w.[1..], Span h, ws))
            }

            test $"{kind}: an output buffer of the wrong length is rejected" {
                expectArgumentError "h" "expected 5" (fun () ->
                    net.Forward<float>(ReadOnlySpan x, ReadOnlySpan w, Span(Array.zeroCreate<float> 4), ws))
            }

            test $"{kind}: NaN in X is rejected" {
                let bad = Array.copy x
                bad.[2] <- nan
                expectArgumentError "x" "NaN" (fun () -> net.Forward<float>(ReadOnlySpan bad, ReadOnlySpan w, Span h, ws))
            }

            test $"{kind}: infinity in the weights is rejected" {
                let bad = Array.copy w
                bad.[1] <- infinity
                expectArgumentError "w" "infinity" (fun () -> net.Forward<float>(ReadOnlySpan x, ReadOnlySpan bad, Span h, ws))
            }

            test $"{kind}: NaN in the cotangent is rejected" {
                net.Forward<float>(ReadOnlySpan x, ReadOnlySpan w, Span h, ws)
                let bad = Array.create n 1.0
                bad.[0] <- nan
                expectArgumentError "c" "NaN" (fun () -> net.Backward<float>(ReadOnlySpan x, ReadOnlySpan w, ReadOnlySpan bad, Span g, ws))
            }

            test $"{kind}: a workspace for another n is rejected" {
                expectArgumentError "workspace" "n = 7" (fun () ->
                    net.Forward<float>(ReadOnlySpan x, ReadOnlySpan w, Span h, net.CreateWorkspace<float>(7)))
            }

            test $"{kind}: backward without a forward pass is rejected" {
                expectArgumentError "workspace" "preceding Forward" (fun () ->
                    net.Backward<float>(
                        ReadOnlySpan x,
                        ReadOnlySpan w,
                        ReadOnlySpan(Array.zeroCreate<float> n),
                        Span g,
                        net.CreateWorkspace<float>(n)
                    ))
            }

            test $"{kind}: a tangent of the wrong length is rejected" {
                expectArgumentError "t" "expected" (fun () ->
                    net.Jvp<float>(ReadOnlySpan x, ReadOnlySpan w, ReadOnlySpan w.[1..], Span h, Span(Array.zeroCreate<float> n), ws))
            }

        test "double-double: NaN weights are rejected" {
            let net = case.Network
            let w = Weights.toDoubleDouble (case.WeightVector 0)
            w.[0] <- DoubleDouble.Parse "NaN"
            expectArgumentError "w" "NaN" (fun () -> outputs net (Data.toDoubleDouble case.Data) w |> ignore)
        }
        test "a data set with NaN labels is rejected" {
            expectArgumentError "y" "NaN" (fun () ->
                DataSet<float>(ReadOnlySpan [| 1.0; 2.0 |], ReadOnlySpan [| 1.0; nan |], 1)
                |> ignore)
        }
        test "a data set whose X and y disagree is rejected" {
            expectArgumentError "x" "expected 4" (fun () ->
                DataSet<float>(ReadOnlySpan [| 1.0; 2.0; 3.0 |], ReadOnlySpan [| 1.0; 2.0 |], 2)
                |> ignore)
        }
        test "data of another input dimension is rejected by the loss" {
            let other = { case with InputDimension = 2 }
            expectArgumentError "data" "d = 2" (fun () -> loss case.Network other.Data |> ignore)
        }
        test "an unknown activation is rejected with the accepted forms" {
            expectArgumentError "activation" "relu | leaky-relu:ALPHA" (fun () -> Activation.parse "tanh" |> ignore)
        }
        test "a leaky slope outside [0, 1) is rejected" {
            expectArgumentError "activation" "[0, 1)" (fun () -> Activation.parse "leaky-relu:1.5" |> ignore)
        }
        test "a power below 1 is rejected" { expectArgumentError "activation" "≥ 1" (fun () -> Activation.parse "relu-power:0" |> ignore) }
        test "a network with a zero width is rejected" {
            expectArgumentError "hiddenWidths" "at least 1" (fun () -> Net.feedForward 3 [ 2; 0 ] Activation.relu |> ignore)
        }
        test "the activation specification round-trips through the parser" {
            for spec in Shapes.activations @ [ "perturbed-relu-power:2:0.5" ] do
                Expect.equal (Activation.parse spec).Specification spec "specification"
        }
    ]
