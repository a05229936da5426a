namespace Microsoft.Exchange.Data.Transport.Email;

public enum MessageSecurityType
{
    None,
    ClearSigned,
    OpaqueSigned,
    Encrypted,
}
