// SPDX-License-Identifier: MIT
using System.Numerics;
using NeuronPursuit.Core.Data;
using NeuronPursuit.Core.Models;
using NeuronPursuit.Core.Numerics;

namespace NeuronPursuit.Core.Objectives;

/// <summary>
/// The Hessian of a training loss ℒ(w) = Σᵢ ℓ(Hᵢ(w), yᵢ) of the two-layer network
/// Hᵢ(w) = Σⱼ vⱼ σ(zᵢⱼ), zᵢⱼ = wⱼᵀxᵢ, assembled in closed form instead of by P Hessian–vector products:
/// <code>
///   ∇²ℒ = Jᵀ diag(ℓ″) J + Σᵢ ℓ′ᵢ ∇²Hᵢ        (Gauss–Newton part + residual part; Nocedal &amp; Wright, eq. 10.5)
///   Jᵢ,(j,a) = ∂Hᵢ/∂wⱼₐ = vⱼ σ′(zᵢⱼ) xᵢₐ,     Jᵢ,vⱼ = σ(zᵢⱼ)
///   ∂²Hᵢ/∂wⱼ∂wⱼᵀ = vⱼ σ″(zᵢⱼ) xᵢxᵢᵀ,   ∂²Hᵢ/∂wⱼ∂vⱼ = σ′(zᵢⱼ) xᵢ,   all other second derivatives 0,
/// </code>
/// so the residual part is block-diagonal over the neurons. ℓ′ᵢ, ℓ″ᵢ come from one evaluation of the loss in
/// <see cref="Dual{T}"/> at h + ε·1 (a loss is a sum over samples, so the tangent of ∂ℒ/∂hᵢ is ℓ″ᵢ), and
/// σ, σ′, σ″ from one evaluation of σ in dual numbers at z + ε: the same generic code as the gradient,
/// hence the same one-sided derivatives at a kink as the forward-over-reverse products.
/// Cost: the Gauss–Newton product JᵀDJ, 2nP² flops (SIMD for double), against P HVPs of about five
/// gradient evaluations each; the result agrees with <see cref="HessianVectorProduct{T}.AssembleByColumns"/>
/// to rounding. Allocates nothing per call.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
public sealed class TwoLayerLossHessian<T> : IHessianMatrix<T>
    where T : struct, INumber<T>, IRootFunctions<T>, IExponentialFunctions<T>, ILogarithmicFunctions<T>
{
    private readonly TwoLayerNetwork _network;
    private readonly ILoss _loss;
    private readonly DataSet<T> _data;
    private readonly T[] _z, _jacobian, _scaledJacobian, _sigma, _sigmaPrime, _sigmaSecond, _firstLoss, _secondLoss;
    private readonly Dual<T>[] _dualZ, _dualValue, _dualDerivative, _dualOutputs, _dualLabels, _dualLossDerivative;
    private readonly T[] _blockScratch;

    /// <summary>Binds a two-layer network, a loss and a data set.</summary>
    /// <param name="network">The network H.</param>
    /// <param name="loss">The loss ℓ (separable over the samples, as every <see cref="ILoss"/> is).</param>
    /// <param name="data">The data (X, y); its d must equal the network's.</param>
    /// <exception cref="ArgumentException">The data's input dimension differs from the network's.</exception>
    public TwoLayerLossHessian(TwoLayerNetwork network, ILoss loss, DataSet<T> data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputDimension != network.InputDimension)
            throw new ArgumentException($"data: has d = {data.InputDimension} inputs, but the network expects d = {network.InputDimension}.", nameof(data));
        _network = network;
        _loss = loss;
        _data = data;
        int n = data.Count, m = network.Width, p = network.ParameterCount;
        _z = new T[n * m];
        _sigma = new T[n * m];
        _sigmaPrime = new T[n * m];
        _sigmaSecond = new T[n * m];
        _jacobian = new T[n * p];
        _scaledJacobian = new T[n * p];
        _firstLoss = new T[n];
        _secondLoss = new T[n];
        _dualZ = new Dual<T>[n * m];
        _dualValue = new Dual<T>[n * m];
        _dualDerivative = new Dual<T>[n * m];
        _dualOutputs = new Dual<T>[n];
        _dualLabels = new Dual<T>[n];
        _dualLossDerivative = new Dual<T>[n];
        for (int i = 0; i < n; i++) _dualLabels[i] = new Dual<T>(data.Y[i], T.Zero);
        _blockScratch = new T[m * network.InputDimension];
    }

    /// <inheritdoc/>
    public int Dimension => _network.ParameterCount;

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<T> w, Span<T> hessian)
    {
        int d = _network.InputDimension, m = _network.Width, n = _data.Count, p = Dimension;
        Guard.Length(w.Length, p, nameof(w), "one per weight of the network");
        Guard.Length(hessian.Length, p * p, nameof(hessian), "P·P entries");
        Guard.Finite(w, nameof(w));
        ReadOnlySpan<T> x = _data.X;
        ReadOnlySpan<T> v = w.Slice(m * d, m);

        // σ, σ′, σ″ at zᵢⱼ = wⱼᵀxᵢ, and the outputs Hᵢ.
        DenseKernels.MultiplyTransposed(x, w[..(m * d)], _z, n, m, d, _blockScratch);
        for (int k = 0; k < _z.Length; k++) _dualZ[k] = new Dual<T>(_z[k], T.One);
        _network.Activation.Evaluate<Dual<T>>(_dualZ, _dualValue, _dualDerivative);
        for (int k = 0; k < _z.Length; k++)
        {
            _sigma[k] = _dualValue[k].Value;
            _sigmaPrime[k] = _dualDerivative[k].Value;
            _sigmaSecond[k] = _dualDerivative[k].Tangent;
        }
        for (int i = 0; i < n; i++)
            _dualOutputs[i] = new Dual<T>(DenseKernels.Dot<T>(v, _sigma.AsSpan(i * m, m)), T.One);

        // ℓ′ᵢ and ℓ″ᵢ.
        _loss.Evaluate<Dual<T>>(_dualOutputs, _dualLabels, _dualLossDerivative);
        for (int i = 0; i < n; i++)
        {
            _firstLoss[i] = _dualLossDerivative[i].Value;
            _secondLoss[i] = _dualLossDerivative[i].Tangent;
        }

        // Gauss–Newton part: J (n × P) row by row, then Jᵀ (diag(ℓ″) J).
        for (int i = 0; i < n; i++)
        {
            Span<T> row = _jacobian.AsSpan(i * p, p);
            ReadOnlySpan<T> xi = x.Slice(i * d, d);
            for (int j = 0; j < m; j++)
            {
                T scale = v[j] * _sigmaPrime[i * m + j];
                Span<T> block = row.Slice(j * d, d);
                for (int a = 0; a < d; a++) block[a] = scale * xi[a];
                row[m * d + j] = _sigma[i * m + j];
            }
            Span<T> scaled = _scaledJacobian.AsSpan(i * p, p);
            T curvature = _secondLoss[i];
            for (int k = 0; k < p; k++) scaled[k] = curvature * row[k];
        }
        hessian.Clear();
        DenseKernels.AddTransposedTimes<T>(_jacobian, _scaledJacobian, hessian, n, p, p, Span<T>.Empty);

        // Residual part, block-diagonal over the neurons j.
        for (int j = 0; j < m; j++)
        {
            int vIndex = m * d + j;
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<T> xi = x.Slice(i * d, d);
                T outer = _firstLoss[i] * v[j] * _sigmaSecond[i * m + j];
                T mixed = _firstLoss[i] * _sigmaPrime[i * m + j];
                for (int a = 0; a < d; a++)
                {
                    int row = j * d + a;
                    if (!Scalar.IsExactZero(outer)) DenseKernels.Axpy<T>(outer * xi[a], xi, hessian.Slice(row * p + j * d, d));
                    hessian[row * p + vIndex] += mixed * xi[a];
                    hessian[vIndex * p + row] += mixed * xi[a];
                }
            }
        }
    }
}
