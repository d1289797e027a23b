// SPDX-License-Identifier: MIT
/// A single updating progress line on a terminal's stderr for long integrations.
module NeuronPursuit.Cli.ProgressLine

open System
open System.Diagnostics
open System.IO
open NeuronPursuit.Core.Flow

/// Shows "np flow: t = … of T (…%), … s" on `err`, rewritten in place with a carriage return, once the
/// run has taken longer than `delay` seconds; updates at most every 0.2 s. It is fed by the solver's
/// progress reports and, for runs with few but slow steps, by the observation times. Disposing
/// clears the line. Write nothing unless `err` is a terminal (see `forConsole`).
type ProgressLine(err: TextWriter, tEnd: float, times: float[], delay: float) =
    let clock = Stopwatch.StartNew()
    let mutable lastDraw = -1.0
    let mutable width = 0

    let draw (t: float) =
        let elapsed = clock.Elapsed.TotalSeconds
        if elapsed >= delay && elapsed - lastDraw >= 0.2 then
            lastDraw <- elapsed
            let line = $"np flow: t = {t:G4} of {tEnd:G4} ({100.0 * t / tEnd:F0}%%), {elapsed:F1} s"
            err.Write("\r" + line.PadRight width)
            width <- max width line.Length
            err.Flush()

    interface IProgress<float> with
        member _.Report fraction = draw (fraction * tEnd)

    interface IFlowObserver with
        member _.Times = times
        member _.Observe(t, _) = draw t

    interface IDisposable with
        member _.Dispose() =
            if width > 0 then
                err.Write("\r" + String(' ', width) + "\r")
                err.Flush()

/// A progress line for `err` when it is the process's stderr and that is a terminal (never garbage in
/// redirected output or in a caller's writer), after 2 s; otherwise None.
let forConsole (err: TextWriter) (tEnd: float) (times: float[]) =
    if obj.ReferenceEquals(err, Console.Error) && not Console.IsErrorRedirected then Some(new ProgressLine(err, tEnd, times, 2.0))
    else None
