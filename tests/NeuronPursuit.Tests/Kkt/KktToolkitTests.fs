// SPDX-License-Identifier: MIT
/// The NCF/KKT toolkit: deduplication up to the permutation symmetry, the second-order test on the sphere
/// against a quadratic form with known spectrum, the blow-up time τ* against its closed form, the NCF flows, the
/// limit direction of a small-initialisation flow, restrictions, and the residual NCF at a saddle.
module NeuronPursuit.Tests.Kkt.KktToolkitTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Kkt
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Problems
open NeuronPursuit.Testing

/// N(u) = uᵀ diag(λ) u in dual numbers: KKT points are the coordinate vectors eᵢ with λ = 2λᵢ, and the Riemannian
/// Hessian at eᵢ has eigenvalues 2(λⱼ − λᵢ), j ≠ i, on eᵢ⊥.
type DiagonalQuadratic(eigenvalues: float[]) =
    interface IObjective<Dual<float>> with
        member _.Dimension = eigenvalues.Length

        member _.Value(u) =
            let mutable s = Dual<float>(0.0, 0.0)

            for i in 0 .. eigenvalues.Length - 1 do
                s <- s + Dual<float>(eigenvalues.[i], 0.0) * u.[i] * u.[i]

            s

        member _.ValueAndGradient(u, gradient) =
            let mutable s = Dual<float>(0.0, 0.0)

            for i in 0 .. eigenvalues.Length - 1 do
                let li = Dual<float>(eigenvalues.[i], 0.0)
                gradient.[i] <- Dual<float>(2.0, 0.0) * li * u.[i]
                s <- s + li * u.[i] * u.[i]

            s

let private unitVector k i =
    Array.init k (fun j -> if j = i then 1.0 else 0.0)

let private twoLayerCase =
    { Kind = NetworkKind.TwoLayer
      InputDimension = 3
      Widths = [ 5 ]
      ActivationSpec = "relu-power:2"
      SampleCount = 25
      Seed = 41L }

let private bestKkt (case: NetworkCase) =
    Kkt.best (Kkt.options 1e-12 50000) 8 5L (fun () -> Problem.ncf case.Problem)

let tests =
    testList "KKT toolkit" [
        test "second-order test: the top eigenvector is a maximum, a middle one a saddle, with the exact eigenvalues" {
            let lambdas = [| 3.0; -1.0; 0.5; 2.0; -2.5 |]
            let hvp = HessianVectorProduct<float>(DiagonalQuadratic lambdas)
            let top = SecondOrderTest.Run(hvp, ReadOnlySpan(unitVector 5 0))
            Expect.isTrue top.IsLocalMaximum $"top: {top}"
            expectCloseScalar 1e-12 1.0 top.Lambda 6.0 "λ = 2λ_max"
            expectCloseScalar 1e-12 1.0 top.MaxEigenvalue (2.0 * (2.0 - 3.0)) "largest eigenvalue 2(λ₂ − λ₁)"
            expectCloseScalar 1e-12 1.0 top.MinEigenvalue (2.0 * (-2.5 - 3.0)) "smallest eigenvalue"
            let middle = SecondOrderTest.Run(hvp, ReadOnlySpan(unitVector 5 2))
            Expect.isFalse middle.IsLocalMaximum $"middle: {middle}"
            expectCloseScalar 1e-12 1.0 middle.MaxEigenvalue (2.0 * (3.0 - 0.5)) "largest eigenvalue 2(λ_max − λᵢ)"
        }

        test "second-order test on a network NCF: the best of several restarts is a local maximum" {
            let p = bestKkt twoLayerCase
            let r = Kkt.secondOrder (Problem.ncf twoLayerCase.Problem) p.Direction
            expectCloseScalar 1e-8 (abs r.Lambda) r.Lambda (3.0 * p.Value) "λ = L·N (Euler)"
            Expect.isTrue r.IsLocalMaximum $"{r}"
        }

        test "permutations: distance 0 to a permuted copy, positive to a different point, clusters merge copies" {
            let net = Net.feedForward 3 [ 4; 3 ] (Activation.reluPower 2)

            let case =
                { twoLayerCase with
                    Kind = NetworkKind.FeedForward
                    Widths = [ 4; 3 ] }

            let a = case.WeightVector 0
            let b = Array.copy a
            PermutationSymmetry.Permute(net.Layout, Span b, 1, [| 2; 0; 3; 1 |])
            PermutationSymmetry.Permute(net.Layout, Span b, 2, [| 1; 2; 0 |])
            Expect.isGreaterThan (maxDifference a b) 1e-3 "the permuted copy differs coordinate-wise"
            expectClose 1e-13 1.0 (outputs net case.Data b) (outputs net case.Data a) "and computes the same function"
            Expect.isLessThan (PermutationSymmetry.Distance(net.Layout, ReadOnlySpan a, ReadOnlySpan b)) 1e-14 "distance up to permutation"
            let c = case.WeightVector 1
            Expect.isGreaterThan (PermutationSymmetry.Distance(net.Layout, ReadOnlySpan a, ReadOnlySpan c)) 0.1 "another point"
            let point (w: float[]) i = KktPoint(w, 1.0, 0.0, 0, true, i)
            let clusters = Kkt.deduplicate net.Layout 1e-6 [ point a 0; point b 1; point c 2 ]
            Expect.equal clusters.Length 2 "two distinct points"
            Expect.sequenceEqual clusters.[0].Restarts [ 0; 1 ] "the copy joins the first"
        }

        test "deduplicated restarts of a two-layer NCF: fewer clusters than restarts, members within tolerance" {
            let points =
                Kkt.search (Kkt.options 1e-11 50000) 12 3L (fun () -> Problem.ncf twoLayerCase.Problem)

            let clusters =
                Kkt.deduplicate twoLayerCase.Network.Layout 1e-5 (points |> List.filter (fun p -> p.Converged))

            Expect.isLessThan clusters.Length 12 "restarts meet at the same points up to permutation"

            for c in clusters do
                Expect.isLessThanOrEqual c.MaxDistance 1e-5 "members close to the representative"
        }

        test "blow-up time from u(0) = c·u* equals 1/(L(L−2)N*c^{L−2}) to 1e-8 (L = 3 and L = 7)" {
            for case, degree in
                [ twoLayerCase, 3
                  { twoLayerCase with
                      Kind = NetworkKind.FeedForward
                      Widths = [ 3; 2 ]
                      ActivationSpec = "leaky-relu-power:0.2:2" },
                  7 ] do
                let p = bestKkt case
                Expect.isTrue p.Converged "KKT point converged"

                for c in [ 0.5; 2.0 ] do
                    let r = Kkt.blowUp degree (Problem.ncf case.Problem) (Array.map ((*) c) p.Direction)

                    let expected =
                        1.0 / (float degree * float (degree - 2) * p.Value * c ** float (degree - 2))

                    Expect.isTrue r.BlewUp r.Message
                    expectCloseScalar 1e-8 expected r.Tau expected $"τ* (L = {degree}, c = {c})"
                    Expect.isGreaterThan (Vec.cosine r.LimitDirection p.Direction) (1.0 - 1e-9) "limit direction is u*"
        }

        test "blow-up time: N(u) = −‖u‖³ < 0 everywhere gives no blow-up; L = 2 is refused" {
            let case = twoLayerCase

            let negative =
                { new IObjective<float> with
                    member _.Dimension = 4

                    member _.Value(u) =
                        -(pown (sqrt (u.[0] * u.[0] + u.[1] * u.[1] + u.[2] * u.[2] + u.[3] * u.[3])) 3)

                    member this.ValueAndGradient(u, g) =
                        let r = sqrt (u.[0] * u.[0] + u.[1] * u.[1] + u.[2] * u.[2] + u.[3] * u.[3])

                        for i in 0..3 do
                            g.[i] <- -3.0 * r * u.[i]

                        -(r * r * r) }

            let r =
                BlowUpTime.Compute(negative, 3, ReadOnlySpan [| 0.5; 0.5; 0.5; 0.5 |], BlowUpOptions(MaxTau = 1e3))

            Expect.isFalse r.BlewUp r.Message
            let relu = Problem.ncf (case.Problem |> Problem.withActivation Activation.relu)
            Expect.throwsT<ArgumentException> (fun () -> Kkt.blowUp 2 relu (case.WeightVector 0) |> ignore) "L = 2"
        }

        test "spherical NCF flow keeps ‖u‖ and ends at a KKT point; the NCF flow grows ‖u‖ where N > 0" {
            let case = twoLayerCase
            let n = Problem.ncf case.Problem
            let u0 = Vec.unit (case.WeightVector 2)
            let s = Kkt.sphericalNcfFlow (Flow.tolerances 1e-11 1e-12) [] [] n u0 200.0
            expectCloseScalar 1e-8 1.0 (Vec.norm s.Final) 1.0 "unit norm kept"
            Expect.isLessThan (Kkt.residual n s.Final) 1e-5 "KKT residual at the end"
            Expect.isGreaterThan (value n s.Final) 0.0 "N > 0 at the end of the spherical flow"

            let grown =
                Kkt.ncfFlow (Flow.tolerances 1e-11 1e-12) [] [ Flow.normReaches "double" true 2.0 ] n s.Final 200.0

            Expect.isNonEmpty grown.Events "from there the NCF flow grows ‖u‖ to 2"
        }

        test "limit direction: for L = 3 the blow-up direction with τ*, for L = 2 a KKT point that the NCF reaches from w0" {
            let p = twoLayerCase.Problem
            let w0 = twoLayerCase.WeightVector 0
            let limit = Kkt.limitOf p w0
            let r = Kkt.blowUp 3 (Problem.ncf p) w0
            Expect.equal (limit.Direction, limit.BlowUpTime) (r.LimitDirection, r.Tau) "L = 3: the blow-up of the NCF flow from w0"
            let fig1 = Problem.example "fig1"
            let n = Problem.ncf fig1
            let u0 = Problem.w0 fig1
            let flat = Kkt.limitOf fig1 u0
            Expect.equal flat.BlowUpTime infinity "L = 2: no blow-up"
            Expect.isLessThan (Kkt.residual n flat.Direction) 1e-11 "a KKT point"
            expectCloseScalar 1e-14 1.0 (Vec.norm flat.Direction) 1.0 "a unit direction"
            expectCloseScalar 1e-12 (abs flat.Value) flat.Value (value n flat.Direction) "its value N(u*)"
            Expect.isGreaterThan flat.Value (value n (Vec.unit u0)) "reached by ascent: N(u*) > N(w0/‖w0‖)"
        }

        test "restrict: the gradient is the free part of the full gradient, the other weights fixed at the base point" {
            let f = Problem.loss twoLayerCase.Problem
            let basePoint = twoLayerCase.WeightVector 0
            let free = [| 0; 2; 5 |]
            let restricted = Kkt.restrict basePoint free f
            let z = [| 0.3; -0.2; 0.1 |]
            let full = Array.copy basePoint
            free |> Array.iteri (fun k i -> full.[i] <- z.[k])
            let fullValue, fullGradient = fgrad f full
            let v, g = fgrad restricted z
            expectCloseScalar 1e-15 (abs fullValue) v fullValue "value"
            expectClose 1e-15 (maxAbs fullGradient) g (free |> Array.map (fun i -> fullGradient.[i])) "gradient"
            Expect.throwsT<InvalidOperationException> (fun () -> hvp restricted z z |> ignore) "no Hessian–vector product"
        }

        test "residual NCF: zero residual at the teacher, and the restricted objective's gradient is the free part of Jᵀr" {
            let teacher = Problem.example "two-relu-teacher"

            let teacherWeights =
                match teacher.TeacherWeights with
                | null -> failwith "the teacher example has its weights"
                | w -> w

            Expect.isLessThan (maxAbs (Problem.residual teacher teacherWeights)) 1e-12 "teacher fits exactly"

            Expect.isLessThan
                (maxAbs (ResidualCorrelation.Residual(teacher.Network, teacher.Data, ReadOnlySpan teacherWeights)))
                1e-12
                "so does the core's"

            let case =
                { twoLayerCase with
                    Kind = NetworkKind.FeedForward
                    Widths = [ 3; 2 ] }

            let net = case.Network
            let wbar = case.WeightVector 0
            let residual = case.SampleVector 0
            let free = [| 0; 2; 5; net.ParameterCount - 1 |]

            let restricted =
                ResidualCorrelation.Restricted(net, case.Data, ReadOnlySpan residual, ReadOnlySpan wbar, free)

            let z = [| 0.3; -0.2; 0.1; 0.5 |]
            let g = Array.zeroCreate 4
            restricted.ValueAndGradient(ReadOnlySpan z, Span g) |> ignore
            let full = Array.copy wbar
            free |> Array.iteri (fun k i -> full.[i] <- z.[k])
            let fullGrad = jacobianTv net case.Data full residual
            expectClose 1e-14 1.0 g (free |> Array.map (fun i -> fullGrad.[i])) "restricted gradient"
        }
    ]
