// SPDX-License-Identifier: MIT
/// Looking at pages as a person would, for the tests of the documentation site and the run reports: a static HTTP
/// server on the loopback address that logs every request, headless Chromium (Debian's `chromium`) for screenshots and
/// the DOM after the page's scripts ran, a blank-page measure of a screenshot, and the links of a page.
module NeuronPursuit.Tests.Support.Browser

open System
open System.Diagnostics
open System.IO
open System.Net
open System.Net.Sockets
open System.Text.RegularExpressions
open System.Threading
open Expecto
open SkiaSharp

/// Chromium's executable on PATH, if any.
let chromium () =
    Requirements.onPath [ "chromium"; "chromium-browser" ]

/// A free TCP port on the loopback address.
let private freePort () =
    let probe = new TcpListener(IPAddress.Loopback, 0)
    probe.Start()
    let port = (probe.LocalEndpoint :?> IPEndPoint).Port
    probe.Stop()
    port

/// Serves the files of a folder on 127.0.0.1 and records every request (path, status); stops when disposed.
type StaticServer(root: string) =
    let port = freePort ()
    let listener = new HttpListener()
    let requests = Collections.Concurrent.ConcurrentQueue<string * int>()
    let stop = new CancellationTokenSource()

    let contentType (path: string) =
        match (Path.GetExtension path |> nonNull).ToLowerInvariant() with
        | ".html" -> "text/html; charset=utf-8"
        | ".css" -> "text/css"
        | ".js" -> "text/javascript"
        | ".json" -> "application/json"
        | ".png" -> "image/png"
        | ".svg" -> "image/svg+xml"
        | _ -> "application/octet-stream"

    let serve (context: HttpListenerContext) =
        let request = context.Request.Url |> nonNull
        let relative = Uri.UnescapeDataString(request.AbsolutePath).TrimStart('/')
        let path = Path.GetFullPath(Path.Combine(root, relative))

        let file =
            if Directory.Exists path then
                Path.Combine(path, "index.html")
            else
                path

        let inside = path.StartsWith(Path.GetFullPath root, StringComparison.Ordinal)
        let status = if inside && File.Exists file then 200 else 404
        requests.Enqueue((request.AbsolutePath, status))
        let response = context.Response
        response.StatusCode <- status

        if status = 200 then
            response.ContentType <- contentType file
            let bytes = File.ReadAllBytes file
            response.ContentLength64 <- int64 bytes.Length
            response.OutputStream.Write(bytes, 0, bytes.Length)

        response.Close()

    do
        listener.Prefixes.Add($"http://127.0.0.1:{port}/")
        listener.Start()

        let loop () =
            while not stop.IsCancellationRequested do
                try
                    let context = listener.GetContext()

                    try
                        serve context
                    with _ ->
                        (try
                            context.Response.Abort()
                         with _ ->
                             ())
                with _ ->
                    ()

        Thread(loop, IsBackground = true).Start()

    /// The URL of a path under the folder.
    member _.Url(path: string) =
        $"http://127.0.0.1:{port}/{path.TrimStart('/')}"

    /// The requests so far: (path, status).
    member _.Requests = List.ofSeq requests

    /// The requests that found nothing, but the browser's own favicon probe.
    member _.Missing =
        requests
        |> Seq.filter (fun (path, status) -> status <> 200 && path <> "/favicon.ico")
        |> List.ofSeq

    interface IDisposable with
        member _.Dispose() =
            stop.Cancel()

            (try
                listener.Stop()
             with _ ->
                 ())

            listener.Close()

/// Runs headless Chromium with the flags this machine needs and a fresh profile; returns (exit code, stdout, stderr).
let private runChromium (arguments: string list) =
    let exe = (chromium ()).Value
    let profile = Path.Combine(Path.GetTempPath(), $"np-chromium-{Guid.NewGuid():N}")

    let info =
        ProcessStartInfo(exe, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)

    for a in
        [ "--headless"
          "--no-sandbox"
          "--disable-gpu"
          "--disable-quic"
          "--no-first-run"
          "--disable-background-networking"
          "--disable-component-update"
          "--disable-sync"
          "--hide-scrollbars"
          $"--user-data-dir={profile}" ]
        @ arguments do
        info.ArgumentList.Add a

    use proc = Process.Start info |> nonNull
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()

    if not (proc.WaitForExit 90_000) then
        proc.Kill true
        failtest $"chromium did not finish within 90 s: {String.Join(' ', arguments)}"

    (try
        Directory.Delete(profile, true)
     with _ ->
         ())

    proc.ExitCode, stdout.Result, stderr.Result

/// A screenshot of the page at the given window size (after its scripts had 2 s of virtual time).
let screenshot (url: string) (png: string) (width: int) (height: int) =
    let code, _, err =
        runChromium [
            $"--window-size={width},{height}"
            "--virtual-time-budget=2000"
            $"--screenshot={png}"
            url
        ]

    Expect.equal code 0 $"chromium's exit code for {url}: {err}"
    Expect.isTrue (File.Exists png) $"chromium wrote the screenshot of {url}"

/// The page's DOM as serialised after its scripts ran.
let dom (url: string) =
    let code, html, err =
        runChromium [ "--virtual-time-budget=2000"; "--dump-dom"; url ]

    Expect.equal code 0 $"chromium's exit code for {url}: {err}"
    html

/// The fraction of a screenshot's pixels that differ from its most common colour: about 0 for a blank page.
let ink (png: string) =
    use bitmap = SKBitmap.Decode png |> nonNull
    let pixels = bitmap.Pixels
    let background = pixels |> Array.countBy id |> Array.maxBy snd |> fst

    float (pixels |> Array.filter (fun p -> p <> background) |> Array.length)
    / float pixels.Length

/// The href and src targets of an HTML text, entity-decoded.
let links (html: string) =
    [ for m in Regex.Matches(html, "(?:href|src)\\s*=\\s*\"([^\"]*)\"") -> WebUtility.HtmlDecode m.Groups.[1].Value |> nonNull ]

/// Whether a link leaves the page's site (another scheme or host) or is a fragment, a data URI or a mail address.
let isExternal (link: string) =
    link.StartsWith "#"
    || link.StartsWith "data:"
    || link.StartsWith "mailto:"
    || link.StartsWith "javascript:"
    || Regex.IsMatch(link, "^[a-zA-Z][a-zA-Z0-9+.-]*://")

/// The data-URI images of an HTML text, decoded: (alt text, PNG bytes).
let embeddedImages (html: string) =
    [ for m in Regex.Matches(html, "<img[^>]*?alt=\"([^\"]*)\"[^>]*?src=\"data:image/png;base64,([^\"]+)\"") ->
          WebUtility.HtmlDecode m.Groups.[1].Value |> nonNull, Convert.FromBase64String m.Groups.[2].Value ]
