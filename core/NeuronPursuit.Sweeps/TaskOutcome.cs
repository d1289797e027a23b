// SPDX-License-Identifier: MIT
using System.Text;
using System.Text.Json;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// What running one task gave: the content of its result file <c>DIR/tasks/&lt;index&gt;/result.json</c> and of its
/// row in the results database. Written by whoever ran the task (a local worker, or <c>np sweep run-task</c> on a
/// Slurm node), read back on the submitting host.
/// </summary>
public sealed record TaskOutcome
{
    /// <summary>The task's index.</summary>
    public required int Index { get; init; }

    /// <summary><see cref="TaskStatus.Done"/> or <see cref="TaskStatus.Failed"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The task's parameters as a JSON object.</summary>
    public required string Parameters { get; init; }

    /// <summary>The metrics as a JSON object (metric name → value or null), or null when nothing could be read.</summary>
    public string? Metrics { get; init; }

    /// <summary>Wall-clock time of the task, seconds (process start to exit, for a command sweep).</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Why the task failed (np's one-line message), or null.</summary>
    public string? Error { get; init; }

    /// <summary>The exit code of np, or null for a function sweep.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The host it ran on.</summary>
    public required string Host { get; init; }

    /// <summary>The Slurm array element (<c>JOBID_INDEX</c>) it ran as, or null.</summary>
    public string? SlurmJob { get; init; }

    /// <summary>UTC start, ISO 8601.</summary>
    public required string StartedUtc { get; init; }

    /// <summary>UTC end, ISO 8601.</summary>
    public required string FinishedUtc { get; init; }

    /// <summary>The outcome as the JSON of a result file (parameters and metrics as nested objects).</summary>
    /// <returns>The text.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("index", Index);
            w.WriteString("status", Status);
            w.WritePropertyName("parameters");
            w.WriteRawValue(Parameters);
            w.WritePropertyName("metrics");
            if (Metrics is null) w.WriteNullValue(); else w.WriteRawValue(Metrics);
            w.WriteNumber("wall_seconds", WallSeconds);
            w.WriteString("error", Error);
            if (ExitCode is int code) w.WriteNumber("exit_code", code); else w.WriteNull("exit_code");
            w.WriteString("host", Host);
            w.WriteString("slurm_job", SlurmJob);
            w.WriteString("started_utc", StartedUtc);
            w.WriteString("finished_utc", FinishedUtc);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Reads a result file's JSON.</summary>
    /// <param name="json">The text.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="JsonException">Malformed or incomplete.</exception>
    /// <exception cref="InvalidOperationException">A field of the wrong type.</exception>
    public static TaskOutcome FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var r = document.RootElement;
        JsonElement Get(string name) => r.TryGetProperty(name, out var v) ? v : throw new JsonException($"result file without '{name}'");
        string? Text(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var metrics = Get("metrics");
        return new TaskOutcome
        {
            Index = Get("index").GetInt32(),
            Status = Get("status").GetString() ?? throw new JsonException("result file without a status"),
            Parameters = SweepValues.FromJson(Get("parameters").GetRawText()).ToJson(),
            Metrics = metrics.ValueKind == JsonValueKind.Object ? SweepValues.FromJson(metrics.GetRawText()).ToJson() : null,
            WallSeconds = Get("wall_seconds").GetDouble(),
            Error = Text("error"),
            ExitCode = r.TryGetProperty("exit_code", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : null,
            Host = Text("host") ?? "",
            SlurmJob = Text("slurm_job"),
            StartedUtc = Text("started_utc") ?? "",
            FinishedUtc = Text("finished_utc") ?? "",
        };
    }
}
