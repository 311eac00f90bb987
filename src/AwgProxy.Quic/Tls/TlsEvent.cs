using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// One output of a <see cref="TlsSession"/>, polled in order with <see cref="TlsSession.TryPollEvent"/>.
/// Which members are meaningful depends on <see cref="Kind"/>; the others are default.
/// </summary>
public readonly struct TlsEvent
{
    private TlsEvent(TlsEventKind kind, EncryptionLevel level, ReadOnlyMemory<byte> data, CipherSuite cipherSuite, TlsSecretDirection direction)
    {
        Kind = kind;
        Level = level;
        Data = data;
        CipherSuite = cipherSuite;
        Direction = direction;
    }

    public TlsEventKind Kind { get; }

    /// <summary>The encryption level (WriteData, SecretsAvailable).</summary>
    public EncryptionLevel Level { get; }

    /// <summary>
    /// WriteData: the handshake bytes. SecretsAvailable: the traffic secret (Hash.length bytes).
    /// PeerTransportParameters: the extension body. The session does not reuse this memory.
    /// </summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>SecretsAvailable: the negotiated suite that the secret's keys are for.</summary>
    public CipherSuite CipherSuite { get; }

    /// <summary>SecretsAvailable: which way the secret protects packets.</summary>
    public TlsSecretDirection Direction { get; }

    /// <summary>SecretsAvailable: the traffic secret (same bytes as <see cref="Data"/>).</summary>
    public ReadOnlyMemory<byte> Secret => Kind == TlsEventKind.SecretsAvailable ? Data : default;

    internal static TlsEvent WriteData(EncryptionLevel level, byte[] data)
        => new(TlsEventKind.WriteData, level, data, default, default);

    internal static TlsEvent SecretsAvailable(EncryptionLevel level, CipherSuite suite, TlsSecretDirection direction, byte[] secret)
        => new(TlsEventKind.SecretsAvailable, level, secret, suite, direction);

    internal static TlsEvent PeerTransportParameters(byte[] parameters)
        => new(TlsEventKind.PeerTransportParameters, default, parameters, default, default);

    internal static TlsEvent HandshakeComplete()
        => new(TlsEventKind.HandshakeComplete, EncryptionLevel.OneRtt, default, default, default);

    public override string ToString() => Kind switch
    {
        TlsEventKind.WriteData => $"WriteData({Level}, {Data.Length} bytes)",
        TlsEventKind.SecretsAvailable => $"SecretsAvailable({Level}, {CipherSuite}, {Direction})",
        TlsEventKind.PeerTransportParameters => $"PeerTransportParameters({Data.Length} bytes)",
        _ => Kind.ToString(),
    };
}
