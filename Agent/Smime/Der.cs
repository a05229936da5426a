using System;
using System.IO;

namespace ExchangeEncryptionAgent.Smime;

/// <summary>
/// The few DER (X.690 §10) and BER framing operations the outbound writers need to put precomputed pieces together
/// without building an object graph per message: a tag and definite length, SET OF sorting (§11.6), and the
/// indefinite-length headers and end-of-contents octets of the streamed structures (§8.1.3.6).
/// </summary>
internal static class Der
{
    public const byte Integer = 0x02;
    public const byte OctetString = 0x04;
    public const byte UtcTime = 0x17;
    public const byte GeneralizedTime = 0x18;
    public const byte Sequence = 0x30;
    public const byte Set = 0x31;

    /// <summary>[n] constructed, context-specific: the tag of an EXPLICIT [n], or of an IMPLICIT [n] over a SEQUENCE or SET.</summary>
    public static byte Context(int number) => (byte)(0xA0 | number);

    /// <summary>Octets of the identifier and definite length of contents <paramref name="length"/> long.</summary>
    public static int HeaderLength(int length) => length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : length < 0x1000000 ? 5 : 6;

    /// <summary>Octets of a whole encoding with contents <paramref name="length"/> long.</summary>
    public static int EncodedLength(int length) => HeaderLength(length) + length;

    /// <summary>Writes the identifier <paramref name="tag"/> and the definite length at <paramref name="position"/>, advancing it.</summary>
    public static void WriteHeader(Span<byte> buffer, ref int position, byte tag, int length)
    {
        buffer[position++] = tag;
        if (length < 0x80)
        {
            buffer[position++] = (byte)length;
            return;
        }

        var octets = HeaderLength(length) - 2;
        buffer[position++] = (byte)(0x80 | octets);
        for (var shift = (octets - 1) * 8; shift >= 0; shift -= 8)
        {
            buffer[position++] = (byte)(length >> shift);
        }
    }

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="position"/>, advancing it.</summary>
    public static void WriteBytes(byte[] buffer, ref int position, byte[] bytes)
    {
        Buffer.BlockCopy(bytes, 0, buffer, position, bytes.Length);
        position += bytes.Length;
    }

    /// <summary>The concatenation of <paramref name="parts"/>.</summary>
    public static byte[] Concat(params byte[][] parts)
    {
        var length = 0;
        foreach (var part in parts)
        {
            length += part.Length;
        }

        var result = new byte[length];
        var position = 0;
        foreach (var part in parts)
        {
            WriteBytes(result, ref position, part);
        }

        return result;
    }

    /// <summary>One encoding: <paramref name="tag"/> around the concatenated <paramref name="contents"/>.</summary>
    public static byte[] Encode(byte tag, params byte[][] contents)
    {
        var length = 0;
        foreach (var part in contents)
        {
            length += part.Length;
        }

        var result = new byte[EncodedLength(length)];
        var position = 0;
        WriteHeader(result, ref position, tag, length);
        foreach (var part in contents)
        {
            WriteBytes(result, ref position, part);
        }

        return result;
    }

    /// <summary>
    /// A DER SET OF: the element encodings in ascending order as octet strings, a shorter one as if padded with
    /// zero octets at its end (X.690 §11.6). Sorts <paramref name="elements"/> in place.
    /// </summary>
    public static byte[] SetOf(params byte[][] elements)
    {
        Array.Sort(elements, CompareEncodings);
        return Encode(Set, elements);
    }

    /// <summary>The X.690 §11.6 order of two encodings.</summary>
    public static int CompareEncodings(byte[] left, byte[] right)
    {
        var common = Math.Min(left.Length, right.Length);
        for (var i = 0; i < common; i++)
        {
            if (left[i] != right[i])
            {
                return left[i] - right[i];
            }
        }

        // Equal over the shorter one: the longer is greater unless its rest is all zero (then they sort as equal).
        var longer = left.Length > right.Length ? left : right;
        for (var i = common; i < longer.Length; i++)
        {
            if (longer[i] != 0)
            {
                return ReferenceEquals(longer, left) ? 1 : -1;
            }
        }

        return 0;
    }

    /// <summary>Writes the identifier of a constructed encoding with indefinite length (BER, X.690 §8.1.3.6).</summary>
    public static void WriteIndefinite(Stream output, byte tag)
    {
        output.WriteByte(tag);
        output.WriteByte(0x80);
    }

    /// <summary>Writes <paramref name="count"/> end-of-contents octet pairs, closing as many indefinite-length encodings.</summary>
    public static void WriteEndOfContents(Stream output, int count)
    {
        Span<byte> zeros = stackalloc byte[2 * 8];
        zeros.Clear();
        while (count > 0)
        {
            var take = Math.Min(count, 8);
            Write(output, zeros.Slice(0, 2 * take));
            count -= take;
        }
    }

    /// <summary>Writes a primitive OCTET STRING with <paramref name="count"/> octets of <paramref name="buffer"/> as its contents.</summary>
    public static void WriteOctetString(Stream output, byte[] buffer, int offset, int count)
    {
        Span<byte> header = stackalloc byte[6];
        var position = 0;
        WriteHeader(header, ref position, OctetString, count);
        Write(output, header.Slice(0, position));
        output.Write(buffer, offset, count);
    }

    private static void Write(Stream output, ReadOnlySpan<byte> bytes)
    {
#if NET
        output.Write(bytes);
#else
        var array = bytes.ToArray();
        output.Write(array, 0, array.Length);
#endif
    }
}
