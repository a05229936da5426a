using System;
using System.Diagnostics;
using System.IO;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>What one attachment's inspection may still spend: files, expanded bytes, time. Throws when spent.</summary>
internal sealed class InspectionBudget
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;
    private int _files;
    private readonly TemporaryFileFactory _temporaryFiles;

    public InspectionBudget(long textLimitChars, TemporaryFileFactory temporaryFiles)
    {
        _temporaryFiles = temporaryFiles;
        TextLimitChars = (int)Math.Max(0, Math.Min(textLimitChars, int.MaxValue / 2));
    }

    /// <summary>How many characters of text are kept per file (the policy's AttachmentScanLimit).</summary>
    public int TextLimitChars { get; }

    /// <summary>Counts one more file.</summary>
    public void CountFile()
    {
        if (++_files > AttachmentInspectionLimits.MaxFiles)
        {
            throw new InspectionLimitException($"more than {AttachmentInspectionLimits.MaxFiles} files");
        }

        CheckTime();
    }

    /// <summary>Counts expanded bytes.</summary>
    public void CountBytes(long count)
    {
        _bytes += count;
        if (_bytes > AttachmentInspectionLimits.MaxExpandedBytes)
        {
            throw new InspectionLimitException($"more than {AttachmentInspectionLimits.MaxExpandedBytes / (1024 * 1024)} MB expanded");
        }
    }

    /// <summary>Throws when the time bound has passed.</summary>
    public void CheckTime()
    {
        if (_clock.Elapsed > AttachmentInspectionLimits.MaxTime)
        {
            throw new InspectionLimitException($"inspection took longer than {AttachmentInspectionLimits.MaxTime.TotalSeconds:0} s");
        }
    }

    /// <summary>Throws when <paramref name="depth"/> containers deep is too deep.</summary>
    public static void CheckDepth(int depth)
    {
        if (depth > AttachmentInspectionLimits.MaxContainerDepth)
        {
            throw new InspectionLimitException($"containers nested deeper than {AttachmentInspectionLimits.MaxContainerDepth} levels");
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> (a <see cref="BudgetedStream"/>, which counts the bytes) into seekable
    /// storage: memory when small, else a temporary file deleted on close.
    /// </summary>
    public Stream Spool(Stream source)
    {
        var memory = new MemoryStream();
        Stream target = memory;
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                // Moved out once. Not "target is MemoryStream": an in-memory factory's file is one too, and testing the
                // type copied everything again on every read (quadratic; a zip bomb then ran into the time limit).
                if (target == memory && memory.Length + read > AttachmentInspectionLimits.MaxInMemorySpoolBytes)
                {
                    var file = _temporaryFiles.Create();
                    memory.Position = 0;
                    memory.CopyTo(file);
                    memory.Dispose();
                    target = file;
                }

                target.Write(buffer, 0, read);
            }

            target.Position = 0;
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}
