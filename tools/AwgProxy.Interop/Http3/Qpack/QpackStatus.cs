namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// The outcome of one step of <see cref="QpackFieldSectionReader"/>. Everything but
/// <see cref="FieldLine"/> and <see cref="End"/> is a QPACK_DECOMPRESSION_FAILED error (RFC 9204 section 6).
/// </summary>
public enum QpackStatus
{
    /// <summary>A field line was decoded.</summary>
    FieldLine,

    /// <summary>The field section has no more field lines.</summary>
    End,

    /// <summary>The encoded field section ends in the middle of a representation or prefix.</summary>
    Truncated,

    /// <summary>An integer longer than 62 bits.</summary>
    IntegerOverflow,

    /// <summary>A static table index past entry 98.</summary>
    InvalidStaticIndex,

    /// <summary>
    /// A reference to the dynamic table (or a non-zero Required Insert Count). This endpoint advertises a table
    /// capacity of zero, so a peer must never send one.
    /// </summary>
    DynamicTableReference,

    /// <summary>A Base that would be negative (Sign bit set with Required Insert Count 0).</summary>
    InvalidBase,

    /// <summary>A Huffman-coded literal that is malformed (EOS, bad padding).</summary>
    InvalidHuffman,

    /// <summary>A decoded name and value that do not fit the caller's scratch buffer.</summary>
    FieldTooLarge,
}
