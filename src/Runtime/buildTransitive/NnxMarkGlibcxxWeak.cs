// Compiled by MSBuild's RoslynCodeTaskFactory (see Nnx.Gen.targets); it also builds as plain C# for the tests.
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 13's libstdc++ and records a need for the
// symbol version GLIBCXX_3.4.32. Debian 12 and Ubuntu 22.04 ship GLIBCXX_3.4.30, so the loader refuses the file and
// TorchSharp reports a misleading "doesn't contain a reference to libtorch-cpu-linux-x64". The only symbol bound to
// that version (std::ios_base_library_init) has no relocation against it: nothing ever resolves or calls it.
// Setting VER_FLG_WEAK on that one version requirement makes glibc accept the file when the version is missing,
// and changes nothing where it exists. We only patch when every symbol of the version is unrelocated.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Nnx.Build
{
    /// <summary>Marks unreferenced GLIBCXX version requirements weak in copies of libLibTorchSharp.so.</summary>
    public sealed class NnxMarkGlibcxxWeak : Task
    {
        /// <summary>The ELF files to patch (copies in an output folder, never the package cache).</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            foreach (ITaskItem item in Files)
            {
                string path = item.GetMetadata("FullPath");
                try
                {
                    ElfVersionPatch.Result result = ElfVersionPatch.PatchFile(path, ElfVersionPatch.DefaultVersions);
                    if (result.Marked.Count > 0)
                        Log.LogMessage(MessageImportance.Normal, "Nnx: marked {0} weak in {1}", string.Join(", ", result.Marked), path);
                    foreach (string skipped in result.SkippedReferenced)
                        Log.LogWarning("Nnx: {0} in {1} is referenced by a relocation, so it was left strong; the library may not load on systems without it.", skipped, path);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogWarning("Nnx: could not patch {0}: {1}", path, e.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }

    /// <summary>Reads an ELF64 little-endian file's version needs and sets VER_FLG_WEAK on the named ones.</summary>
    public static class ElfVersionPatch
    {
        /// <summary>Versions newer than the GLIBCXX_3.4.30 of Debian 12 / Ubuntu 22.04 that TorchSharp builds may need.</summary>
        public static readonly string[] DefaultVersions = { "GLIBCXX_3.4.31", "GLIBCXX_3.4.32", "GLIBCXX_3.4.33" };

        private const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>What a patch did.</summary>
        public sealed class Result
        {
            public List<string> Marked { get; } = new List<string>();
            public List<string> AlreadyWeak { get; } = new List<string>();
            public List<string> SkippedReferenced { get; } = new List<string>();
        }

        /// <summary>Patches the file in place through a temporary copy, so a hard link to a shared original is never written through.</summary>
        public static Result PatchFile(string path, IReadOnlyCollection<string> versions)
        {
            byte[] image = File.ReadAllBytes(path);
            Result result = Patch(image, versions);
            if (result.Marked.Count == 0) return result;
            string temp = path + ".nnx-tmp";
            File.WriteAllBytes(temp, image);
            // Replace the directory entry instead of writing into the file: the output copy may be a hard link.
            File.Delete(path);
            File.Move(temp, path);
            return result;
        }

        /// <summary>Sets VER_FLG_WEAK in <paramref name="image"/> for each named version that no relocation depends on.</summary>
        /// <exception cref="InvalidDataException">The bytes are not a well-formed ELF64 little-endian file.</exception>
        public static Result Patch(byte[] image, IReadOnlyCollection<string> versions)
        {
            var result = new Result();
            var elf = new Reader(image);
            if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
                throw new InvalidDataException("not an ELF file");
            if (image[4] != 2 || image[5] != 1)
                throw new InvalidDataException("not a 64-bit little-endian ELF file");

            Section[] sections = ReadSections(elf);
            var wanted = new HashSet<string>(versions, StringComparer.Ordinal);
            var found = new List<(string Name, int FlagsOffset, ushort Flags, ushort Index)>();
            foreach (Section s in sections)
            {
                if (s.Type != ShtGnuVerneed) continue;
                Section strings = At(sections, s.Link);
                long need = s.Offset;
                for (uint n = 0; n < s.Info; n++)
                {
                    ushort count = elf.U16(need + 2);
                    long aux = need + elf.U32(need + 8);
                    for (int a = 0; a < count; a++)
                    {
                        ushort flags = elf.U16(aux + 4);
                        ushort index = elf.U16(aux + 6);
                        string name = elf.CString(strings.Offset + elf.U32(aux + 8), strings.Offset + strings.Size);
                        if (wanted.Contains(name)) found.Add((name, checked((int)(aux + 4)), flags, index));
                        uint nextAux = elf.U32(aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = elf.U32(need + 12);
                    if (next == 0) break;
                    need += next;
                }
            }
            if (found.Count == 0) return result;

            HashSet<ushort> referenced = ReferencedVersionIndexes(elf, sections);
            foreach (var (name, flagsOffset, flags, index) in found)
            {
                if ((flags & VerFlagWeak) != 0) { result.AlreadyWeak.Add(name); continue; }
                if (referenced.Contains(index)) { result.SkippedReferenced.Add(name); continue; }
                ushort weak = (ushort)(flags | VerFlagWeak);
                image[flagsOffset] = (byte)weak;
                image[flagsOffset + 1] = (byte)(weak >> 8);
                result.Marked.Add(name);
            }
            return result;
        }

        // Version indexes (vna_other) of dynamic symbols that some relocation names.
        private static HashSet<ushort> ReferencedVersionIndexes(Reader elf, Section[] sections)
        {
            var referenced = new HashSet<ushort>();
            Section? versym = null;
            uint dynsymIndex = uint.MaxValue;
            for (uint i = 0; i < sections.Length; i++)
            {
                if (sections[i].Type == ShtGnuVersym) versym = sections[i];
                if (sections[i].Type == ShtDynsym) dynsymIndex = i;
            }
            if (versym == null) return referenced;
            long symbolCount = versym.Size / 2;
            foreach (Section s in sections)
            {
                if ((s.Type != ShtRela && s.Type != ShtRel) || s.Link != dynsymIndex || s.EntrySize == 0) continue;
                for (long e = 0; e + s.EntrySize <= s.Size; e += s.EntrySize)
                {
                    ulong info = elf.U64(s.Offset + e + 8);
                    long symbol = (long)(info >> 32);
                    if (symbol == 0 || symbol >= symbolCount) continue;
                    referenced.Add((ushort)(elf.U16(versym.Offset + symbol * 2) & 0x7fff));
                }
            }
            return referenced;
        }

        private static Section[] ReadSections(Reader elf)
        {
            long shoff = (long)elf.U64(0x28);
            ushort entrySize = elf.U16(0x3A), count = elf.U16(0x3C);
            if (entrySize < 64) throw new InvalidDataException("section header entries are too small");
            var sections = new Section[count];
            for (int i = 0; i < count; i++)
            {
                long h = shoff + (long)i * entrySize;
                sections[i] = new Section(elf.U32(h + 4), (long)elf.U64(h + 0x18), (long)elf.U64(h + 0x20), elf.U32(h + 0x28), elf.U32(h + 0x2C), (long)elf.U64(h + 0x38));
                elf.Check(sections[i].Offset, Math.Max(0, sections[i].Type == 8 ? 0 : sections[i].Size)); // SHT_NOBITS has no bytes
            }
            return sections;
        }

        private static Section At(Section[] sections, uint index) =>
            index < sections.Length ? sections[index] : throw new InvalidDataException("section link out of range");

        private sealed class Section
        {
            public Section(uint type, long offset, long size, uint link, uint info, long entrySize)
            { Type = type; Offset = offset; Size = size; Link = link; Info = info; EntrySize = entrySize; }
            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public uint Link { get; }
            public uint Info { get; }
            public long EntrySize { get; }
        }

        private sealed class Reader
        {
            private readonly byte[] _b;
            public Reader(byte[] b) { _b = b; }
            public void Check(long offset, long length)
            {
                if (offset < 0 || length < 0 || offset > _b.Length || length > _b.Length - offset)
                    throw new InvalidDataException($"offset {offset} + {length} lies outside the {_b.Length}-byte file");
            }
            public ushort U16(long o) { Check(o, 2); return (ushort)(_b[o] | _b[o + 1] << 8); }
            public uint U32(long o) { Check(o, 4); return (uint)(U16(o) | U16(o + 2) << 16); }
            public ulong U64(long o) { Check(o, 8); return U32(o) | (ulong)U32(o + 4) << 32; }
            public string CString(long o, long end)
            {
                Check(o, 1);
                long e = o;
                while (e < end && e < _b.Length && _b[e] != 0) e++;
                return Encoding.ASCII.GetString(_b, (int)o, (int)(e - o));
            }
        }
    }
}
