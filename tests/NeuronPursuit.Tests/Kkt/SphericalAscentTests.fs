// SPDX-License-Identifier: MIT
/// KKT points of max N(u) s.t. ‖u‖ = 1 by spherical ascent: the answer on a problem with a known
/// maximiser, the KKT identities on network NCFs, monotone ascent, and reproducible restarts.
module NeuronPursuit.Tests.Kkt.SphericalAscentTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

/// N(u) = uᵀAu with A = Q diag(λ) Qᵀ and Q = I − 2qqᵀ (a Householder reflection): the maximiser on the
/// sphere is ±Q e_argmax(λ) with value max λ, known exactly.
type private QuadraticForm(eigenvalues: float[], q: float[]) =
    let k = eigenvalues.Length
    let a = Array2D.zeroCreate<float> k k

    do
        // Q = I − 2qqᵀ, A = Q Λ Qᵀ.
        let qm =
            Array2D.init k k (fun i j -> (if i = j then 1.0 else 0.0) - 2.0 * q.[i] * q.[j])

        for i in 0 .. k - 1 do
            for j in 0 .. k - 1 do
                a.[i, j] <- Seq.sum (seq { for l in 0 .. k - 1 -> qm.[i, l] * eigenvalues.[l] * qm.[j, l] })

    member _.Eigenvector(l: int) =
        Array.init k (fun i -> (if i = l then 1.0 else 0.0) - 2.0 * q.[i] * q.[l])

    interface IObjective<float> with
        member _.Dimension = k

        member this.Value(u) =
            let mutable s = 0.0

            for i in 0 .. k - 1 do
                for j in 0 .. k - 1 do
                    s <- s + u.[i] * a.[i, j] * u.[j]

            s

        member this.ValueAndGradient(u, gradient) =
            let mutable s = 0.0

            for i in 0 .. k - 1 do
                let mutable row = 0.0

                for j in 0 .. k - 1 do
                    row <- row + a.[i, j] * u.[j]

                gradient.[i] <- 2.0 * row
                s <- s + u.[i] * row

            s

let private quadratic () =
    let random = SeededRandom(11L)
    let q = Array.init 8 (fun _ -> random.NextGaussian()) |> Vec.unit
    QuadraticForm([| 0.3; -1.0; 2.5; 1.9; 0.0; -4.0; 2.4; 1.0 |], q)

let private ncfCases =
    [ NetworkKind.TwoLayer, [ 5 ], "relu-power:2"
      NetworkKind.FeedForward, [ 4; 3 ], "relu-power:2"
      NetworkKind.FeedForward, [ 3; 2 ], "leaky-relu-power:0.1:2"
      NetworkKind.SumOfPowers, [ 4 ], "relu-power:3" ]
    |> List.mapi (fun i (kind, widths, activation) ->
        { Kind = kind
          InputDimension = 4
          Widths = widths
          ActivationSpec = activation
          SampleCount = 30
          Seed = 100L + int64 i })

let tests =
    testList "Spherical ascent (KKT points)" [
        test "finds the top eigenvector of a quadratic form: value max λ and |cos| = 1 to 1e-10" {
            let form = quadratic ()

            let best =
                Kkt.best (SphericalAscentOptions()) 8 5L (fun () -> objective "quadratic form" form)

            let v = form.Eigenvector 2 // λ = 2.5 is the largest
            let cosine = abs (Array.fold2 (fun s a b -> s + a * b) 0.0 best.Direction v)
            Expect.isTrue best.Converged "converged"
            Expect.floatClose { absolute = 1e-12; relative = 1e-12 } best.Value 2.5 "value = λ_max"
            Expect.isGreaterThan cosine (1.0 - 1e-10) $"|cos| to the eigenvector = {cosine}"
        }
        test "every restart's end point satisfies the KKT condition: residual ≤ tolerance and ∇N = λu" {
            let form = quadratic ()

            let points =
                Kkt.search (SphericalAscentOptions()) 12 3L (fun () -> objective "quadratic form" form)

            for point in points do
                Expect.isTrue point.Converged $"restart {point.Restart} converged"
                let g = Array.zeroCreate 8

                let value =
                    (form :> IObjective<float>).ValueAndGradient(ReadOnlySpan point.Direction, Span g)
                // Euler: λ = ⟨∇N, u⟩ = 2N for this 2-homogeneous N.
                let tangential = Array.map2 (fun gi ui -> gi - 2.0 * value * ui) g point.Direction

                let size =
                    sqrt (Array.sumBy (fun x -> x * x) tangential)
                    / sqrt (Array.sumBy (fun x -> x * x) g)

                Expect.isLessThan size 1e-8 $"restart {point.Restart}: ‖∇N − 2N·u‖/‖∇N‖ = {size:e2}"
        }
        test "KKT points of network NCFs: residual ≤ 1e-9, unit norm, λ = L·N (Euler) and N ≥ N(u₀)" {
            for case in ncfCases do
                let net = case.Network
                let degree = float (Problem.degree case.Problem)
                let ncf = Problem.ncf case.Problem
                let start = case.WeightVector 0
                let startValue = value ncf (Vec.unit start)
                let point = Kkt.ascent (SphericalAscentOptions()) ncf start
                let value, g = fgrad ncf point.Direction
                let lambda = Vec.dot g point.Direction
                let norm = Vec.norm point.Direction
                Expect.isTrue point.Converged $"{net}: converged (residual {point.Residual:e2})"
                Expect.isLessThan (Kkt.residual ncf point.Direction) 1e-9 $"{net}: residual"
                Expect.floatClose { absolute = 1e-14; relative = 1e-14 } norm 1.0 $"{net}: ‖û‖"
                Expect.floatClose { absolute = 1e-12; relative = 1e-9 } lambda (degree * value) $"{net}: λ = L·N"
                Expect.isGreaterThanOrEqual point.Value startValue $"{net}: ascent never lowers N"
        }
        test "the relative KKT residual is 0 on an eigenvector and positive off it" {
            let form = quadratic ()
            let f = objective "quadratic form" form
            let v = form.Eigenvector 5
            Expect.isLessThan (Kkt.residual f v) 1e-14 "eigenvector"
            Expect.isLessThan (Kkt.residual f (Array.map ((*) 3.0) v)) 1e-14 "any multiple of it: the residual is of w/‖w‖"
            Expect.isGreaterThan (Kkt.residual f (Array.map2 (+) v (form.Eigenvector 2))) 0.1 "mixture of two eigenvectors"
        }
        test "restarts are reproducible bit for bit and do not depend on the number of threads" {
            let case = ncfCases.[1]
            let make () = (Problem.ncf case.Problem).Objective
            let one = KktSearch.Run(make, 6, 42L, parallelism = 1)
            let two = KktSearch.Run(make, 6, 42L, parallelism = 2)

            for a, b in Seq.zip one two do
                Expect.equal a.Restart b.Restart "same order"
                Expect.equal a.Direction b.Direction $"restart {a.Restart}: same direction"
                Expect.equal a.Value b.Value "same value"

            let other = KktSearch.Run(make, 6, 43L)

            Expect.notEqual
                (one |> Seq.map (fun p -> p.Value) |> Seq.toList)
                (other |> Seq.map (fun p -> p.Value) |> Seq.toList)
                "another seed, other restarts"
        }
        test "a zero start direction is refused with an error naming it" {
            let f = objective "quadratic form" (quadratic ())

            try
                Kkt.ascent (SphericalAscentOptions()) f (Array.zeroCreate 8) |> ignore
                failtest "expected an ArgumentException"
            with :? ArgumentException as e ->
                Expect.stringStarts e.Message "start:" "names the argument"
        }
    ]
