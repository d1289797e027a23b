// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

open NeuronPursuit.Core.Problems

/// Shrinkers: simpler cases to try when a property fails, so that FsCheck reports a minimal counterexample.
module Shrink =
    /// Candidates smaller than k ≥ 1, most aggressive first: 1, k/2, k − 1.
    let private smaller (k: int) =
        List.distinct [
            if k > 1 then
                yield 1
                yield k / 2
                yield k - 1
        ]
        |> List.filter (fun j -> j >= 1 && j < k)

    /// Simpler versions of a case, most aggressive first: fewer samples, smaller d, fewer hidden layers, narrower
    /// layers, an activation earlier in the shapes' list; the seed is kept. Every candidate lies within the shapes.
    let networkCase (shapes: Shapes) (case: NetworkCase) : seq<NetworkCase> =
        let widths = case.Widths

        let candidates =
            [ for n in smaller case.SampleCount -> { case with SampleCount = n }
              for d in smaller case.InputDimension -> { case with InputDimension = d }
              if widths.Length > 1 then
                  yield { case with Widths = [ widths.Head ] }

                  for l in 0 .. widths.Length - 1 ->
                      { case with
                          Widths = List.removeAt l widths }
              for l in 0 .. widths.Length - 1 do
                  for k in smaller widths.[l] ->
                      { case with
                          Widths = List.updateAt l k widths }
              for sigma in shapes.Activations |> List.takeWhile (fun a -> a <> case.ActivationSpec) -> { case with ActivationSpec = sigma } ]

        candidates
        |> List.distinct
        |> List.filter (fun c ->
            c <> case
            && Shapes.accepts shapes c.Kind c.InputDimension c.Widths c.ActivationSpec c.SampleCount)
        |> Seq.ofList
