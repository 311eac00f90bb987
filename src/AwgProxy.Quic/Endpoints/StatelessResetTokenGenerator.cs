using System.Security.Cryptography;
using AwgProxy.Quic.Packets;

namespace AwgProxy.Quic.Endpoints;

/// <summary>
/// Stateless reset tokens derived from a static key (RFC 9000 section 10.3.2): HMAC-SHA256(key, connection ID)
/// truncated to 16 bytes, so an endpoint that lost a connection's state can still reset it.
/// </summary>
internal sealed class StatelessResetTokenGenerator
{
    private readonly byte[] _key;

    public StatelessResetTokenGenerator(ReadOnlySpan<byte> key)
    {
        _key = key.ToArray();
    }

    public StatelessResetToken Generate(ConnectionId connectionId)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, connectionId.AsSpan(), mac);
        return new StatelessResetToken(mac[..StatelessResetToken.Length]);
    }
}
