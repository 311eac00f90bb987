namespace AwgProxy.Interop.Http3.Qpack;

/// <summary>
/// Decodes RFC 7541 Huffman-coded string literals (section 5.2) by walking a binary tree built once from
/// <see cref="HuffmanCode"/>. Enforces the padding rules: the bits after the last symbol must be fewer than
/// 8 and all ones (the start of EOS), and EOS itself must not appear.
/// </summary>
public static class HuffmanDecoder
{
    // Node n has children s_tree[2n] (bit 0) and s_tree[2n + 1] (bit 1). A child > 0 is an inner node,
    // a child < 0 is the leaf for symbol (-child - 1). Node 0 is the root, so 0 never appears as a child.
    private static readonly short[] s_tree = BuildTree();

    /// <summary>The most octets <paramref name="encodedLength"/> Huffman-coded octets can decode to (5-bit codes are the shortest).</summary>
    public static int MaxDecodedLength(int encodedLength) => (int)(encodedLength * 8L / 5);

    /// <summary>Decodes <paramref name="source"/> into <paramref name="destination"/>; never throws on input.</summary>
    public static HuffmanDecodeStatus TryDecode(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        written = 0;
        int node = 0;
        int pendingBits = 0;
        bool pendingAllOnes = true;
        short[] tree = s_tree;
        foreach (byte octet in source)
        {
            for (int shift = 7; shift >= 0; shift--)
            {
                int bit = (octet >> shift) & 1;
                int next = tree[(node << 1) | bit];
                pendingBits++;
                pendingAllOnes &= bit == 1;
                if (next > 0)
                {
                    node = next;
                    continue;
                }

                int symbol = -next - 1;
                if (symbol == HuffmanCode.EndOfString)
                {
                    written = 0;
                    return HuffmanDecodeStatus.EndOfStringSymbol;
                }

                if (written == destination.Length)
                {
                    written = 0;
                    return HuffmanDecodeStatus.DestinationTooSmall;
                }

                destination[written++] = (byte)symbol;
                node = 0;
                pendingBits = 0;
                pendingAllOnes = true;
            }
        }

        if (pendingBits > 7)
        {
            written = 0;
            return HuffmanDecodeStatus.PaddingTooLong;
        }

        if (!pendingAllOnes)
        {
            written = 0;
            return HuffmanDecodeStatus.PaddingNotEndOfString;
        }

        return HuffmanDecodeStatus.Done;
    }

    private static short[] BuildTree()
    {
        // A complete prefix code with 257 leaves has 256 inner nodes.
        short[] tree = new short[2 * (HuffmanCode.SymbolCount - 1)];
        int nodes = 1;
        for (int symbol = 0; symbol < HuffmanCode.SymbolCount; symbol++)
        {
            HuffmanCode.Code code = HuffmanCode.Get(symbol);
            int node = 0;
            for (int i = code.Length - 1; i >= 0; i--)
            {
                int slot = (node << 1) | (int)((code.Bits >> i) & 1);
                if (i == 0)
                {
                    if (tree[slot] != 0)
                    {
                        throw new InvalidOperationException($"Huffman code of symbol {symbol} collides with another code.");
                    }

                    tree[slot] = (short)(-symbol - 1);
                    break;
                }

                if (tree[slot] < 0)
                {
                    throw new InvalidOperationException($"Huffman code of symbol {symbol} extends another symbol's code.");
                }

                if (tree[slot] == 0)
                {
                    if (nodes == tree.Length / 2)
                    {
                        throw new InvalidOperationException("Huffman table is not a complete prefix code.");
                    }

                    tree[slot] = (short)nodes++;
                }

                node = tree[slot];
            }
        }

        if (Array.IndexOf(tree, (short)0) >= 0)
        {
            throw new InvalidOperationException("Huffman table leaves a branch without a symbol.");
        }

        return tree;
    }
}

/// <summary>The outcome of <see cref="HuffmanDecoder.TryDecode"/>.</summary>
public enum HuffmanDecodeStatus
{
    Done,

    /// <summary>The input contains the EOS symbol (RFC 7541 section 5.2: a decoding error).</summary>
    EndOfStringSymbol,

    /// <summary>More than 7 bits of padding.</summary>
    PaddingTooLong,

    /// <summary>Padding that is not the most significant bits of EOS (not all ones).</summary>
    PaddingNotEndOfString,

    /// <summary>The output does not fit the destination.</summary>
    DestinationTooSmall,
}
