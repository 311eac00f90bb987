using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.8:
/// <code>
/// struct {
///     NamedGroup group;
///     opaque key_exchange&lt;1..2^16-1&gt;;
/// } KeyShareEntry;
/// </code>
/// </summary>
internal sealed record KeyShareEntry(NamedGroup Group, byte[] KeyExchange)
{
    public int Length => 2 + 2 + KeyExchange.Length;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteUInt16((ushort)Group);
        writer.WriteUInt16((ushort)KeyExchange.Length);
        writer.WriteBytes(KeyExchange);
    }

    /// <summary>Reads one entry; on malformed bytes returns false and leaves <paramref name="reader"/> where it was.</summary>
    public static bool TryRead(ref SpanReader reader, out KeyShareEntry? entry)
    {
        entry = null;
        SpanReader attempt = reader;
        if (!attempt.TryReadUInt16(out ushort group)) return false;
        if (!attempt.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> keyExchange) || keyExchange.IsEmpty) return false;

        entry = new KeyShareEntry((NamedGroup)group, keyExchange.ToArray());
        reader = attempt;
        return true;
    }
}
