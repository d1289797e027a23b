// SPDX-License-Identifier: MIT
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>One figure of a sweep report: a metric against an axis, one series per group of the other axes (or of
/// <see cref="GroupBy"/>), the mean over replicates at each x with every replicate as a point, and optionally the
/// least-squares line with its 95 % interval.</summary>
/// <param name="Metric">The metric plotted.</param>
/// <param name="Against">The axis on the x-axis.</param>
/// <param name="X">The formula plotted on the x-axis (default x).</param>
/// <param name="Y">The formula plotted on the y-axis (default y).</param>
/// <param name="Fit">Whether to fit a line to the plotted (transformed) points of each group.</param>
/// <param name="LogX">A logarithmic x-axis (true), linear (false), or automatic (null).</param>
/// <param name="LogY">The same for y.</param>
/// <param name="GroupBy">The axes or metrics that split the points into series; null = every axis but
/// <see cref="Against"/> and the replicate axis.</param>
/// <param name="Title">The figure's title, or null for a generated one.</param>
/// <param name="Note">A sentence printed under the figure in report.md (e.g. what the intercept estimates).</param>
public sealed record FigureSpec(
    string Metric,
    string Against,
    TransformExpression X,
    TransformExpression Y,
    bool Fit,
    bool? LogX,
    bool? LogY,
    IReadOnlyList<string>? GroupBy,
    string? Title,
    string? Note);

/// <summary>The report section of a sweep specification: the replicate axis (averaged over; default <c>seed</c> when
/// there is such an axis) and the figures.</summary>
/// <param name="Replicates">The axis whose values are replicates (means and spreads are taken over it), or null.</param>
/// <param name="Figures">The figures.</param>
public sealed record ReportSpec(string? Replicates, IReadOnlyList<FigureSpec> Figures)
{
    private static readonly string[] FigureKeys = ["metric", "against", "x", "y", "fit", "log_x", "log_y", "group_by", "title", "note"];

    /// <summary>The default: replicates over <c>seed</c> if it is an axis, no figures.</summary>
    /// <param name="axes">The axis names.</param>
    /// <returns>The report section.</returns>
    public static ReportSpec Default(IReadOnlyList<string> axes) => new(axes.Contains("seed") ? "seed" : null, []);

    /// <summary>Reads the report section.</summary>
    /// <param name="element">The JSON object (keys <c>replicates</c>, <c>figures</c>).</param>
    /// <param name="axes">The sweep's axis names.</param>
    /// <param name="metrics">The sweep's metric names, or null when they are not known in advance (a function sweep).</param>
    /// <returns>The section.</returns>
    /// <exception cref="SweepSpecException">An unknown key, axis or metric, or a malformed formula.</exception>
    public static ReportSpec Parse(JsonElement element, IReadOnlyList<string> axes, IReadOnlyList<string>? metrics)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new SweepSpecException("report", "must be an object with replicates and figures.");
        string? replicates = axes.Contains("seed") ? "seed" : null;
        var figures = new List<FigureSpec>();
        foreach (var p in element.EnumerateObject())
        {
            switch (p.Name)
            {
                case "replicates":
                    if (p.Value.ValueKind == JsonValueKind.Null) replicates = null;
                    else replicates = AxisName("report.replicates", p.Value, axes);
                    break;
                case "figures":
                    if (p.Value.ValueKind != JsonValueKind.Array) throw new SweepSpecException("report.figures", "must be a list of figures.");
                    int i = 0;
                    foreach (var f in p.Value.EnumerateArray()) figures.Add(Figure($"report.figures[{i++}]", f, axes, metrics));
                    break;
                default:
                    throw new SweepSpecException($"report.{p.Name}", "is not a report key; known: replicates, figures.");
            }
        }
        return new ReportSpec(replicates, figures);
    }

    private static string AxisName(string key, JsonElement value, IReadOnlyList<string> axes)
    {
        string name = Text(key, value);
        if (!axes.Contains(name)) throw new SweepSpecException(key, $"'{name}' is not an axis; axes: {string.Join(", ", axes)}.");
        return name;
    }

    private static string Text(string key, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new SweepSpecException(key, $"must be a string, not {ParameterValue.Describe(value.ValueKind)}.");

    private static bool? Flag(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw new SweepSpecException(key, "must be true, false or null."),
    };

    private static FigureSpec Figure(string key, JsonElement f, IReadOnlyList<string> axes, IReadOnlyList<string>? metrics)
    {
        if (f.ValueKind != JsonValueKind.Object) throw new SweepSpecException(key, "must be an object with metric and against.");
        foreach (var p in f.EnumerateObject())
            if (!FigureKeys.Contains(p.Name)) throw new SweepSpecException($"{key}.{p.Name}", $"is not a figure key; known: {string.Join(", ", FigureKeys)}.");
        if (!f.TryGetProperty("metric", out var metricElement)) throw new SweepSpecException($"{key}.metric", "is missing.");
        if (!f.TryGetProperty("against", out var againstElement)) throw new SweepSpecException($"{key}.against", "is missing.");
        string metric = Text($"{key}.metric", metricElement);
        if (metrics is not null && !metrics.Contains(metric))
            throw new SweepSpecException($"{key}.metric", $"'{metric}' is not a metric; metrics: {string.Join(", ", metrics)}.");
        string against = AxisName($"{key}.against", againstElement, axes);
        var x = f.TryGetProperty("x", out var xe) ? TransformExpression.Parse($"{key}.x", Text($"{key}.x", xe)) : TransformExpression.X;
        var y = f.TryGetProperty("y", out var ye) ? TransformExpression.Parse($"{key}.y", Text($"{key}.y", ye)) : TransformExpression.Y;
        bool fit = f.TryGetProperty("fit", out var fe) && (Flag($"{key}.fit", fe) ?? false);
        bool? logX = f.TryGetProperty("log_x", out var lx) ? Flag($"{key}.log_x", lx) : null;
        bool? logY = f.TryGetProperty("log_y", out var ly) ? Flag($"{key}.log_y", ly) : null;
        List<string>? groupBy = null;
        if (f.TryGetProperty("group_by", out var g) && g.ValueKind != JsonValueKind.Null)
        {
            if (g.ValueKind != JsonValueKind.Array) throw new SweepSpecException($"{key}.group_by", "must be a list of axis or metric names.");
            groupBy = [];
            foreach (var item in g.EnumerateArray())
            {
                string name = Text($"{key}.group_by", item);
                if (!axes.Contains(name) && !(metrics?.Contains(name) ?? true))
                    throw new SweepSpecException($"{key}.group_by", $"'{name}' is neither an axis nor a metric.");
                groupBy.Add(name);
            }
        }
        string? title = f.TryGetProperty("title", out var t) && t.ValueKind != JsonValueKind.Null ? Text($"{key}.title", t) : null;
        string? note = f.TryGetProperty("note", out var n) && n.ValueKind != JsonValueKind.Null ? Text($"{key}.note", n) : null;
        return new FigureSpec(metric, against, x, y, fit, logX, logY, groupBy, title, note);
    }
}
