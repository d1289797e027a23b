// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.IO
open System.Net
open System.Text

/// One block of an HTML report.
type ReportBlock =
    /// A section heading (level 2 or 3).
    | Heading of level: int * text: string
    /// A paragraph of plain text.
    | Paragraph of text: string
    /// A verdict or status: its label (PASS, FAIL, UNVERIFIABLE, completed, diverged, …), its kind, and a reason.
    | Status of label: string * kind: StatusKind * reason: string
    /// Name–value pairs, e.g. the configuration of a run.
    | Pairs of (string * string) list
    /// A table of formatted cells.
    | Rows of Table
    /// A PNG image with its caption, embedded in the page.
    | Image of caption: string * png: byte[]
    /// Preformatted text (a command line, a log).
    | Code of text: string

/// How a status reads: good (PASS, completed), bad (FAIL, diverged), or neither (UNVERIFIABLE, interrupted).
and StatusKind =
    | Good
    | Bad
    | Neutral

/// A self-contained HTML page: its title and blocks.
type Report =
    { Title: string
      Blocks: ReportBlock list }

/// HTML reports that need nothing but the file itself: figures are embedded as data URIs, the style is inline, no
/// script, font or image is fetched from anywhere. `np flow`, `np pursue` and `np check` write one as report.html;
/// scripts can too.
module Report =
    /// A report.
    let create (title: string) (blocks: ReportBlock list) = { Title = title; Blocks = blocks }

    /// A figure rendered to PNG and embedded (nothing when it has no point).
    let figure (caption: string) (f: Figure) =
        match Plot.png f with
        | Some bytes -> [ Image(caption, bytes) ]
        | None -> []

    /// A PNG file embedded (nothing when the file does not exist, e.g. a plot that was not written).
    let imageFile (caption: string) (path: string) =
        if File.Exists path then
            [ Image(caption, File.ReadAllBytes path) ]
        else
            []

    /// The status kind of a check verdict.
    let verdictKind (v: Verdict) =
        match v with
        | Pass -> Good
        | Fail _ -> Bad
        | Unverifiable _ -> Neutral

    let private encode (text: string) = WebUtility.HtmlEncode text

    let private style =
        """body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6em;border-bottom:2px solid #ddd;padding-bottom:.3em}h2{font-size:1.3em;margin-top:1.6em}h3{font-size:1.1em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status{display:inline-block;font-weight:bold;padding:.15em .6em;border-radius:.3em;margin-right:.6em}
.good{background:#d7f5dd;color:#0b5d1e}.bad{background:#fbd9d7;color:#8a1111}.neutral{background:#fdf0c9;color:#6b4e00}
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.9em;color:#555}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}"""

    /// Whether a table cell is one number (right-aligned in tables).
    let private numeric (cell: string) =
        fst (Double.TryParse(cell.Trim(), Globalization.NumberStyles.Float, Globalization.CultureInfo.InvariantCulture))

    let private cell (tag: string) (text: string) =
        let cls = if tag = "td" && numeric text then " class=\"num\"" else ""
        $"<{tag}{cls}>{encode text}</{tag}>"

    let private plainCell (tag: string) (text: string) = $"<{tag}>{encode text}</{tag}>"

    /// The page as HTML text.
    let html (r: Report) =
        let sb = StringBuilder()
        let line (s: string) = sb.AppendLine s |> ignore
        line "<!DOCTYPE html>"
        line "<html lang=\"en\"><head><meta charset=\"utf-8\">"
        line "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        line $"<title>{encode r.Title}</title><style>{style}</style></head><body>"
        line $"<h1>{encode r.Title}</h1>"

        for block in r.Blocks do
            match block with
            | Heading(level, text) ->
                let l = min 4 (max 2 level)
                line $"<h{l}>{encode text}</h{l}>"
            | Paragraph text -> line $"<p>{encode text}</p>"
            | Status(label, kind, reason) ->
                let cls =
                    match kind with
                    | Good -> "good"
                    | Bad -> "bad"
                    | Neutral -> "neutral"

                line $"<p><span class=\"status {cls}\">{encode label}</span>{encode reason}</p>"
            | Pairs pairs when not pairs.IsEmpty ->
                line "<table>"

                for name, value in pairs do
                    line ("<tr>" + plainCell "th" name + plainCell "td" value + "</tr>")

                line "</table>"
            | Pairs _ -> ()
            | Rows table when not table.Columns.IsEmpty ->
                line "<table><thead><tr>"

                for c in table.Columns do
                    line (cell "th" c)

                line "</tr></thead><tbody>"

                for row in table.Rows do
                    line ("<tr>" + String.Join("", row |> List.map (cell "td")) + "</tr>")

                line "</tbody></table>"
            | Rows _ -> ()
            | Image(caption, png) ->
                line
                    $"<figure><img alt=\"{encode caption}\" src=\"data:image/png;base64,{Convert.ToBase64String png}\"><figcaption>{encode caption}</figcaption></figure>"
            | Code text -> line $"<pre>{encode text}</pre>"

        line "</body></html>"
        sb.ToString()

    /// Writes the page to a file.
    let save (path: string) (r: Report) =
        File.WriteAllText(path, html r, UTF8Encoding(false))

    /// A report of claim checks: a summary table of claims, verdicts and key numbers, then each check's verdict,
    /// criterion, parameters, table, key numbers and reference numbers.
    let ofChecks (title: string) (intro: ReportBlock list) (results: CheckResult list) =
        let keys (o: Outcome) =
            String.Join("; ", o.KeyNumbers |> List.map (fun (k, v) -> $"{k} = {v}"))

        let summary =
            { Columns = [ "check"; "claim"; "source"; "verdict"; "key numbers"; "seconds" ]
              Rows =
                [ for r in results ->
                      [ r.Check.Name
                        r.Check.Claim
                        r.Check.Source
                        r.Outcome.Verdict.Label
                        keys r.Outcome
                        r.Seconds.ToString("F1", Globalization.CultureInfo.InvariantCulture) ] ] }

        let details =
            [ for r in results do
                  let o = r.Outcome
                  yield Heading(2, r.Check.Name)
                  yield Paragraph $"{r.Check.Claim} ({r.Check.Source})"
                  yield Status(o.Verdict.Label, verdictKind o.Verdict, o.Verdict.Reason)

                  if o.Criterion <> "" then
                      yield Paragraph $"Criterion: {o.Criterion}"

                  yield Pairs o.Parameters
                  yield Rows o.Table
                  yield Pairs o.KeyNumbers

                  for s in o.Reference do
                      yield Paragraph $"Reference: {s}" ]

        create title (intro @ [ Heading(2, "Summary"); Rows summary ] @ details)
