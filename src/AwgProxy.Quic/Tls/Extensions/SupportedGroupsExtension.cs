using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.7, Supported Groups:
/// <code>
/// struct {
///     NamedGroup named_group_list&lt;2..2^16-1&gt;;
/// } NamedGroupList;
/// </code>
/// </summary>
internal static class SupportedGroupsExtension
{
    public static byte[] Encode(IReadOnlyList<NamedGroup> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("At least one group.", nameof(groups));
        byte[] data = new byte[2 + 2 * groups.Count];
        var writer = new SpanWriter(data);
        writer.WriteUInt16((ushort)(2 * groups.Count));
        foreach (NamedGroup group in groups) writer.WriteUInt16((ushort)group);
        return data;
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out NamedGroup[] groups)
    {
        groups = [];
        var reader = new SpanReader(data);
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> list) || !reader.IsEmpty) return false;
        if (list.Length < 2 || list.Length % 2 != 0) return false;

        groups = new NamedGroup[list.Length / 2];
        var entries = new SpanReader(list);
        for (int i = 0; i < groups.Length; i++)
        {
            entries.TryReadUInt16(out ushort group);
            groups[i] = (NamedGroup)group;
        }

        return true;
    }
}
