// SPDX-License-Identifier: MIT
/// `np flow`, run in-process: the files it writes, their agreement bit for bit with the flow integrated through the
/// F# surface, Euler = gradient descent, and one-line errors with exit code 2 for bad input (exit code 1, files still
/// written, for a failed integration).
module NeuronPursuit.Tests.Cli.FlowCliTests

open System
open System.IO
open Expecto
open NeuronPursuit
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Flow
open NeuronPursuit.Core.Numerics
open NeuronPursuit.Tests.Support.NpRunner

/// The problem the tests integrate: a two-layer ReLU² net (m = 4) on the example, δ = 0.1, seed 3, T = 5.
let private spec =
    "example=two-relu-teacher net=two-layer widths=4 activation=relu-power:2 init-scale=0.1 seed=3"

let private problem = Problem.parse spec
let private net = problem.Network

let private configurationTo (tEnd: float) =
    teacherFlow @ [ "--t-end"; string tEnd ]

let private configuration = configurationTo 5.0

/// Runs `np flow` with the test configuration up to tEnd, the extra options and --out in a fresh folder.
let private flowTo (tEnd: float) (extra: string list) =
    let dir = tempDir ()
    let code, out, err = np (configurationTo tEnd @ extra @ [ "--out"; dir ])
    dir, code, out, err

let private flow = flowTo 5.0

/// The same integration through the surface.
let private directSolve (method: string) (options: IntegrationOptions) =
    Flow.solveWith (Flow.method method) options [] [] (Problem.loss problem) (Problem.w0 problem) 5.0

let private csvLines (path: string) =
    File.ReadAllLines path |> Array.filter (fun l -> l.Length > 0)

/// Cases of bad input, each with a fresh --out that must stay unused ("x" below).
let private badInputs =
    /// The configuration without a flag and its value.
    let without (flag: string) =
        let i = List.findIndex ((=) flag) configuration
        List.removeManyAt i 2 configuration

    [ "missing --t-end", without "--t-end" @ [ "--out"; "x" ], "--t-end"
      "missing --out", configuration, "--out"
      "unknown method", configuration @ [ "--method"; "rk45"; "--out"; "x" ], "'rk45' is not a method"
      "unknown observable", configuration @ [ "--observe"; "loss,energy"; "--out"; "x" ], "'energy' is not an observable"
      "both --init and --init-scale", configuration @ [ "--init"; "w.csv"; "--out"; "x" ], "not both"
      "neither --init nor --init-scale", [ "flow"; "--example"; "two-relu-teacher"; "--t-end"; "1"; "--out"; "x" ], "--init-scale"
      "a fixed-step method without --step", configuration @ [ "--method"; "euler"; "--out"; "x" ], "needs a step size"
      "negative --rtol", configuration @ [ "--rtol"; "-1e-6"; "--out"; "x" ], "--rtol"
      "negative --atol", configuration @ [ "--atol"; "-1"; "--out"; "x" ], "--atol"
      "negative --init-scale", without "--init-scale" @ [ "--init-scale"; "-1"; "--out"; "x" ], "--init-scale: must be non-negative"
      "unknown --init-direction", configuration @ [ "--init-direction"; "cube"; "--out"; "x" ], "--init-direction"
      "a bad --times", configuration @ [ "--times"; "log:0:10"; "--out"; "x" ], "--times"
      "an --escape-norm below ‖w(0)‖", configuration @ [ "--escape-norm"; "1e-9"; "--out"; "x" ], "--escape-norm"
      "an unknown precision", configuration @ [ "--precision"; "single"; "--out"; "x" ], "--precision"
      "a stiff method with --log-time", configuration @ [ "--method"; "rodas4"; "--log-time"; "1"; "--out"; "x" ], "--log-time"
      "a missing --init file",
      [ "flow"
        "--example"
        "two-relu-teacher"
        "--init"
        "/nonexistent/w.csv"
        "--t-end"
        "1"
        "--out"
        "x" ],
      "no such file" ]

let tests =
    testSequenced
    <| testList "np flow" [
        test "--log-time integrates in s = ln(1 + t/tau) to the same final loss, and records tau in run.json" {
            let direct = directSolve "dp5" (Flow.tolerances 1e-10 1e-14)

            let dir, code, _, err =
                flow [ "--rtol"; "1e-10"; "--atol"; "1e-14"; "--log-time"; "0.5" ]

            Expect.equal code 0 err

            let weights =
                WeightsFile.Read<float>(Path.Combine(dir, "weights.csv"), Nullable net.ParameterCount)

            let scale = direct.Final |> Array.map abs |> Array.max
            Expect.isLessThanOrEqual (Vec.distance weights direct.Final |> fun d -> d / scale) 1e-7 "final weights in s against t"

            let tau =
                (runJson dir).GetProperty("settings").GetProperty("integration").GetProperty("log_time_scale").GetDouble()

            Expect.equal tau 0.5 "tau recorded"
        }

        test "the example runs, prints a summary and writes all five files" {
            let dir, code, out, err = flow []
            Expect.equal code 0 $"exit code, stderr: {err}"
            Expect.equal err "" "nothing on stderr"
            Expect.stringContains out "status: completed" "summary"

            for file in [ "run.json"; "series.csv"; "weights.csv"; "loss.png"; "norms.png" ] do
                Expect.isTrue (File.Exists(Path.Combine(dir, file))) $"{file} written"

            for png in [ "loss.png"; "norms.png" ] do
                let bytes = File.ReadAllBytes(Path.Combine(dir, png))
                Expect.sequenceEqual bytes.[1..3] "PNG"B $"{png} is a PNG"
        }

        test "every registered method runs from the command line with the Hessian wired where it needs it" {
            for name in Flow.methods do
                let step =
                    if (Flow.method name).EmbeddedOrder.HasValue then
                        []
                    else
                        [ "--step"; "0.001" ]

                let _, code, _, err = flowTo 0.5 ([ "--method"; name ] @ step)
                Expect.equal code 0 $"{name}: {err}"
        }

        test "series.csv has the requested columns at the requested times" {
            let dir, code, _, err =
                flow [ "--observe"; "loss,norm,layer_norms,neuron_norms"; "--times"; "linear:11" ]

            Expect.equal code 0 err
            let lines = csvLines (Path.Combine(dir, "series.csv"))
            let neurons = [ for j in 0..3 -> [ $"in_l1_n{j}"; $"out_l1_n{j}" ] ] |> List.concat
            Expect.equal lines.[0] (String.Join(",", [ "t"; "loss"; "norm"; "norm_W1"; "norm_W2" ] @ neurons)) "header"
            Expect.equal (lines.Length - 1) 11 "one row per time"
            let times = lines.[1..] |> Array.map (fun l -> float (l.Split(',').[0]))
            Expect.sequenceEqual times (Flow.linearGrid 0.0 5.0 11) "times"

            let dir2, code2, _, err2 =
                flow [ "--observe"; "grad_norm,ncf_direction"; "--times"; "0.5, 2,4.25" ]

            Expect.equal code2 0 err2
            let lines2 = csvLines (Path.Combine(dir2, "series.csv"))
            Expect.equal lines2.[0] "t,grad_norm,ncf_direction" "header of an explicit list"
            Expect.sequenceEqual (lines2.[1..] |> Array.map (fun l -> l.Split(',').[0])) [| "0.5"; "2"; "4.25" |] "explicit times"
        }

        test "weights.csv round-trips and equals the surface's result bit for bit" {
            let dir, code, _, err = flow []
            Expect.equal code 0 err
            let written = Weights.read net (Path.Combine(dir, "weights.csv"))
            let direct = directSolve "dp5" Flow.defaults
            Expect.equal direct.Status IntegrationStatus.Completed direct.Message
            Expect.sequenceEqual written direct.Final "identical final weights"
            Expect.stringStarts (File.ReadAllText(Path.Combine(dir, "weights.csv"))) $"# {net.Specification}" "network comment"
        }

        test "double-double: weights.csv holds the surface's double-double solution bit for bit" {
            let dir, code, _, err =
                flowTo 0.5 [ "--precision"; "double-double"; "--rtol"; "1e-12"; "--atol"; "0" ]

            Expect.equal code 0 err

            let written =
                WeightsFile.Read<DoubleDouble>(Path.Combine(dir, "weights.csv"), Nullable net.ParameterCount)

            let direct =
                Flow.solveWith
                    Flow.dp5
                    (Flow.relative 1e-12)
                    []
                    []
                    (Problem.lossOf<DoubleDouble> problem)
                    (Weights.toDoubleDouble (Problem.w0 problem))
                    0.5

            Expect.sequenceEqual written direct.Final "identical double-double weights"
        }

        test "run.json has kind flow, the problem with its specification and seed, the settings and the solver statistics" {
            let dir, code, _, err = flow []
            Expect.equal code 0 err
            let json = runJson dir
            let direct = directSolve "dp5" Flow.defaults
            Expect.equal (json.GetProperty("kind").GetString()) "flow" "kind"
            let p = json.GetProperty "problem"
            Expect.equal (p.GetProperty("specification").GetString()) spec "the problem options in the one grammar"
            Expect.equal (p.GetProperty("init").GetProperty("seed").GetInt64()) 3L "seed"
            Expect.equal (p.GetProperty("init").GetProperty("scale").GetDouble()) 0.1 "scale"
            Expect.equal (p.GetProperty("network").GetProperty("kind").GetString()) "two-layer" "network kind"
            Expect.equal (p.GetProperty("loss").GetProperty("name").GetString()) "square" "loss"
            let integration = json.GetProperty("settings").GetProperty "integration"
            Expect.equal (integration.GetProperty("method").GetString()) "dp5" "default method"
            Expect.equal (integration.GetProperty("rtol").GetDouble()) 1e-8 "default rtol"
            Expect.equal (integration.GetProperty("atol").GetDouble()) 1e-12 "default atol"
            Expect.equal (integration.GetProperty("max_steps").GetInt64()) 1_000_000L "default max steps"
            Expect.equal (integration.GetProperty("precision").GetString()) "double" "default precision"
            Expect.equal (json.GetProperty("settings").GetProperty("observation").GetProperty("times").GetString()) "linear:201" "default times"
            let result = json.GetProperty "result"
            Expect.equal (result.GetProperty("status").GetString()) "completed" "status"
            let statistics = result.GetProperty "statistics"
            Expect.equal (statistics.GetProperty("accepted_steps").GetInt64()) direct.Statistics.AcceptedSteps "accepted steps"
            Expect.equal (statistics.GetProperty("rejected_steps").GetInt64()) direct.Statistics.RejectedSteps "rejected steps"
            Expect.equal (statistics.GetProperty("evaluations").GetInt64()) direct.Statistics.Evaluations "evaluations"
            Expect.isGreaterThanOrEqual (result.GetProperty("wall_time_seconds").GetDouble()) 0.0 "wall time"
            Expect.equal (result.GetProperty("final_loss").GetDouble()) (value (Problem.loss problem) direct.Final) "final loss"
            Expect.isTrue (json.GetProperty("versions").TryGetProperty("git_revision") |> fst) "git revision field (string or null)"
        }

        test "Euler with --step η reproduces gradient descent bit for bit" {
            let dir, code, _, err = flow [ "--method"; "euler"; "--step"; "0.01" ]
            Expect.equal code 0 err
            let f = Problem.loss problem
            let mutable w = Problem.w0 problem

            for _ in 1..500 do
                w <- Array.map2 (fun wi gi -> wi - 0.01 * gi) w (grad f w)

            Expect.sequenceEqual (Weights.read net (Path.Combine(dir, "weights.csv"))) w "500 steps of gradient descent"
            Expect.equal ((runJson dir).GetProperty("settings").GetProperty("integration").GetProperty("step_role").GetString()) "fixed" "step role"
        }

        test "--init FILE starts from the file's weights" {
            let path = Path.Combine(tempDir (), "w0.csv")
            Weights.write net path (Problem.w0 problem)
            let fromFile = tempDir ()

            let code, _, err =
                np (teacherNet @ [ "--init"; path; "--t-end"; "5"; "--out"; fromFile ])

            Expect.equal code 0 err
            let fromSeed, _, _, _ = flow []

            Expect.equal
                (File.ReadAllText(Path.Combine(fromFile, "weights.csv")))
                (File.ReadAllText(Path.Combine(fromSeed, "weights.csv")))
                "same final weights"

            Expect.equal ((runJson fromFile).GetProperty("problem").GetProperty("init").GetProperty("kind").GetString()) "file" "recorded as a file"
        }

        test "an example's own initial point is used when none is given (fig1: w0 on the unit sphere)" {
            let dir = tempDir ()

            let code, _, err =
                np [
                    "flow"
                    "--example"
                    "fig1"
                    "--init-scale"
                    "1e-3"
                    "--t-end"
                    "1"
                    "--out"
                    dir
                ]

            Expect.equal code 0 err
            let init = (runJson dir).GetProperty("problem").GetProperty("init")
            Expect.equal (init.GetProperty("kind").GetString()) "sphere" "the example's kind of w0"
            Expect.equal (init.GetProperty("seed").GetInt64()) 3L "the example's seed"
            Expect.floatClose Accuracy.high (init.GetProperty("norm").GetDouble()) 1e-3 "‖w(0)‖ = δ on the sphere"
        }

        test "--escape-norm stops at ‖w‖ = R and records the event" {
            let dir, code, out, err = flow [ "--escape-norm"; "1" ]
            Expect.equal code 0 err
            Expect.stringContains out "event: escape at t = " "summary names the event"
            let result = (runJson dir).GetProperty "result"
            Expect.equal (result.GetProperty("status").GetString()) "terminal_event" "status"
            let e = result.GetProperty("events").[0]
            Expect.floatClose Accuracy.high (e.GetProperty("norm").GetDouble()) 1.0 "‖w‖ = R at the event"
            Expect.floatClose Accuracy.high (Vec.norm (Weights.read net (Path.Combine(dir, "weights.csv")))) 1.0 "final weights on the sphere"
        }

        test "a step limit gives exit code 1, one line on stderr, and still writes run.json" {
            let dir, code, out, err = flow [ "--max-steps"; "5" ]
            expectOneLineError 1 "stopped after 5 steps" (code, out, err)
            let result = (runJson dir).GetProperty "result"
            Expect.equal (result.GetProperty("status").GetString()) "max_steps_reached" "status"
            Expect.isLessThan (result.GetProperty("final_time").GetDouble()) 5.0 "stopped early"
            Expect.isTrue (File.Exists(Path.Combine(dir, "weights.csv"))) "weights written"
        }

        testList "bad input gives one line on stderr and exit code 2" [
            for name, args, fragment in badInputs do
                yield
                    test name {
                        let out = Path.Combine(tempDir (), "out")
                        expectOneLineError 2 fragment (np (args |> List.map (fun a -> if a = "x" then out else a)))
                        Expect.isFalse (Directory.Exists out) "no output folder for bad input"
                    }
            yield
                test "an unwritable --out" {
                    let dir = tempDir ()
                    let file = Path.Combine(dir, "file")
                    File.WriteAllText(file, "")
                    expectOneLineError 2 "cannot be written" (np (configuration @ [ "--out"; Path.Combine(file, "sub") ]))
                }
        ]
    ]
