// SPDX-License-Identifier: MIT
// Loads the F# surface of NeuronPursuit (and the core beneath it) into a script, and the one helper the figure
// scripts share. Build first, from the repository root:
//   dotnet build core/NeuronPursuit.FSharp -c Release
#r "../core/NeuronPursuit.FSharp/bin/Release/net10.0/NeuronPursuit.Core.dll"
#r "../core/NeuronPursuit.FSharp/bin/Release/net10.0/NeuronPursuit.Sweeps.dll"
#r "../core/NeuronPursuit.FSharp/bin/Release/net10.0/NeuronPursuit.FSharp.dll"

open System.IO
open NeuronPursuit

/// The output folder of a figure script: its first argument, else /tmp/np-figures/<script>; created.
let outputFolder (script: string) =
    let args = fsi.CommandLineArgs |> Array.skip 1
    let dir = if args.Length > 0 then args.[0] else Path.Combine(Path.GetTempPath(), "np-figures", script)
    Directory.CreateDirectory dir |> ignore
    dir

/// Writes a figure as <name>.png and its numbers as <name>.csv into the folder, and says so.
let save (dir: string) (name: string) (figure: Figure) =
    let png = Path.Combine(dir, name + ".png")
    if Plot.save png figure then printfn "wrote %s" png else printfn "nothing to draw for %s" png
    Plot.saveCsv (Path.Combine(dir, name + ".csv")) figure
