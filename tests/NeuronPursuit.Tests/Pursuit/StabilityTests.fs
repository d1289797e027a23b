// SPDX-License-Identifier: MIT
/// The pieces behind "divergence is an outcome": λ_max by power iteration against the dense Hessian's spectrum (also
/// where negative curvature dominates), the inner stop rule's divergence test, a dead network, and a cancellation
/// token that stops gradient descent and the flow solver at their next step.
module NeuronPursuit.Tests.Pursuit.StabilityTests

open System
open System.Threading
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Flow.Methods
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Objectives
open NeuronPursuit.Core.Pursuit

/// The largest eigenvalue of the dense Hessian assembled column by column from exact products.
let private denseLargest (hessian: HessianVectorProduct<float>) (w: float[]) =
    let n = hessian.Dimension
    let matrix = Array.zeroCreate<float>(n * n)
    hessian.AssembleByColumns(ReadOnlySpan w, Span matrix)
    SymmetricEigen.Eigenvalues(ReadOnlySpan matrix, n) |> Array.max

let tests =
    testList "stability, divergence and interrupts" [
        test "λ_max by power iteration matches the dense Hessian's largest eigenvalue, for the loss and the indefinite NCF" {
            let p =
                Problem.parse "example=two-relu-teacher net=two-layer widths=4 activation=relu-power:2 init-scale=0.5 seed=3"

            let mutable dominatedByNegative = 0

            for seed in 1L .. 6L do
                let w = Vec.gaussian seed 0.7 (Problem.dimension p)

                for name, hessian in [ "loss", p.CreateLossHessian<float>(); "NCF", p.CreateNcfHessian<float>() ] do
                    let expected = denseLargest hessian w

                    let estimate =
                        LargestHessianEigenvalue.Estimate(hessian, ReadOnlySpan w, 1e-10, 5000)

                    Expect.isTrue estimate.Converged $"{name}, seed {seed}: converged"

                    Expect.floatClose
                        { absolute = 1e-6 * (abs expected + 1.0)
                          relative = 1e-4 }
                        estimate.Value
                        expected
                        $"{name}, seed {seed}: λ_max"

                    let n = hessian.Dimension
                    let matrix = Array.zeroCreate<float>(n * n)
                    hessian.AssembleByColumns(ReadOnlySpan w, Span matrix)
                    let spectrum = SymmetricEigen.Eigenvalues(ReadOnlySpan matrix, n)

                    if -(Array.min spectrum) > Array.max spectrum then
                        dominatedByNegative <- dominatedByNegative + 1

            Expect.isGreaterThan dominatedByNegative 0 "some cases have negative curvature larger than λ_max (the shifted iteration)"
        }
        test "the inner stop rule calls an exploding or non-finite loss diverged, a transient rise not" {
            let rule = InnerStopRule(PursuitOptions(), 0.5)
            let mutable reason = InnerStopReason.Converged
            Expect.isFalse (rule.ShouldStop(0L, 1.0, &reason)) "start"
            Expect.isFalse (rule.ShouldStop(1L, 50.0, &reason)) "a 50-fold rise is not yet divergence"
            Expect.isTrue (rule.ShouldStop(2L, 2e4, &reason)) "10⁴ times the larger of ℒ(start) and ℒ(0)"
            Expect.equal reason InnerStopReason.Diverged "diverged"
            let small = InnerStopRule(PursuitOptions(), 0.5)
            Expect.isFalse (small.ShouldStop(0L, 1e-6, &reason)) "a tiny start"
            Expect.isFalse (small.ShouldStop(1L, 1e-1, &reason)) "measured against ℒ(0), not the tiny start"
            Expect.isTrue (small.ShouldStop(2L, nan, &reason)) "NaN"
            Expect.equal reason InnerStopReason.Diverged "diverged"
        }
        test "a network whose first-layer neurons are all inactive has a vanishing output; a live one not" {
            let p = Problem.example "hypercube"
            let net = FeedForwardNetwork(p.Data.InputDimension, [| 2; 1 |], Activations.Relu)
            let w = Array.create net.ParameterCount 0.5
            Expect.isFalse (NetworkStatistics.OutputVanishes(net, p.Data, ReadOnlySpan w)) "live"
            // Every incoming weight of the first layer 0: every pre-activation is 0, and relu(0) = 0.
            let dead = Array.copy w

            for k in 0 .. 2 * p.Data.InputDimension - 1 do
                dead.[k] <- 0.0

            Expect.isTrue (NetworkStatistics.OutputVanishes(net, p.Data, ReadOnlySpan dead)) "every pre-activation 0: dead"
        }
        test "a signalled token stops gradient descent at its next epoch, as interrupted" {
            let p =
                Problem.parse "example=hypercube net=ff widths=2,1 loss=square-mean init-scale=0.2 seed=1"

            use cancelled = new CancellationTokenSource()
            cancelled.Cancel()
            let w = Problem.w0 p
            let net = p.Network :?> FeedForwardNetwork

            let result =
                GradientDescentMinimiser.Minimise(net, p.Data, Span w, PursuitOptions(Cancellation = cancelled.Token))

            Expect.equal result.Reason InnerStopReason.Interrupted "interrupted"
            Expect.equal result.Epochs 0L "before the first step"
        }
        test "the flow solver stops at a signalled token (interrupted) and at a blown-up fixed step (diverged)" {
            let p = Problem.parse "example=two-relu-teacher init-scale=0.5 seed=2"
            use cancelled = new CancellationTokenSource()
            cancelled.Cancel()
            let options = IntegrationOptions().WithCancellation(cancelled.Token)

            let s =
                FlowSolver.Solve(p.CreateGradientFlow<float>(), MethodRegistry.Get "dp5", 0.0, ReadOnlySpan(Problem.w0 p), 10.0, options)

            Expect.equal s.Status IntegrationStatus.Interrupted s.Message

            let blown =
                FlowSolver.Solve(
                    p.CreateGradientFlow<float>(),
                    MethodRegistry.Get "euler",
                    0.0,
                    ReadOnlySpan(Problem.w0 p),
                    1e6,
                    IntegrationOptions().WithFixedStep 100.0
                )

            Expect.equal blown.Status IntegrationStatus.Diverged blown.Message
        }
    ]
