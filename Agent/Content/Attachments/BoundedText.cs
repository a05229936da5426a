using System.Text;

namespace ExchangeEncryptionAgent.Content.Attachments;

/// <summary>Collects extracted text up to a character limit; readers stop once it is full (the scan limit, as in Exchange).</summary>
internal sealed class BoundedText
{
    private readonly StringBuilder _builder = new();
    private readonly int _limit;

    public BoundedText(int limit)
    {
        _limit = limit;
    }

    public bool IsFull => _builder.Length >= _limit;

    public void Append(string? text)
    {
        if (string.IsNullOrEmpty(text) || IsFull)
        {
            return;
        }

        var room = _limit - _builder.Length;
        _builder.Append(text!.Length <= room ? text : text.Substring(0, room));
    }

    public void Append(char c)
    {
        if (!IsFull)
        {
            _builder.Append(c);
        }
    }

    /// <summary>A word break between paragraphs, cells or pages (never two in a row).</summary>
    public void Break()
    {
        if (_builder.Length > 0 && _builder[_builder.Length - 1] != ' ')
        {
            Append(' ');
        }
    }

    public override string ToString() => _builder.ToString();
}
