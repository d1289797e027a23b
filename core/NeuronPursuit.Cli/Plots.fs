// SPDX-License-Identifier: MIT
/// The PNG plots of `np flow` (ScottPlot 5, headless). ScottPlot 5 has no logarithmic axis: a log
/// scale is drawn by plotting log₁₀ of the values with ticks placed at log₁₀ of round values and
/// labelled with those values (as in the ScottPlot 5 cookbook's "Log Scale Tick Marks").
module NeuronPursuit.Cli.Plots

open System
open System.Globalization
open ScottPlot
open ScottPlot.TickGenerators

/// One curve: legend text, times and values.
type Series = { Name: string; Times: float[]; Values: float[] }

/// Whether every value is positive and finite, so that a log scale can show it.
let loggable (values: float[]) = values.Length > 0 && values |> Array.forall (fun v -> v > 0.0 && Double.IsFinite v)

/// The label of the tick at log₁₀ value y: the value 10^y, plain from 0.001 to 9999, else as 1e±k.
let private logLabel (y: float) =
    let value = 10.0 ** y
    if value >= 1e-3 && value < 1e4 then value.ToString("0.###", CultureInfo.InvariantCulture)
    else value.ToString("0.##e0", CultureInfo.InvariantCulture)

/// Ticks of a log₁₀ axis whose data span [lo, hi] in log₁₀ units: labelled powers of 10 (every k-th
/// one when there are more than 8 decades), labelled 2·10ᵏ and 5·10ᵏ too when the span is under two
/// decades, and minor ticks at the other m·10ᵏ.
let private logTicks (lo: float) (hi: float) =
    let ticks = NumericManual()
    let decades = hi - lo
    let every = max 1 (int (Math.Ceiling(decades / 8.0)))
    for k in int (Math.Floor lo) - 1 .. int (Math.Ceiling hi) + 1 do
        for m in 1..9 do
            let position = float k + Math.Log10(float m)
            if (m = 1 && k % every = 0) || (decades < 2.0 && (m = 2 || m = 5)) then
                ticks.AddMajor(position, logLabel position)
            else
                ticks.AddMinor position
    ticks

/// Whether values deserve a log scale: all positive and finite, spanning at least a factor of 10 (over
/// less, a log axis would have no power of 10 to label).
let private wantsLogScale (values: float[] seq) =
    let all = Array.concat values
    loggable all && Array.max all >= 10.0 * Array.min all

/// Plots the series against t and saves a PNG of 800 × 500 pixels. The y-axis is logarithmic when the
/// values are all positive and span at least a factor of 10, the t-axis likewise when `logTime`. Points with
/// a non-finite coordinate are left out. Returns false (and writes nothing) when there is nothing to plot.
let save (path: string) (title: string) (yLabel: string) (logTime: bool) (series: Series list) =
    let series = series |> List.filter (fun s -> s.Times.Length > 0)
    if series.IsEmpty then false
    else
        let logY = wantsLogScale (series |> Seq.map (fun s -> s.Values))
        let logX = logTime && wantsLogScale (series |> Seq.map (fun s -> s.Times))
        use plot = new Plot()
        plot.Add.Palette <- if series.Length <= 10 then Palettes.Category10() :> IPalette else Palettes.Category20()
        for s in series do
            let xs = if logX then Array.map Math.Log10 s.Times else s.Times
            let ys = if logY then Array.map Math.Log10 s.Values else s.Values
            let points = Array.zip xs ys |> Array.filter (fun (x, y) -> Double.IsFinite x && Double.IsFinite y)
            let scatter = plot.Add.Scatter(Array.map fst points, Array.map snd points)
            scatter.MarkerSize <- (if points.Length = 1 then 5.0f else 0.0f)
            scatter.LineWidth <- 1.5f
            scatter.LegendText <- s.Name
        let span (values: float[] seq) =
            let logs = values |> Seq.concat |> Seq.map Math.Log10 |> Array.ofSeq
            Array.min logs, Array.max logs
        if logY then plot.Axes.Left.TickGenerator <- span (series |> Seq.map (fun s -> s.Values)) ||> logTicks
        if logX then plot.Axes.Bottom.TickGenerator <- span (series |> Seq.map (fun s -> s.Times)) ||> logTicks
        plot.Grid.MajorLineColor <- Colors.Black.WithOpacity 0.15
        plot.Grid.MinorLineColor <- Colors.Black.WithOpacity 0.05
        plot.Grid.MinorLineWidth <- 1.0f
        plot.Title title
        plot.XLabel(if logX then "t (log scale)" else "t")
        plot.YLabel(if logY then $"{yLabel} (log scale)" else yLabel)
        // A legend beside the data for a few curves; dozens of neuron norms would only crowd it out.
        if series.Length > 1 && series.Length <= 20 then plot.ShowLegend(Edge.Right) |> ignore
        else plot.HideLegend() |> ignore
        plot.SavePng(path, 800, 500) |> ignore
        true
