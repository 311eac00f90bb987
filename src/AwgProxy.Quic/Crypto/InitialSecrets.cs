using System.Security.Cryptography;

namespace AwgProxy.Quic.Crypto;

/// <summary>
/// RFC 9001 section 5.2, Initial Secrets: the keys of Initial packets, computed from the Destination Connection ID
/// of the client's first Initial packet (or the one chosen by a Retry).
/// <code>
/// initial_salt = 0x38762cf7f55934b34d179ae6a4c80cadccbb7f0a
/// initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id)
///
/// client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", Hash.length)
/// server_initial_secret = HKDF-Expand-Label(initial_secret, "server in", "", Hash.length)
/// </code>
/// The hash is SHA-256 and the AEAD AEAD_AES_128_GCM. An instance owns the keys of both directions:
/// <see cref="Client"/> protects packets the client sends, <see cref="Server"/> those the server sends.
/// </summary>
public sealed class InitialSecrets : IDisposable
{
    /// <summary>The cipher suite of Initial packets.</summary>
    public const CipherSuite Suite = CipherSuite.TLS_AES_128_GCM_SHA256;

    /// <summary>Length of each Initial secret (SHA-256).</summary>
    public const int SecretLength = 32;

    /// <summary>RFC 9000 section 17.2: connection IDs of QUIC version 1 are at most 20 bytes.</summary>
    public const int MaxConnectionIdLength = 20;

    private readonly byte[] _clientSecret = new byte[SecretLength];
    private readonly byte[] _serverSecret = new byte[SecretLength];
    private bool _disposed;

    /// <summary>Derives the Initial secrets and keys of both directions for <paramref name="clientDestinationConnectionId"/>.</summary>
    public InitialSecrets(ReadOnlySpan<byte> clientDestinationConnectionId)
    {
        Derive(clientDestinationConnectionId, _clientSecret, _serverSecret);
        Client = new DirectionKeys(Suite, _clientSecret);
        try
        {
            Server = new DirectionKeys(Suite, _serverSecret);
        }
        catch
        {
            Client.Dispose();
            throw;
        }
    }

    /// <summary>The QUIC version 1 Initial salt.</summary>
    public static ReadOnlySpan<byte> InitialSaltV1 =>
    [
        0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
        0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
    ];

    private static ReadOnlySpan<byte> ClientInLabel => "client in"u8;
    private static ReadOnlySpan<byte> ServerInLabel => "server in"u8;

    /// <summary>client_initial_secret.</summary>
    public ReadOnlySpan<byte> ClientSecret => _clientSecret;

    /// <summary>server_initial_secret.</summary>
    public ReadOnlySpan<byte> ServerSecret => _serverSecret;

    /// <summary>Keys of packets sent by the client.</summary>
    public DirectionKeys Client { get; }

    /// <summary>Keys of packets sent by the server.</summary>
    public DirectionKeys Server { get; }

    /// <summary>The keys an endpoint protects its own Initial packets with.</summary>
    public DirectionKeys SendKeys(bool isServer) => isServer ? Server : Client;

    /// <summary>The keys an endpoint removes protection from its peer's Initial packets with.</summary>
    public DirectionKeys ReceiveKeys(bool isServer) => isServer ? Client : Server;

    /// <summary>Writes client_initial_secret and server_initial_secret (32 bytes each) without allocating key objects.</summary>
    public static void Derive(ReadOnlySpan<byte> clientDestinationConnectionId, Span<byte> clientSecret, Span<byte> serverSecret)
    {
        if (clientDestinationConnectionId.Length > MaxConnectionIdLength)
            throw new ArgumentException($"A QUIC v1 connection ID is at most {MaxConnectionIdLength} bytes.", nameof(clientDestinationConnectionId));
        if (clientSecret.Length != SecretLength)
            throw new ArgumentException($"The Initial secret is {SecretLength} bytes.", nameof(clientSecret));
        if (serverSecret.Length != SecretLength)
            throw new ArgumentException($"The Initial secret is {SecretLength} bytes.", nameof(serverSecret));

        Span<byte> initialSecret = stackalloc byte[SecretLength];
        try
        {
            // HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869 section 2.2). HMAC is called directly because
            // HKDF.Extract rejects a zero-length IKM on OpenSSL, and a Retry can leave the client with an empty DCID.
            HMACSHA256.HashData(InitialSaltV1, clientDestinationConnectionId, initialSecret);
            HkdfLabel.Expand(HashAlgorithmName.SHA256, initialSecret, ClientInLabel, ReadOnlySpan<byte>.Empty, clientSecret);
            HkdfLabel.Expand(HashAlgorithmName.SHA256, initialSecret, ServerInLabel, ReadOnlySpan<byte>.Empty, serverSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(initialSecret);
        }
    }

    /// <summary>Clears the secrets and disposes the keys of both directions.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_clientSecret);
        CryptographicOperations.ZeroMemory(_serverSecret);
        Client.Dispose();
        Server.Dispose();
    }
}
