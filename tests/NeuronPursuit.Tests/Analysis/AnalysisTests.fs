// SPDX-License-Identifier: MIT
/// The analyses: singular values and eigenvalues against matrices with known spectra, least-squares fits against
/// hand-computed values, escape times, plateaus, sparsity patterns and layer norms on hand-made cases.
module NeuronPursuit.Tests.Analysis.AnalysisTests

open System
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Testing
open NeuronPursuit.Tests.Support

/// Householder reflection I − 2qqᵀ for a unit q drawn from the seed, as a k × k array.
let private householder (seed: int64) k =
    let q = Array.zeroCreate k
    SeededRandom(seed).FillUnitSphere(Span q)
    Array2D.init k k (fun i j -> (if i = j then 1.0 else 0.0) - 2.0 * q.[i] * q.[j])

/// U diag(s) Vᵀ (rows × cols, row-major) with Householder U, V.
let private withSingularValues rows cols (s: float[]) =
    let u = householder 3L rows
    let v = householder 4L cols

    Array.init (rows * cols) (fun idx ->
        let i, j = idx / cols, idx % cols
        Seq.sum (seq { for k in 0 .. s.Length - 1 -> u.[i, k] * s.[k] * v.[j, k] }))

let tests =
    testList "Analyses" [
        test "singular values of U diag(s) Vᵀ are s, in both orientations, including a tiny one" {
            let s = [| 5.0; 2.0; 0.3; 1e-9 |]

            for rows, cols in [ 6, 4; 4, 7 ] do
                let a = withSingularValues rows cols s
                let sv = Analysis.singularValues rows cols a

                for k in 0..3 do
                    expectCloseScalar 1e-12 s.[0] sv.[k] s.[k] $"σ{k + 1} ({rows}×{cols})"

                expectCloseScalar 1e-6 s.[3] sv.[3] s.[3] "tiny singular value accurate relative to itself"
        }

        test "σ₂/σ₁ of a rank-one matrix is at rounding level, of the identity is 1" {
            let a = Array.init 20 (fun idx -> float (idx / 5 + 1) * float (idx % 5 - 2))
            let sv = Analysis.singularValues 4 5 a
            Expect.isLessThan (sv.[1] / sv.[0]) 1e-15 "rank one"
            let net = Net.feedForward 3 [ 3 ] Activation.relu
            let w = Array.zeroCreate net.ParameterCount

            for i in 0..2 do
                w.[i * 3 + i] <- 2.0

            let ratios = Analysis.singularValueRatios net w
            Expect.equal (List.map fst ratios) [ 1 ] "only W1 is a matrix"
            expectCloseScalar 1e-15 1.0 (snd ratios.Head) 1.0 "identity"
        }

        test "Jacobi eigenvalues of Q diag(λ) Qᵀ are λ" {
            let lambdas = [| -3.0; 0.0; 1.0; 1.0; 7.5 |]
            let q = householder 9L 5

            let a =
                Array.init 25 (fun idx -> let i, j = idx / 5, idx % 5 in Seq.sum (seq { for k in 0..4 -> q.[i, k] * lambdas.[k] * q.[j, k] }))

            expectClose 1e-13 7.5 (Analysis.symmetricEigenvalues 5 a) lambdas "eigenvalues"
        }

        test "least squares: hand-computed slope, intercept, standard error and t-interval" {
            let fit = Analysis.fit [ 0.0; 1.0; 2.0; 3.0 ] [ 0.0; 1.0; 1.0; 3.0 ]
            expectCloseScalar 1e-14 1.0 fit.Slope 0.9 "slope"
            expectCloseScalar 1e-14 1.0 fit.Intercept -0.1 "intercept"
            expectCloseScalar 1e-12 1.0 fit.SlopeStandardError (sqrt (0.35 / 5.0)) "se(slope)"
            expectCloseScalar 1e-12 1.0 fit.SlopeUpper (0.9 + 4.303 * sqrt (0.35 / 5.0)) "t_{0.975,2} = 4.303"
            let exact = Analysis.fit [ 1.0; 2.0; 4.0; 8.0 ] [ 3.0; 5.0; 9.0; 17.0 ]
            expectCloseScalar 1e-14 1.0 exact.Slope 2.0 "exact line"
            Expect.isLessThan exact.SlopeStandardError 1e-14 "no residual"
            Expect.isTrue (abs (LinearFit.TQuantile975 1000 - 1.9623) < 1e-3) "large ν"
            Expect.isTrue (Analysis.slopeMatches fit 0.9 0.0) "the fitted slope lies in its own interval"
            Expect.isFalse (Analysis.slopeMatches fit (fit.SlopeUpper + 0.1) 0.0) "a slope beyond the interval does not match"
            Expect.isTrue (Analysis.slopeMatches fit (fit.SlopeUpper + 0.1) 0.2) "unless the relative tolerance covers it"
        }

        test "escape time: interpolated first crossing of a series, and the norm event on y′ = y at t = ln 10" {
            Expect.equal (Analysis.firstCrossing [| 0.0; 1.0; 2.0 |] [| 0.1; 0.2; 0.6 |] 0.4) (Some 1.5) "interpolated"
            Expect.equal (Analysis.firstCrossing [| 0.0; 1.0 |] [| 0.1; 0.2 |] 0.4) None "never"
            // ‖y(t)‖ = eᵗ from ‖y₀‖ = 1.
            let growth = TestProblems.growth [| 0.6; 0.8 |]

            let s =
                Flow.solveSystem Flow.dp5 (Flow.tolerances 1e-12 1e-12) [] [ Flow.escapeAt 10.0 ] growth.System 0.0 growth.Initial 100.0

            Expect.equal s.Status IntegrationStatus.TerminalEvent s.Message
            Expect.equal s.Events.Head.Name "escape" "named escape"
            expectCloseScalar 1e-9 1.0 s.Events.Head.Time (log 10.0) "T_esc"
        }

        test "plateaus: two low-gradient runs found with their saddle events, a short one dropped" {
            let t = Array.init 20 float

            let g =
                [| 1.0
                   0.01
                   0.001
                   0.01
                   1.0
                   1.0
                   0.02
                   1.0
                   1.0
                   0.05
                   0.001
                   0.0001
                   0.002
                   0.03
                   1.0
                   1.0
                   1.0
                   1.0
                   1.0
                   1.0 |]

            let loss = Array.init 20 (fun i -> 10.0 - float i * 0.1)
            let plateaus = PlateauDetection.Detect(t, loss, g, 0.06, minDuration = 1.5)
            // The surface uses the default minimum duration, which keeps the single sample at t = 6 as well.
            Expect.equal (Analysis.plateaus 0.06 t loss g |> List.map (fun p -> p.SaddleTime)) [ 2.0; 6.0; 11.0 ] "surface, default duration"
            Expect.equal plateaus.Count 2 "two plateaus (the single sample at t = 6 is too short)"
            Expect.equal plateaus.[0].SaddleTime 2.0 "first saddle"
            Expect.equal plateaus.[1].SaddleTime 11.0 "second saddle"
            expectCloseScalar 1e-14 1.0 plateaus.[1].Loss loss.[11] "loss at the saddle"
            Expect.equal (plateaus.[1].Start, plateaus.[1].End) (9.0, 13.0) "extent"
        }

        test "sparsity pattern and layer norms on a hand-made two-layer vector" {
            let net = Net.twoLayer 2 3 (Activation.reluPower 2)
            // W = [[3, 4], [0, 1e-5], [0, 0]], v = [2, 0, 1e-5].
            let w = [| 3.0; 4.0; 0.0; 1e-5; 0.0; 0.0; 2.0; 0.0; 1e-5 |]
            let blocks = Analysis.neurons net w
            expectCloseScalar 1e-15 1.0 blocks.[0].IncomingNorm 5.0 "‖in₀‖"
            expectCloseScalar 1e-15 1.0 blocks.[0].OutgoingNorm 2.0 "‖out₀‖"
            Expect.sequenceEqual (SparsityPattern.Support(net.Layout, ReadOnlySpan w, 1e-3)) [| true; false; false |] "support"
            Expect.equal (SparsityPattern.ActiveCount(net.Layout, ReadOnlySpan w, 1e-6)) 3 "all above 1e-6"
            expectClose 1e-15 1.0 (Analysis.layerNormsSquared net w) [| 25.0 + 1e-10; 4.0 + 1e-10 |] "‖W‖², ‖v‖²"
            expectCloseScalar 1e-14 1.0 (Analysis.layerNormRatios net w).[0] ((25.0 + 1e-10) / (4.0 + 1e-10)) "ratio"
        }

        test "alignment: cosines of vectors and between trajectories" {
            expectCloseScalar 1e-15 1.0 (Vec.cosine [| 1.0; 0.0 |] [| 1.0; 1.0 |]) (1.0 / sqrt 2.0) "45°"
            Expect.equal (Vec.cosine [| 0.0; 0.0 |] [| 1.0; 1.0 |]) 0.0 "zero vector"

            let c =
                Alignment.Between([| [| 1.0; 0.0 |]; [| 0.0; 2.0 |] |], [| [| 2.0; 0.0 |]; [| 0.0; -1.0 |] |])

            Expect.sequenceEqual c [| 1.0; -1.0 |] "pairwise"
        }
    ]
