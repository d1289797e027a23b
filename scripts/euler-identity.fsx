#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# Euler's identity

For positively homogeneous networks ⟨∇_w H(x; w), w⟩ = L · H(x; w), the identity behind the NCF analysis of arXiv
2402.09226 and 2403.08121. The script builds three small networks on the two-relu-teacher inputs, evaluates both sides
per sample in double and in double-double, and prints the worst relative residual.

Usage: `dotnet fsi scripts/euler-identity.fsx`
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"
open NeuronPursuit

let seed = 2024L

let data =
    Problem.parse $"example=two-relu-teacher data-seed={seed}" |> Problem.data

let n = data.Count

/// max over samples i of |⟨∇_w Hᵢ, w⟩ − L Hᵢ| / (|L Hᵢ| + ‖∇_w Hᵢ ⊙ w‖₁), in double.
let eulerResidual net (w: float[]) =
    let h = outputs net data w
    let L = float (Net.degree net)

    [ for i in 0 .. n - 1 ->
          let e = Array.init n (fun k -> if k = i then 1.0 else 0.0)
          let g = jacobianTv net data w e
          let lhs = Vec.dot g w
          let scale = abs (L * h.[i]) + Array.fold2 (fun s a b -> s + abs (a * b)) 0.0 g w
          abs (lhs - L * h.[i]) / scale ]
    |> List.max

/// The same residual with every computation in double-double, rounded to double at the end.
let eulerResidualDD net (w: float[]) =
    let dataDD = Data.toDoubleDouble data
    let wDD = Weights.toDoubleDouble w
    let h = outputs net dataDD wDD
    let L = DoubleDouble.op_Implicit (float (Net.degree net))

    [ for i in 0 .. n - 1 ->
          let e =
              Array.init n (fun k -> if k = i then DoubleDouble.One else DoubleDouble.Zero)

          let g = jacobianTv net dataDD wDD e
          let residual = Vec.dot g wDD - L * h.[i]

          let scale =
              abs (double (L * h.[i]))
              + Array.fold2 (fun s (a: DoubleDouble) b -> s + abs (double (a * b))) 0.0 g wDD

          abs (double residual) / scale ]
    |> List.max

(**
## Three networks
*)
let networks =
    [ Net.twoLayer data.InputDimension 8 (Activation.reluPower 2)
      Net.feedForward data.InputDimension [ 6; 4 ] (Activation.leakyRelu 0.1)
      Net.feedForward data.InputDimension [ 5; 3 ] (Activation.leakyReluPower 0.2 2) ]

printfn "Euler's identity <grad_w H(x; w), w> = L H(x; w) on %d samples (seed %d)" n seed
printfn "%-42s %4s %14s %14s" "network" "L" "double" "double-double"

for net in networks do
    let w = Weights.gaussian seed 0.5 net
    printfn "%-42s %4d %14.3e %14.3e" net.Specification (Net.degree net) (eulerResidual net w) (eulerResidualDD net w)
(*** include-output ***)
