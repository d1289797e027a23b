// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Core.Pursuit;

/// <summary>
/// How well predictions match labels: for regression the mean squared error and R² = 1 − SSE/SST (SST about the labels'
/// own mean; R² = 1 is a perfect fit, 0 the constant mean predictor), for classification with labels ±1 the accuracy of
/// sign(H) (H = 0 counts as +1) and the log-loss (1/n)Σ ln(1 + e^{−yH}) (natural logarithm).
/// </summary>
/// <param name="Count">The number of samples.</param>
/// <param name="Mse">(1/n)Σ(ŷ − y)² (regression; NaN for classification).</param>
/// <param name="R2">R² (regression; NaN for classification or constant labels).</param>
/// <param name="Accuracy">Fraction of correct signs (classification; NaN for regression).</param>
/// <param name="LogLoss">Mean logistic loss (classification; NaN for regression).</param>
public sealed record PredictionMetrics(int Count, double Mse, double R2, double Accuracy, double LogLoss)
{
    /// <summary>Regression metrics of predictions ŷ against labels y.</summary>
    /// <param name="predictions">ŷ.</param>
    /// <param name="labels">y, same length.</param>
    /// <returns>MSE and R².</returns>
    public static PredictionMetrics Regression(ReadOnlySpan<double> predictions, ReadOnlySpan<double> labels)
    {
        Numerics.Guard.SameLength(predictions.Length, labels.Length, nameof(predictions), nameof(labels));
        int n = labels.Length;
        double mean = 0;
        foreach (double y in labels) mean += y;
        mean /= n;
        double sse = 0, sst = 0;
        for (int i = 0; i < n; i++)
        {
            sse += (predictions[i] - labels[i]) * (predictions[i] - labels[i]);
            sst += (labels[i] - mean) * (labels[i] - mean);
        }
        return new PredictionMetrics(n, sse / n, sst > 0 ? 1 - sse / sst : double.NaN, double.NaN, double.NaN);
    }

    /// <summary>Classification metrics of network outputs H (scores) against labels ±1.</summary>
    /// <param name="scores">H(xᵢ).</param>
    /// <param name="labels">yᵢ ∈ {−1, +1}, same length.</param>
    /// <returns>Accuracy and log-loss.</returns>
    public static PredictionMetrics Classification(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        Numerics.Guard.SameLength(scores.Length, labels.Length, nameof(scores), nameof(labels));
        int n = labels.Length, correct = 0;
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            if ((scores[i] >= 0 ? 1.0 : -1.0) == labels[i]) correct++;
            double z = labels[i] * scores[i];
            loss += Math.Max(-z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return new PredictionMetrics(n, double.NaN, double.NaN, (double)correct / n, loss / n);
    }
}
