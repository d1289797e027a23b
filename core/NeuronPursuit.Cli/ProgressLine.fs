// SPDX-License-Identifier: MIT
/// The one progress line of `np`: a single line on a terminal's stderr, rewritten in place, for long runs.
module NeuronPursuit.Cli.ProgressLine

open System
open System.Diagnostics
open System.IO

/// Shows `np COMMAND: TEXT, ELAPSED s` on `err` with a carriage return once the run has taken longer than `delay`
/// seconds, at most every 0.2 s; `Clear` removes it (before other output, and at the end). Writes nothing unless
/// created by `forConsole`.
type ProgressLine(err: TextWriter, command: string, delay: float) =
    let clock = Stopwatch.StartNew()
    let mutable lastDraw = -1.0
    let mutable width = 0

    /// Redraws the line with this text, if it is time to.
    member _.Show(text: string) =
        let elapsed = clock.Elapsed.TotalSeconds

        if elapsed >= delay && elapsed - lastDraw >= 0.2 then
            lastDraw <- elapsed
            let line = $"np {command}: {text}, {elapsed:F1} s"
            err.Write("\r" + line.PadRight width)
            width <- max width line.Length
            err.Flush()

    /// Removes the line.
    member _.Clear() =
        if width > 0 then
            err.Write("\r" + String(' ', width) + "\r")
            err.Flush()
            width <- 0

    interface IDisposable with
        member this.Dispose() = this.Clear()

/// A progress line for `err` when it is the process's stderr and that is a terminal (never garbage in redirected
/// output or in a caller's writer), shown after 2 s; otherwise None.
let forConsole (err: TextWriter) (command: string) =
    if obj.ReferenceEquals(err, Console.Error) && not Console.IsErrorRedirected then
        Some(new ProgressLine(err, command, 2.0))
    else
        None
