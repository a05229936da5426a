using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ExchangeEncryptionAgent.Content;

namespace ExchangeEncryptionAgent.Processing;

/// <summary>
/// Runs transforms one after another through temporary files (never RAM), so memory stays flat whatever the
/// message size. Each intermediate file is deleted as soon as the next step has read it; the result is a
/// delete-on-close file the caller copies out and disposes.
/// </summary>
internal sealed class TransformChain
{
    private readonly TemporaryFileFactory _temporaryFiles;

    /// <summary>Creates a chain that spools through <paramref name="temporaryFiles"/>.</summary>
    public TransformChain(TemporaryFileFactory temporaryFiles)
    {
        _temporaryFiles = Guard.NotNull(temporaryFiles);
    }

    /// <summary>
    /// Applies <paramref name="transforms"/> to <paramref name="source"/> (readable, seekable) and returns the result,
    /// positioned at 0. The caller disposes it, which deletes the file.
    /// </summary>
    public Stream Run(Stream source, IReadOnlyList<IMessageTransform> transforms, CancellationToken cancellationToken)
    {
        Guard.NotNull(source);
        Guard.NotNull(transforms);
        Stream current = source;
        Stream? owned = null;
        try
        {
            foreach (var transform in transforms)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = CreateSpoolFile();
                try
                {
                    current.Position = 0;
                    transform.Apply(current, next, cancellationToken);
                    next.Flush();
                    next.Position = 0;
                }
                catch
                {
                    next.Dispose();
                    throw;
                }

                owned?.Dispose();
                owned = next;
                current = next;
            }

            if (owned is null)
            {
                // No transform: the result is a copy, so the caller may always dispose what it gets.
                owned = CreateSpoolFile();
                source.Position = 0;
                source.CopyTo(owned, 81920);
                owned.Position = 0;
            }

            var result = owned;
            owned = null;
            return result;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>A new delete-on-close temporary file (plain text never outlives the processing of the message).</summary>
    private Stream CreateSpoolFile() => _temporaryFiles.Create();
}
