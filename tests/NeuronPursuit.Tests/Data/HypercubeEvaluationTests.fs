// SPDX-License-Identifier: MIT
/// The demo's error on all 2²⁰ vertices of the hypercube: zero for the teacher; otherwise the generic forward pass's
/// errors; and, although its chunks run on two threads, the sequential definition's result (each chunk's outputs, the
/// squared errors summed in vertex order) bit for bit, on one thread or two.
module NeuronPursuit.Tests.Data.HypercubeEvaluationTests

open System
open Expecto
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Pursuit

/// MSE and max |error| chunk by chunk, in vertex order, on one thread, by a fresh evaluator per chunk.
let private sequentialCubeError (net: FeedForwardNetwork) (w: float[]) =
    let mutable sum = 0.0
    let mutable largest = 0.0

    for first in 0 .. HypercubeEvaluation.ChunkSize .. HypercubeExample.VertexCount - 1 do
        let chunk = HypercubeExample.Vertices(first, HypercubeEvaluation.ChunkSize)
        let evaluator = FeatureMajorEvaluator(net, chunk.X)
        evaluator.Forward(ReadOnlySpan w)
        let h = evaluator.Outputs.ToArray()
        let y = chunk.Y.ToArray()

        for i in 0 .. h.Length - 1 do
            let e = h.[i] - y.[i]
            sum <- sum + e * e
            largest <- max largest (abs e)

    sum / float HypercubeExample.VertexCount, largest

/// MSE and max |error| by the network's generic forward pass, 2¹⁶ vertices at a time.
let private genericCubeError (net: FeedForwardNetwork) (w: float[]) =
    let count = 1 <<< 16
    let workspace = net.CreateWorkspace<float> count
    let h = Array.zeroCreate count
    let mutable sum = 0.0
    let mutable largest = 0.0

    for first in 0..count .. HypercubeExample.VertexCount - 1 do
        let chunk = HypercubeExample.Vertices(first, count)
        net.Forward<float>(chunk.X, ReadOnlySpan w, Span h, workspace)

        for i in 0 .. count - 1 do
            let e = h.[i] - chunk.Y.[i]
            sum <- sum + e * e
            largest <- max largest (abs e)

    sum / float HypercubeExample.VertexCount, largest

let private randomWeights (seed: int64) (count: int) =
    let w = Array.zeroCreate<float> count
    SeededRandom(seed).FillGaussian(Span w, 0.7)
    w

let tests =
    testList "Hypercube evaluation" [
        test "the teacher's error is zero on every vertex" {
            let error =
                HypercubeEvaluation.OnAllVertices(HypercubeExample.TeacherNetwork, ReadOnlySpan(HypercubeExample.TeacherWeights()))

            Expect.equal error (CubeError(0.0, 0.0)) "the teacher is f"
        }
        test "the error on all vertices is the sequential sum in vertex order, with one thread or two" {
            // The teacher with perturbed weights: a nonzero error on most vertices.
            let w =
                HypercubeExample.TeacherWeights()
                |> Array.mapi (fun k v -> v + 0.01 * sin (float (k + 1)))

            let expectedMse, expectedMax = sequentialCubeError HypercubeExample.TeacherNetwork w
            Expect.isGreaterThan expectedMse 1e-6 "the perturbed teacher errs"

            for threads in [ 1; 2 ] do
                let error =
                    use _ =
                        if threads = 1 then
                            TwoWaySplit.SequentialScope()
                        else
                            { new IDisposable with
                                member _.Dispose() = () }

                    HypercubeEvaluation.OnAllVertices(HypercubeExample.TeacherNetwork, ReadOnlySpan w)

                Expect.equal
                    (BitConverter.DoubleToInt64Bits error.MeanSquaredError)
                    (BitConverter.DoubleToInt64Bits expectedMse)
                    $"MSE, {threads} threads"

                Expect.equal error.MaxAbsoluteError expectedMax $"max |error|, {threads} threads"
        }
        test "the error of a wider random network is the generic forward pass's" {
            let net =
                FeedForwardNetwork(HypercubeExample.Dimension, [| 5; 3 |], Activations.Relu)

            let w = randomWeights 7L net.ParameterCount
            let error = HypercubeEvaluation.OnAllVertices(net, ReadOnlySpan w)
            let mse, largest = genericCubeError net w
            Expect.isGreaterThan mse 1e-3 "the random network does not fit f"
            Expect.floatClose { absolute = 0.0; relative = 1e-12 } error.MeanSquaredError mse "mean square error"
            Expect.floatClose { absolute = 0.0; relative = 1e-12 } error.MaxAbsoluteError largest "largest error"
        }
    ]
