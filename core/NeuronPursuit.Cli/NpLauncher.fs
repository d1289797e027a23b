// SPDX-License-Identifier: MIT
/// How a sweep starts np for its tasks: the same np as the one running, by absolute path (its apphost beside np.dll,
/// or the dotnet host with np.dll), with an argument list — never through a shell.
module NeuronPursuit.Cli.NpLauncher

open System
open System.IO
open NeuronPursuit.Sweeps

/// The np beside np.dll in `folder`: its apphost, or the dotnet host with np.dll.
let private ofFolder (folder: string) (dll: string) =
    let apphost =
        Path.Combine(folder, if OperatingSystem.IsWindows() then "np.exe" else "np")

    if File.Exists apphost then
        NpCommand(apphost, [||])
    else
        // np runs on the dotnet host (dotnet np.dll): start the same host with the same np.dll.
        let host =
            match Environment.ProcessPath with
            | null -> "dotnet"
            | path when Path.GetFileNameWithoutExtension path = "dotnet" -> path
            | _ ->
                Environment.GetEnvironmentVariable "DOTNET_HOST_PATH"
                |> Option.ofObj
                |> Option.defaultValue "dotnet"

        NpCommand(host, [| dll |])

/// The np of this process.
[<Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile",
                                                        "IL3000",
                                                        Justification = "np compiled ahead of time (no np.dll, an empty location) is handled.")>]
let current () =
    let dll = typeof<CommandLine.Parsed>.Assembly.Location

    match Path.GetDirectoryName dll, Environment.ProcessPath with
    // np compiled ahead of time has no np.dll: the executable itself.
    | (null | ""), (null | "") -> invalidOp "the path of this np executable is unknown."
    | (null | ""), path -> NpCommand(nonNull path, [||])
    | folder, _ -> ofFolder folder dll
