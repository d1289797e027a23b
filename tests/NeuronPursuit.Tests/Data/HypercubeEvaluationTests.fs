// SPDX-License-Identifier: MIT
/// The demo's error on all 2²⁰ vertices of the hypercube: its chunks run in parallel, and the result must be that of the
/// sequential definition (each chunk's outputs, the squared errors summed in vertex order) bit for bit, with any number
/// of threads.
module NeuronPursuit.Tests.Data.HypercubeEvaluationTests

open System
open Expecto
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Pursuit

/// MSE and max |error| chunk by chunk, in vertex order, on one thread.
let private sequentialCubeError (w: float[]) =
    let net = HypercubeExample.TeacherNetwork
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

let tests =
    testList "Hypercube evaluation" [
        test "the error on all vertices is the sequential sum in vertex order, with one thread or two" {
            // The teacher with perturbed weights: a nonzero error on most vertices.
            let w =
                HypercubeExample.TeacherWeights()
                |> Array.mapi (fun k v -> v + 0.01 * sin (float (k + 1)))

            let expectedMse, expectedMax = sequentialCubeError w
            Expect.isGreaterThan expectedMse 1e-6 "the perturbed teacher errs"

            for threads in [ 1; 2 ] do
                let error =
                    HypercubeEvaluation.OnAllVertices(HypercubeExample.TeacherNetwork, ReadOnlySpan w, threads)

                Expect.equal
                    (BitConverter.DoubleToInt64Bits error.MeanSquaredError)
                    (BitConverter.DoubleToInt64Bits expectedMse)
                    $"MSE, {threads} threads"

                Expect.equal error.MaxAbsoluteError expectedMax $"max |error|, {threads} threads"
        }
    ]
