using System.Net.Security;
using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// What client and server sessions share. Lists are in preference order. Options are read once, when
/// the session is created, and validated then (<see cref="ArgumentException"/> names the bad property).
/// </summary>
public abstract class TlsSessionOptions
{
    /// <summary>Largest handshake message accepted (64 KiB, as Go's crypto/tls).</summary>
    public const int DefaultMaxHandshakeMessageSize = 65536;

    private protected TlsSessionOptions()
    {
    }

    /// <summary>ALPN protocol names (RFC 7301), mandatory for QUIC (RFC 9001 section 8.1). Server: in preference order.</summary>
    public IReadOnlyList<SslApplicationProtocol> ApplicationProtocols { get; set; } = [];

    /// <summary>This endpoint's encoded quic_transport_parameters (RFC 9000 section 18), opaque to TLS. Required.</summary>
    public byte[]? TransportParameters { get; set; }

    /// <summary>
    /// Cipher suites in preference order; suites the platform lacks are dropped (<see cref="CipherSuiteExtensions.IsSupported"/>).
    /// The default, <see cref="CipherSuitePreference.Default"/>, puts the suite this machine runs fastest first.
    /// </summary>
    public IReadOnlyList<CipherSuite> CipherSuites { get; set; } = [.. CipherSuitePreference.Default];

    /// <summary>Key-exchange groups in preference order (client: the supported_groups extension).</summary>
    public IReadOnlyList<NamedGroup> Groups { get; set; } = [NamedGroup.X25519, NamedGroup.Secp256r1];

    /// <summary>Randomness for Random fields and ephemeral keys; null means <see cref="RandomNumberGenerator.Fill"/>.</summary>
    public RandomFill? Random { get; set; }

    /// <summary>Handshake messages longer than this end the connection with CRYPTO_BUFFER_EXCEEDED.</summary>
    public int MaxHandshakeMessageSize { get; set; } = DefaultMaxHandshakeMessageSize;

    /// <summary>Validated copies, so later changes to the options object do not reach a running session.</summary>
    /// <param name="transportParametersOverride">
    /// Used instead of <see cref="TransportParameters"/> when not null: a QUIC connection encodes its own
    /// parameters and must not write them into options that several connections share.
    /// </param>
    /// <param name="fallbackRandom">Used when <see cref="Random"/> is null, before the system generator.</param>
    internal (byte[][] Alpn, byte[] TransportParameters, CipherSuite[] Suites, NamedGroup[] Groups, RandomFill Random) ValidateCommon(
        byte[]? transportParametersOverride = null, RandomFill? fallbackRandom = null)
    {
        if (ApplicationProtocols is null || ApplicationProtocols.Count == 0)
        {
            throw new ArgumentException("At least one application protocol is required (RFC 9001 section 8.1).", nameof(ApplicationProtocols));
        }

        byte[][] alpn = [.. ApplicationProtocols.Select(p => p.Protocol.ToArray())];
        if (alpn.Any(p => p.Length is 0 or > 255)) throw new ArgumentException("Protocol names are 1 to 255 bytes.", nameof(ApplicationProtocols));

        byte[]? transportParameters = transportParametersOverride ?? TransportParameters;
        if (transportParameters is null) throw new ArgumentException("Transport parameters are required (RFC 9001 section 8.2).", nameof(TransportParameters));
        if (transportParameters.Length > ushort.MaxValue) throw new ArgumentException("Transport parameters too long.", nameof(TransportParameters));

        if (CipherSuites is null) throw new ArgumentException("Cipher suites are required.", nameof(CipherSuites));
        foreach (CipherSuite suite in CipherSuites)
        {
            if (!Enum.IsDefined(suite)) throw new ArgumentException($"Unknown cipher suite {suite}.", nameof(CipherSuites));
        }

        CipherSuite[] suites = [.. CipherSuites.Where(s => s.IsSupported()).Distinct()];
        if (suites.Length == 0) throw new ArgumentException("None of the cipher suites is supported on this platform.", nameof(CipherSuites));

        if (Groups is null || Groups.Count == 0) throw new ArgumentException("At least one group is required.", nameof(Groups));
        foreach (NamedGroup group in Groups)
        {
            if (!KeyExchange.KeyExchange.IsSupported(group)) throw new ArgumentException($"Unsupported group {group}.", nameof(Groups));
        }

        if (Groups.Distinct().Count() != Groups.Count) throw new ArgumentException("Groups repeat.", nameof(Groups));
        if (MaxHandshakeMessageSize is < 1024 or > 0xFF_FFFF) throw new ArgumentException("Out of range.", nameof(MaxHandshakeMessageSize));

        return (alpn, (byte[])transportParameters.Clone(), suites, [.. Groups], Random ?? fallbackRandom ?? RandomNumberGenerator.Fill);
    }
}
