using AwgProxy.Quic.Coding;

namespace AwgProxy.Interop.Http3;

/// <summary>
/// RFC 9114 section 7.2.4, the SETTINGS frame payload: identifier/value pairs. Unknown and reserved
/// identifiers are ignored; this keeps the values the interop endpoint logs.
/// <code>
/// Setting {
///   Identifier (i),
///   Value (i),
/// }
///
/// SETTINGS Frame {
///   Type (i) = 0x04,
///   Length (i),
///   Setting (..) ...,
/// }
/// </code>
/// </summary>
public readonly record struct Http3Settings(ulong QpackMaxTableCapacity, ulong? MaxFieldSectionSize, ulong QpackBlockedStreams)
{
    /// <summary>
    /// Reads a SETTINGS payload. False if it ends inside a pair, repeats an identifier, or carries an
    /// HTTP/2-only identifier (H3_SETTINGS_ERROR / H3_FRAME_ERROR).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out Http3Settings settings)
    {
        settings = default;
        var reader = new SpanReader(payload);
        ulong capacity = 0;
        ulong? fieldSection = null;
        ulong blocked = 0;
        ulong seen = 0;
        while (!reader.IsEmpty)
        {
            if (!reader.TryReadVarInt(out ulong identifier) || !reader.TryReadVarInt(out ulong value))
            {
                return false;
            }

            if (Http3SettingsParameter.IsHttp2Only(identifier))
            {
                return false;
            }

            if (identifier < 64)
            {
                ulong bit = 1UL << (int)identifier;
                if ((seen & bit) != 0)
                {
                    return false;
                }

                seen |= bit;
            }

            switch (identifier)
            {
                case Http3SettingsParameter.QpackMaxTableCapacity:
                    capacity = value;
                    break;
                case Http3SettingsParameter.MaxFieldSectionSize:
                    fieldSection = value;
                    break;
                case Http3SettingsParameter.QpackBlockedStreams:
                    blocked = value;
                    break;
            }
        }

        settings = new Http3Settings(capacity, fieldSection, blocked);
        return true;
    }
}
