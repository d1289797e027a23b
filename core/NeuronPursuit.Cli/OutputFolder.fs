// SPDX-License-Identifier: MIT
/// The output folder of a run (`--out DIR`), written so that no result is ever lost or half-written:
///
/// - `create dir overwrite` refuses, before any time is spent computing, a `dir` that exists and is not empty unless
///   `overwrite` (the command's `--overwrite`) is set, and proves that the parent folder is writable;
/// - the run writes its files into `folder.Path`, a temporary sibling of `dir` (`.DIR.partial-…`, on the same file
///   system, so that the final move is a rename);
/// - `folder.Commit()` moves the complete folder into place (replacing the old `dir` only now, with `--overwrite`), and
///   disposing an uncommitted folder deletes the temporary one: a run that fails with bad input or an internal error
///   leaves nothing behind, and a run that ends early (diverged, interrupted) commits what it wrote with that status.
///
/// A command adopts it in four lines:
///
///     use folder = OutputFolder.create dir (args.Contains Overwrite)   // after validating the other options
///     … write every file to folder.File "name.csv" …
///     folder.Commit()
///     … print summaries naming `dir` …
module NeuronPursuit.Cli.OutputFolder

open System
open System.IO
open NeuronPursuit.Cli.Inputs

/// A run's output folder being written; see the module's comment.
type OutputFolder internal (final: string, staging: string, createdParents: string list) =
    let mutable committed = false

    /// The folder as given (--out); it holds the files once committed.
    member _.Final = final

    /// Where the files are written until the commit.
    member _.Path = staging

    /// The path of a file of the run, to write to.
    member _.File(name: string) = Path.Combine(staging, name)

    /// Whether `Commit` has run.
    member _.IsCommitted = committed

    /// Moves the written folder into place, replacing an existing (empty, or --overwrite) folder only now.
    member _.Commit() =
        if not committed then
            if Directory.Exists final then
                // Moved aside first, so that a failure of the delete cannot leave a half-deleted folder in place.
                let aside =
                    Path.Combine(
                        Path.GetDirectoryName(Path.GetFullPath final) |> nonNull,
                        $".{Path.GetFileName(Path.TrimEndingDirectorySeparator final)}.replaced-{Guid.NewGuid():N}"
                    )

                Directory.Move(final, aside)
                Directory.Move(staging, final)
                Directory.Delete(aside, true)
            else
                Directory.Move(staging, final)

            committed <- true

    interface IDisposable with
        member _.Dispose() =
            if not committed then
                try
                    if Directory.Exists staging then
                        Directory.Delete(staging, true)
                    // The parents this run created, innermost first, while they are empty.
                    for dir in createdParents do
                        if Directory.Exists dir && Seq.isEmpty (Directory.EnumerateFileSystemEntries dir) then
                            Directory.Delete dir
                with
                | :? IOException
                | :? UnauthorizedAccessException -> ()

/// Creates a folder (and its parents) and writes and deletes a probe file in it: None when that worked, else the
/// reason in one line.
let private createWritable (dir: string) =
    try
        Directory.CreateDirectory dir |> ignore
        let probe = Path.Combine(dir, $".np-write-test-{Guid.NewGuid():N}")
        File.WriteAllText(probe, "")
        File.Delete probe
        None
    with
    | :? IOException
    | :? UnauthorizedAccessException
    | :? ArgumentException
    | :? NotSupportedException as e -> Some(oneLine e)

/// Whether a folder exists and holds anything.
let private nonEmpty (dir: string) =
    Directory.Exists dir
    && not (Seq.isEmpty (Directory.EnumerateFileSystemEntries dir))

/// Refuses an existing non-empty `dir` unless `overwrite`, a `dir` that is a file, or a parent that cannot be written
/// (one-line UsageErrors naming --out); otherwise creates the temporary sibling folder the run writes to.
let create (dir: string) (overwrite: bool) =
    let fail (problem: string) =
        raise (UsageError $"--out: '{dir}' {problem}")

    if String.IsNullOrWhiteSpace dir then
        raise (UsageError "--out: the output folder name is empty.")

    let full =
        try
            Path.GetFullPath dir
        with
        | :? ArgumentException
        | :? NotSupportedException
        | :? PathTooLongException as e -> fail $"is not a usable folder name: {oneLine e}"

    let full = Path.TrimEndingDirectorySeparator full

    if File.Exists full then
        fail "is a file, not a folder."

    if nonEmpty full && not overwrite then
        fail "exists and is not empty; choose another folder or pass --overwrite to replace it when the run completes."

    let parent =
        match Path.GetDirectoryName full with
        | null -> fail "is the root of the file system; choose a folder inside it."
        | parent -> parent

    let staging =
        Path.Combine(parent, $".{Path.GetFileName full}.partial-{Guid.NewGuid():N}")

    let missingParents =
        Some parent
        |> List.unfold (fun dir ->
            match dir with
            | Some dir when not (Directory.Exists dir) -> Some(dir, Option.ofObj (Path.GetDirectoryName dir))
            | _ -> None)

    match createWritable staging with
    | Some problem ->
        (new OutputFolder(full, staging, missingParents) :> IDisposable).Dispose()
        fail $"cannot be written: {problem}"
    | None -> new OutputFolder(full, staging, missingParents)

/// A folder that outlives one run and is written in place — a sweep's folder, resumable, whose database is
/// transactional and whose result files are written atomically (never staged): creates it and its parents and proves
/// it writable; a one-line UsageError naming --out otherwise.
let ensureWritable (dir: string) =
    match createWritable dir with
    | Some problem -> raise (UsageError $"--out: cannot write to '{dir}': {problem}")
    | None -> ()
