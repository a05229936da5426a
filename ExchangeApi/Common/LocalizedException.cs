using System;

namespace Microsoft.Exchange.Data.Common;

// The base of Exchange's own exceptions. The transport host tolerates it from an agent (logs and goes on), as it
// tolerates IOException; anything else crashes EdgeTransport.exe.
public class LocalizedException : Exception
{
    public LocalizedException(LocalizedString localizedString)
        : base(localizedString.ToString())
    {
        LocalizedString = localizedString;
    }

    public LocalizedException(LocalizedString localizedString, Exception innerException)
        : base(localizedString.ToString(), innerException)
    {
        LocalizedString = localizedString;
    }

    public LocalizedString LocalizedString { get; }
}
