using System.IO;
using System.Threading;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>Copies with a fixed buffer and a cancellation check per block.</summary>
internal static class StreamCopy
{
    public static long Copy(Stream source, Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        var buffer = new byte[bufferSize];
        long total = 0;
        int read;
        while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            destination.Write(buffer, 0, read);
            total += read;
        }

        return total;
    }
}
