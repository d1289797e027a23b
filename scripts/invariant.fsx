#!/usr/bin/env -S dotnet fsi
// SPDX-License-Identifier: MIT
(**
# Property-testing an invariant over random problems

For a hidden neuron with incoming weights a and outgoing weights b, and σ positively p-homogeneous,
⟨a, ∇ₐℒ⟩ = p⟨b, ∇_bℒ⟩, so ‖a‖² − p‖b‖² is constant along the gradient flow (docs/claims.md, invariants). FsCheck checks
it on random networks, data and initial points; then a non-homogeneous σ(z) = relu(z)² + εz breaks it, and FsCheck
shrinks the failure to a minimal network.

Usage: `dotnet fsi scripts/invariant.fsx`
*)
#r "nuget: NeuronPursuit.Testing, 0.1.0"

open NeuronPursuit
open NeuronPursuit.Testing

let p = 2.0

/// ‖a‖² − p‖b‖² for every hidden neuron of the network at w.
let balances (problem: Problem) (w: float[]) =
    [| for neuron in Analysis.neurons problem.Network w -> neuron.IncomingNorm ** 2.0 - p * neuron.OutgoingNorm ** 2.0 |]

/// The invariant: along the flow from w to t = 1 (dop853, rtol 1e-12) no balance moves by more than 1e-8.
let conserved (problem: Problem) (w: float[]) =
    let flow =
        Flow.solveWith (Flow.method "dop853") (Flow.tolerances 1e-12 1e-14) [] [] (Problem.loss problem) w 1.0

    let drift = maxDifference (balances problem flow.Final) (balances problem w)

    if drift > 1e-8 then
        failwithf "‖a‖² − p‖b‖² drifts by %s by t = 1" (Format.g4 drift)

    true

(**
## The check

Two-layer and deep feed-forward networks (the sum-of-powers kind has no trainable outgoing weights).
*)
let shapes =
    { Shapes.withOutgoingWeights Shapes.defaults with
        Activations = [ "relu-power:2" ] }

printfn "σ = relu(z)² (p = 2, homogeneous):"

printfn
    "  %s"
    (Property.forAllProblems shapes conserved
     |> Property.check 40
     |> Property.describe)

let broken =
    { shapes with
        Activations = [ "perturbed-relu-power:2:0.5" ] }

printfn "σ = relu(z)² + 0.5z (not homogeneous):"

printfn
    "  %s"
    (Property.forAllProblems broken conserved
     |> Property.check 40
     |> Property.describe)
(*** include-output ***)
