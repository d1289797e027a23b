// SPDX-License-Identifier: MIT
/// `np` published as the README says (`dotnet publish`: native AOT, compiled for this machine), run as a process against
/// the JIT build run in-process: every subcommand runs, and what a run computes and writes is the same bytes — series,
/// weights, figures, run.json's record, a pursued network, its model and predictions, check tables, a sweep's results
/// — and its help, version and one-line errors are the same text. The native build has no reflection-based printing or
/// serialisation to fall back on, so this is where a missing piece would show.
module NeuronPursuit.Tests.Cli.NativeBuildTests

open System
open System.IO
open System.Text.Json
open System.Text.RegularExpressions
open Expecto
open NeuronPursuit.Tests.Support
open NeuronPursuit.Tests.Support.NpRunner

/// np published natively from this repository into a temporary folder, once per test run.
let private published =
    lazy
        (let root = Requirements.repositoryRoot ()
         let out = Path.Combine(tempDir (), "native")

         let code, stdout, stderr =
             runProcess 900 [] "dotnet" [
                 "publish"
                 Path.Combine(root, "core", "NeuronPursuit.Cli")
                 "-c"
                 "Release"
                 "-o"
                 out
             ]

         if code <> 0 then
             failtest $"dotnet publish of np failed (exit {code}):\n{stdout}\n{stderr}"

         Path.Combine(out, "np"))

/// Runs the native np; returns (exit code, stdout, stderr).
let private npNative (args: string list) =
    Requirements.require (Requirements.onPath [ "clang" ]).IsSome "clang, which native AOT links with (dotnet fsi build.fsx native installs it)"
    runProcess 900 [ "NP_STARTUP_PROFILE", "0" ] published.Value args

/// Runs the native np, expecting exit 0; returns its stdout.
let private native (args: string list) =
    let code, out, err = npNative args
    Expect.equal code 0 $"native np {String.Join(' ', args)}: exit code; stderr: {err}"
    out

/// Runs np in-process (the JIT build), expecting exit 0; returns its stdout.
let private jit (args: string list) =
    let code, out, err = np args
    Expect.equal code 0 $"np {String.Join(' ', args)} in-process: exit code; stderr: {err}"
    out

/// Asserts that the files of two run folders are the same bytes.
let private expectSameFiles (files: string list) (native: string) (jit: string) =
    for file in files do
        Expect.sequenceEqual (File.ReadAllBytes(Path.Combine(native, file))) (File.ReadAllBytes(Path.Combine(jit, file))) $"{file} byte for byte"

/// A JSON value as (path, text) leaves, without the timings (keys ending in "_seconds"), which differ from run to run.
let rec private leaves (path: string) (e: JsonElement) =
    match e.ValueKind with
    | JsonValueKind.Object ->
        [ for p in e.EnumerateObject() do
              if not (p.Name.EndsWith "_seconds") then
                  yield! leaves $"{path}.{p.Name}" p.Value ]
    | JsonValueKind.Array ->
        e.EnumerateArray()
        |> Seq.mapi (fun i v -> leaves $"{path}[{i}]" v)
        |> List.concat
    | _ -> [ path, e.GetRawText() ]

/// run.json's problem, settings and result, without timings.
let private record (dir: string) =
    let root = runJson dir

    [ for name in [ "kind"; "problem"; "settings"; "result" ] do
          yield! leaves name (root.GetProperty name) ]

/// Text with its timings ("(0.4 s)", "in 1.2 s", "time: 0.3 s", a table's last "seconds" cell) and the given folders masked.
let private withoutTimings (folders: string list) (text: string) =
    let masked = folders |> List.fold (fun (t: string) f -> t.Replace(f, "<dir>")) text
    let seconds = Regex.Replace(masked, @"[0-9]+(\.[0-9]+)? s\b", "<t> s")
    // report.md's summary table ends each row with the check's seconds.
    Regex.Replace(seconds, @"\| [0-9]+(\.[0-9]+)? \|$", "| <t> |", RegexOptions.Multiline)

let private flowArgs =
    teacherFlow
    @ [ "--t-end"
        "40"
        "--times"
        "log:1e-3:33"
        "--observe"
        "loss,norm,grad_norm,layer_norms" ]

let tests =
    testSequenced
    <| testList "np published natively" [
        test "a flow writes the JIT build's series, weights, figures and record, for an explicit and a stiff method" {
            for method in [ "dp5"; "auto" ] do
                let nativeDir, jitDir = tempDir (), tempDir ()
                let args = flowArgs @ [ "--method"; method ]
                native (args @ [ "--out"; nativeDir; "--overwrite" ]) |> ignore
                jit (args @ [ "--out"; jitDir; "--overwrite" ]) |> ignore
                expectSameFiles [ "series.csv"; "weights.csv"; "loss.png"; "norms.png" ] nativeDir jitDir
                Expect.equal (record nativeDir) (record jitDir) $"{method}: run.json's record"
                Expect.isTrue (File.Exists(Path.Combine(nativeDir, "report.html"))) "report.html"
        }
        test "a pursuit grows the same network and model, which predict the same values" {
            let nativeDir, jitDir = tempDir (), tempDir ()

            let args =
                [ "pursue"
                  "--example"
                  "hypercube"
                  "--max-iterations"
                  "3"
                  "--restarts"
                  "3"
                  "--max-epochs"
                  "3000"
                  "--prune-epochs"
                  "0" ]

            let nativeOut = native (args @ [ "--out"; nativeDir; "--overwrite" ])
            let jitOut = jit (args @ [ "--out"; jitDir; "--overwrite" ])
            expectSameFiles [ "weights.csv"; "model.json"; "loss.csv"; "loss.png"; "cube.png" ] nativeDir jitDir
            Expect.equal (record nativeDir) (record jitDir) "run.json's record"

            Expect.equal (withoutTimings [ nativeDir; jitDir ] nativeOut) (withoutTimings [ nativeDir; jitDir ] jitOut) "the printed iterations"

            let _, data =
                fileIn "cube.csv" (fun path -> NeuronPursuit.Data.writeCsv path (NeuronPursuit.Problem.example "hypercube").Data)

            let nativePredictions, jitPredictions =
                Path.Combine(tempDir (), "p.csv"), Path.Combine(tempDir (), "p.csv")

            let nativeOut =
                native [ "predict"; "--model"; nativeDir; "--data"; data; "--out"; nativePredictions ]

            let jitOut =
                jit [ "predict"; "--model"; jitDir; "--data"; data; "--out"; jitPredictions ]

            Expect.sequenceEqual (File.ReadAllBytes nativePredictions) (File.ReadAllBytes jitPredictions) "the predictions"
            let folders = [ nativeDir; jitDir; nativePredictions; jitPredictions ]
            Expect.equal (withoutTimings folders nativeOut) (withoutTimings folders jitOut) "the printed metrics"
        }
        test "claim checks print the same tables and verdicts" {
            let nativeDir, jitDir = tempDir (), tempDir ()
            let checks = [ "check"; "origin-plateau"; "two-layer-balance" ]
            let nativeOut = native (checks @ [ "--out"; nativeDir; "--overwrite" ])
            let jitOut = jit (checks @ [ "--out"; jitDir; "--overwrite" ])
            Expect.stringContains nativeOut "verdict: PASS" "a verdict"

            Expect.equal (withoutTimings [ nativeDir; jitDir ] nativeOut) (withoutTimings [ nativeDir; jitDir ] jitOut) "the printed checks"

            Expect.equal
                (withoutTimings [] (File.ReadAllText(Path.Combine(nativeDir, "report.md"))))
                (withoutTimings [] (File.ReadAllText(Path.Combine(jitDir, "report.md"))))
                "report.md"
        }
        test "a sweep runs its tasks with the native np itself and records them" {
            let spec =
                SweepFixtures.writeSpec (SweepFixtures.flowSpec """{ "init-scale": [0.1, 0.2, 0.3] }""" "")

            let dir = SweepFixtures.freshFolder ()
            let code, _, err = npNative [ "sweep"; "run"; spec; "--out"; dir; "--workers"; "2" ]
            Expect.equal code 0 $"native np sweep run: exit code; stderr: {err}"
            let rows = SweepFixtures.rows dir
            Expect.equal rows.Length 3 "three tasks"

            for row in rows do
                Expect.equal row.Status NeuronPursuit.Sweeps.TaskStatus.Done $"task {row.Index}"

            let code, _, err = npNative [ "sweep"; "report"; dir ]
            Expect.equal code 0 $"native np sweep report: exit code; stderr: {err}"
            Expect.isTrue (File.Exists(Path.Combine(dir, "summary.csv"))) "summary.csv"
        }
        test "help, version, results and one-line errors are the JIT build's text" {
            for args in
                [ [ "version" ]
                  [ "--help" ]
                  [ "flow"; "--help" ]
                  [ "sweep"; "run"; "--help" ]
                  [ "eval"; "--example"; "two-relu-teacher" ]
                  [ "eval"; "--example"; "deep"; "--precision"; "double-double" ]
                  [ "check"; "--list" ]
                  [ "flow"; "--rtol"; "abc" ]
                  [ "eval"; "--bogus" ]
                  [ "flow"; "--t-end"; "1"; "--out"; tempDir (); "--example"; "moons" ]
                  [ "pursue"; "--config"; "/nonexistent/np.json" ]
                  [ "predict"; "--model"; "/nonexistent"; "--data"; "x.csv"; "--out"; "p.csv" ] ] do
                let native = npNative args
                let jit = np args
                Expect.equal native jit $"""np {String.Join(' ', args)}: exit code, stdout and stderr"""
        }
    ]
