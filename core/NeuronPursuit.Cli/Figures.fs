// SPDX-License-Identifier: MIT
/// The figures of a run, written at once: a figure that fails (e.g. no native graphics library) is reported as a
/// warning and left out, since a run's numbers matter more than its pictures.
module NeuronPursuit.Cli.Figures

open System.IO
open NeuronPursuit
open NeuronPursuit.Cli.Inputs

/// Draws the figures into their paths at once (`Plot.saveAll`); returns the names of the files written, in the given
/// order. A figure without points writes nothing; one that fails is reported on err as `np: warning: FILE not written`.
let save (err: TextWriter) (figures: (string * Figure) list) =
    Plot.saveAll figures
    |> List.choose (fun (path, saved) ->
        let file = Path.GetFileName path |> nonNull

        match saved with
        | Ok true -> Some file
        | Ok false -> None
        | Error e ->
            err.WriteLine($"np: warning: {file} not written: {oneLine e}")
            None)
