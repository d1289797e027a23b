// SPDX-License-Identifier: MIT
/// report.html of `np flow`, `np pursue` and `np check`, opened in headless Chromium over HTTP: the page asks for
/// nothing but itself (self-contained), is not blank, shows the run's status and tables, and embeds every figure the run
/// drew as a decodable PNG of the figure's size.
module NeuronPursuit.Tests.Cli.ReportTests

open System.IO
open Expecto
open SkiaSharp
open NeuronPursuit
open NeuronPursuit.Tests.Support
open NeuronPursuit.Tests.Support.NpRunner

/// Opens DIR/report.html in Chromium; returns its DOM after checking what every report must satisfy.
let private look (dir: string) (name: string) =
    Requirements.require (Browser.chromium ()).IsSome "chromium"
    use server = new Browser.StaticServer(dir)

    let shot =
        Path.Combine(Path.GetTempPath(), $"np-report-{name}-{System.Guid.NewGuid():N}.png")

    Browser.screenshot (server.Url "report.html") shot 1200 1600
    let ink = Browser.ink shot
    Expect.isGreaterThan ink 0.02 $"{name}: the page is not blank ({ink:P1} of the pixels differ from the background; {shot})"

    let others =
        server.Requests
        |> List.filter (fun (path, _) -> path <> "/report.html" && path <> "/favicon.ico")

    Expect.isEmpty others $"{name}: the report fetches nothing but itself"
    Expect.isEmpty server.Missing $"{name}: nothing missing"
    let html = Browser.dom (server.Url "report.html")
    Expect.stringContains html "<h1>" $"{name}: rendered with its title"
    html

/// Asserts that the page embeds the figures (captions) as PNGs of the given size.
let private expectImages (html: string) (expected: (string * int * int) list) =
    let images = Browser.embeddedImages html
    Expect.equal images.Length expected.Length $"""figures embedded: {images |> List.map fst}"""

    for (alt, png), (caption, width, height) in List.zip images expected do
        Expect.stringContains alt caption "caption"
        use bitmap = SKBitmap.Decode png |> nonNull
        Expect.equal (bitmap.Width, bitmap.Height) (width, height) $"{caption}: a PNG of the figure's size"

let tests =
    testSequenced
    <| testList "report.html in a browser" [
        test "np flow: status, configuration, result and both figures" {
            let out = Path.Combine(tempDir (), "flow")

            let code, _, err =
                np (
                    teacherNet
                    @ [ "--init-scale"
                        "1e-3"
                        "--seed"
                        "7"
                        "--t-end"
                        "100"
                        "--observe"
                        "loss,norm,grad_norm"
                        "--out"
                        out ]
                )

            Expect.equal code 0 $"exit code; {err}"
            let html = look out "flow"

            for text in [ "completed"; "Integration"; "dp5"; "final loss"; "relu-power:2" ] do
                Expect.stringContains html text $"shows {text}"

            expectImages html [ "loss against t", 800, 500; "norms against t", 800, 500 ]
        }
        test "np pursue: stop reason, iteration table and the loss figure; a diverged run says why" {
            let dir, csv = teacherCsv ()
            let out = Path.Combine(dir, "run")

            let code, _, err =
                np [ "pursue"; "--data"; csv; "--depth"; "2"; "--threads"; "1"; "--out"; out ]

            Expect.equal code 0 $"exit code; {err}"
            let html = look out "pursue"

            let iterations =
                (runJson out).GetProperty("result").GetProperty("iterations").GetInt32()

            Expect.stringContains html "Iterations" "the iteration table"
            Expect.stringContains html $"<td class=\"num\">{iterations}</td>" "its last row"
            expectImages html [ "training loss against epochs", 900, 500 ]
            let diverged = Path.Combine(dir, "diverged")

            let code, _, _ =
                np [
                    "pursue"
                    "--data"
                    csv
                    "--depth"
                    "2"
                    "--eta"
                    "1e3"
                    "--threads"
                    "1"
                    "--out"
                    diverged
                ]

            Expect.equal code 1 "a diverged run exits 1"
            let html = look diverged "pursue-diverged"
            Expect.stringContains html "status bad\">diverged" "the status, marked bad"
            Expect.stringContains html "2/λ_max" "the cause"
        }
        test "np check: overall verdict, the summary table and each check's details" {
            let out = Path.Combine(tempDir (), "checks")
            let code, _, err = np [ "check"; "two-layer-balance"; "--out"; out ]
            Expect.equal code 0 $"exit code; {err}"
            let html = look out "check"
            Expect.stringContains html "status good\">PASS" "the overall verdict"
            Expect.stringContains html "<h2>two-layer-balance</h2>" "the check's section"
            Expect.stringContains html "Criterion" "its criterion"
        }
    ]
