// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.Globalization
open System.IO
open System.Text
open System.Text.Json
open NeuronPursuit.Core.Analysis
open NeuronPursuit.Sweeps

/// A figure of a sweep report: a metric against an axis, one series per group, the mean over the replicate axis at
/// each x with every replicate drawn as a circle, and optionally the least-squares line of each group.
type SweepFigure =
    {
        Metric: string
        Against: string
        /// Formula in x (axis value) and y (metric value) plotted on the x-axis, e.g. "ln(1/x)".
        X: string
        /// Formula plotted on the y-axis, e.g. "x*y".
        Y: string
        /// Fit a line (slope and intercept with 95 % intervals) to each group's plotted points.
        Fit: bool
        /// Logarithmic (Some true), linear (Some false) or automatic (None) axes.
        LogX: bool option
        LogY: bool option
        /// The axes or metrics whose values split the points into series; None = every axis but Against and the replicates.
        GroupBy: string list option
        Title: string option
        /// A sentence printed under the figure in report.md.
        Note: string option
    }

/// The least-squares line of one group of a figure (or of one replicate within it).
type SweepFit =
    { Group: string
      Replicate: string option
      Fit: LinearFitResult }

/// The report of a sweep folder (`np sweep report DIR`): `summary.csv` (one row per task: status, parameters, metrics,
/// wall time, error), `report.md` (counts, failures, each metric's mean and spread over the replicates, success
/// frequencies with 95 % Wilson intervals, the figures with their fits) and `figures/NAME.png` with the numbers of each
/// figure in `figures/NAME.csv`.
module SweepReport =
    let private culture = CultureInfo.InvariantCulture
    let private g6 (x: float) = x.ToString("G6", culture)

    /// A figure of a metric against an axis, plotted as they are, no fit.
    let figure (metric: string) (against: string) =
        { Metric = metric
          Against = against
          X = "x"
          Y = "y"
          Fit = false
          LogX = None
          LogY = None
          GroupBy = None
          Title = None
          Note = None }

    /// The F# form of a specification's figure.
    let ofSpec (f: FigureSpec) =
        { Metric = f.Metric
          Against = f.Against
          X = f.X.Text
          Y = f.Y.Text
          Fit = f.Fit
          LogX = Option.ofNullable f.LogX
          LogY = Option.ofNullable f.LogY
          GroupBy = f.GroupBy |> Option.ofObj |> Option.map List.ofSeq
          Title = Option.ofObj f.Title
          Note = Option.ofObj f.Note }

    /// A metric value as a number: numbers and numeric strings as they are, true/false as 1/0.
    let private number (v: JsonElement) =
        match v.ValueKind with
        | JsonValueKind.True -> Some 1.0
        | JsonValueKind.False -> Some 0.0
        | _ -> ParameterValue.AsNumber v |> Option.ofNullable

    let private metricOf (name: string) (r: SweepResult) =
        r.Metrics
        |> Option.bind (fun m -> m.TryGet name |> Option.ofNullable)
        |> Option.filter (fun v -> v.ValueKind <> JsonValueKind.Null)

    let private valueOf (name: string) (r: SweepResult) =
        match r.Parameters.TryGet name |> Option.ofNullable with
        | Some v -> Some v
        | None -> metricOf name r

    let private display (v: JsonElement option) =
        v |> Option.map ParameterValue.Display |> Option.defaultValue "—"

    /// "name=value, …" of a task's values of the given names; "all" for none.
    let private groupLabel (names: string list) (r: SweepResult) =
        if names.IsEmpty then
            "all"
        else
            names
            |> List.map (fun n -> $"{n}={display (valueOf n r)}")
            |> String.concat ", "

    let private csvField (s: string) =
        if s.IndexOfAny([| ','; '"'; '\n'; '\r' |]) >= 0 then
            "\"" + s.Replace("\"", "\"\"") + "\""
        else
            s

    let private jsonField (v: JsonElement option) =
        match v with
        | None -> ""
        | Some v when v.ValueKind = JsonValueKind.Null -> ""
        | Some v when v.ValueKind = JsonValueKind.String -> csvField (v.GetString() |> nonNull)
        | Some v -> csvField (v.GetRawText())

    /// The kinds of metric a report treats differently.
    type private Kind =
        | Numeric
        | Boolean
        | Categorical
        | Other

    let private kindOf (name: string) (rows: SweepResult list) =
        let values = rows |> List.choose (metricOf name)

        if values.IsEmpty then
            Other
        elif
            values
            |> List.forall (fun v -> v.ValueKind = JsonValueKind.True || v.ValueKind = JsonValueKind.False)
        then
            Boolean
        elif values |> List.forall (fun v -> (ParameterValue.AsNumber v).HasValue) then
            Numeric
        elif values |> List.forall (fun v -> v.ValueKind = JsonValueKind.String) then
            Categorical
        else
            Other

    let private mean (xs: float list) = List.average xs

    let private sd (xs: float list) =
        if xs.Length < 2 then
            nan
        else
            let m = mean xs
            sqrt ((xs |> List.sumBy (fun x -> (x - m) ** 2.0)) / float (xs.Length - 1))

    /// The 95 % Wilson score interval of a frequency k/n.
    let wilson (k: int) (n: int) =
        if n = 0 then
            nan, nan
        else
            let z = 1.959963984540054
            let p, n = float k / float n, float n
            let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n)
            let half = z * sqrt (p * (1.0 - p) / n + z * z / (4.0 * n * n)) / (1.0 + z * z / n)
            max 0.0 (centre - half), min 1.0 (centre + half)

    let private fileName (text: string) =
        String(
            text.ToCharArray()
            |> Array.map (fun c ->
                if Char.IsAsciiLetterOrDigit c || c = '-' || c = '_' then
                    c
                else
                    '_')
        )

    /// One drawn figure: its file names, its fits and the groups' points.
    type private Drawn =
        { Name: string
          Png: bool
          Fits: SweepFit list
          PerReplicate: SweepFit list
          Skipped: string option }

    let private draw (dir: string) (name: string) (replicates: string option) (axes: string list) (rows: SweepResult list) (f: SweepFigure) =
        let fx = TransformExpression.Parse("x", f.X)
        let fy = TransformExpression.Parse("y", f.Y)
        let replicate = replicates |> Option.filter (fun r -> r <> f.Against)

        let groupNames =
            f.GroupBy
            |> Option.defaultWith (fun () -> axes |> List.filter (fun a -> a <> f.Against && Some a <> replicates))
        // x = the axis value as a number, or its position in the axis when it is not a number.
        let axisValues =
            rows
            |> List.choose (fun r -> r.Parameters.TryGet f.Against |> Option.ofNullable)
            |> List.distinctBy (fun v -> v.GetRawText())

        let numericAxis =
            axisValues |> List.forall (fun v -> (ParameterValue.AsNumber v).HasValue)

        let integerAxis =
            axisValues
            |> List.forall (fun v -> v.ValueKind = JsonValueKind.Number && fst (v.TryGetInt64()))

        let xOf (v: JsonElement) =
            if numericAxis then
                ParameterValue.AsNumber(v).Value
            else
                float (axisValues |> List.findIndex (fun a -> a.GetRawText() = v.GetRawText()))

        let points =
            [ for r in rows do
                  if r.Status = TaskStatus.Done then
                      match r.Parameters.TryGet f.Against |> Option.ofNullable, metricOf f.Metric r |> Option.bind number with
                      | Some a, Some y ->
                          let x = xOf a
                          let px, py = fx.Evaluate(x, y), fy.Evaluate(x, y)

                          if Double.IsFinite px && Double.IsFinite py then
                              yield groupLabel groupNames r, replicate |> Option.map (fun n -> display (valueOf n r)), px, py
                      | _ -> () ]

        if points.IsEmpty then
            { Name = name
              Png = false
              Fits = []
              PerReplicate = []
              Skipped = Some $"no finished task has a number for {f.Metric}" }
        else
            let groups = points |> List.groupBy (fun (g, _, _, _) -> g)
            let single = groups.Length = 1

            let tryFit label replicateLabel (pts: (float * float) list) =
                if (pts |> List.distinctBy fst |> List.length) >= 2 then
                    Some
                        { Group = label
                          Replicate = replicateLabel
                          Fit = Analysis.fit (List.map fst pts) (List.map snd pts) }
                else
                    None

            let series, fits =
                groups
                |> List.map (fun (label, pts) ->
                    let byX = pts |> List.groupBy (fun (_, _, x, _) -> x) |> List.sortBy fst
                    let xs = byX |> List.map fst |> Array.ofList

                    let means =
                        byX
                        |> List.map (fun (_, p) -> p |> List.map (fun (_, _, _, y) -> y) |> mean)
                        |> Array.ofList

                    let repeated = byX |> List.exists (fun (_, p) -> p.Length > 1)
                    let over = defaultArg replicate "task"

                    let meanLabel =
                        if single then
                            (if repeated then $"mean over {over}" else f.Metric)
                        else
                            label

                    let fit =
                        if f.Fit then
                            tryFit label None (pts |> List.map (fun (_, _, x, y) -> x, y))
                        else
                            None
                    // Across the replicate axis itself (each x its own replicate) a line would join unrelated runs: markers.
                    [ yield
                          (if replicates = Some f.Against then
                               Plot.circles
                           else
                               Plot.line)
                              meanLabel
                              xs
                              means
                      if repeated then
                          let each = if single then $"each {over}" else $"{label}: each {over}"

                          yield
                              Plot.circles
                                  each
                                  (pts |> List.map (fun (_, _, x, _) -> x) |> Array.ofList)
                                  (pts |> List.map (fun (_, _, _, y) -> y) |> Array.ofList)
                      match fit with
                      | Some s ->
                          // Sampled densely, so that the line stays straight in the plotted coordinates on a log axis too.
                          let lo, hi = Array.min xs, Array.max xs

                          let grid =
                              if lo > 0.0 then
                                  Array.init 65 (fun k -> lo * (hi / lo) ** (float k / 64.0))
                              else
                                  Array.init 65 (fun k -> lo + (hi - lo) * float k / 64.0)

                          let fitLabel =
                              $"""{(if single then "" else label + ": ")}fit, slope {Format.g4 s.Fit.Slope}"""

                          yield Plot.line fitLabel grid (grid |> Array.map (fun x -> s.Fit.Intercept + s.Fit.Slope * x))
                      | None -> () ],
                    fit)
                |> List.unzip

            let perReplicate =
                // Per replicate only when the replicates are pooled in the groups (not when each is a group already).
                if not f.Fit || replicate.IsNone || List.contains replicate.Value groupNames then
                    []
                else
                    [ for label, pts in groups do
                          for rep, rpts in pts |> List.groupBy (fun (_, r, _, _) -> r) do
                              match rep with
                              | Some _ -> yield! tryFit label rep (rpts |> List.map (fun (_, _, x, y) -> x, y)) |> Option.toList
                              | None -> () ]

            let scale (log: bool option) (identity: bool) =
                match log with
                | Some true -> AxisScale.Logarithmic
                | Some false -> AxisScale.Linear
                | None -> if identity then AxisScale.Automatic else AxisScale.Linear

            let title = f.Title |> Option.defaultValue $"{f.Metric} against {f.Against}"

            let figure =
                { Plot.figure title (fx.Label(f.Against, f.Metric)) (fy.Label(f.Against, f.Metric)) (List.concat series) with
                    // Integer axes (seeds, widths) are read on a linear scale; others (δ) scale automatically.
                    XScale = scale f.LogX (fx.IsIdentity && not integerAxis)
                    YScale = scale f.LogY fy.IsIdentity }

            let folder = Path.Combine(dir, "figures")
            Directory.CreateDirectory folder |> ignore
            let png = Plot.save (Path.Combine(folder, name + ".png")) figure
            Plot.saveCsv (Path.Combine(folder, name + ".csv")) figure

            { Name = name
              Png = png
              Fits = List.choose id fits
              PerReplicate = perReplicate
              Skipped = None }

    /// Writes summary.csv, report.md and the figures of the sweep in `dir` (from its results database as it stands);
    /// `title` heads the report (e.g. the command line). Returns the files written, relative to `dir`.
    let write (dir: string) (title: string) (replicates: string option) (figures: SweepFigure list) =
        let rows = Sweep.results dir

        let axes =
            match rows with
            | r :: _ -> List.ofSeq r.Parameters.Names
            | [] -> []

        let metrics =
            rows
            |> List.collect (fun r -> r.Metrics |> Option.map (fun m -> List.ofSeq m.Names) |> Option.defaultValue [])
            |> List.distinct

        for f in figures do
            if not (List.contains f.Against axes) then
                raise (ArgumentException($"""figure '{f.Metric}' against '{f.Against}': no such axis; axes: {String.Join(", ", axes)}."""))

        let files = Collections.Generic.List<string>()

        // summary.csv: one row per task.
        let csv = StringBuilder()

        csv.AppendLine(
            String.Join(
                ",",
                [ "index"; "status" ]
                @ axes
                @ metrics
                @ [ "wall_seconds"; "attempts"; "host"; "slurm_job"; "error" ]
                |> List.map csvField
            )
        )
        |> ignore

        for r in rows do
            let fields =
                [ string r.Index; r.Status ]
                @ [ for a in axes -> jsonField (r.Parameters.TryGet a |> Option.ofNullable) ]
                @ [ for m in metrics -> jsonField (metricOf m r) ]
                @ [ (match r.WallSeconds with
                     | Some w -> w.ToString("R", culture)
                     | None -> "")
                    string r.Attempts
                    csvField (defaultArg r.Host "")
                    csvField (defaultArg r.SlurmJob "")
                    csvField (defaultArg r.Error "") ]

            csv.AppendLine(String.Join(",", fields)) |> ignore

        File.WriteAllText(Path.Combine(dir, "summary.csv"), csv.ToString())
        files.Add "summary.csv"

        let md = StringBuilder()
        let line (s: string) = md.AppendLine s |> ignore
        line $"# Sweep report: {title}"
        line ""
        let counts = rows |> List.countBy (fun r -> r.Status)

        let countText =
            TaskStatus.All
            |> Seq.choose (fun s -> counts |> List.tryFind (fst >> (=) s) |> Option.map (fun (_, n) -> $"{n} {s}"))
            |> String.concat ", "

        let taskTime = rows |> List.sumBy (fun r -> defaultArg r.WallSeconds 0.0)
        line $"{rows.Length} tasks: {countText}. Task time {taskTime:F1} s in all (the sum of the tasks' wall times)."
        line ""

        for a in axes do
            let values =
                rows
                |> List.choose (fun r -> r.Parameters.TryGet a |> Option.ofNullable)
                |> List.distinctBy (fun v -> v.GetRawText())

            let shown =
                values
                |> List.truncate 12
                |> List.map ParameterValue.Display
                |> String.concat ", "

            line
                $"""- axis `{a}`: {values.Length} values ({shown}{(if values.Length > 12 then ", …" else "")}){(if Some a = replicates then
                                                                                                                    " — the replicates: means and spreads are taken over it"
                                                                                                                else
                                                                                                                    "")}"""

        line ""
        let failures = rows |> List.filter (fun r -> TaskStatus.IsFailure r.Status)

        if not failures.IsEmpty then
            line "## Failed tasks"
            line ""
            line "| task | parameters | status | error |"
            line "| --- | --- | --- | --- |"

            for r in failures |> List.truncate 50 do
                line $"""| {r.Index} | {r.Parameters} | {r.Status} | {(defaultArg r.Error "").Replace("|", "\\|")} |"""

            if failures.Length > 50 then
                line $"| … | {failures.Length - 50} more in summary.csv | | |"

            line ""

        let done' = rows |> List.filter (fun r -> r.Status = TaskStatus.Done)
        let groupNames = axes |> List.filter (fun a -> Some a <> replicates)
        let grouped = done' |> List.groupBy (groupLabel groupNames)
        let kinds = metrics |> List.map (fun m -> m, kindOf m done')
        let numeric = kinds |> List.filter (fun (_, k) -> k = Numeric) |> List.map fst

        if replicates.IsSome && not numeric.IsEmpty then
            line $"## Metrics: mean and spread over {replicates.Value}"
            line ""

            for m in numeric do
                line $"### {m}"
                line ""
                line "| group | n | mean | sd | min | max |"
                line "| --- | --- | --- | --- | --- | --- |"

                for label, rs in grouped do
                    let xs = rs |> List.choose (metricOf m) |> List.choose number

                    if not xs.IsEmpty then
                        line $"| {label} | {xs.Length} | {g6 (mean xs)} | {g6 (sd xs)} | {g6 (List.min xs)} | {g6 (List.max xs)} |"

                line ""

        let booleans = kinds |> List.filter (fun (_, k) -> k = Boolean) |> List.map fst

        if not booleans.IsEmpty then
            line "## Success frequencies"
            line ""

            for m in booleans do
                line $"### {m}"
                line ""
                line "| group | true | n | frequency | 95% interval (Wilson) |"
                line "| --- | --- | --- | --- | --- |"

                let row label (rs: SweepResult list) =
                    let values = rs |> List.choose (metricOf m)

                    let k =
                        values |> List.filter (fun v -> v.ValueKind = JsonValueKind.True) |> List.length

                    let lo, hi = wilson k values.Length
                    line $"| {label} | {k} | {values.Length} | {g6 (float k / float values.Length)} | [{g6 lo}, {g6 hi}] |"

                for label, rs in grouped do
                    row label rs

                if grouped.Length > 1 then
                    row "**all**" done'

                line ""

        let categorical =
            kinds |> List.filter (fun (_, k) -> k = Categorical) |> List.map fst

        for m in categorical do
            let labels =
                done'
                |> List.choose (metricOf m)
                |> List.map ParameterValue.Display
                |> List.distinct
                |> List.sort

            if labels.Length <= 12 then
                line $"### {m}: counts"
                line ""
                line $"""| group | {String.Join(" | ", labels)} | n |"""
                line $"""| --- | {String.Join(" | ", labels |> List.map (fun _ -> "---"))} | --- |"""

                for label, rs in grouped do
                    let values = rs |> List.choose (metricOf m) |> List.map ParameterValue.Display

                    line
                        $"""| {label} | {String.Join(
                                             " | ",
                                             labels
                                             |> List.map (fun l -> values |> List.filter ((=) l) |> List.length |> string)
                                         )} | {values.Length} |"""

                line ""

        if not figures.IsEmpty then
            line "## Figures"
            line ""

        let names = Collections.Generic.HashSet<string>()

        for f in figures do
            let baseName = fileName $"{f.Metric}-vs-{f.Against}"

            let name =
                Seq.initInfinite (fun k -> if k = 0 then baseName else $"{baseName}-{k + 1}")
                |> Seq.find names.Add

            let drawn = draw dir name replicates axes rows f
            line $"""### {f.Title |> Option.defaultValue $"{f.Metric} against {f.Against}"}"""
            line ""

            match drawn.Skipped with
            | Some why -> line $"Not drawn: {why}."
            | None ->
                if drawn.Png then
                    line $"![{f.Metric} against {f.Against}](figures/{name}.png)"
                    files.Add $"figures/{name}.png"

                files.Add $"figures/{name}.csv"
                line ""

                let fx, fy =
                    TransformExpression.Parse("x", f.X), TransformExpression.Parse("y", f.Y)

                line $"Plotted: {fy.Label(f.Against, f.Metric)} against {fx.Label(f.Against, f.Metric)}; numbers in `figures/{name}.csv`."

                f.Note
                |> Option.iter (fun n ->
                    line ""
                    line n)

                if not drawn.Fits.IsEmpty then
                    line ""

                    line
                        $"""Least-squares line of each group{(match replicates with
                                                              | Some r when r <> f.Against -> $", pooled over {r}"
                                                              | _ -> "")} (95 %% intervals, Student t):"""

                    line ""
                    line "| group | n | slope | slope 95% CI | intercept | intercept 95% CI |"
                    line "| --- | --- | --- | --- | --- | --- |"

                    for s in drawn.Fits do
                        let r = s.Fit

                        line
                            $"| {s.Group} | {r.Count} | {g6 r.Slope} | [{g6 r.SlopeLower}, {g6 r.SlopeUpper}] | {g6 r.Intercept} | [{g6 r.InterceptLower}, {g6 r.InterceptUpper}] |"

                if not drawn.PerReplicate.IsEmpty then
                    let rep = replicates.Value
                    line ""
                    line $"Each {rep} on its own:"
                    line ""
                    line $"| group | {rep} | n | slope | slope 95%% CI | intercept | intercept 95%% CI |"
                    line "| --- | --- | --- | --- | --- | --- | --- |"

                    for s in drawn.PerReplicate do
                        let value = defaultArg s.Replicate ""
                        let r = s.Fit

                        line
                            $"| {s.Group} | {value} | {r.Count} | {g6 r.Slope} | [{g6 r.SlopeLower}, {g6 r.SlopeUpper}] | {g6 r.Intercept} | [{g6 r.InterceptLower}, {g6 r.InterceptUpper}] |"

                    for label, fs in drawn.PerReplicate |> List.groupBy (fun s -> s.Group) do
                        let slopes = fs |> List.map (fun s -> s.Fit.Slope)
                        let intercepts = fs |> List.map (fun s -> s.Fit.Intercept)

                        line
                            $"| {label} | mean ± sd over {fs.Length} | | {g6 (mean slopes)} ± {g6 (sd slopes)} | | {g6 (mean intercepts)} ± {g6 (sd intercepts)} | |"

            line ""

        File.WriteAllText(Path.Combine(dir, "report.md"), md.ToString())
        files.Insert(1, "report.md")
        List.ofSeq files
