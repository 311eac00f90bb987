namespace AwgProxy.Quic.Tls;

/// <summary>
/// Fills <paramref name="destination"/> with random bytes. The TLS stack draws every random value
/// it needs (Random fields, ephemeral key-exchange private keys) through this hook, so tests can
/// make a handshake deterministic. The default is <see cref="System.Security.Cryptography.RandomNumberGenerator.Fill"/>.
/// </summary>
public delegate void RandomFill(Span<byte> destination);
