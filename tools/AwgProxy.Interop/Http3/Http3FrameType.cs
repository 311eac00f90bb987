namespace AwgProxy.Interop.Http3;

/// <summary>RFC 9114 section 7.2 and 11.2.1, HTTP/3 frame types.</summary>
public static class Http3FrameType
{
    public const ulong Data = 0x00;
    public const ulong Headers = 0x01;
    public const ulong CancelPush = 0x03;
    public const ulong Settings = 0x04;
    public const ulong PushPromise = 0x05;
    public const ulong GoAway = 0x07;
    public const ulong MaxPushId = 0x0d;

    /// <summary>
    /// Reserved types <c>0x1f * N + 0x21</c> (section 7.2.8): no meaning, skipped like any unknown type.
    /// </summary>
    public static bool IsReserved(ulong type) => type >= 0x21 && (type - 0x21) % 0x1f == 0;

    /// <summary>
    /// HTTP/2 frame types with no HTTP/3 counterpart (PRIORITY 0x02, PING 0x06, WINDOW_UPDATE 0x08,
    /// CONTINUATION 0x09): receiving one is H3_FRAME_UNEXPECTED (section 7.2.8).
    /// </summary>
    public static bool IsHttp2Only(ulong type) => type is 0x02 or 0x06 or 0x08 or 0x09;
}
