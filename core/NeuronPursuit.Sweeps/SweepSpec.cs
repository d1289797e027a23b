// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NeuronPursuit.Sweeps;

/// <summary>A named metric of a command sweep: where it sits in each task's run.json.</summary>
/// <param name="Name">E.g. <c>escape_time</c>.</param>
/// <param name="Path">E.g. <c>result.events[name=escape].time</c>.</param>
public sealed record Metric(string Name, MetricPath Path);

/// <summary>
/// A sweep specification (JSON): the np command every task runs with its options, the axes (any option by its flag
/// name without dashes, as lists or integer ranges, combined as a product or zipped), the metrics to collect from each
/// task's run.json, and the report's figures. A function sweep (the F# surface's <c>Sweep.run</c>) has a function
/// name instead of a command, and its metrics come from the function. Everything is validated on reading, so that a
/// bad specification is refused before anything is written.
/// </summary>
/// <example>
/// <code>
/// { "command": "flow",
///   "options": { "example": "fig1", "t-end": 400, "escape-norm": 0.5 },
///   "axes": { "init-scale": [1e-2, 1e-3, 1e-4], "seed": "1..8" },
///   "metrics": { "escape_time": "result.events[name=escape].time" },
///   "report": { "figures": [ { "metric": "escape_time", "against": "init-scale", "x": "ln(1/x)", "fit": true } ] } }
/// </code>
/// </example>
public sealed partial class SweepSpec
{
    private static readonly string[] TopKeys = ["command", "function", "options", "axes", "combine", "metrics", "report", "working_directory"];

    /// <summary>Names a metric may not take: the columns of the tasks table and of summary.csv.</summary>
    public static IReadOnlyList<string> ReservedMetricNames { get; } = ["index", "status", "wall_seconds", "attempts", "host", "slurm_job", "error"];

    private readonly JsonElement? reportJson;

    private SweepSpec(SweepCommand? command, string? function, IReadOnlyList<KeyValuePair<string, JsonElement>> options, TaskGrid grid,
                      IReadOnlyList<Metric> metrics, ReportSpec report, JsonElement? reportJson, string? workingDirectory, IReadOnlyList<string> switches)
    {
        Command = command;
        Function = function;
        Options = options;
        Grid = grid;
        Metrics = metrics;
        Report = report;
        this.reportJson = reportJson;
        WorkingDirectory = workingDirectory;
        Switches = switches;
    }

    /// <summary>The np command of every task, or null for a function sweep.</summary>
    public SweepCommand? Command { get; }

    /// <summary>The name of the in-process function of a function sweep, or null for a command sweep.</summary>
    public string? Function { get; }

    /// <summary>The options every task gets (flag without dashes → value), in the order written.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonElement>> Options { get; }

    /// <summary>The axes and how they combine.</summary>
    public TaskGrid Grid { get; }

    /// <summary>The metrics collected from each task's run.json (empty for a function sweep).</summary>
    public IReadOnlyList<Metric> Metrics { get; }

    /// <summary>The report section.</summary>
    public ReportSpec Report { get; }

    /// <summary>The folder the tasks run in (relative paths in options are relative to it): the specification file's
    /// folder, recorded when the sweep folder is created; null until then.</summary>
    public string? WorkingDirectory { get; }

    /// <summary>The options and axes that are switches of the command (given as true/false, passed as a bare flag).</summary>
    private IReadOnlyList<string> Switches { get; }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]*$")]
    private static partial Regex NamePattern();

    /// <summary>Reads and validates a specification.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="commands">The np commands a sweep can run, with their options (from the CLI's declarations).</param>
    /// <returns>The specification.</returns>
    /// <exception cref="SweepSpecException">Malformed JSON, an unknown key, command, option or axis name, an empty
    /// axis, a value of the wrong type, a malformed metric path or report.</exception>
    public static SweepSpec Parse(string json, IReadOnlyDictionary<string, CommandOptions> commands)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(commands);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SweepSpecException("", $"not valid JSON: {e.Message.Split('\n')[0].Trim()}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new SweepSpecException("", "a sweep specification is one JSON object (command, options, axes, metrics, report).");
            var seen = new HashSet<string>();
            foreach (var p in root.EnumerateObject())
            {
                if (!TopKeys.Contains(p.Name)) throw new SweepSpecException(p.Name, $"is not a key of a sweep specification; known: {string.Join(", ", TopKeys.Where(k => k != "function"))}.");
                if (!seen.Add(p.Name)) throw new SweepSpecException(p.Name, "is given twice.");
            }
            string? workingDirectory = root.TryGetProperty("working_directory", out var wd) && wd.ValueKind != JsonValueKind.Null
                ? (wd.ValueKind == JsonValueKind.String ? wd.GetString() : throw new SweepSpecException("working_directory", "must be a string."))
                : null;
            var combination = Combine(root);
            if (root.TryGetProperty("function", out var fn))
            {
                foreach (string k in new[] { "command", "options", "metrics" })
                    if (root.TryGetProperty(k, out _)) throw new SweepSpecException(k, "a function sweep has no command, options or metrics.");
                if (fn.ValueKind != JsonValueKind.String) throw new SweepSpecException("function", "must be a string.");
                var fgrid = new TaskGrid(ParseAxes(root, null, []), combination);
                return new SweepSpec(null, fn.GetString(), [], fgrid, [], ParseReport(root, fgrid, null), ReportJson(root), workingDirectory, []);
            }
            if (!root.TryGetProperty("command", out var commandElement)) throw new SweepSpecException("command", $"is missing: name the np command every task runs ({string.Join(", ", commands.Keys)}).");
            if (commandElement.ValueKind != JsonValueKind.String) throw new SweepSpecException("command", "must be a string such as \"flow\" or \"check escape-time-L2\".");
            var (command, catalog) = SweepCommand.Parse(commandElement.GetString()!, commands);
            var options = new List<KeyValuePair<string, JsonElement>>();
            var switches = new List<string>();
            if (root.TryGetProperty("options", out var optionsElement) && optionsElement.ValueKind != JsonValueKind.Null)
            {
                if (optionsElement.ValueKind != JsonValueKind.Object) throw new SweepSpecException("options", "must be an object of flag names (without dashes) and values.");
                foreach (var p in optionsElement.EnumerateObject())
                {
                    string flag = Flag("options", p.Name, catalog);
                    if (options.Any(o => o.Key == flag)) throw new SweepSpecException($"options.{flag}", "is given twice.");
                    var value = OptionValue($"options.{flag}", flag, p.Value, catalog);
                    options.Add(KeyValuePair.Create(flag, value));
                    if (catalog.IsSwitch(flag)) switches.Add(flag);
                }
            }
            var axes = ParseAxes(root, catalog, options.Select(o => o.Key).ToList());
            foreach (var a in axes)
            {
                if (catalog.IsSwitch(a.Name)) switches.Add(a.Name);
                for (int i = 0; i < a.Values.Count; i++) CheckType($"axes.{a.Name}[{i}]", a.Name, a.Values[i], catalog);
            }
            var grid = new TaskGrid(axes, combination);
            var metrics = new List<Metric>();
            if (root.TryGetProperty("metrics", out var metricsElement) && metricsElement.ValueKind != JsonValueKind.Null)
            {
                if (metricsElement.ValueKind != JsonValueKind.Object) throw new SweepSpecException("metrics", "must be an object of names and run.json paths, e.g. {\"final_loss\": \"result.final_loss\"}.");
                foreach (var p in metricsElement.EnumerateObject())
                {
                    string key = $"metrics.{p.Name}";
                    if (!NamePattern().IsMatch(p.Name)) throw new SweepSpecException(key, "a metric name is letters, digits, '_' and '-', starting with a letter or '_'.");
                    if (metrics.Any(m => m.Name == p.Name)) throw new SweepSpecException(key, "is given twice.");
                    if (axes.Any(a => a.Name == p.Name)) throw new SweepSpecException(key, "is also an axis; give the metric another name.");
                    if (ReservedMetricNames.Contains(p.Name))
                        throw new SweepSpecException(key, $"names a column every task has ({string.Join(", ", ReservedMetricNames)}); give the metric another name.");
                    if (p.Value.ValueKind != JsonValueKind.String) throw new SweepSpecException(key, "must be a run.json path such as \"result.final_loss\".");
                    metrics.Add(new Metric(p.Name, MetricPath.Parse(key, p.Value.GetString()!)));
                }
            }
            var report = ParseReport(root, grid, metrics.Select(m => m.Name).ToList());
            return new SweepSpec(command, null, options, grid, metrics, report, ReportJson(root), workingDirectory, switches);
        }
    }

    /// <summary>The specification of a function sweep: a name, a grid and an optional report section.</summary>
    /// <param name="function">The function's name (part of the sweep's identity).</param>
    /// <param name="grid">The grid.</param>
    /// <returns>The specification.</returns>
    public static SweepSpec ForFunction(string function, TaskGrid grid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(function);
        ArgumentNullException.ThrowIfNull(grid);
        return new SweepSpec(null, function, [], grid, [], ReportSpec.Default(grid.Axes.Select(a => a.Name).ToList()), null, null, []);
    }

    /// <summary>This specification with the folder its tasks run in.</summary>
    /// <param name="directory">An absolute path.</param>
    /// <returns>The copy.</returns>
    public SweepSpec WithWorkingDirectory(string directory) =>
        new(Command, Function, Options, Grid, Metrics, Report, reportJson, directory, Switches);

    private static Combination Combine(JsonElement root)
    {
        if (!root.TryGetProperty("combine", out var c) || c.ValueKind == JsonValueKind.Null) return Combination.Product;
        return c.ValueKind == JsonValueKind.String ? c.GetString() switch
        {
            "product" => Combination.Product,
            "zip" => Combination.Zip,
            var other => throw new SweepSpecException("combine", $"'{other}' is neither product nor zip."),
        } : throw new SweepSpecException("combine", "must be \"product\" or \"zip\".");
    }

    private static string Flag(string section, string name, CommandOptions catalog)
    {
        // The pursue --config convention: snake_case keys are the flags they stand for.
        string flag = name.Replace('_', '-');
        string key = $"{section}.{flag}";
        if (flag.StartsWith('-')) throw new SweepSpecException($"{section}.{name}", $"write the flag without dashes: '{flag.TrimStart('-')}'.");
        if (catalog.Reserved.TryGetValue(flag, out string? reason)) throw new SweepSpecException(key, reason);
        if (!catalog.Accepts(flag))
            throw new SweepSpecException(key, $"is not an option of np {catalog.Name}; its options: {string.Join(", ", catalog.AllOptions)}.");
        return flag;
    }

    private static JsonElement OptionValue(string key, string flag, JsonElement value, CommandOptions catalog)
    {
        var normalised = ParameterValue.Normalise(key, value);
        CheckType(key, flag, normalised, catalog);
        return normalised;
    }

    private static void CheckType(string key, string flag, JsonElement value, CommandOptions catalog)
    {
        bool isBool = value.ValueKind is JsonValueKind.True or JsonValueKind.False;
        if (catalog.IsSwitch(flag) && !isBool) throw new SweepSpecException(key, $"--{flag} is a switch: give true or false, not {value.GetRawText()}.");
        if (!catalog.IsSwitch(flag) && isBool) throw new SweepSpecException(key, $"--{flag} takes a value, not {value.GetRawText()}.");
    }

    private static List<Axis> ParseAxes(JsonElement root, CommandOptions? catalog, IReadOnlyList<string> options)
    {
        if (!root.TryGetProperty("axes", out var axesElement) || axesElement.ValueKind == JsonValueKind.Null)
            throw new SweepSpecException("axes", "is missing: give at least one axis, e.g. {\"seed\": \"1..8\"}.");
        if (axesElement.ValueKind != JsonValueKind.Object) throw new SweepSpecException("axes", "must be an object of names and lists (or ranges \"A..B\").");
        var axes = new List<Axis>();
        foreach (var p in axesElement.EnumerateObject())
        {
            string name = catalog is null ? p.Name : Flag("axes", p.Name, catalog);
            string key = $"axes.{name}";
            if (catalog is null && !NamePattern().IsMatch(name)) throw new SweepSpecException(key, "an axis name is letters, digits, '_' and '-'.");
            if (axes.Any(a => a.Name == name)) throw new SweepSpecException(key, "is given twice.");
            if (options.Contains(name)) throw new SweepSpecException(key, "is also given under options; give it in one place.");
            axes.Add(Axis.Parse(key, name, p.Value));
        }
        if (axes.Count == 0) throw new SweepSpecException("axes", "give at least one axis, e.g. {\"seed\": \"1..8\"}.");
        return axes;
    }

    private static ReportSpec ParseReport(JsonElement root, TaskGrid grid, IReadOnlyList<string>? metrics)
    {
        var axes = grid.Axes.Select(a => a.Name).ToList();
        return root.TryGetProperty("report", out var r) && r.ValueKind != JsonValueKind.Null
            ? ReportSpec.Parse(r, axes, metrics)
            : ReportSpec.Default(axes);
    }

    private static JsonElement? ReportJson(JsonElement root) =>
        root.TryGetProperty("report", out var r) && r.ValueKind != JsonValueKind.Null ? r.Clone() : null;

    /// <summary>The command-line arguments of a task: the command and its positional arguments, the options, the
    /// task's axis values, and <c>--out</c> its run folder. A switch is passed when true and left out when false.</summary>
    /// <param name="task">The task.</param>
    /// <param name="runFolder">Its run folder.</param>
    /// <returns>The arguments of np, one string each (never joined into shell text).</returns>
    /// <exception cref="InvalidOperationException">A function sweep.</exception>
    public IReadOnlyList<string> Arguments(SweepTask task, string runFolder)
    {
        if (Command is null) throw new InvalidOperationException("a function sweep runs no np command.");
        var args = new List<string> { Command.Name };
        args.AddRange(Command.Positionals);
        foreach (var (flag, value) in Options.Concat(task.Parameters.Entries))
        {
            if (Switches.Contains(flag))
            {
                if (value.ValueKind == JsonValueKind.True) args.Add("--" + flag);
            }
            else
            {
                args.Add("--" + flag);
                args.Add(ParameterValue.ToArgument(value));
            }
        }
        args.Add("--out");
        args.Add(runFolder);
        return args;
    }

    /// <summary>The task's metrics from its run record: each metric's value, or JSON null where the record has none.</summary>
    /// <param name="runRecord">The root of run.json.</param>
    /// <returns>Metric name → value.</returns>
    public SweepValues ExtractMetrics(JsonElement runRecord) =>
        new(Metrics.Select(m => KeyValuePair.Create(m.Name, m.Path.Find(runRecord) ?? ParameterValue.Parse("null"))));

    /// <summary>The part of the specification that defines the tasks — command or function, options, axes and their
    /// values, combination — as compact JSON. Two specifications with the same identity give the same tasks; the
    /// metrics and the report may differ.</summary>
    /// <returns>The identity.</returns>
    public string Identity() => Write(identityOnly: true, indented: false);

    /// <summary>The whole specification in canonical form (numbers normalised, ranges expanded), indented: what
    /// <c>DIR/sweep.json</c> holds. It parses back to the same specification.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => Write(identityOnly: false, indented: true) + "\n";

    /// <summary>Which part of the identity differs from another specification's, for the message that refuses to run a
    /// different sweep into a folder: <c>command</c>, <c>options</c>, <c>axes.NAME</c>, <c>axes</c> or <c>combine</c>;
    /// null when the identities are equal.</summary>
    /// <param name="other">The other specification.</param>
    /// <returns>The key that differs, or null.</returns>
    public string? DifferenceFrom(SweepSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Identity() == other.Identity()) return null;
        if (Command?.ToString() != other.Command?.ToString() || Function != other.Function) return Function is null ? "command" : "function";
        if (Compact(Options) != Compact(other.Options)) return "options";
        var mine = Grid.Axes.Select(a => a.Name).ToList();
        var theirs = other.Grid.Axes.Select(a => a.Name).ToList();
        if (!mine.SequenceEqual(theirs)) return "axes";
        foreach (var a in Grid.Axes)
        {
            var b = other.Grid.Axes.First(x => x.Name == a.Name);
            if (a.Values.Count != b.Values.Count || a.Values.Zip(b.Values).Any(v => !ParameterValue.Same(v.First, v.Second))) return $"axes.{a.Name}";
        }
        return "combine";
    }

    private static string Compact(IReadOnlyList<KeyValuePair<string, JsonElement>> values) => new SweepValues(values).ToJson();

    private string Write(bool identityOnly, bool indented)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (Command is not null) w.WriteString("command", Command.ToString());
            if (Function is not null) w.WriteString("function", Function);
            if (Command is not null)
            {
                w.WriteStartObject("options");
                foreach (var (k, v) in Options)
                {
                    w.WritePropertyName(k);
                    v.WriteTo(w);
                }
                w.WriteEndObject();
            }
            w.WriteStartObject("axes");
            foreach (var a in Grid.Axes)
            {
                w.WriteStartArray(a.Name);
                foreach (var v in a.Values) v.WriteTo(w);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteString("combine", Grid.Combination == Combination.Zip ? "zip" : "product");
            if (!identityOnly)
            {
                if (Command is not null)
                {
                    w.WriteStartObject("metrics");
                    foreach (var m in Metrics) w.WriteString(m.Name, m.Path.Text);
                    w.WriteEndObject();
                }
                if (reportJson is { } report)
                {
                    w.WritePropertyName("report");
                    report.WriteTo(w);
                }
                if (WorkingDirectory is not null) w.WriteString("working_directory", WorkingDirectory);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
