// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open System
open FsCheck
open FsCheck.FSharp
open NeuronPursuit.Core.Problems

/// FsCheck generators: they draw shapes and seeds only; the numbers come from the seed (`Draw`).
module Generate =
    /// A network case within the shapes: a kind, d, the hidden widths (up to `MaxDepth` layers for a feed-forward
    /// network), an activation allowed at that depth, n and a seed.
    let networkCase (shapes: Shapes) : Gen<NetworkCase> =
        if shapes.Kinds.IsEmpty || shapes.Activations.IsEmpty then
            invalidArg "shapes" "shapes: give at least one kind and one activation."

        if min (min shapes.MaxInputDimension shapes.MaxWidth) (min shapes.MaxDepth shapes.MaxSamples) < 1 then
            invalidArg "shapes" "shapes: every largest size must be at least 1."

        gen {
            let! kind = Gen.elements shapes.Kinds
            let! d = Gen.choose (1, shapes.MaxInputDimension)

            let maxDepth =
                if kind = NetworkKind.FeedForward then
                    shapes.MaxDepth
                else
                    1

            let! depth = Gen.choose (1, maxDepth)
            // Without an activation allowed at that depth, one hidden layer.
            let depth =
                if (Shapes.activationsFor depth shapes).IsEmpty then
                    1
                else
                    depth

            let! widths = Gen.listOfLength depth (Gen.choose (1, shapes.MaxWidth))
            let! sigma = Gen.elements (Shapes.activationsFor depth shapes)
            let! n = Gen.choose (1, shapes.MaxSamples)
            let! seed = Gen.choose (0, Int32.MaxValue)

            return
                { Kind = kind
                  InputDimension = d
                  Widths = widths
                  ActivationSpec = sigma
                  SampleCount = n
                  Seed = int64 seed }
        }

    /// A scale factor c in [0.1, 3] (three decimals).
    let scaleFactor: Gen<float> =
        Gen.choose (100, 3000) |> Gen.map (fun k -> float k / 1000.0)
