// SPDX-License-Identifier: MIT
/// `np sweep`: sweeps of np flow, np pursue or np check over any of their options — `run` on every core of this
/// machine, `submit` as a Slurm job array (each element runs `run-task`), `status`/`collect` to gather the results into
/// DIR/results.db on the submitting host, `report` for summary.csv, report.md and figures. The specification is
/// validated in full before anything is written.
module NeuronPursuit.Cli.SweepCommand

open System
open System.IO
open System.Threading
open NeuronPursuit
open NeuronPursuit.Sweeps
open NeuronPursuit.Sweeps.Slurm
open NeuronPursuit.Cli.Arguments
open NeuronPursuit.Cli.CommandLine
open NeuronPursuit.Cli.Inputs

/// The one-line usage error of a specification problem: "SPEC: axes.seed: is empty", or "--out: …".
let private specError (source: string) (e: SweepSpecException) =
    if e.Key.StartsWith "--" then
        UsageError $"{e.Key}: {e.Problem}"
    elif e.Key = "" then
        UsageError $"{source}: {e.Problem}"
    else
        UsageError $"{source}: {e.Key}: {e.Problem}"

let private guard (source: string) (f: unit -> 'T) =
    try
        f ()
    with :? SweepSpecException as e ->
        raise (specError source e)

/// Reads and validates a specification file of a command sweep.
let private readSpec (path: string) =
    if not (File.Exists path) then
        raise (UsageError $"'{path}': no such sweep specification.")

    let text =
        try
            File.ReadAllText path
        with
        | :? IOException
        | :? UnauthorizedAccessException as e -> raise (UsageError $"'{path}': cannot read it: {oneLine e}")

    let spec = guard path (fun () -> SweepSpec.Parse(text, SweepCatalog.commands))

    if isNull spec.Command then
        raise (UsageError $"{path}: function: a function sweep runs in an F# script (Sweep.run), not with np sweep.")

    spec

/// The sweep folder for a specification: checked (nothing written when it holds a different sweep), then created
/// or opened; the tasks run in the specification file's folder.
let private createFolder (spec: SweepSpec) (dir: string) (specPath: string) =
    guard dir (fun () -> SweepFolder.Check(dir, spec, SweepCatalog.commands))
    OutputFolder.ensureWritable dir
    let workingDirectory = Path.GetDirectoryName(Path.GetFullPath specPath) |> nonNull
    guard dir (fun () -> SweepFolder.Create(dir, spec, workingDirectory, SweepCatalog.commands))

let private openFolder (dir: string) =
    guard dir (fun () -> SweepFolder.Open(dir, SweepCatalog.commands))

/// "np flow --example fig1 … over init-scale (6) × seed (8) = 48 tasks".
let private describe (spec: SweepSpec) =
    let what =
        match spec.Command with
        | null -> $"function {spec.Function}"
        | command ->
            let options =
                [ for KeyValue(k, v) in spec.Options ->
                      match v.ValueKind with
                      | Text.Json.JsonValueKind.True -> $"--{k}"
                      | Text.Json.JsonValueKind.False -> ""
                      | _ -> $"--{k} {ParameterValue.ToArgument v}" ]
                |> List.filter (fun s -> s <> "")

            String.Join(" ", [ $"np {command}" ] @ options)

    let joiner =
        if spec.Grid.Combination = Combination.Zip then
            " zipped with "
        else
            " × "

    let axes =
        String.Join(joiner, [ for a in spec.Grid.Axes -> $"{a.Name} ({a.Values.Count})" ])

    $"{what} over {axes} = {spec.Grid.Count} tasks"

/// Ingests result files (and, when the sweep was submitted to Slurm, Slurm's view) into results.db.
let private refresh (folder: SweepFolder) (err: TextWriter) =
    if folder.Store.Submissions().Count > 0 then
        match SlurmSubmitter.Refresh folder with
        | null -> ()
        | warning -> err.WriteLine($"np: warning: {warning}")
    else
        folder.IngestResultFiles() |> ignore

/// "48 tasks: 40 done, 2 running, 6 queued".
let private counts (rows: TaskRecord list) =
    let parts =
        [ for s in TaskStatus.All do
              let n = rows |> List.filter (fun r -> r.Status = s) |> List.length

              if n > 0 then
                  yield $"{n} {s}" ]

    $"""{rows.Length} tasks: {String.Join(", ", parts)}"""

/// 0 when every task is done; 3 while some are still to run (pending, queued or running); else 1: every task ran
/// and some failed (failed, timed out or cancelled).
let private exitCode (rows: TaskRecord list) =
    if rows |> List.forall (fun r -> r.Status = TaskStatus.Done) then
        0
    elif
        rows
        |> List.exists (fun r -> r.Status = TaskStatus.Pending || TaskStatus.IsActive r.Status)
    then
        3
    else
        1

let private failureLines (rows: TaskRecord list) =
    let failures = rows |> List.filter (fun r -> TaskStatus.IsFailure r.Status)

    [ for r in failures |> List.truncate 20 do
          yield $"  task {r.Index} ({r.Parameters}): {r.Status}: {r.Error}"
      if failures.Length > 20 then
          yield $"  … and {failures.Length - 20} more (np sweep report writes them all to summary.csv)" ]

/// The one operand of a sweep subcommand (its specification or folder), or a UsageError naming what is missing.
let private operand (what: string) (args: Parsed) =
    match args.Operands with
    | [ value ] -> value
    | _ -> raise (UsageError $"{args.Command.Title}: name {what}.")

/// The value of a flag the subcommand requires, or a UsageError naming it.
let private required (arg: Arg<'T>) (args: Parsed) =
    args.TryGet arg
    |> Option.defaultWith (fun () ->
        raise (UsageError $"{arg.Flag.Text}: missing; {args.Command.Title} requires it (see {args.Command.Title} --help)."))

let private runLocal (args: Parsed) (out: TextWriter) (err: TextWriter) =
    let path = operand "the sweep specification (JSON)" args
    let dir = required SweepArgs.out args

    let workers = args.Get(SweepArgs.workers, Environment.ProcessorCount)

    if workers < 1 then
        raise (UsageError $"--workers: must be at least 1, got {workers}.")

    let spec = readSpec path
    use folder = createFolder spec dir path
    refresh folder err

    let held =
        folder.Store.Tasks()
        |> Seq.filter (fun r -> TaskStatus.IsActive r.Status && not (isNull r.SlurmJob))
        |> List.ofSeq

    if not held.IsEmpty then
        raise (
            UsageError
                $"--out: {held.Length} tasks of '{dir}' are queued or running in Slurm (job {held.Head.SlurmJob}); wait for them (np sweep status) or cancel them (scancel) first."
        )

    let np = NpLauncher.current ()
    out.WriteLine($"sweep: {describe folder.Spec}; {workers} workers; folder {folder.Path}")
    out.Flush()
    let gate = obj ()
    let line = ProgressLine.forConsole err "sweep"

    let progress: IProgress<SweepProgress> | null =
        match line with
        | Some l ->
            { new IProgress<SweepProgress> with
                member _.Report p = lock gate (fun () -> l.Show(string p)) }
        | None -> null

    let finished (o: TaskOutcome) =
        if o.Status <> TaskStatus.Done then
            lock gate (fun () ->
                line |> Option.iter (fun l -> l.Clear())
                out.WriteLine($"task {o.Index} ({SweepValues.FromJson o.Parameters}) failed: {o.Error}")
                out.Flush())

    let summary =
        try
            guard dir (fun () ->
                LocalExecutor.Run(
                    folder,
                    (fun task -> TaskProcess.Run(folder.Spec, folder.Path, task, np, null)),
                    workers,
                    progress,
                    Action<_> finished
                ))
        finally
            line |> Option.iter (fun l -> l.Clear())

    out.WriteLine(
        $"{summary.Done} of {summary.Total} tasks done, {summary.Failed} failed ({summary.Ran} run now, {summary.Skipped} done before) in {summary.WallSeconds:F1} s; results: {Path.Combine(folder.Path, SweepFolder.DatabaseFile)}"
    )

    if summary.Failed > 0 then
        err.WriteLine($"np: {summary.Failed} of {summary.Total} tasks failed (np sweep status {dir} lists them; np sweep run again retries them).")
        1
    else
        0

let private submit (args: Parsed) (out: TextWriter) (err: TextWriter) =
    if not (args.Has SweepArgs.slurm) then
        raise (UsageError "--slurm: name the scheduler to submit to; np sweep submit supports Slurm (--slurm).")

    let options =
        guard "" (fun () ->
            SlurmOptions(
                args.TryGet SweepArgs.partition |> Option.toObj,
                args.TryGet SweepArgs.time |> Option.toObj,
                args.TryGet SweepArgs.cpusPerTask |> Option.toNullable,
                args.TryGet SweepArgs.maxParallel |> Option.toNullable
            )
                .Validate())

    let path = operand "the sweep specification (JSON)" args
    let dir = required SweepArgs.out args
    let spec = readSpec path
    use folder = createFolder spec dir path
    // Not while a local run works on the folder: its running tasks would run twice.
    use _ = guard dir (fun () -> folder.Lock())
    refresh folder err
    let np = NpLauncher.current ()
    let dryRun = args.Has SweepArgs.dryRun

    match SlurmSubmitter.Submit(folder, np.Argv [ "sweep"; "run-task"; folder.Path ], options, dryRun) with
    | null ->
        out.WriteLine($"nothing to submit: {counts (List.ofSeq (folder.Store.Tasks()))} (np sweep status {dir})")
        0
    | r when dryRun ->
        out.Write(File.ReadAllText r.ScriptPath)
        out.WriteLine($"dry run: wrote {r.ScriptPath} for {r.Indices.Count} tasks (--array={r.Submission.Array}); nothing submitted.")
        out.WriteLine($"To submit it by hand, run sbatch --parsable on it from the sweep folder ({folder.Path}).")
        0
    | r ->
        let tasks =
            if r.Indices.Count = 1 then
                "1 task"
            else
                $"{r.Indices.Count} tasks"

        out.WriteLine(
            $"submitted Slurm job {r.Submission.JobId}: {tasks} of {describe folder.Spec} (--array={r.Submission.Array}); script {r.ScriptPath}"
        )

        out.WriteLine($"follow it with np sweep status {dir}; np sweep collect {dir} --wait gathers the results.")
        0

let private runTask (args: Parsed) (out: TextWriter) (err: TextWriter) =
    let dir = operand "the sweep folder" args
    let index = required SweepArgs.index args
    let spec = guard dir (fun () -> SweepFolder.ReadSpec(dir, SweepCatalog.commands))

    if isNull spec.Command then
        raise (UsageError $"'{dir}' holds a function sweep; its tasks run in the F# script that defines it.")

    if index < 0 || index >= spec.Grid.Count then
        raise (UsageError $"--index: the sweep in '{dir}' has tasks 0..{spec.Grid.Count - 1}, not {index}.")

    let slurmJob =
        match Environment.GetEnvironmentVariable "SLURM_ARRAY_JOB_ID", Environment.GetEnvironmentVariable "SLURM_ARRAY_TASK_ID" with
        | null, _
        | _, null -> null
        | job, task -> $"{job}_{task}"

    let full = Path.GetFullPath dir

    let outcome =
        TaskProcess.Run(spec, full, spec.Grid.Task index, NpLauncher.current (), slurmJob)

    ResultFile.Write(Path.Combine(SweepFolder.TaskFolderOf(full, index), ResultFile.Name), outcome)
    out.WriteLine($"task {index} ({SweepValues.FromJson outcome.Parameters}): {outcome.Status} in {outcome.WallSeconds:F2} s")

    if outcome.Status = TaskStatus.Done then
        0
    else
        err.WriteLine($"np: task {index} failed: {outcome.Error}")
        1

let private status (args: Parsed) (out: TextWriter) (err: TextWriter) =
    let dir = operand "the sweep folder" args
    use folder = openFolder dir
    refresh folder err
    let rows = List.ofSeq (folder.Store.Tasks())
    out.WriteLine($"sweep {folder.Path}: {describe folder.Spec}")
    out.WriteLine(counts rows)

    for s in folder.Store.Submissions() do
        out.WriteLine($"Slurm job {s.JobId}: --array={s.Array}, submitted {s.SubmittedUtc}")

    for r in rows |> List.filter (fun r -> r.Status = TaskStatus.Running) |> List.truncate 10 do
        let host = if isNull r.Host then "" else " on " + r.Host
        let slurm = if isNull r.SlurmJob then "" else " as " + r.SlurmJob
        out.WriteLine($"  running: task {r.Index} ({r.Parameters}){host}{slurm}")

    for l in failureLines rows do
        out.WriteLine l

    let walls =
        rows
        |> List.choose (fun r ->
            if r.Status = TaskStatus.Done then
                Option.ofNullable r.WallSeconds
            else
                None)

    if not walls.IsEmpty then
        out.WriteLine($"task time of the done tasks: {List.sum walls:F1} s in all, {List.average walls:F2} s each on average")

    exitCode rows

let private collect (args: Parsed) (out: TextWriter) (err: TextWriter) =
    let dir = operand "the sweep folder" args
    use folder = openFolder dir

    let line =
        if args.Has SweepArgs.wait then
            ProgressLine.forConsole err "sweep collect"
        else
            None

    let rec loop () =
        refresh folder err
        let rows = List.ofSeq (folder.Store.Tasks())

        if
            args.Has SweepArgs.wait
            && rows
               |> List.exists (fun r -> TaskStatus.IsActive r.Status && not (isNull r.SlurmJob))
        then
            line |> Option.iter (fun l -> l.Show(counts rows))
            Thread.Sleep 2000
            loop ()
        else
            rows

    let rows =
        try
            loop ()
        finally
            line |> Option.iter (fun l -> l.Clear())

    out.WriteLine($"{counts rows}; results: {Path.Combine(folder.Path, SweepFolder.DatabaseFile)}")

    for l in failureLines rows do
        out.WriteLine l

    exitCode rows

let private report (args: Parsed) (out: TextWriter) (err: TextWriter) =
    let dir = operand "the sweep folder" args
    use folder = openFolder dir
    refresh folder err
    let spec = folder.Spec
    let figures = [ for f in spec.Report.Figures -> SweepReport.ofSpec f ]

    let files =
        SweepReport.write folder.Path (describe spec) (Option.ofObj spec.Report.Replicates) figures

    out.WriteLine($"""{counts (List.ofSeq (folder.Store.Tasks()))}; wrote {String.Join(", ", files)} in {folder.Path}""")
    0

/// `np sweep …`: returns the subcommand's exit code; raises UsageError for bad input (exit 2, nothing written).
let run (args: Parsed) (out: TextWriter) (err: TextWriter) =
    ProblemOptions.allowOnly "sweep" [] args

    try
        match args.Command.Path with
        | [ "sweep"; "run" ] -> runLocal args out err
        | [ "sweep"; "submit" ] -> submit args out err
        | [ "sweep"; "run-task" ] -> runTask args out err
        | [ "sweep"; "status" ] -> status args out err
        | [ "sweep"; "collect" ] -> collect args out err
        | [ "sweep"; "report" ] -> report args out err
        | _ -> raise (UsageError "sweep: name one subcommand: run, submit, run-task, status, collect or report (see np sweep --help).")
    with :? SlurmException as e ->
        err.WriteLine($"np: {e.Message}")
        1
