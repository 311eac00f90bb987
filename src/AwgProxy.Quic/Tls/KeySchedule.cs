using System.Security.Cryptography;
using System.Text;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tls;

/// <summary>
/// RFC 8446 section 7.1, Key Schedule, without PSKs (this stack has no resumption or 0-RTT):
/// <code>
///              0
///              |
///              v
///    PSK -&gt;  HKDF-Extract = Early Secret
///              |
///              v
///        Derive-Secret(., "derived", "")
///              |
///              v
///    (EC)DHE -&gt; HKDF-Extract = Handshake Secret
///              |
///              +-----&gt; Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
///              |                     = client_handshake_traffic_secret
///              |
///              +-----&gt; Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
///              |                     = server_handshake_traffic_secret
///              v
///        Derive-Secret(., "derived", "")
///              |
///              v
///    0 -&gt; HKDF-Extract = Master Secret
///              |
///              +-----&gt; Derive-Secret(., "c ap traffic", ClientHello...server Finished)
///              |                     = client_application_traffic_secret_0
///              |
///              +-----&gt; Derive-Secret(., "s ap traffic", ClientHello...server Finished)
///                                    = server_application_traffic_secret_0
///
/// Derive-Secret(Secret, Label, Messages) =
///     HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
/// </code>
/// With no PSK, the PSK input is Hash.length zero bytes (section 7.1: "If a given secret is not
/// available, then the 0-value consisting of a string of Hash.length bytes set to zeros is used").
/// </summary>
internal sealed class KeySchedule : IDisposable
{
    private readonly byte[] _emptyHash;
    private byte[]? _handshakeSecret;
    private byte[]? _masterSecret;

    public KeySchedule(CipherSuite suite)
    {
        Suite = suite;
        Hash = suite.HashAlgorithm();
        HashLength = suite.HashLength();
        _emptyHash = HashData(Hash, []);
        EarlySecret = Extract(Hash, new byte[HashLength], new byte[HashLength]);
    }

    public CipherSuite Suite { get; }

    public HashAlgorithmName Hash { get; }

    public int HashLength { get; }

    public byte[] EarlySecret { get; }

    public byte[] HandshakeSecret => _handshakeSecret ?? throw new InvalidOperationException("No handshake secret yet.");

    public byte[] MasterSecret => _masterSecret ?? throw new InvalidOperationException("No master secret yet.");

    /// <summary>Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE).</summary>
    public void DeriveHandshakeSecret(ReadOnlySpan<byte> sharedSecret)
    {
        byte[] salt = DeriveSecret(EarlySecret, "derived", _emptyHash);
        _handshakeSecret = Extract(Hash, salt, sharedSecret);
        CryptographicOperations.ZeroMemory(salt);
    }

    /// <summary>The client and server handshake traffic secrets from Transcript-Hash(ClientHello...ServerHello).</summary>
    public (byte[] Client, byte[] Server) DeriveHandshakeTrafficSecrets(ReadOnlySpan<byte> helloHash)
        => (DeriveSecret(HandshakeSecret, "c hs traffic", helloHash), DeriveSecret(HandshakeSecret, "s hs traffic", helloHash));

    /// <summary>Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0).</summary>
    public void DeriveMasterSecret()
    {
        byte[] salt = DeriveSecret(HandshakeSecret, "derived", _emptyHash);
        _masterSecret = Extract(Hash, salt, new byte[HashLength]);
        CryptographicOperations.ZeroMemory(salt);
    }

    /// <summary>The client and server application traffic secrets from Transcript-Hash(ClientHello...server Finished).</summary>
    public (byte[] Client, byte[] Server) DeriveApplicationTrafficSecrets(ReadOnlySpan<byte> serverFinishedHash)
        => (DeriveSecret(MasterSecret, "c ap traffic", serverFinishedHash), DeriveSecret(MasterSecret, "s ap traffic", serverFinishedHash));

    /// <summary>Derive-Secret with an already computed transcript hash.</summary>
    public byte[] DeriveSecret(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] output = new byte[HashLength];
        HkdfLabel.Expand(Hash, secret, Encoding.ASCII.GetBytes(label), transcriptHash, output);
        return output;
    }

    /// <summary>finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 section 4.4.4).</summary>
    public byte[] FinishedKey(ReadOnlySpan<byte> baseKey)
    {
        byte[] output = new byte[HashLength];
        HkdfLabel.Expand(Hash, baseKey, "finished"u8, [], output);
        return output;
    }

    /// <summary>verify_data = HMAC(finished_key, Transcript-Hash(...)) (RFC 8446 section 4.4.4).</summary>
    public byte[] ComputeFinishedVerifyData(ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] finishedKey = FinishedKey(baseKey);
        byte[] verifyData = CryptographicOperations.HmacData(Hash, finishedKey, transcriptHash);
        CryptographicOperations.ZeroMemory(finishedKey);
        return verifyData;
    }

    public static byte[] Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> inputKeyMaterial)
    {
        byte[] prk = new byte[HashLengthOf(hash)];
        HKDF.Extract(hash, inputKeyMaterial, salt, prk);
        return prk;
    }

    private static byte[] HashData(HashAlgorithmName hash, ReadOnlySpan<byte> data) => CryptographicOperations.HashData(hash, data);

    private static int HashLengthOf(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 32;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(EarlySecret);
        if (_handshakeSecret is not null) CryptographicOperations.ZeroMemory(_handshakeSecret);
        if (_masterSecret is not null) CryptographicOperations.ZeroMemory(_masterSecret);
    }
}
