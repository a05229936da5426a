using System.IO;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>A read-only view that counts every byte read against the inspection budget (archive bombs stop at the bound).</summary>
internal sealed class BudgetedStream : ReadOnlyForwardStream
{
    private readonly InspectionBudget _budget;

    public BudgetedStream(Stream inner, InspectionBudget budget)
        : base(inner)
    {
        _budget = budget;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = Inner.Read(buffer, offset, count);
        if (read > 0)
        {
            _budget.CountBytes(read);
            _budget.CheckTime();
        }

        return read;
    }
}
