using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace ExchangeEncryptionAgent.Tests.Gateway;

/// <summary>Loopback ports nobody listens on right now (the OS picks them; all are taken at once so none repeats).</summary>
internal static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.ConvertAll(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
