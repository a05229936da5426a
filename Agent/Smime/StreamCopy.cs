using System;
using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>Copies with a fixed buffer and a cancellation check per block.</summary>
internal static class StreamCopy
{
    private const int ReadBufferSize = 64 * 1024;

    public static long Copy(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReadBufferSize];
        long total = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
#if NET
            destination.Write(new ReadOnlySpan<byte>(buffer, 0, read));
#else
            destination.Write(buffer, 0, read);
#endif

            total += read;
        }

        return total;
    }
}
