namespace AwgProxy.Interop.Http3;

/// <summary>SETTINGS identifiers this endpoint reads (RFC 9114 section 7.2.4.1, RFC 9204 section 5).</summary>
public static class Http3SettingsParameter
{
    public const ulong QpackMaxTableCapacity = 0x01;
    public const ulong MaxFieldSectionSize = 0x06;
    public const ulong QpackBlockedStreams = 0x07;

    /// <summary>HTTP/2 settings reserved in HTTP/3 (0x00, 0x02-0x05): receiving one is H3_SETTINGS_ERROR.</summary>
    public static bool IsHttp2Only(ulong identifier) => identifier is 0x00 or 0x02 or 0x03 or 0x04 or 0x05;
}
