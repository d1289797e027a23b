// SPDX-License-Identifier: MIT
/// How a sweep starts np for its tasks: the same np as the one running, by absolute path (its apphost beside np.dll,
/// or the dotnet host with np.dll), with an argument list — never through a shell.
module NeuronPursuit.Cli.NpLauncher

open System
open System.IO
open NeuronPursuit.Sweeps

/// The np of this process.
let current () =
    let dll = typeof<CommandLine.Parsed>.Assembly.Location
    let folder = Path.GetDirectoryName dll |> nonNull

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
