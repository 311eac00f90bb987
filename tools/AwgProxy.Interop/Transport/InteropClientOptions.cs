using System.Net;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Transport;

/// <summary>What the client side asks of the transport (from the <c>client</c> flags).</summary>
public sealed record InteropClientOptions
{
    /// <summary>The server's UDP address (<c>-addr</c>).</summary>
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>ALPN protocols to offer, in preference order (<c>-alpn</c>, comma-separated).</summary>
    public required IReadOnlyList<string> ApplicationProtocols { get; init; }

    /// <summary>TLS server_name (<c>-sni</c>).</summary>
    public string ServerName { get; init; } = "localhost";

    /// <summary>
    /// PEM file with the certificate(s) the server's chain must lead to (<c>-ca</c>); null means the server
    /// certificate is not verified, as quicgo-peer's client does by default.
    /// </summary>
    public string? CaCertificatePemPath { get; init; }

    /// <summary>Key exchange groups in preference order; the first gets the key_share. Empty = transport default.</summary>
    public IReadOnlyList<InteropKeyExchangeGroup> Groups { get; init; } = [];

    /// <summary>Cipher suites in preference order. Empty = transport default.</summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; init; } = [];

    /// <summary>max_idle_timeout transport parameter.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>NSS key log file (<c>-keylog</c> or SSLKEYLOGFILE); null = none. Transports may ignore it.</summary>
    public string? KeyLogPath { get; init; }

    /// <summary>qlog directory (<c>-qlog</c> or QLOGDIR); null = none. Transports may ignore it.</summary>
    public string? QlogDirectory { get; init; }

    /// <summary>Largest per-stream receive window; 0 = transport default. Transports may ignore it.</summary>
    public ulong MaxStreamReceiveWindow { get; init; }

    /// <summary>Largest connection receive window; 0 = transport default. Transports may ignore it.</summary>
    public ulong MaxConnectionReceiveWindow { get; init; }
}
