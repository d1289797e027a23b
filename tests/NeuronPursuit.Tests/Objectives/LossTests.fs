// SPDX-License-Identifier: MIT
/// Losses: normalisations, and the accuracy of the logistic loss where it is tiny.
module NeuronPursuit.Tests.Objectives.LossTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives

let private evaluate (loss: ILoss) (h: float[]) (y: float[]) =
    let derivative = Array.zeroCreate h.Length
    loss.Evaluate<float>(ReadOnlySpan h, ReadOnlySpan y, Span derivative), derivative

let tests =
    testList "Losses" [
        test "logistic loss keeps full relative accuracy at large margins" {
            // ln(1 + e^{−z}) for z = y·h from 20 to 45, against double-double evaluation of the same formula.
            for z in [ 20.0; 30.0; 37.5; 45.0 ] do
                let value, _ = evaluate logisticLoss [| z |] [| 1.0 |]
                let zDD = DoubleDouble.op_Implicit z
                let reference = double (DoubleDouble.LogP1(DoubleDouble.Exp(-zDD)))
                // Relative error only: the values are 1e-9 … 1e-20, below any absolute tolerance.
                let relativeError = abs (value - reference) / reference
                Expect.isLessThan relativeError 1e-14 $"z = {z}: {value:e17} vs {reference:e17}, relative error {relativeError:e2}"
        }
        test "compensated log1p and expm1 keep full relative accuracy for tiny arguments" {
            for x in [ 1e-20; -3e-17; 2.5e-12; -1e-8; 0.3; -0.7 ] do
                let xDD = DoubleDouble(x: float)
                let log1pRef = double (DoubleDouble.LogP1 xDD)
                let expm1Ref = double (DoubleDouble.ExpM1 xDD)
                let log1pError = abs (CompensatedElementary.LogOnePlus x - log1pRef) / abs log1pRef
                let expm1Error = abs (CompensatedElementary.ExpMinusOne x - expm1Ref) / abs expm1Ref
                Expect.isLessThan log1pError 1e-15 $"log1p({x}): relative error {log1pError:e2}"
                Expect.isLessThan expm1Error 1e-15 $"expm1({x}): relative error {expm1Error:e2}"
        }
        test "logistic loss of a negative margin is -z + ln(1 + e^z)" {
            let value, derivative = evaluate logisticLoss [| -3.0 |] [| 1.0 |]
            Expect.floatClose Accuracy.veryHigh value (Math.Log(1.0 + Math.Exp 3.0)) "value"
            Expect.floatClose Accuracy.veryHigh derivative.[0] (-1.0 / (1.0 + Math.Exp -3.0)) "derivative −y/(1 + e^{yh})"
        }
        test "mean normalisation divides value and derivative by n" {
            let h = [| 0.5; -1.0; 2.0 |]
            let y = [| 1.0; 1.0; -1.0 |]

            for sumLoss, meanLoss in
                [ squareLoss, squareLossMean
                  logisticLoss, (LogisticLoss(LossNormalisation.Mean) :> ILoss) ] do
                let sumValue, sumDerivative = evaluate sumLoss h y
                let meanValue, meanDerivative = evaluate meanLoss h y
                Expect.floatClose Accuracy.veryHigh meanValue (sumValue / 3.0) "value"

                Expect.sequenceEqual
                    (meanDerivative |> Array.map (fun x -> Math.Round(x * 3.0, 12)))
                    (sumDerivative |> Array.map (fun x -> Math.Round(x, 12)))
                    "derivative"
        }
        test "square loss is ½Σ(h − y)² with derivative h − y" {
            let value, derivative = evaluate squareLoss [| 1.0; 4.0 |] [| 0.0; 2.0 |]
            Expect.equal value 2.5 "½(1 + 4)"
            Expect.sequenceEqual derivative [| 1.0; 2.0 |] "h − y"
        }
        test "the registry parses every form; a logistic factor S scales value and derivative by S" {
            let h = [| 0.5; -1.0; 2.0 |]
            let y = [| 1.0; 1.0; -1.0 |]

            for spec, expected in
                [ "square", squareLoss
                  "square-mean", squareLossMean
                  "logistic", logisticLoss
                  "logistic-mean", (LogisticLoss(LossNormalisation.Mean) :> ILoss) ] do
                Expect.equal (evaluate (Losses.Parse spec) h y) (evaluate expected h y) $"{spec}"

            for spec, plain in
                [ "logistic:2.5", logisticLoss
                  "logistic-mean:2.5", (LogisticLoss(LossNormalisation.Mean) :> ILoss) ] do
                let value, derivative = evaluate (Losses.Parse spec) h y
                let plainValue, plainDerivative = evaluate plain h y
                Expect.floatClose Accuracy.veryHigh value (2.5 * plainValue) $"{spec}: value"

                Expect.sequenceEqual
                    (derivative |> Array.map (fun x -> Math.Round(x, 12)))
                    (plainDerivative |> Array.map (fun x -> Math.Round(2.5 * x, 12)))
                    $"{spec}: derivative"

            for bad in [ "hinge"; "logistic:0"; "logistic:-1"; "square:2" ] do
                let e = Expect.throwsC (fun () -> Losses.Parse bad |> ignore) id
                Expect.stringStarts e.Message "loss:" $"'{bad}': names the loss"
        }
        test "outputs and labels of different lengths are rejected" {
            Expect.throwsT<ArgumentException> (fun () -> evaluate squareLoss [| 1.0 |] [| 1.0; 2.0 |] |> ignore) "lengths"
        }
    ]
