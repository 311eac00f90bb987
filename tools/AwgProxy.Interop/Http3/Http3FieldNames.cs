namespace AwgProxy.Interop.Http3;

/// <summary>Field names the endpoint looks for, as bytes (field names are lowercase ASCII in HTTP/3).</summary>
internal static class Http3FieldNames
{
    public static ReadOnlySpan<byte> Method => ":method"u8;

    public static ReadOnlySpan<byte> Scheme => ":scheme"u8;

    public static ReadOnlySpan<byte> Path => ":path"u8;

    public static ReadOnlySpan<byte> Authority => ":authority"u8;

    public static ReadOnlySpan<byte> Status => ":status"u8;

    public static ReadOnlySpan<byte> ContentLength => "content-length"u8;
}
