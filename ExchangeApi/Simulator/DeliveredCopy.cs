using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ExchangeApi.Simulator;

// One mail item that left the categorizer with recipients: what the delivery queues would get.
public sealed class DeliveredCopy
{
    private readonly ContentFile _content;

    internal DeliveredCopy(string fromAddress, IReadOnlyList<DeliveredRecipient> recipients, IReadOnlyDictionary<string, object> properties, ContentFile content)
    {
        FromAddress = fromAddress;
        Recipients = recipients;
        Properties = properties;
        _content = content;
    }

    public string FromAddress { get; }

    public IReadOnlyList<DeliveredRecipient> Recipients { get; }

    public IReadOnlyList<string> RecipientAddresses => Recipients.Select(r => r.Address).ToArray();

    // MailItem.Properties as they were when the copy left the last event.
    public IReadOnlyDictionary<string, object> Properties { get; }

    public long Length => _content.Length;

    public Stream OpenRead() => _content.OpenRead();

    public byte[] ReadAllBytes()
    {
        using var stream = OpenRead();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    public string ReadAllText() => Encoding.UTF8.GetString(ReadAllBytes());

    public void SaveTo(string path)
    {
        using var source = OpenRead();
        using var target = File.Create(path);
        source.CopyTo(target);
    }

    // As SaveTo, but the run's own file is renamed to path rather than copied (OpenRead reads it there afterwards):
    // for callers that keep the copies, such as eea process, on the same volume as the run's temporary directory.
    public void MoveTo(string path) => _content.MoveTo(path);

    public DeliveredRecipient Recipient(string address) =>
        Recipients.FirstOrDefault(r => string.Equals(r.Address, address, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException(address + " is not a recipient of this copy.");
}
