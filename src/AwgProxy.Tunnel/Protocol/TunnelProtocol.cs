namespace AwgProxy.Tunnel.Protocol;

/// <summary>Constants of the awgproxy/1 tunnel protocol (docs/protocol.md).</summary>
public static class TunnelProtocol
{
    /// <summary>The ALPN protocol ID both sides offer in the TLS handshake.</summary>
    public const string Alpn = "awgproxy/1";

    /// <summary>The VER byte of every request and response in this version.</summary>
    public const byte Version = 0x01;
}
