namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// Decodes an encoded field section (RFC 9204 section 4.5) that uses only the static table and literals,
/// one field line at a time, without allocating: names and values are slices of the input, of the static
/// table, or (Huffman-coded literals) of the caller's scratch buffer, valid until the next call.
/// <code>
/// Encoded Field Section (section 4.5.1):
///   0   1   2   3   4   5   6   7
/// +---+---+---+---+---+---+---+---+
/// |   Required Insert Count (8+)  |
/// +---+---------------------------+
/// | S |      Delta Base (7+)      |
/// +---+---------------------------+
/// |      Encoded Field Lines    ...
/// +-------------------------------+
///
/// Field line representations (first bits):
///   1T......  Indexed Field Line (6+ index), T=1 static            section 4.5.2
///   0001....  Indexed Field Line with Post-Base Index (dynamic)    section 4.5.3
///   01NT....  Literal Field Line with Name Reference (4+ index)    section 4.5.4
///   0000N...  Literal Field Line with Post-Base Name Ref (dynamic) section 4.5.5
///   001NH...  Literal Field Line with Literal Name (3+ length)     section 4.5.6
/// </code>
/// </summary>
public ref struct QpackFieldSectionReader
{
    private readonly ReadOnlySpan<byte> _source;
    private readonly Span<byte> _scratch;
    private int _position;
    private bool _prefixRead;

    /// <param name="encodedFieldSection">The payload of one HEADERS frame.</param>
    /// <param name="scratch">Room for one Huffman-decoded name plus value.</param>
    public QpackFieldSectionReader(ReadOnlySpan<byte> encodedFieldSection, Span<byte> scratch)
    {
        _source = encodedFieldSection;
        _scratch = scratch;
        _position = 0;
        _prefixRead = false;
    }

    /// <summary>
    /// Decodes the next field line. Returns <see cref="QpackStatus.FieldLine"/> with
    /// <paramref name="name"/> and <paramref name="value"/> set, <see cref="QpackStatus.End"/> after the last
    /// one, or an error status (after which the reader must not be used further).
    /// </summary>
    public QpackStatus TryReadFieldLine(out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = default;
        value = default;
        if (!_prefixRead)
        {
            QpackStatus prefix = ReadPrefix();
            if (prefix != QpackStatus.End)
            {
                return prefix;
            }

            _prefixRead = true;
        }

        ReadOnlySpan<byte> rest = _source[_position..];
        if (rest.IsEmpty)
        {
            return QpackStatus.End;
        }

        byte first = rest[0];
        int consumed;
        QpackStatus status;
        if ((first & 0x80) != 0)
        {
            status = ReadIndexed(rest, out name, out value, out consumed);
        }
        else if ((first & 0xC0) == 0x40)
        {
            status = ReadLiteralWithNameReference(rest, out name, out value, out consumed);
        }
        else if ((first & 0xE0) == 0x20)
        {
            status = ReadLiteralWithLiteralName(rest, out name, out value, out consumed);
        }
        else
        {
            // 0001xxxx (post-base index) and 0000xxxx (post-base name reference) address the dynamic table.
            return QpackStatus.DynamicTableReference;
        }

        if (status == QpackStatus.FieldLine)
        {
            _position += consumed;
        }

        return status;
    }

    private QpackStatus ReadPrefix()
    {
        ReadOnlySpan<byte> rest = _source;
        if (!QpackInteger.TryRead(rest, 8, out ulong encodedInsertCount, out int n1))
        {
            return IntegerStatus(rest, 8);
        }

        // With a maximum table capacity of 0, MaxEntries is 0 and any non-zero Encoded Required Insert
        // Count is an error (RFC 9204 section 4.5.1.1).
        if (encodedInsertCount != 0)
        {
            return QpackStatus.DynamicTableReference;
        }

        rest = rest[n1..];
        if (rest.IsEmpty)
        {
            return QpackStatus.Truncated;
        }

        bool sign = (rest[0] & 0x80) != 0;
        if (!QpackInteger.TryRead(rest, 7, out _, out int n2))
        {
            return IntegerStatus(rest, 7);
        }

        // Sign = 1 means Base = ReqInsertCount - DeltaBase - 1, negative when ReqInsertCount is 0
        // (section 4.5.1.2).
        if (sign)
        {
            return QpackStatus.InvalidBase;
        }

        _position = n1 + n2;
        return QpackStatus.End;
    }

    /// <summary>
    /// <code>
    /// +---+---+---+---+---+---+---+---+
    /// | 1 | T |      Index (6+)       |
    /// +---+---+-----------------------+
    /// </code>
    /// </summary>
    private static QpackStatus ReadIndexed(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out int consumed)
    {
        name = default;
        value = default;
        consumed = 0;
        bool isStatic = (rest[0] & 0x40) != 0;
        if (!QpackInteger.TryRead(rest, 6, out ulong index, out consumed))
        {
            return IntegerStatus(rest, 6);
        }

        if (!isStatic)
        {
            return QpackStatus.DynamicTableReference;
        }

        return QpackStaticTable.TryGet(index, out name, out value) ? QpackStatus.FieldLine : QpackStatus.InvalidStaticIndex;
    }

    /// <summary>
    /// <code>
    /// +---+---+---+---+---+---+---+---+
    /// | 0 | 1 | N | T |Name Index (4+)|
    /// +---+---+---+---+---------------+
    /// | H |     Value Length (7+)     |
    /// +---+---------------------------+
    /// |  Value String (Length bytes)  |
    /// +-------------------------------+
    /// </code>
    /// </summary>
    private QpackStatus ReadLiteralWithNameReference(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out int consumed)
    {
        name = default;
        value = default;
        consumed = 0;
        bool isStatic = (rest[0] & 0x10) != 0;
        if (!QpackInteger.TryRead(rest, 4, out ulong index, out int indexLength))
        {
            return IntegerStatus(rest, 4);
        }

        if (!isStatic)
        {
            return QpackStatus.DynamicTableReference;
        }

        if (!QpackStaticTable.TryGet(index, out name, out _))
        {
            return QpackStatus.InvalidStaticIndex;
        }

        QpackStatus status = ReadString(rest[indexLength..], 8, _scratch, out value, out int valueLength);
        consumed = indexLength + valueLength;
        return status;
    }

    /// <summary>
    /// <code>
    /// +---+---+---+---+---+---+---+---+
    /// | 0 | 0 | 1 | N | H |NameLen(3+)|
    /// +---+---+---+---+---+-----------+
    /// |  Name String (Length bytes)   |
    /// +---+---------------------------+
    /// | H |     Value Length (7+)     |
    /// +---+---------------------------+
    /// |  Value String (Length bytes)  |
    /// +-------------------------------+
    /// </code>
    /// </summary>
    private QpackStatus ReadLiteralWithLiteralName(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out int consumed)
    {
        value = default;
        consumed = 0;
        QpackStatus status = ReadString(rest, 4, _scratch, out name, out int nameLength);
        if (status != QpackStatus.FieldLine)
        {
            return status;
        }

        // A Huffman-coded name occupies the start of the scratch buffer; the value goes after it.
        Span<byte> valueScratch = _scratch;
        if (name.Overlaps(_scratch))
        {
            valueScratch = _scratch[name.Length..];
        }

        status = ReadString(rest[nameLength..], 8, valueScratch, out value, out int valueLength);
        consumed = nameLength + valueLength;
        return status;
    }

    private static QpackStatus ReadString(ReadOnlySpan<byte> source, int prefixBits, Span<byte> scratch, out ReadOnlySpan<byte> text, out int consumed)
    {
        text = default;
        if (!QpackStringLiteral.TryRead(source, prefixBits, out bool huffman, out ReadOnlySpan<byte> data, out consumed))
        {
            // Either the length itself is unreadable, or the data it announces runs past the end.
            return QpackInteger.TryRead(source, prefixBits - 1, out _, out _) ? QpackStatus.Truncated : IntegerStatus(source, prefixBits - 1);
        }

        if (!huffman)
        {
            text = data;
            return QpackStatus.FieldLine;
        }

        HuffmanDecodeStatus decoded = HuffmanDecoder.TryDecode(data, scratch, out int written);
        if (decoded == HuffmanDecodeStatus.DestinationTooSmall)
        {
            return QpackStatus.FieldTooLarge;
        }

        if (decoded != HuffmanDecodeStatus.Done)
        {
            return QpackStatus.InvalidHuffman;
        }

        text = scratch[..written];
        return QpackStatus.FieldLine;
    }

    /// <summary>Why an integer could not be read: truncated input or more than 62 bits.</summary>
    private static QpackStatus IntegerStatus(ReadOnlySpan<byte> source, int prefixBits)
    {
        if (source.IsEmpty)
        {
            return QpackStatus.Truncated;
        }

        // Truncated if the continuation runs off the end; otherwise the value was too large.
        ulong prefixMax = (1UL << prefixBits) - 1;
        if ((source[0] & prefixMax) < prefixMax)
        {
            return QpackStatus.Truncated;
        }

        for (int i = 1; i < source.Length; i++)
        {
            if ((source[i] & 0x80) == 0)
            {
                return QpackStatus.IntegerOverflow;
            }
        }

        return QpackStatus.Truncated;
    }
}
