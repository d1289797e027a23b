// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.Globalization
open System.IO
open System.Runtime.InteropServices
open System.Threading.Tasks
open ScottPlot
open ScottPlot.TickGenerators

/// How a series is drawn.
type Style =
    /// A line through the points.
    | Line
    /// Markers only: open circles or filled dots of a size in pixels.
    | Markers of openCircles: bool * size: float32

/// One series of a figure.
type Series =
    { Label: string
      X: float[]
      Y: float[]
      Style: Style }

/// How an axis is scaled: logarithmic when asked (points with non-positive values are then left out), or
/// automatically: logarithmic when the values are all positive and span at least a factor of 10.
type AxisScale =
    | Linear
    | Logarithmic
    | Automatic

/// A figure: series against one x-axis, with optional dashed vertical markers.
type Figure =
    {
        Title: string
        XLabel: string
        YLabel: string
        XScale: AxisScale
        YScale: AxisScale
        Series: Series list
        /// Dashed vertical lines (x, label).
        Markers: (float * string) list
        Width: int
        Height: int
    }

/// Figures with the workbench's conventions (ScottPlot 5, headless): logarithmic axes drawn as log₁₀ of the
/// values with ticks labelled by the values themselves; a legend beside the data for 2 to 20 series; non-finite
/// points left out; PNG or SVG by the file's extension; a CSV of the same numbers on request.
module Plot =
    /// A line series.
    let line (label: string) (x: float[]) (y: float[]) =
        { Label = label
          X = x
          Y = y
          Style = Line }

    /// A marker series (filled dots of 3 px).
    let points (label: string) (x: float[]) (y: float[]) =
        { Label = label
          X = x
          Y = y
          Style = Markers(false, 3.0f) }

    /// A marker series (open circles of 7 px).
    let circles (label: string) (x: float[]) (y: float[]) =
        { Label = label
          X = x
          Y = y
          Style = Markers(true, 7.0f) }

    /// A figure of 800 × 500 pixels, linear x, automatic y.
    let figure (title: string) (xLabel: string) (yLabel: string) (series: Series list) =
        { Title = title
          XLabel = xLabel
          YLabel = yLabel
          XScale = Linear
          YScale = Automatic
          Series = series
          Markers = []
          Width = 800
          Height = 500 }

    /// A logarithmic x-axis.
    let logX (f: Figure) = { f with XScale = Logarithmic }
    /// A logarithmic y-axis.
    let logY (f: Figure) = { f with YScale = Logarithmic }
    /// A linear y-axis.
    let linearY (f: Figure) = { f with YScale = Linear }
    /// Automatic scaling of x.
    let autoX (f: Figure) = { f with XScale = Automatic }

    /// Dashed vertical markers (x, label).
    let withMarkers (markers: (float * string) list) (f: Figure) =
        { f with Markers = f.Markers @ markers }

    /// The size in pixels.
    let size (width: int) (height: int) (f: Figure) =
        { f with
            Width = width
            Height = height }

    /// Whether every value is positive and finite, so that a log scale can show it.
    let loggable (values: float[]) =
        values.Length > 0
        && values |> Array.forall (fun v -> v > 0.0 && Double.IsFinite v)

    let private finiteValues (values: float[] seq) =
        values |> Seq.concat |> Seq.filter Double.IsFinite |> Array.ofSeq

    let private useLog (scale: AxisScale) (values: float[] seq) =
        let all = finiteValues values

        match scale with
        | Linear -> false
        | Logarithmic -> all |> Array.exists (fun v -> v > 0.0)
        | Automatic -> loggable all && Array.max all >= 10.0 * Array.min all

    /// The label of the tick at log₁₀ value y: the value 10^y, plain from 0.001 to 9999, else as 1e±k.
    let private logLabel (y: float) =
        let value = 10.0 ** y

        if value >= 1e-3 && value < 1e4 then
            value.ToString("0.###", CultureInfo.InvariantCulture)
        else
            value.ToString("0.##e0", CultureInfo.InvariantCulture)

    /// Ticks of a log₁₀ axis whose data span [lo, hi] in log₁₀ units: labelled powers of 10 (every k-th one when
    /// there are more than 8 decades), labelled 2·10ᵏ and 5·10ᵏ too when the span is under two decades, and minor
    /// ticks at the other m·10ᵏ.
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

    /// The folder of an assembly's file; null or "" when it has none (compiled into an executable ahead of time).
    [<Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile",
                                                            "IL3000",
                                                            Justification = "An assembly without a file is the caller's case to handle.")>]
    [<Runtime.CompilerServices.MethodImpl(Runtime.CompilerServices.MethodImplOptions.NoInlining)>]
    let private folderOf (assembly: Reflection.Assembly) = Path.GetDirectoryName assembly.Location

    /// SkiaSharp's native library, for hosts that load the managed assembly from a plain folder without probing its
    /// runtimes/<rid>/native subfolder (`#r "path/SkiaSharp.dll"` in dotnet fsi): looked up there; the host's own
    /// probing goes on when it is not there. Applications (np) and `#r "nuget: …"` in fsi, which probes every
    /// package's native folder (SkiaSharp.NativeAssets.* beside SkiaSharp), need none of it.
    let private nativeResolver =
        lazy
            (let assembly = typeof<SkiaSharp.SKTypeface>.Assembly

             let resolveIn (folder: string) =
                 DllImportResolver(fun name _ _ ->
                     [ name; $"lib{name}.so"; $"{name}.so"; $"lib{name}.dylib"; $"{name}.dll" ]
                     |> List.map (fun f -> Path.Combine(folder, f))
                     |> List.tryFind File.Exists
                     |> Option.map NativeLibrary.Load
                     |> Option.defaultValue IntPtr.Zero)

             match folderOf assembly with
             // Compiled into the executable (np published ahead of time): the native library lies beside it, where the
             // runtime's own probing finds it.
             | null
             | "" -> ()
             | managed ->
                 let folder =
                     Path.Combine(managed, "runtimes", RuntimeInformation.RuntimeIdentifier, "native")

                 try
                     NativeLibrary.SetDllImportResolver(assembly, resolveIn folder)
                 with :? InvalidOperationException ->
                     ())

    /// The figure drawn by ScottPlot, or None when no series has a point. The caller disposes it.
    let private draw (f: Figure) =
        nativeResolver.Force()
        let series = f.Series |> List.filter (fun s -> s.X.Length > 0)

        if series.IsEmpty then
            None
        else
            let logX = useLog f.XScale (series |> Seq.map (fun s -> s.X))
            let logY = useLog f.YScale (series |> Seq.map (fun s -> s.Y))
            let plot = new Plot()

            plot.Add.Palette <-
                if series.Length <= 10 then
                    Palettes.Category10() :> IPalette
                else
                    Palettes.Category20()

            let tx v = if logX then Math.Log10 v else v
            let ty v = if logY then Math.Log10 v else v

            for s in series do
                let pts =
                    Array.zip (Array.map tx s.X) (Array.map ty s.Y)
                    |> Array.filter (fun (x, y) -> Double.IsFinite x && Double.IsFinite y)

                let scatter = plot.Add.Scatter(Array.map fst pts, Array.map snd pts)

                match s.Style with
                | Line ->
                    scatter.MarkerSize <- (if pts.Length = 1 then 5.0f else 0.0f)
                    scatter.LineWidth <- 1.5f
                | Markers(openCircles, size) ->
                    scatter.LineWidth <- 0.0f
                    scatter.MarkerSize <- size

                    scatter.MarkerShape <-
                        (if openCircles then
                             MarkerShape.OpenCircle
                         else
                             MarkerShape.FilledCircle)

                scatter.LegendText <- s.Label
            // Marker labels hang from the top of the data area, written downwards along their line: on the axis edge
            // they would cover the title (and each other when markers are close).
            let labelled = f.Markers |> List.filter (fun (_, label) -> label <> "")

            for x, _ in f.Markers do
                let v = plot.Add.VerticalLine(tx x)
                v.LinePattern <- LinePattern.Dashed
                v.Color <- Colors.Gray

            if not labelled.IsEmpty then
                // Headroom above the data for the labels, so that no curve runs through them.
                plot.Axes.AutoScale()
                let limits = plot.Axes.GetLimits()
                let top = limits.Top + 0.12 * (limits.Top - limits.Bottom)
                plot.Axes.SetLimitsY(limits.Bottom, top)

                for x, label in labelled do
                    let text = plot.Add.Text(label, tx x, top)
                    text.LabelRotation <- 90.0f
                    text.LabelAlignment <- Alignment.LowerLeft
                    text.LabelFontSize <- 11.0f
                    text.LabelFontColor <- Colors.DimGray
                    text.LabelBackgroundColor <- Colors.White.WithOpacity 0.8
                    text.LabelOffsetX <- 2.0f
                    text.LabelOffsetY <- 4.0f

            let span (values: float[] seq) =
                let logs =
                    finiteValues values |> Array.filter (fun v -> v > 0.0) |> Array.map Math.Log10

                Array.min logs, Array.max logs

            if logY then
                plot.Axes.Left.TickGenerator <- span (series |> Seq.map (fun s -> s.Y)) ||> logTicks

            if logX then
                plot.Axes.Bottom.TickGenerator <- span (series |> Seq.map (fun s -> s.X)) ||> logTicks

            plot.Grid.MajorLineColor <- Colors.Black.WithOpacity 0.15
            plot.Grid.MinorLineColor <- Colors.Black.WithOpacity 0.05
            plot.Grid.MinorLineWidth <- 1.0f
            plot.Title f.Title
            plot.XLabel(if logX then $"{f.XLabel} (log scale)" else f.XLabel)
            plot.YLabel(if logY then $"{f.YLabel} (log scale)" else f.YLabel)

            if series.Length > 1 && series.Length <= 20 then
                plot.ShowLegend(Edge.Right) |> ignore
            else
                plot.HideLegend() |> ignore

            Some plot

    /// The plot drawn at width × height as PNG bytes, zlib level 3 with the "up" filter. SkiaSharp's default (level 6,
    /// every filter tried per row) spent ~24 ms per 800 × 500 figure in the encoder, three times the drawing; these
    /// settings take ~5 ms for files ~25 % larger. The surface is ScottPlot's own (RGBA, premultiplied alpha), so the
    /// decoded pixels are those of ScottPlot's `SavePng`, bit for bit.
    let private pngBytes (plot: Plot) (width: int) (height: int) =
        use surface =
            SkiaSharp.SKSurface.Create(SkiaSharp.SKImageInfo(width, height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul))

        plot.Render(surface.Canvas, width, height)
        use image = surface.Snapshot()
        use pixels = image.PeekPixels()

        match pixels.Encode(SkiaSharp.SKPngEncoderOptions(SkiaSharp.SKPngEncoderFilterFlags.Up, 3)) with
        | null -> raise (InvalidOperationException $"the PNG encoder failed on a {width} × {height} figure.")
        | encoded ->
            use encoded = encoded
            encoded.ToArray()

    /// A small figure drawn to PNG on a thread of its own, started by `prepare`: it loads SkiaSharp's native library
    /// and the fonts and runs ScottPlot's drawing code once, so that a command's first figure does not wait for them.
    let private preparation =
        lazy
            (Task.Factory.StartNew(
                (fun () ->
                    // Its own failure (e.g. no native graphics library) is left to the first real figure to report.
                    try
                        figure "preparation" "t" "loss" [
                            line "a" [| 1.0; 2.0 |] [| 1.0; 100.0 |]
                            line "b" [| 1.0; 2.0 |] [| 2.0; 3.0 |]
                        ]
                        |> size 160 100
                        |> draw
                        |> Option.iter (fun plot ->
                            use plot = plot
                            pngBytes plot 160 100 |> ignore)
                    with _ ->
                        ()),
                TaskCreationOptions.LongRunning
            ))

    /// Starts drawing a small figure on a second thread (once per process), to overlap the loading of the graphics
    /// library, fonts and plotting code with the caller's other work; every figure drawn afterwards waits for it.
    let prepare () = preparation.Force() |> ignore

    /// The figure drawn by ScottPlot, after the preparation if one was started.
    let private render (f: Figure) =
        if preparation.IsValueCreated then
            preparation.Value.Wait()

        draw f

    /// Draws the figure into a file (.png or .svg); returns false, writing nothing, when no series has a point.
    let save (path: string) (f: Figure) =
        match render f with
        | None -> false
        | Some plot ->
            use plot = plot

            match (Path.GetExtension path |> nonNull).ToLowerInvariant() with
            | ".svg" -> plot.SaveSvg(path, f.Width, f.Height) |> ignore
            | _ -> File.WriteAllBytes(path, pngBytes plot f.Width f.Height)

            true

    /// Draws the figures into their files at once, on as many threads as the machine has (each figure is its own
    /// ScottPlot plot and drawing surface, so the bytes are those of drawing them in turn); returns each path with
    /// Ok of `save`'s answer, or Error with the exception that stopped that figure.
    let saveAll (figures: (string * Figure) list) =
        figures
        |> Array.ofList
        |> Array.Parallel.map (fun (path, f) ->
            path,
            try
                Ok(save path f)
            with e ->
                Error e)
        |> List.ofArray

    /// The figure as PNG bytes (e.g. to embed in an HTML report), or None when no series has a point.
    let png (f: Figure) =
        render f
        |> Option.map (fun plot ->
            use plot = plot
            pngBytes plot f.Width f.Height)

    /// The figure's numbers as a long-format CSV: series,x,y (round-trip precision).
    let saveCsv (path: string) (f: Figure) =
        use w = new StreamWriter(path)
        let quote (s: string) = "\"" + s.Replace("\"", "\"\"") + "\""
        w.WriteLine($"series,{quote f.XLabel},{quote f.YLabel}")

        for s in f.Series do
            for x, y in Array.zip s.X s.Y do
                w.WriteLine($"{quote s.Label},{Format.roundTrip x},{Format.roundTrip y}")
