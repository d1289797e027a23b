// SPDX-License-Identifier: MIT
using System.Globalization;
using System.Text;

namespace NeuronPursuit.Sweeps;

/// <summary>
/// A formula in x (the axis value) and y (the metric value) that a report plots or fits instead of the raw numbers,
/// so that a scaling law becomes a straight line: <c>ln(1/x)</c> for T_esc against ln(1/δ) (L = 2), <c>x*y</c> for
/// δ·T_esc against δ (L = 3, intercept τ*), <c>ln(x)</c> and <c>ln(y)</c> for a log–log slope. Numbers, x, y,
/// + − * / ^ (right-associative), parentheses, and ln, log (= ln), log10, exp, sqrt, abs.
/// </summary>
public sealed class TransformExpression
{
    private readonly Func<double, double, double> evaluate;
    private readonly List<(string Text, bool IsVariable)> tokens;

    private TransformExpression(string text, Func<double, double, double> evaluate, List<(string, bool)> tokens)
    {
        Text = text;
        this.evaluate = evaluate;
        this.tokens = tokens;
    }

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>x itself.</summary>
    public static TransformExpression X { get; } = Parse("x", "x");

    /// <summary>y itself.</summary>
    public static TransformExpression Y { get; } = Parse("y", "y");

    /// <summary>Whether the formula is just x or just y.</summary>
    public bool IsIdentity => tokens.Count == 1 && tokens[0].IsVariable;

    /// <summary>The formula's value.</summary>
    /// <param name="x">The axis value.</param>
    /// <param name="y">The metric value.</param>
    /// <returns>The value (NaN or ∞ where the formula is undefined).</returns>
    public double Evaluate(double x, double y) => evaluate(x, y);

    /// <summary>The formula with x and y replaced by names, for axis labels: <c>ln(1/x)</c> → <c>ln(1/init-scale)</c>.</summary>
    /// <param name="xName">The axis name.</param>
    /// <param name="yName">The metric name.</param>
    /// <returns>The label.</returns>
    public string Label(string xName, string yName)
    {
        var sb = new StringBuilder();
        foreach (var (text, isVariable) in tokens) sb.Append(isVariable ? (text == "x" ? xName : yName) : text);
        return sb.ToString();
    }

    /// <summary>Parses a formula.</summary>
    /// <param name="key">Where it is, for errors.</param>
    /// <param name="text">The formula.</param>
    /// <returns>The formula.</returns>
    /// <exception cref="SweepSpecException">A syntax error, an unknown name or function.</exception>
    public static TransformExpression Parse(string key, string text)
    {
        var parser = new Parser(key, text);
        var f = parser.Expression();
        parser.End();
        return new TransformExpression(text, f, parser.Tokens);
    }

    private sealed class Parser(string key, string text)
    {
        private int position;

        public List<(string, bool)> Tokens { get; } = [];

        private SweepSpecException Error(string what) => new(key, $"'{text}': {what} at position {position + 1}.");

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
        }

        private bool Accept(char c)
        {
            SkipSpace();
            if (position < text.Length && text[position] == c)
            {
                position++;
                Tokens.Add((c.ToString(), false));
                return true;
            }
            return false;
        }

        public void End()
        {
            SkipSpace();
            if (position < text.Length) throw Error($"unexpected '{text[position]}'");
        }

        public Func<double, double, double> Expression()
        {
            var left = Term();
            while (true)
            {
                if (Accept('+')) { var (a, b) = (left, Term()); left = (x, y) => a(x, y) + b(x, y); }
                else if (Accept('-')) { var (a, b) = (left, Term()); left = (x, y) => a(x, y) - b(x, y); }
                else return left;
            }
        }

        private Func<double, double, double> Term()
        {
            var left = Unary();
            while (true)
            {
                if (Accept('*')) { var (a, b) = (left, Unary()); left = (x, y) => a(x, y) * b(x, y); }
                else if (Accept('/')) { var (a, b) = (left, Unary()); left = (x, y) => a(x, y) / b(x, y); }
                else return left;
            }
        }

        private Func<double, double, double> Unary()
        {
            if (Accept('-')) { var a = Unary(); return (x, y) => -a(x, y); }
            var b = Atom();
            if (Accept('^')) { var e = Unary(); return (x, y) => Math.Pow(b(x, y), e(x, y)); }
            return b;
        }

        private Func<double, double, double> Atom()
        {
            SkipSpace();
            if (position >= text.Length) throw Error("expected a number, x, y, a function or '('");
            char c = text[position];
            if (Accept('('))
            {
                var inner = Expression();
                if (!Accept(')')) throw Error("expected ')'");
                return inner;
            }
            if (char.IsDigit(c) || c == '.')
            {
                int start = position;
                while (position < text.Length && (char.IsDigit(text[position]) || text[position] == '.')) position++;
                if (position < text.Length && (text[position] == 'e' || text[position] == 'E'))
                {
                    int save = position++;
                    if (position < text.Length && (text[position] == '+' || text[position] == '-')) position++;
                    if (position < text.Length && char.IsDigit(text[position]))
                        while (position < text.Length && char.IsDigit(text[position])) position++;
                    else position = save;
                }
                string number = text[start..position];
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) throw Error($"'{number}' is not a number");
                Tokens.Add((number, false));
                return (_, _) => value;
            }
            if (char.IsLetter(c))
            {
                int start = position;
                while (position < text.Length && char.IsLetterOrDigit(text[position])) position++;
                string name = text[start..position];
                if (name == "x") { Tokens.Add(("x", true)); return (x, _) => x; }
                if (name == "y") { Tokens.Add(("y", true)); return (_, y) => y; }
                Func<double, double>? f = name switch
                {
                    "ln" or "log" => Math.Log,
                    "log10" => Math.Log10,
                    "exp" => Math.Exp,
                    "sqrt" => Math.Sqrt,
                    "abs" => Math.Abs,
                    _ => null,
                };
                if (f is null) throw Error($"unknown name '{name}' (use x, y, ln, log, log10, exp, sqrt, abs)");
                Tokens.Add((name, false));
                if (!Accept('(')) throw Error($"expected '(' after {name}");
                var argument = Expression();
                if (!Accept(')')) throw Error("expected ')'");
                return (x, y) => f(argument(x, y));
            }
            throw Error($"unexpected '{c}'");
        }
    }
}
