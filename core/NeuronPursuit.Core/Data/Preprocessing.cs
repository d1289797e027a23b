// SPDX-License-Identifier: MIT
using System.Globalization;

namespace NeuronPursuit.Core.Data;

/// <summary>
/// The preprocessing a trained model applies to raw data (docs/pursuit.md, "Data handling"): inputs standardised with
/// the training data's means and standard deviations (a constant column keeps scale 1), then optionally a constant
/// input 1 appended (a bias of the first layer), and labels mapped to (y − shift)/scale (for the square loss with
/// standardisation: the training mean and standard deviation; otherwise 0 and 1). Outputs H map back to labels as
/// shift + scale·H. A constant input keeps the network positively homogeneous in its weights, H(x̃; cw) = cᴸH(x̃; w),
/// so the theory applies to the augmented inputs x̃ = (x, 1) unchanged; what changes is the function class: only
/// the first layer has biases, and the network is no longer homogeneous in x.
/// </summary>
/// <param name="InputMeans">Per raw input, the mean subtracted (0 without standardisation).</param>
/// <param name="InputScales">Per raw input, the divisor (1 without standardisation or for a constant column).</param>
/// <param name="Bias">Whether a constant input 1 is appended after the raw inputs.</param>
/// <param name="LabelShift">The shift of the labels.</param>
/// <param name="LabelScale">The scale of the labels (positive).</param>
public sealed record Preprocessing(double[] InputMeans, double[] InputScales, bool Bias, double LabelShift, double LabelScale)
{
    /// <summary>The number of raw inputs d.</summary>
    public int InputDimension => InputMeans.Length;

    /// <summary>The number of the network's inputs: d, plus 1 with a bias.</summary>
    public int ModelDimension => InputMeans.Length + (Bias ? 1 : 0);

    /// <summary>Whether inputs are standardised.</summary>
    public bool Standardised => InputMeans.Any(m => m != 0) || InputScales.Any(s => s != 1);

    /// <summary>No transformation of d inputs.</summary>
    /// <param name="inputDimension">d ≥ 1.</param>
    /// <returns>The identity.</returns>
    public static Preprocessing Identity(int inputDimension) =>
        new(new double[inputDimension], Enumerable.Repeat(1.0, inputDimension).ToArray(), false, 0.0, 1.0);

    /// <summary>Fits the preprocessing to training data.</summary>
    /// <param name="training">The training data (raw).</param>
    /// <param name="standardise">Standardise the inputs (and, with <paramref name="scaleLabels"/>, the labels).</param>
    /// <param name="bias">Append a constant input 1.</param>
    /// <param name="scaleLabels">Standardise the labels too (regression with the square loss).</param>
    /// <returns>The fitted preprocessing.</returns>
    public static Preprocessing Fit(DataSet<double> training, bool standardise, bool bias, bool scaleLabels)
    {
        ArgumentNullException.ThrowIfNull(training);
        int d = training.InputDimension, n = training.Count;
        var means = new double[d];
        var scales = Enumerable.Repeat(1.0, d).ToArray();
        double shift = 0, scale = 1;
        if (standardise)
        {
            for (int k = 0; k < d; k++)
            {
                double mean = 0;
                for (int i = 0; i < n; i++) mean += training.X[i * d + k];
                mean /= n;
                double variance = 0;
                for (int i = 0; i < n; i++) variance += (training.X[i * d + k] - mean) * (training.X[i * d + k] - mean);
                double sd = Math.Sqrt(variance / n);
                means[k] = mean;
                // A constant column carries no information; scale 1 keeps it finite (it becomes 0).
                scales[k] = sd > 1e-12 * Math.Max(1.0, Math.Abs(mean)) ? sd : 1.0;
            }
            if (scaleLabels)
            {
                shift = training.Y.ToArray().Average();
                double v = 0;
                foreach (double y in training.Y) v += (y - shift) * (y - shift);
                double sd = Math.Sqrt(v / n);
                scale = sd > 0 ? sd : 1.0;
            }
        }
        return new Preprocessing(means, scales, bias, shift, scale);
    }

    /// <summary>The network's inputs for raw inputs X (n × d row-major): standardised, with the constant appended.</summary>
    /// <param name="x">Raw X, n·d values.</param>
    /// <returns>n × <see cref="ModelDimension"/> values, row-major.</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of d.</exception>
    public double[] Inputs(ReadOnlySpan<double> x)
    {
        int d = InputDimension, m = ModelDimension;
        if (x.Length % d != 0) throw new ArgumentException($"x: {x.Length} values are not rows of d = {d} inputs.", nameof(x));
        int n = x.Length / d;
        var z = new double[n * m];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++) z[i * m + k] = (x[i * d + k] - InputMeans[k]) / InputScales[k];
            if (Bias) z[i * m + d] = 1.0;
        }
        return z;
    }

    /// <summary>The data set the network trains on: transformed inputs and labels.</summary>
    /// <param name="raw">Raw data with d inputs.</param>
    /// <returns>The transformed data.</returns>
    /// <exception cref="ArgumentException">d differs.</exception>
    public DataSet<double> Apply(DataSet<double> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.InputDimension != InputDimension)
            throw new ArgumentException($"data: has d = {raw.InputDimension} inputs, the preprocessing {InputDimension}.", nameof(raw));
        var y = new double[raw.Count];
        for (int i = 0; i < y.Length; i++) y[i] = (raw.Y[i] - LabelShift) / LabelScale;
        return new DataSet<double>(Inputs(raw.X), y, ModelDimension);
    }

    /// <summary>A network output mapped back to the label scale: shift + scale·H.</summary>
    /// <param name="output">H(x̃).</param>
    /// <returns>The prediction on the label scale.</returns>
    public double ToLabel(double output) => LabelShift + LabelScale * output;

    /// <summary>A one-line description.</summary>
    /// <returns>E.g. "standardised inputs (d = 13), bias, labels (y − 22.5)/9.19".</returns>
    public string Describe()
    {
        var parts = new List<string> { Standardised ? $"standardised inputs (d = {InputDimension})" : $"raw inputs (d = {InputDimension})" };
        if (Bias) parts.Add("a constant input 1 (bias)");
        if (LabelShift != 0 || LabelScale != 1)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"labels (y − {LabelShift:G6})/{LabelScale:G6}"));
        return string.Join(", ", parts);
    }
}
