using System.Text;

namespace ExchangeEncryptionAgent.Content;

/// <summary>
/// Registers the legacy Windows code pages once per process. .NET (Core) knows only Unicode and Latin-1 by default,
/// yet mail and TNEF (whose strings are in the sender's ANSI code page) still use them; .NET Framework has them built in.
/// </summary>
internal static class CodePages
{
    private static readonly bool Registered = Register();

    /// <summary>Makes sure the code pages are registered; cheap after the first call.</summary>
    public static void EnsureRegistered() => _ = Registered;

    private static bool Register()
    {
#if !NETFRAMEWORK
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
#endif
        return true;
    }
}
