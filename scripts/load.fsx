// SPDX-License-Identifier: MIT
(**
# Helpers of the figure scripts

The figure scripts load this file after referencing the F# surface (`#r "nuget: NeuronPursuit.FSharp, 0.1.0"`). It
holds the one helper they share: where their figures go, and how a figure is written as a PNG with a CSV of its
numbers, and shown as an image on the documentation pages.
*)
#r "nuget: NeuronPursuit.FSharp, 0.1.0"

open System
open System.IO
open NeuronPursuit

/// The output folder of a figure script: its first argument, else /tmp/np-figures/<script>; created.
let outputFolder (script: string) =
    let args = fsi.CommandLineArgs |> Array.skip 1

    let dir =
        if args.Length > 0 then
            args.[0]
        else
            Path.Combine(Path.GetTempPath(), "np-figures", script)

    Directory.CreateDirectory dir |> ignore
    dir

/// A figure written by `save`; on a documentation page (`(*** include-it-raw ***)`) it shows as the image itself.
type SavedFigure(title: string, png: string) =
    /// The PNG file.
    member _.Png = png

    override _.ToString() =
        if File.Exists png then
            let data = Convert.ToBase64String(File.ReadAllBytes png)
            let alt = Net.WebUtility.HtmlEncode title
            $"<figure><img alt=\"{alt}\" src=\"data:image/png;base64,{data}\"><figcaption>{alt}</figcaption></figure>"
        else
            $"<p>(no figure: nothing to draw for {Net.WebUtility.HtmlEncode title})</p>"

/// Writes a figure as <name>.png and its numbers as <name>.csv into the folder, and says so.
let save (dir: string) (name: string) (figure: Figure) =
    let png = Path.Combine(dir, name + ".png")

    if Plot.save png figure then
        printfn "wrote %s" png
    else
        printfn "nothing to draw for %s" png

    Plot.saveCsv (Path.Combine(dir, name + ".csv")) figure
    SavedFigure(figure.Title, png)
