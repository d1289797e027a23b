// SPDX-License-Identifier: MIT
/// Runs every test list and ends with the plain line "N passed, N failed, N skipped" that CI reads.
module NeuronPursuit.Tests.Main

open System
open Expecto
open Expecto.Impl

let allTests =
    testList "NeuronPursuit" [
        Testing.TestingLibraryTests.tests
        Numerics.DoubleDoubleTests.tests
        Numerics.DualTests.tests
        Numerics.TranscendentalTests.tests
        Numerics.LuDecompositionTests.tests
        Numerics.HouseholderQlTests.tests
        Numerics.DoubleDoubleKernelTests.tests
        Numerics.AlignedDoublesTests.tests
        Numerics.FeatureMajorKernelTests.tests
        Numerics.TwoLayerFusedKernelTests.tests
        Models.NetworkPropertyTests.tests
        Models.DerivativeTests.tests
        Models.ValidationTests.tests
        Objectives.LossTests.tests
        Objectives.FastPathTests.tests
        Problems.ProblemTests.tests
        Kkt.SphericalAscentTests.tests
        Kkt.ClarkeStationarityTests.tests
        Objectives.HessianMatrixTests.tests
        Kkt.KktToolkitTests.tests
        Analysis.AnalysisTests.tests
        Data.FileFormatTests.tests
        Data.HypercubeEvaluationTests.tests
        Flow.FlowTests.tests
        Flow.Dop853Tests.tests
        Flow.ExplicitStepBitsTests.tests
        Flow.FlowEventTests.tests
        Flow.MethodOrderTests.tests
        Flow.SurfaceMethodTests.tests
        Invariants.InvariantTests.tests
        Cli.CommandLineTests.tests
        Cli.CliTests.tests
        Cli.RunRecordTests.tests
        Cli.FlowCliTests.tests
        Cli.CheckCliTests.tests
        Checks.CheckTests.tests
        Pursuit.PursuitTests.tests
        Pursuit.ResidualNcfCrossTests.tests
        Pursuit.LearningTests.tests
        Pursuit.WideKernelTests.tests
        Cli.PursueCliTests.tests
        Cli.PredictCliTests.tests
        Pursuit.StabilityTests.tests
        Cli.OutcomeTests.tests
        Cli.InterruptTests.tests
        Cli.ProcessStartTests.tests
        Cli.NativeBuildTests.tests
        Cli.FuzzTests.tests
        Cli.ReportTests.tests
        Docs.SiteTests.tests
        Packages.ScriptPackageTests.tests
        Torch.TorchDifferentialTests.tests
        Sweeps.SweepSpecTests.tests
        Sweeps.SweepRunTests.tests
        Sweeps.SweepKillTests.tests
        Sweeps.SweepSurfaceTests.tests
        Sweeps.SlurmTests.tests
    ]

[<EntryPoint>]
let main argv =
    // The np processes the tests start (sweeps' tasks, interrupted runs) keep no startup profile in the user's cache;
    // the tests of the profile turn it on in a folder of their own.
    Environment.SetEnvironmentVariable("NP_STARTUP_PROFILE", "0")
    let mutable counts = None
    let basePrinter = defaultConfig.printer

    let printer =
        { basePrinter with
            summary =
                fun config summary ->
                    counts <- Some(summary.passed.Length, summary.failed.Length + summary.errored.Length, summary.ignored.Length)
                    basePrinter.summary config summary }

    let code = runTestsWithCLIArgs [ Printer printer ] argv allTests
    // A reset of the terminal colours and a fresh line, so the count stands alone and plain.
    printf "\u001b[0m\n"

    match counts with
    | Some(passed, failed, skipped) -> printfn "%d passed, %d failed, %d skipped" passed failed skipped
    | None -> printfn "0 passed, 1 failed, 0 skipped"

    code
