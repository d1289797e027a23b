// SPDX-License-Identifier: MIT
using System.Numerics;

namespace NeuronPursuit.Core.Flow;

/// <summary>
/// A system that can make an independent copy of itself, so that two evaluations of f run at once on two threads (the
/// three stages of an implicit Runge–Kutta iteration are independent): the replica's
/// <see cref="IOdeSystem{T}.Evaluate"/> writes the same bits as the original's for the same arguments, from work space
/// of its own.
/// </summary>
/// <typeparam name="T">Scalar type.</typeparam>
internal interface IReplicableSystem<T> : IOdeSystem<T> where T : struct, INumber<T>
{
    /// <summary>Floating-point operations of one evaluation, an estimate by which a method decides whether handing an
    /// evaluation to a second thread pays.</summary>
    double EvaluationWork { get; }

    /// <summary>A new system with the same f and its own work space; null when this one cannot make one.</summary>
    IOdeSystem<T>? CreateReplica();
}
