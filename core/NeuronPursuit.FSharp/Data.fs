// SPDX-License-Identifier: MIT
namespace NeuronPursuit

open System
open NeuronPursuit.Core.Data
open NeuronPursuit.Core.Models
open NeuronPursuit.Core.Numerics

/// Data sets (X, y).
module Data =
    /// A data set from rows xᵢ and labels yᵢ.
    let ofRows (rows: float[][]) (y: float[]) =
        if rows.Length = 0 then
            invalidArg "rows" "rows: the data set has no samples."

        let d = rows.[0].Length

        rows
        |> Array.iteri (fun i r ->
            if r.Length <> d then
                invalidArg "rows" $"rows: row {i} has {r.Length} values, row 0 has {d}.")

        DataSet<float>(ReadOnlySpan(Array.concat rows), ReadOnlySpan y, d)

    /// Reads a CSV data set (header x1..xd,y).
    let readCsv (path: string) = CsvDataReader.Read path
    /// Writes a CSV data set.
    let writeCsv (path: string) (data: DataSet<float>) = CsvDataReader.Write(path, data)
    /// The same data in double-double.
    let toDoubleDouble (data: DataSet<float>) = data.To<DoubleDouble>()
    /// The same inputs with labels replaced (e.g. by a residual).
    let withLabels (labels: float[]) (data: DataSet<float>) = data.WithLabels(ReadOnlySpan labels)
    /// The labels y.
    let labels (data: DataSet<'T>) = data.Y.ToArray()

/// Weight vectors in a network's layout.
module Weights =
    /// δ · w₀ with w₀ having i.i.d. N(0, 1) entries from the seed.
    let gaussian (seed: int64) (delta: float) (net: HomogeneousNetwork) =
        Vec.gaussian seed delta net.ParameterCount

    /// Reads a weights file for a network (one number per line, layout of the network).
    let read (net: HomogeneousNetwork) (path: string) =
        WeightsFile.Read<float>(path, Nullable net.ParameterCount)

    /// Writes a weights file with the network recorded in a comment line.
    let write (net: HomogeneousNetwork) (path: string) (w: float[]) =
        WeightsFile.Write<float>(path, ReadOnlySpan w, [| net.Specification |])

    /// Converts to double-double.
    let toDoubleDouble (w: float[]) =
        Scalar.ToArray<DoubleDouble>(ReadOnlySpan w)

    /// Rounds to double.
    let toDouble (w: 'T[]) =
        Scalar.ToDoubleArray<'T>(ReadOnlySpan w)
