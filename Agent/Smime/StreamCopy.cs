using System;
using System.Buffers;
using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>Copies with a fixed buffer and a cancellation check per block.</summary>
internal static class StreamCopy
{
    private const int ReadBufferSize = 64 * 1024;

    public static long Copy(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        // Borrowed from the shared pool: a small message's copies then allocate nothing. Content passes through it,
        // so it is cleared (as far as it was filled; all of it after a failure) before it goes back.
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        long total = 0;
        var used = ReadBufferSize;
        try
        {
            int read;
            var largest = 0;
            while ((read = source.Read(buffer, 0, ReadBufferSize)) > 0)
            {
                largest = Math.Max(largest, read);
                cancellationToken.ThrowIfCancellationRequested();
#if NET
                destination.Write(new ReadOnlySpan<byte>(buffer, 0, read));
#else
                destination.Write(buffer, 0, read);
#endif

                total += read;
            }

            used = largest;
            return total;
        }
        finally
        {
            Array.Clear(buffer, 0, used);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
