// SPDX-License-Identifier: MIT
/// The output folder of a run: created and proved writable before any time is spent computing.
module NeuronPursuit.Cli.OutputFolder

open System
open System.IO
open NeuronPursuit.Cli.Inputs

/// Creates the folder (and its parents) and writes and deletes a probe file in it; a UsageError naming --out otherwise.
let create (dir: string) =
    try
        Directory.CreateDirectory dir |> ignore
        let probe = Path.Combine(dir, $".np-write-test-{Guid.NewGuid():N}")
        File.WriteAllText(probe, "")
        File.Delete probe
    with
    | :? IOException
    | :? UnauthorizedAccessException
    | :? ArgumentException
    | :? NotSupportedException as e -> raise (UsageError $"--out: cannot write to '{dir}': {oneLine e}")
