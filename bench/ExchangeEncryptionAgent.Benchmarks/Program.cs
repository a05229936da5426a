using System;
using System.Linq;
using BenchmarkDotNet.Running;
using ExchangeEncryptionAgent.Benchmarks.Smime;

namespace ExchangeEncryptionAgent.Benchmarks;

/// <summary>
/// BenchmarkDotNet by default. "smime-vs-openssl [sizes...]" prints the side-by-side table against openssl;
/// "smime-encrypt-once MESSAGE CERT" encrypts one file to /dev/null (the child process whose RSS is measured).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        args ??= Array.Empty<string>();
        if (args.Length > 0 && args[0] == SmimeVersusOpenSsl.Mode)
        {
            return SmimeVersusOpenSsl.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == SmimeVersusOpenSsl.ChildMode)
        {
            return SmimeVersusOpenSsl.EncryptOnce(args[1], args[2]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
