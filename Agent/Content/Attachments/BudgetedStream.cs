using System;
using System.IO;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>A read-only view that counts every byte read against the inspection budget (archive bombs stop at the bound).</summary>
internal sealed class BudgetedStream : Stream
{
    private readonly Stream _inner;
    private readonly InspectionBudget _budget;

    public BudgetedStream(Stream inner, InspectionBudget budget)
    {
        _inner = inner;
        _budget = budget;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        if (read > 0)
        {
            _budget.CountBytes(read);
            _budget.CheckTime();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
