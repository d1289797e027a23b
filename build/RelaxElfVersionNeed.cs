// SPDX-License-Identifier: MIT
// MSBuild inline task (RoslynCodeTaskFactory) used by TorchNativeCompat.targets.
using System;
using System.IO;
using System.Text;

/// <summary>
/// Marks one version need of ELF64 shared libraries weak when the system library that should define
/// that version does not. ELF layout per the System V gABI and the LSB "Symbol Versioning" section:
/// SHT_GNU_verneed (0x6ffffffe) holds Elf64_Verneed records (vn_version, vn_cnt, vn_file, vn_aux,
/// vn_next), each followed by vn_cnt Elf64_Vernaux records (vna_hash, vna_flags, vna_other, vna_name,
/// vna_next); SHT_GNU_verdef (0x6ffffffd) holds Elf64_Verdef records with Elf64_Verdaux names.
/// </summary>
public class RelaxElfVersionNeed : Microsoft.Build.Utilities.Task
{
    private const uint VersionNeedSection = 0x6ffffffe;
    private const uint VersionDefinitionSection = 0x6ffffffd;
    private const ushort WeakFlag = 0x2;

    /// <summary>The libraries to check, copies in a build output folder.</summary>
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; }

    /// <summary>The version needed, e.g. GLIBCXX_3.4.32.</summary>
    public string VersionName { get; set; }

    /// <summary>The file name of the system library that defines the version, e.g. libstdc++.so.6.</summary>
    public string SystemLibraryName { get; set; }

    /// <summary>Directories the dynamic loader searches by default on Linux distributions.</summary>
    private static readonly string[] SystemDirectories =
        { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" };

    public override bool Execute()
    {
        string system = FindSystemLibrary();
        if (system != null && DefinesVersion(File.ReadAllBytes(system), VersionName))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                "TorchSharp native compatibility: " + system + " defines " + VersionName + "; nothing to do.");
            return true;
        }
        foreach (var item in Libraries)
        {
            string path = item.ItemSpec;
            byte[] data = File.ReadAllBytes(path);
            int patched = MarkNeedWeak(data, VersionName);
            if (patched == 0)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                    "TorchSharp native compatibility: " + path + " needs no change.");
                continue;
            }
            // A new file replaces the copy, so a hard link into the package cache is never written through.
            // The original time stamp is kept, so that MSBuild's incremental copy sees an unchanged file
            // and does not copy the original over the patched one on the next build.
            DateTime stamp = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".np-compat.tmp";
            File.WriteAllBytes(temporary, data);
            File.Copy(temporary, path, true);
            File.Delete(temporary);
            File.SetLastWriteTimeUtc(path, stamp);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                "TorchSharp native compatibility: " + (system ?? SystemLibraryName) + " lacks " + VersionName +
                "; marked that version need weak in " + path + ".");
        }
        return !Log.HasLoggedErrors;
    }

    private string FindSystemLibrary()
    {
        foreach (string directory in SystemDirectories)
        {
            string candidate = Path.Combine(directory, SystemLibraryName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Section headers: (type, offset, link, info) for each section.</summary>
    private static (uint Type, long Offset, uint Link, uint Info)[] Sections(byte[] data)
    {
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F' || data[4] != 2 || data[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long sectionTable = BitConverter.ToInt64(data, 0x28);
        int entrySize = BitConverter.ToUInt16(data, 0x3a);
        int count = BitConverter.ToUInt16(data, 0x3c);
        var result = new (uint, long, uint, uint)[count];
        for (int i = 0; i < count; i++)
        {
            long header = sectionTable + (long)i * entrySize;
            result[i] = (BitConverter.ToUInt32(data, (int)header + 4), BitConverter.ToInt64(data, (int)header + 0x18),
                         BitConverter.ToUInt32(data, (int)header + 0x28), BitConverter.ToUInt32(data, (int)header + 0x2c));
        }
        return result;
    }

    private static string ReadString(byte[] data, long offset)
    {
        int end = (int)offset;
        while (data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)offset, end - (int)offset);
    }

    /// <summary>Sets the weak flag on every need of <paramref name="version"/> that lacks it; returns how many.</summary>
    private static int MarkNeedWeak(byte[] data, string version)
    {
        var sections = Sections(data);
        int patched = 0;
        foreach (var section in sections)
        {
            if (section.Type != VersionNeedSection) continue;
            long strings = sections[section.Link].Offset;
            long need = section.Offset;
            for (uint n = 0; n < section.Info; n++)
            {
                int auxCount = BitConverter.ToUInt16(data, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(data, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BitConverter.ToUInt16(data, (int)aux + 4);
                    string name = ReadString(data, strings + BitConverter.ToUInt32(data, (int)aux + 8));
                    if (name == version && (flags & WeakFlag) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | WeakFlag)).CopyTo(data, (int)aux + 4);
                        patched++;
                    }
                    aux += BitConverter.ToUInt32(data, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(data, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return patched;
    }

    /// <summary>Whether the library's version definitions include <paramref name="version"/>.</summary>
    private static bool DefinesVersion(byte[] data, string version)
    {
        var sections = Sections(data);
        foreach (var section in sections)
        {
            if (section.Type != VersionDefinitionSection) continue;
            long strings = sections[section.Link].Offset;
            long definition = section.Offset;
            for (uint d = 0; d < section.Info; d++)
            {
                long aux = definition + BitConverter.ToUInt32(data, (int)definition + 12);
                if (ReadString(data, strings + BitConverter.ToUInt32(data, (int)aux)) == version) return true;
                uint next = BitConverter.ToUInt32(data, (int)definition + 16);
                if (next == 0) break;
                definition += next;
            }
        }
        return false;
    }
}
