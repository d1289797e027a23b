// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open System.Globalization

/// Numbers as text, always in invariant culture: for tables, reports and file names.
module Format =
    /// 4 significant digits ("NaN", "inf", "-inf" for the special values).
    let g4 (x: float) =
        if Double.IsNaN x then "NaN"
        elif Double.IsPositiveInfinity x then "inf"
        elif Double.IsNegativeInfinity x then "-inf"
        else x.ToString("G4", CultureInfo.InvariantCulture)

    /// 6 significant digits.
    let g6 (x: float) =
        x.ToString("G6", CultureInfo.InvariantCulture)

    /// Round-trip text: parsing it gives back the same double.
    let roundTrip (x: float) =
        x.ToString("R", CultureInfo.InvariantCulture)
