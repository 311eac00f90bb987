namespace AwgProxy.Interop.Http3;

/// <summary>RFC 9114 section 8.1 and RFC 9204 section 6, the application error codes this endpoint uses.</summary>
public static class Http3ErrorCode
{
    public const long NoError = 0x0100;
    public const long GeneralProtocolError = 0x0101;
    public const long InternalError = 0x0102;
    public const long ClosedCriticalStream = 0x0104;
    public const long FrameUnexpected = 0x0105;
    public const long FrameError = 0x0106;
    public const long ExcessiveLoad = 0x0107;
    public const long SettingsError = 0x0109;
    public const long MissingSettings = 0x010a;
    public const long RequestCancelled = 0x010c;
    public const long RequestIncomplete = 0x010d;
    public const long MessageError = 0x010e;
    public const long QpackDecompressionFailed = 0x0200;
}
