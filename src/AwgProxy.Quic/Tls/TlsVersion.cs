namespace AwgProxy.Quic.Tls;

/// <summary>RFC 8446 section 4.1.2 and 4.2.1: the ProtocolVersion values this stack uses.</summary>
internal static class TlsVersion
{
    /// <summary>legacy_version in every TLS 1.3 ClientHello and ServerHello.</summary>
    public const ushort Tls12 = 0x0303;

    /// <summary>The only version this stack negotiates, carried in "supported_versions".</summary>
    public const ushort Tls13 = 0x0304;
}
