// SPDX-License-Identifier: MIT
// Shared helpers of the figure scripts: loads the core, the F# surface, the claim checks (their test problems) and
// ScottPlot from the built assemblies, and writes PNG + CSV into an output folder. Build first:
//   dotnet build NeuronPursuit.sln -c Release
#load "load.fsx"
#r "../proofs-checks/NeuronPursuit.Checks/bin/Release/net10.0/NeuronPursuit.Checks.dll"
#r "../core/NeuronPursuit.Cli/bin/Release/net10.0/ScottPlot.dll"
#r "../core/NeuronPursuit.Cli/bin/Release/net10.0/SkiaSharp.dll"

open System
open System.Globalization
open System.IO

// dotnet fsi does not probe the runtimes/<rid>/native folders of the referenced packages: resolve SkiaSharp's and
// HarfBuzzSharp's native libraries from the CLI's build output by hand.
let private nativeFolder =
    let bin = Path.Combine(__SOURCE_DIRECTORY__, "..", "core", "NeuronPursuit.Cli", "bin", "Release", "net10.0")
    Path.Combine(bin, "runtimes", Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native")

let private resolver =
    Runtime.InteropServices.DllImportResolver(fun name _ _ ->
        let candidates = [ name; $"lib{name}.so"; $"{name}.so"; $"lib{name}.dylib"; $"{name}.dll" ] |> List.map (fun f -> Path.Combine(nativeFolder, f))
        match candidates |> List.tryFind File.Exists with
        | Some path -> Runtime.InteropServices.NativeLibrary.Load path
        | None -> IntPtr.Zero)

Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof<SkiaSharp.SKTypeface>.Assembly, resolver)

/// The output folder: the first script argument, else /tmp/np-figures/<name>; created.
let outputFolder (name: string) =
    let args = fsi.CommandLineArgs |> Array.skip 1
    let dir = if args.Length > 0 then args.[0] else Path.Combine(Path.GetTempPath(), "np-figures", name)
    Directory.CreateDirectory dir |> ignore
    dir

/// One curve.
type Curve = { Label: string; X: float[]; Y: float[] }

let private inv (x: float) = x.ToString("R", CultureInfo.InvariantCulture)

/// Writes curves as long-format CSV: curve,x,y.
let writeCsv (path: string) (xName: string) (yName: string) (curves: Curve list) =
    use w = new StreamWriter(path)
    w.WriteLine($"curve,{xName},{yName}")
    for c in curves do
        for x, y in Array.zip c.X c.Y do w.WriteLine($"\"{c.Label}\",{inv x},{inv y}")

/// Plots curves (log₁₀ of an axis when asked; the axis label says so) with optional vertical markers, saves a PNG.
let plot (path: string) (title: string) (xLabel: string) (yLabel: string) (logX: bool) (logY: bool) (markers: (float * string) list) (curves: Curve list) =
    use p = new ScottPlot.Plot()
    let tx v = if logX then log10 v else v
    let ty v = if logY then log10 v else v
    for c in curves do
        let pts = Array.zip c.X c.Y |> Array.map (fun (x, y) -> tx x, ty y) |> Array.filter (fun (x, y) -> Double.IsFinite x && Double.IsFinite y)
        let s = p.Add.Scatter(Array.map fst pts, Array.map snd pts)
        s.MarkerSize <- (if pts.Length < 12 then 6.0f else 0.0f)
        s.LineWidth <- 1.5f
        s.LegendText <- c.Label
    for x, label in markers do
        let line = p.Add.VerticalLine(tx x)
        line.Text <- label
        line.LinePattern <- ScottPlot.LinePattern.Dashed
    p.Title title
    p.XLabel(if logX then $"log10 {xLabel}" else xLabel)
    p.YLabel(if logY then $"log10 {yLabel}" else yLabel)
    if curves.Length > 1 && curves.Length <= 12 then p.ShowLegend(ScottPlot.Edge.Right) |> ignore
    p.SavePng(path, 900, 550) |> ignore
    printfn "wrote %s" path

/// Writes the PNG and the CSV of one figure.
let figure (dir: string) (name: string) title xLabel yLabel logX logY markers (curves: Curve list) =
    writeCsv (Path.Combine(dir, name + ".csv")) xLabel yLabel curves
    plot (Path.Combine(dir, name + ".png")) title xLabel yLabel logX logY markers curves
