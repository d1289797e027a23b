// SPDX-License-Identifier: MIT
/// Running `np` in-process for the command-line tests: arguments in, exit code and both streams out, a fresh
/// temporary folder per run, run.json parsed, and the one-line-error assertion every bad-input test makes.
module NeuronPursuit.Tests.Support.NpRunner

open System
open System.IO
open System.Text.Json
open Expecto

/// Runs np, returning (exit code, stdout, stderr).
let np (args: string list) =
    use out = new StringWriter()
    use err = new StringWriter()
    let code = NeuronPursuit.Cli.Program.run (List.toArray args) out err
    code, out.ToString(), err.ToString()

/// Runs a program to completion with these environment variables set (never through a shell); returns (exit code,
/// stdout, stderr). Fails the test when it runs longer than `seconds`.
let runProcess (seconds: int) (environment: (string * string) list) (program: string) (args: string list) =
    let info =
        Diagnostics.ProcessStartInfo(program, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)

    for a in args do
        info.ArgumentList.Add a

    for name, value in environment do
        info.Environment[name] <- value

    use proc = Diagnostics.Process.Start info |> nonNull
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()

    if not (proc.WaitForExit(seconds * 1000)) then
        proc.Kill true
        failtest $"{program} did not end within {seconds} s"

    proc.ExitCode, stdout.Result, stderr.Result

/// `np flow` on the two-ReLU teacher's data with a two-layer ReLU² net of width 4, before its initial point, --t-end and
/// outputs.
let teacherNet =
    [ "flow"
      "--example"
      "two-relu-teacher"
      "--net"
      "two-layer"
      "--widths"
      "4"
      "--activation"
      "relu-power:2" ]

/// <see cref="teacherNet"/> from w(0) = 0.1·w₀ (seed 3): the command-line tests' flow, before its --t-end and outputs.
let teacherFlow = teacherNet @ [ "--init-scale"; "0.1"; "--seed"; "3" ]

/// A fresh, existing temporary folder.
let tempDir () =
    let dir = Path.Combine(Path.GetTempPath(), $"np-test-{Guid.NewGuid():N}")
    Directory.CreateDirectory dir |> ignore
    dir

/// A file named `name` in a fresh folder, written by `write path`; returns (folder, path).
let fileIn (name: string) (write: string -> unit) =
    let dir = tempDir ()
    let path = Path.Combine(dir, name)
    write path
    dir, path

/// The two-ReLU teacher's data as a CSV file in a fresh folder: (folder, path).
let teacherCsv () =
    fileIn "teacher.csv" (fun path -> NeuronPursuit.Data.writeCsv path (NeuronPursuit.Problem.example "two-relu-teacher").Data)

/// The root of DIR/run.json.
let runJson (dir: string) =
    JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json"))).RootElement

/// Asserts a failed run: the exit code, exactly one line on stderr starting "np: " and containing `fragment`, no trace.
let expectOneLineError (code: int) (fragment: string) (exitCode, _out: string, err: string) =
    Expect.equal exitCode code $"exit code, stderr: {err}"
    let lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries)
    Expect.equal lines.Length 1 $"one line on stderr: {err}"
    Expect.stringStarts lines.[0] "np: " "prefixed by the program name"
    Expect.stringContains lines.[0] fragment "states the problem"
    Expect.isFalse (err.Contains "   at ") "no stack trace"
