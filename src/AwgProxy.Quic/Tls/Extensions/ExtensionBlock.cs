using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2, an extension block: <c>Extension extensions&lt;0..2^16-1&gt;;</c>.
/// Reading keeps the order and every entry, including unknown types; duplicates are reported
/// rather than rejected so the caller can answer with illegal_parameter (not decode_error).
/// </summary>
internal static class ExtensionBlock
{
    /// <summary>
    /// Reads a length-prefixed extension block. Returns false on malformed bytes (and then consumes nothing).
    /// </summary>
    public static bool TryRead(ref SpanReader reader, out List<TlsExtension> extensions, out bool hasDuplicates)
    {
        extensions = [];
        hasDuplicates = false;
        SpanReader attempt = reader;
        if (!attempt.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> block)) return false;

        var entries = new SpanReader(block);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadUInt16(out ushort type) || !entries.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> data))
            {
                extensions = [];
                hasDuplicates = false;
                return false;
            }

            foreach (TlsExtension seen in extensions)
            {
                if ((ushort)seen.Type == type) hasDuplicates = true;
            }

            extensions.Add(new TlsExtension((ExtensionType)type, data.ToArray()));
        }

        reader = attempt;
        return true;
    }

    /// <summary>Encoded size of the block including its 2-byte length.</summary>
    public static int GetLength(IReadOnlyList<TlsExtension> extensions)
    {
        int length = 2;
        foreach (TlsExtension extension in extensions) length += extension.Length;
        return length;
    }

    public static void Write(ref SpanWriter writer, IReadOnlyList<TlsExtension> extensions)
    {
        int length = GetLength(extensions) - 2;
        if (length > ushort.MaxValue) throw new InvalidOperationException("Extension block too long.");
        writer.WriteUInt16((ushort)length);
        foreach (TlsExtension extension in extensions)
        {
            if (extension.Data.Length > ushort.MaxValue) throw new InvalidOperationException("Extension too long.");
            writer.WriteUInt16((ushort)extension.Type);
            writer.WriteUInt16((ushort)extension.Data.Length);
            writer.WriteBytes(extension.Data);
        }
    }

    /// <summary>The body of the first extension of <paramref name="type"/>, or null.</summary>
    public static byte[]? Find(IReadOnlyList<TlsExtension> extensions, ExtensionType type)
    {
        foreach (TlsExtension extension in extensions)
        {
            if (extension.Type == type) return extension.Data;
        }

        return null;
    }

    public static bool Contains(IReadOnlyList<TlsExtension> extensions, ExtensionType type) => Find(extensions, type) is not null;
}
