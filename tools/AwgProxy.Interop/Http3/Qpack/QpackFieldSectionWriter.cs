namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// Encodes a field section with the static table and raw literals only (no dynamic table, no Huffman):
/// the prefix is Required Insert Count 0 and Base 0 (<c>00 00</c>), then one representation per call.
/// Writing past the end of the caller's buffer is a programming error and throws.
/// </summary>
public ref struct QpackFieldSectionWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public QpackFieldSectionWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
        // Required Insert Count (8+) = 0, S = 0, Delta Base (7+) = 0.
        Reserve(2);
        _destination[0] = 0x00;
        _destination[1] = 0x00;
        _position = 2;
    }

    /// <summary>Octets written so far.</summary>
    public readonly int Length => _position;

    /// <summary>The encoded field section so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _destination[.._position];

    /// <summary>Indexed Field Line, T = 1 (static): <c>1 1 Index(6+)</c>.</summary>
    public void WriteIndexed(int staticIndex)
    {
        CheckIndex(staticIndex);
        Reserve(QpackInteger.GetLength((ulong)staticIndex, 6));
        _position += QpackInteger.Write(_destination[_position..], (ulong)staticIndex, 6, 0xC0);
    }

    /// <summary>
    /// Literal Field Line with Name Reference, N = 0, T = 1 (static): <c>0 1 0 1 NameIndex(4+)</c>, then the
    /// value as a raw 8-bit prefix string literal.
    /// </summary>
    public void WriteLiteralWithNameReference(int staticNameIndex, ReadOnlySpan<byte> value)
    {
        CheckIndex(staticNameIndex);
        Reserve(QpackInteger.GetLength((ulong)staticNameIndex, 4) + QpackStringLiteral.GetLength(value.Length, 8));
        _position += QpackInteger.Write(_destination[_position..], (ulong)staticNameIndex, 4, 0x50);
        _position += QpackStringLiteral.Write(_destination[_position..], value, 8, 0x00);
    }

    /// <summary>
    /// Literal Field Line with Literal Name, N = 0: <c>0 0 1 0 H NameLen(3+)</c> with the name, then the value,
    /// both raw.
    /// </summary>
    public void WriteLiteralWithLiteralName(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Reserve(QpackStringLiteral.GetLength(name.Length, 4) + QpackStringLiteral.GetLength(value.Length, 8));
        _position += QpackStringLiteral.Write(_destination[_position..], name, 4, 0x20);
        _position += QpackStringLiteral.Write(_destination[_position..], value, 8, 0x00);
    }

    private readonly void Reserve(int length)
    {
        if (_destination.Length - _position < length)
        {
            throw new InvalidOperationException("Field section buffer too small.");
        }
    }

    private static void CheckIndex(int index)
    {
        if ((uint)index >= QpackStaticTable.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "Not a static table index.");
        }
    }
}
