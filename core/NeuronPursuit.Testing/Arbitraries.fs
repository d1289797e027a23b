// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open FsCheck
open FsCheck.FSharp

/// FsCheck arbitraries (generator and shrinker) for `Prop.forAll`.
module Arbitraries =
    /// Network cases within the shapes, shrinking towards fewer samples, smaller d, fewer and narrower layers and
    /// simpler activations.
    let networkCases (shapes: Shapes) : Arbitrary<NetworkCase> =
        Arb.fromGenShrink (Generate.networkCase shapes, Shrink.networkCase shapes)

    /// Network cases of the default shapes.
    let defaultCases = networkCases Shapes.defaults

    /// A scale factor c in [0.1, 3], shrinking towards 1.
    let scaleFactor: Arbitrary<float> =
        let towardsOne (c: float) =
            let halfway = System.Math.Round((c + 1.0) / 2.0, 3)
            [ 1.0; halfway ] |> List.distinct |> List.filter (fun x -> x <> c) |> Seq.ofList

        Arb.fromGenShrink (Generate.scaleFactor, towardsOne)
