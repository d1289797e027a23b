// SPDX-License-Identifier: MIT
/// The sweep specification against the command line's real options: validation (each error names its key), the
/// deterministic expansion into tasks, the arguments of a task, metric paths, report formulas, and the pieces of the
/// Slurm back end that need no cluster (array ranges, options, the script, squeue/sacct output).
module NeuronPursuit.Tests.Sweeps.SweepSpecTests

open System
open System.Text
open System.Text.Json
open Expecto
open NeuronPursuit.Sweeps
open NeuronPursuit.Sweeps.Slurm
open NeuronPursuit.Cli

let private parse (json: string) =
    SweepSpec.Parse(json, SweepCatalog.commands)

let private flow (options: string) (axes: string) =
    $"""{{ "command": "flow", "options": {{ {options} }}, "axes": {axes} }}"""

/// Asserts that parsing fails with this key and a problem containing the fragment.
let private refused (json: string) (key: string) (fragment: string) =
    try
        parse json |> ignore
        failtest "expected a SweepSpecException"
    with :? SweepSpecException as e ->
        Expect.equal e.Key key $"the key named by: {e.Message}"
        Expect.stringContains e.Problem fragment "the problem"
        Expect.isFalse (e.Message.Contains '\n') "one line"

let private values (t: SweepTask) = t.Parameters.ToJson()

let private runRecord =
    """{ "kind": "flow", "result": { "final_loss": 0.25, "status": "terminal_event",
         "events": [ { "name": "other", "time": 1.0 }, { "name": "escape", "time": 42.5 } ],
         "final_widths": [4, 2], "checks": [ { "verdict": "PASS", "key_numbers": { "slope": "0.0086" } } ] } }"""

let tests =
    testList "sweep specification" [
        test "unknown option and axis names are refused with the command's real options named" {
            refused (flow "\"widthz\": \"4\"" "{ \"seed\": [1] }") "options.widthz" "not an option of np flow"
            refused (flow "" "{ \"sed\": [1, 2] }") "axes.sed" "t-end"
            // The problem options are np flow's too (declared once on np), and pursue takes only its own.
            Expect.equal (parse (flow "\"example\": \"fig1\", \"init-scale\": 0.01" "{ \"seed\": \"1..2\" }")).Grid.Count 2 "problem options accepted"
            refused """{ "command": "pursue", "axes": { "widths": ["4,2"] } }""" "axes.widths" "not an option of np pursue"
        }

        test "the sweep's own options (out), multi-run modes and listings are refused with the reason" {
            refused (flow "\"out\": \"x\"" "{ \"seed\": [1] }") "options.out" "set by the sweep"
            refused """{ "command": "pursue", "options": { "seeds": "1..3" }, "axes": { "seed": [1] } }""" "options.seeds" "data-seed an axis"
            refused """{ "command": "check escape-time-L2", "options": { "list": true }, "axes": { "full": [true] } }""" "options.list" "runs nothing"
        }

        test "empty axes, bad ranges, repeated values, zips of unequal length and unknown keys are refused" {
            refused (flow "" "{ \"seed\": [] }") "axes.seed" "is empty"
            refused (flow "" "{ \"seed\": \"4..1\" }") "axes.seed" "empty"
            refused (flow "" "{ \"seed\": \"a..b\" }") "axes.seed" "not a range"
            refused (flow "" "{ \"seed\": [1, 2, 1] }") "axes.seed" "given twice"
            refused (flow "" "{}") "axes" "at least one axis"
            refused (flow "" "{ \"seed\": 3 }") "axes.seed" "list of values or a range"
            refused """{ "command": "flow", "axes": { "seed": [1, 2], "init-scale": [0.1] }, "combine": "zip" }""" "combine" "equal length"
            refused """{ "command": "flow", "axes": { "seed": [1] }, "combine": "cross" }""" "combine" "neither product nor zip"
            refused """{ "command": "flow", "axes": { "seed": [1] }, "workers": 2 }""" "workers" "not a key"
            refused (flow "\"seed\": 1" "{ \"seed\": [1, 2] }") "axes.seed" "also given under options"
        }

        test "malformed JSON, a missing or unknown command and wrong value types are refused" {
            refused "{ \"command\": \"flow\", " "" "not valid JSON"
            refused "[1, 2]" "" "one JSON object"
            refused """{ "axes": { "seed": [1] } }""" "command" "is missing"
            refused """{ "command": "train", "axes": { "seed": [1] } }""" "command" "'train' is not a command"
            refused """{ "command": "check", "axes": { "full": [true] } }""" "command" "needs 1 argument"
            refused """{ "command": "check no-such-check", "axes": { "full": [true] } }""" "command" "'no-such-check' is not an argument"
            refused """{ "command": "flow extra", "axes": { "seed": [1] } }""" "command" "takes no arguments"
            refused (flow "\"t-end\": true" "{ \"seed\": [1] }") "options.t-end" "takes a value"
            refused """{ "command": "check escape-time-L2", "axes": { "full": [1, 2] } }""" "axes.full[0]" "is a switch"
            refused (flow "\"t-end\": [1, 2]" "{ \"seed\": [1] }") "options.t-end" "not an array"
            refused (flow "" "{ \"seed\": [[1]] }") "axes.seed[0]" "not an array"
        }

        test "metric and report sections are validated: names, paths, axes, metrics, formulas" {
            let withMetrics (m: string) =
                $"""{{ "command": "flow", "axes": {{ "seed": [1, 2] }}, "metrics": {m} }}"""

            refused (withMetrics """{ "loss": "final_loss" }""") "metrics.loss" "must start at a key of run.json"
            refused (withMetrics """{ "loss": "result.events[name=escape" }""") "metrics.loss" "not a path"
            refused (withMetrics """{ "status": "result.status" }""") "metrics.status" "column every task has"
            refused (withMetrics """{ "seed": "result.final_loss" }""") "metrics.seed" "also an axis"

            let withReport (r: string) =
                $"""{{ "command": "flow", "axes": {{ "seed": [1, 2], "init-scale": [0.1] }}, "metrics": {{ "loss": "result.final_loss" }}, "report": {r} }}"""

            refused (withReport """{ "figures": [ { "metric": "los", "against": "seed" } ] }""") "report.figures[0].metric" "not a metric"
            refused (withReport """{ "figures": [ { "metric": "loss", "against": "delta" } ] }""") "report.figures[0].against" "not an axis"
            refused (withReport """{ "figures": [ { "metric": "loss", "against": "seed", "x": "ln(1/x" } ] }""") "report.figures[0].x" "expected ')'"

            refused
                (withReport """{ "figures": [ { "metric": "loss", "against": "seed", "y": "foo(y)" } ] }""")
                "report.figures[0].y"
                "unknown name 'foo'"

            refused (withReport """{ "replicates": "trial" }""") "report.replicates" "not an axis"

            refused
                (withReport """{ "figures": [ { "metric": "loss", "against": "seed", "colour": "red" } ] }""")
                "report.figures[0].colour"
                "not a figure key"

            let spec =
                parse (withReport """{ "figures": [ { "metric": "loss", "against": "init-scale", "x": "ln(1/x)", "fit": true } ] }""")

            Expect.equal spec.Report.Replicates "seed" "seed is the default replicate axis"
            Expect.isTrue spec.Report.Figures.[0].Fit "fit read"
        }

        test "a product expands row-major (first axis slowest), a zip pairs values, both deterministic" {
            let spec = parse (flow "" """{ "seed": "1..2", "widths": ["3", "4", "5"] }""")
            Expect.equal spec.Grid.Count 6 "2 × 3 tasks"

            Expect.equal
                [ for t in spec.Grid.Tasks() -> values t ]
                [ """{"seed":1,"widths":"3"}"""
                  """{"seed":1,"widths":"4"}"""
                  """{"seed":1,"widths":"5"}"""
                  """{"seed":2,"widths":"3"}"""
                  """{"seed":2,"widths":"4"}"""
                  """{"seed":2,"widths":"5"}""" ]
                "order"

            Expect.equal
                (values (spec.Grid.Task 4))
                (values ((parse (flow "" """{ "seed": "1..2", "widths": ["3", "4", "5"] }""")).Grid.Task 4))
                "the same task from a fresh expansion"

            let zipped =
                parse """{ "command": "flow", "axes": { "seed": [1, 2], "init-scale": [0.1, 0.01] }, "combine": "zip" }"""

            Expect.equal [ for t in zipped.Grid.Tasks() -> values t ] [ """{"seed":1,"init-scale":0.1}"""; """{"seed":2,"init-scale":0.01}""" ] "zip"
            Expect.throwsT<ArgumentOutOfRangeException> (fun () -> spec.Grid.Task 6 |> ignore) "index past the end"
        }

        test "numbers are normalised once: 1e-3 and 0.001 are the same sweep and the same argument" {
            let a = parse (flow "\"t-end\": 1e1" """{ "init-scale": [1e-3, 2E-2] }""")
            let b = parse (flow "\"t-end\": 10.0" """{ "init-scale": [0.001, 0.02] }""")
            Expect.equal (a.Identity()) (b.Identity()) "same identity"
            Expect.isNull (a.DifferenceFrom b) "no difference"
            let args = List.ofSeq (a.Arguments(a.Grid.Task 0, "/r"))
            Expect.equal args [ "flow"; "--t-end"; "10"; "--init-scale"; "0.001"; "--out"; "/r" ] "arguments"
            let c = parse (flow "\"t-end\": 10" """{ "init-scale": [0.001, 0.03] }""")
            Expect.equal (c.DifferenceFrom a) "axes.init-scale" "the axis that differs"
            Expect.equal ((parse (c.ToJson())).Identity()) (c.Identity()) "sweep.json parses back to the same sweep"
        }

        test "a switch is passed when true and left out when false; metrics and report changes keep the identity" {
            let spec =
                parse """{ "command": "check escape-time-L2", "axes": { "full": [false, true] }, "metrics": { "v": "result.checks[0].verdict" } }"""

            Expect.equal (List.ofSeq (spec.Arguments(spec.Grid.Task 0, "o"))) [ "check"; "escape-time-L2"; "--out"; "o" ] "false: no flag"
            Expect.equal (List.ofSeq (spec.Arguments(spec.Grid.Task 1, "o"))) [ "check"; "escape-time-L2"; "--full"; "--out"; "o" ] "true: the flag"

            let other =
                parse """{ "command": "check escape-time-L2", "axes": { "full": [false, true] }, "metrics": { "w": "result.checks[0].reason" } }"""

            Expect.isNull (spec.DifferenceFrom other) "metrics are not part of the identity"
        }

        test "metric paths find properties, indices (negative from the end) and filters; absent values are null" {
            use doc = JsonDocument.Parse runRecord

            let find (path: string) =
                MetricPath.Parse("m", path).Find(doc.RootElement)
                |> Option.ofNullable
                |> Option.map (fun e -> e.GetRawText())

            Expect.equal (find "result.final_loss") (Some "0.25") "property"
            Expect.equal (find "result.events[name=escape].time") (Some "42.5") "filter"
            Expect.equal (find "result.events[-1].name") (Some "\"escape\"") "negative index"
            Expect.equal (find "result.final_widths") (Some "[4, 2]") "array value"
            Expect.equal (find "result.checks[0].key_numbers.slope") (Some "\"0.0086\"") "nested"
            Expect.equal (find "result.events[name=saddle].time") None "no such event"
            Expect.equal (find "result.events[5].time") None "index past the end"

            let spec =
                parse
                    """{ "command": "flow", "axes": { "seed": [1] }, "metrics": { "t": "result.events[name=escape].time", "n": "result.missing" } }"""

            Expect.equal (spec.ExtractMetrics(doc.RootElement).ToJson()) """{"t":42.5,"n":null}""" "metrics of a run record"
        }

        test "report formulas: precedence, right-associative powers, functions, labels" {
            let e (text: string) x y =
                TransformExpression.Parse("f", text).Evaluate(x, y)

            Expect.floatClose Accuracy.veryHigh (e "ln(1/x)" (exp -2.0) 0.0) 2.0 "ln(1/x)"
            Expect.equal (e "x*y" 3.0 4.0) 12.0 "x*y"
            Expect.equal (e "2^3^2" 0.0 0.0) 512.0 "right-associative"
            Expect.equal (e "-x^2" 3.0 0.0) -9.0 "unary minus below ^"
            Expect.equal (e "1 + 2 * 3 - 4 / 2" 0.0 0.0) 5.0 "precedence"
            Expect.floatClose Accuracy.veryHigh (e "log10(x) + sqrt(y) + abs(-1) + exp(0)" 100.0 9.0) 7.0 "functions"
            Expect.equal (e "1.5e-3 * x" 2.0 0.0) 3e-3 "number with exponent"
            Expect.equal (TransformExpression.Parse("f", "ln(1/x)").Label("init-scale", "escape_time")) "ln(1/init-scale)" "label"

            for bad in [ "x +"; "(x"; "2 ** x"; "z"; "ln x" ] do
                Expect.throwsT<SweepSpecException> (fun () -> TransformExpression.Parse("f", bad) |> ignore) bad
        }

        test "Slurm array ranges, options and script: compressed indices, throttle, strict values, no user text" {
            Expect.equal (ArrayIndices.Format([ 0..5 ], Nullable 2)) "0-5%2" "range with throttle"
            Expect.equal (ArrayIndices.Format([ 9; 1; 3; 4; 5 ], Nullable())) "1,3-5,9" "compressed"
            Expect.equal (ArrayIndices.Format([ 7 ], Nullable())) "7" "one"

            for partition, time in
                [ "a;b", "1"
                  "debug", "1:00 ; rm"
                  "x\n#SBATCH --uid=0", "1"
                  "debug", "$(id)" ] do
                Expect.throwsT<SweepSpecException>
                    (fun () -> SlurmOptions(partition, time, Nullable(), Nullable()).Validate() |> ignore)
                    $"{partition} {time}"

            let ok = SlurmOptions("debug,long", "1-12:00:00", Nullable 2, Nullable 3).Validate()
            let script = SbatchScript.Text("0-5%3", ok)
            Expect.stringContains script "#SBATCH --array=0-5%3\n" "array"
            Expect.stringContains script "#SBATCH --partition=debug,long\n" "partition"
            Expect.stringContains script "mapfile -d '' -t np < slurm/command" "reads the command file"

            let hostile =
                [ "/opt/n p/np"; "sweep"; "run-task"; "/d/$(touch x) `id` \"q\" 's'; \n x" ]

            let bytes = SbatchScript.CommandBytes hostile

            let back =
                Encoding.UTF8.GetString(bytes).Split('\000')
                |> Array.filter (fun s -> s <> "")
                |> List.ofArray

            Expect.equal back hostile "NUL-separated arguments read back as given"
        }

        test "squeue and sacct output map to task states; unexpanded arrays and other jobs are skipped" {
            let elements =
                SlurmQueue.ParseSqueue "12_3|RUNNING|None\n12_4|PENDING|JobArrayTaskLimit\n12_[5-7%2]|PENDING|JobArrayTaskLimit\n13|RUNNING|None\n"
                |> List.ofSeq

            Expect.equal [ for e in elements -> e.Id, e.State ] [ "12_3", "RUNNING"; "12_4", "PENDING" ] "parsed"

            let mapped (e: SlurmElement) =
                let struct (status, error) = SlurmQueue.Map e
                status, error

            let map line =
                SlurmQueue.ParseSacct line |> Seq.exactlyOne |> mapped

            Expect.equal (fst (map "12_4|CANCELLED by 0|0:15")) TaskStatus.Cancelled "cancelled"
            Expect.equal (fst (map "12_4|TIMEOUT|0:0")) TaskStatus.TimedOut "timed out"
            let status, error = map "12_4|COMPLETED|0:0"
            Expect.equal status TaskStatus.Failed "completed without a result file"
            Expect.stringContains (nonNull error) "wrote no result file" "why"
            Expect.equal (fst (map "12_4|OUT_OF_MEMORY|0:125")) TaskStatus.Failed "out of memory"
            Expect.equal (fst (mapped elements.[0])) TaskStatus.Running "running"
            Expect.equal (fst (mapped elements.[1])) TaskStatus.Queued "pending"
        }

        test "a result file round-trips; a torn or missing one reads as none" {
            let dir = NeuronPursuit.Tests.Support.NpRunner.tempDir ()
            let path = IO.Path.Combine(dir, "result.json")

            let outcome =
                TaskOutcome(
                    Index = 3,
                    Status = TaskStatus.Done,
                    Parameters = """{"seed":2}""",
                    Metrics = """{"loss":0.1000000000000000055511151231257827}""",
                    WallSeconds = 1.5,
                    Error = null,
                    ExitCode = Nullable 0,
                    Host = "h",
                    SlurmJob = "7_3",
                    StartedUtc = "a",
                    FinishedUtc = "b"
                )

            ResultFile.Write(path, outcome)
            let back = ResultFile.TryRead path
            Expect.equal (nonNull back) outcome "round trip"
            IO.File.WriteAllText(path, "{ \"index\": 3, \"stat")
            Expect.isNull (ResultFile.TryRead path) "torn"
            Expect.isNull (ResultFile.TryRead(IO.Path.Combine(dir, "none.json"))) "missing"
            Expect.isEmpty (IO.Directory.GetFiles(dir, "*.tmp")) "no temporary file left"
        }
    ]
