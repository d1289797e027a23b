// SPDX-License-Identifier: MIT
/// The documentation site as built by `dotnet fsi build.fsx docs` (output/docs): every local link of every page leads
/// to a file, and the index and the quick start's page (a literate script with its table and figures) open in headless
/// Chromium over HTTP without a missing resource, are not blank, and show what they should.
module NeuronPursuit.Tests.Docs.SiteTests

open System
open System.IO
open Expecto
open SkiaSharp
open NeuronPursuit.Tests.Support

/// output/docs, after checking that the site was built.
let private site () =
    let dir = Path.Combine(Requirements.repositoryRoot (), "output", "docs")
    Requirements.require (File.Exists(Path.Combine(dir, "index.html"))) "the documentation site (output/docs)"
    dir

/// The file a local link of a page leads to (links starting with / are relative to the site's root).
let private target (site: string) (page: string) (link: string) =
    let path = link.Split('#').[0].Split('?').[0] |> Uri.UnescapeDataString

    if path = "" then
        page
    elif path.StartsWith "/" then
        Path.Combine(site, path.TrimStart '/')
    else
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName page |> nonNull, path))

/// Opens a page in Chromium and returns its DOM, after checking it is not blank and nothing it asked for was missing.
let private open' (site: string) (page: string) =
    Requirements.require (Browser.chromium ()).IsSome "chromium"
    use server = new Browser.StaticServer(site)

    let shot =
        Path.Combine(Path.GetTempPath(), $"np-site-{Path.GetFileNameWithoutExtension page}-{Guid.NewGuid():N}.png")

    Browser.screenshot (server.Url page) shot 1280 2000
    let ink = Browser.ink shot
    Expect.isGreaterThan ink 0.02 $"{page} is not blank ({ink:P1} of the pixels differ from the background; {shot})"
    Expect.isEmpty server.Missing $"{page}: every resource it asked for exists"

    Expect.isTrue
        (server.Requests
         |> List.exists (fun (path, status) -> path.EndsWith ".css" && status = 200))
        $"{page}: its style sheet was served"

    Browser.dom (server.Url page)

let tests =
    testSequenced
    <| testList "documentation site" [
        test "every local link and image of every page leads to a file" {
            let site = site ()
            let pages = Directory.GetFiles(site, "*.html", SearchOption.AllDirectories)
            Expect.isGreaterThan pages.Length 20 "the pages, the script pages and the API reference"

            let broken =
                [ for page in pages do
                      for link in Browser.links (File.ReadAllText page) do
                          if not (Browser.isExternal link) then
                              let file = target site page link

                              if not (File.Exists file || File.Exists(Path.Combine(file, "index.html"))) then
                                  yield $"{Path.GetRelativePath(site, page)} → {link}" ]

            Expect.equal broken [] "broken links (page → link)"

            let external =
                [ for page in pages do
                      for m in
                          Text.RegularExpressions.Regex.Matches(File.ReadAllText page, "<(?:script|link|img)[^>]+(?:src|href)=\"(https?://[^\"]*)\"") ->
                          $"{Path.GetRelativePath(site, page)} → {m.Groups.[1].Value}" ]

            Expect.isEmpty external "no style sheet or script is fetched from elsewhere: the site works offline"
        }
        test "the index opens: the overview, the links to the worked examples and the API reference" {
            let html = open' (site ()) "index.html"
            Expect.stringContains html "A numerical workbench" "the overview"

            for page in
                [ "scripts/quickstart.html"
                  "architecture.html"
                  "claims.html"
                  "reference/index.html" ] do
                Expect.stringContains html $"href=\"{page}\"" $"links to {page}"
        }
        test "the quick start's page shows its code, the table it printed and its two figures" {
            let html = open' (site ()) "scripts/quickstart.html"
            Expect.stringContains html "Quick start" "its title"
            Expect.stringContains html "limitOf" "its code"
            Expect.stringContains html "delta^(L-2) T_esc" "the table it printed"
            Expect.stringContains html "200.5399" "with the numbers it computed (τ* = 200.539929)"
            let images = Browser.embeddedImages html
            Expect.equal images.Length 2 "two figures"

            for alt, png in images do
                use bitmap = SKBitmap.Decode png |> nonNull
                Expect.equal (bitmap.Width, bitmap.Height) (800, 500) $"{alt}: the figure as drawn"
        }
    ]
