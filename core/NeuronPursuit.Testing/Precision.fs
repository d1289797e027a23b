// SPDX-License-Identifier: MIT
namespace NeuronPursuit.Testing

/// The scalar types a property is checked in, as functions taking a case's i-th vector into them: a property
/// written once over 'T runs in double and in double-double by passing `Precision.double` or `Precision.doubleDouble`.
module Precision =
    /// Double: the vector as drawn.
    let double (_: NetworkCase) (_: int) (x: float[]) : float[] = x

    /// Double-double with random low words (`Draw.doubleDouble`) from the case's seed and the vector's index, so
    /// that both words of every input are exercised.
    let doubleDouble (case: NetworkCase) (i: int) (x: float[]) =
        Draw.doubleDouble (case.Seed * 31L + int64 i) x
