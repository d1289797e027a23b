// SPDX-License-Identifier: MIT
/// The startup profile of a subcommand: the runtime's multicore JIT (System.Runtime.ProfileOptimization) records which
/// methods a run compiled at run time (the Vector512 kernels, which have no precompiled code, generic instantiations
/// reached through interfaces), and the next run of the same subcommand
/// compiles them on the second core, ahead of the main thread that needs them. It changes when code is compiled, never
/// what a run computes.
///
/// The profiles live in `$XDG_CACHE_HOME/neuronpursuit` (default `~/.cache/neuronpursuit`), one per subcommand (and
/// integration method and precision), and are rewritten at the end of every run, so they follow the binary (the runtime
/// skips the methods of assemblies whose build changed). `NP_STARTUP_PROFILE=0` turns them off. Of several np processes
/// running at once, the one holding the profile's lock file uses and rewrites it; the others run without one, so no two
/// processes write the same profile.
module NeuronPursuit.Cli.StartupProfile

open System
open System.IO
open System.Runtime

/// The subcommands that use a profile (`version` and `--help` compile too little to gain).
let private commands = set [ "flow"; "pursue"; "check"; "eval"; "predict"; "sweep" ]

/// The lock on the subcommand's profile, held (and referenced, so never finalised) until the process ends: the runtime
/// writes the profile while shutting down, before the operating system releases the lock.
let mutable private held: FileStream option = None

/// The cache folder: `$XDG_CACHE_HOME/neuronpursuit`, or `~/.cache/neuronpursuit` when that is unset or not absolute;
/// None without a home folder either.
let private folder () =
    let absolute (path: string | null) =
        match path with
        | null -> None
        | path when path = "" || not (Path.IsPathRooted path) -> None
        | path -> Some path

    match absolute (Environment.GetEnvironmentVariable "XDG_CACHE_HOME") with
    | Some cache -> Some(Path.Combine(cache, "neuronpursuit"))
    | None ->
        absolute (Environment.GetFolderPath Environment.SpecialFolder.UserProfile)
        |> Option.map (fun home -> Path.Combine(home, ".cache", "neuronpursuit"))

/// The profile's name, without extension: the subcommand and the values of the options that choose which code a run
/// compiles (`--method`, `--precision`), as written on the command line: `flow-radau5-double`, `pursue`. A run records
/// only the methods it used, so runs of different methods keep different profiles.
let private name (command: string) (argv: string[]) =
    let valueOf option =
        match Array.tryFindIndex ((=) option) argv with
        | Some i when
            i + 1 < argv.Length
            && argv[i + 1] |> Seq.forall (fun c -> Char.IsLetterOrDigit c || c = '-')
            ->
            [ argv[i + 1] ]
        | _ -> []

    String.Join("-", command :: valueOf "--method" @ valueOf "--precision")

/// Starts the profile of the subcommand named on the command line, if it has one and the cache folder is usable;
/// otherwise (no home, read-only cache, another np holding the lock) the run compiles as it would without one.
let start (argv: string[]) =
    match argv |> Array.tryFind (fun a -> not (a.StartsWith '-')) with
    | Some command when
        commands.Contains command
        && Environment.GetEnvironmentVariable "NP_STARTUP_PROFILE" <> "0"
        ->
        try
            folder ()
            |> Option.iter (fun root ->
                Directory.CreateDirectory root |> ignore
                let profile = name command argv

                let lock = Path.Combine(root, profile + ".lock")
                held <- Some(new FileStream(lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))

                ProfileOptimization.SetProfileRoot root
                ProfileOptimization.StartProfile(profile + ".jitprofile"))
        with
        | :? IOException
        | :? UnauthorizedAccessException -> ()
    | _ -> ()
