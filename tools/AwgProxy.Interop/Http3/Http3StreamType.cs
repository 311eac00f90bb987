namespace AwgProxy.Interop.Http3;

/// <summary>
/// RFC 9114 section 6.2 and RFC 9204 section 4.2, the type that opens every unidirectional stream.
/// <code>
/// Unidirectional Stream Header {
///   Stream Type (i),
/// }
/// </code>
/// </summary>
public static class Http3StreamType
{
    public const ulong Control = 0x00;
    public const ulong Push = 0x01;
    public const ulong QpackEncoder = 0x02;
    public const ulong QpackDecoder = 0x03;

    /// <summary>Reserved types <c>0x1f * N + 0x21</c> (section 6.2.3), to be ignored.</summary>
    public static bool IsReserved(ulong type) => Http3FrameType.IsReserved(type);
}
