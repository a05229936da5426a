using System;
using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>Copies with a fixed buffer and a cancellation check per block.</summary>
internal static class StreamCopy
{
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>
    /// BouncyCastle's CipherStream allocates a new output array for every Write(byte[]) call, but encrypts a
    /// Write(ReadOnlySpan) of up to 4096 bytes of output on the stack (Streams.DefaultBufferSize, 64-bit). Writing
    /// CMS content in spans of this size keeps the garbage per message constant on .NET; on .NET Framework (no span
    /// overloads) large chunks keep the number of short-lived arrays small.
    /// </summary>
#if NET
    public const int CmsWriteChunk = 4096 - 32;
#else
    public const int CmsWriteChunk = ReadBufferSize;
#endif

    public static long Copy(Stream source, Stream destination, CancellationToken cancellationToken, int writeChunk = ReadBufferSize)
    {
        var buffer = new byte[ReadBufferSize];
        long total = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var offset = 0; offset < read; offset += writeChunk)
            {
                var count = Math.Min(writeChunk, read - offset);
#if NET
                destination.Write(new ReadOnlySpan<byte>(buffer, offset, count));
#else
                destination.Write(buffer, offset, count);
#endif
            }

            total += read;
        }

        return total;
    }
}
