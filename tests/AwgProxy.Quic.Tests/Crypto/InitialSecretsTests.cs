using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 section 5.2 and appendix A.1.</summary>
public class InitialSecretsTests
{
    private static readonly byte[] Dcid = Convert.FromHexString(Rfc9001Vectors.ClientDestinationConnectionId);

    [Fact]
    public void InitialSalt_ExtractsRfcInitialSecret()
    {
        byte[] initialSecret = HKDF.Extract(HashAlgorithmName.SHA256, Dcid, InitialSecrets.InitialSaltV1.ToArray());

        Assert.Equal(Rfc9001Vectors.InitialSecret, Convert.ToHexStringLower(initialSecret));
        Assert.Equal("38762cf7f55934b34d179ae6a4c80cadccbb7f0a", Convert.ToHexStringLower(InitialSecrets.InitialSaltV1));
    }

    [Fact]
    public void Derive_Rfc9001A1_ClientAndServerSecretsMatch()
    {
        Span<byte> client = stackalloc byte[InitialSecrets.SecretLength];
        Span<byte> server = stackalloc byte[InitialSecrets.SecretLength];

        InitialSecrets.Derive(Dcid, client, server);

        Assert.Equal(Rfc9001Vectors.ClientInitialSecret, Convert.ToHexStringLower(client));
        Assert.Equal(Rfc9001Vectors.ServerInitialSecret, Convert.ToHexStringLower(server));
    }

    [Theory]
    [InlineData(Rfc9001Vectors.ClientInitialSecret, Rfc9001Vectors.ClientKey, Rfc9001Vectors.ClientIv, Rfc9001Vectors.ClientHp)]
    [InlineData(Rfc9001Vectors.ServerInitialSecret, Rfc9001Vectors.ServerKey, Rfc9001Vectors.ServerIv, Rfc9001Vectors.ServerHp)]
    public void KeyDerivation_Rfc9001A1_KeyIvHpMatch(string secretHex, string keyHex, string ivHex, string hpHex)
    {
        byte[] secret = Convert.FromHexString(secretHex);
        byte[] key = new byte[16], iv = new byte[12], hp = new byte[16];

        PacketProtectionKeyDerivation.DeriveKey(InitialSecrets.Suite, secret, key);
        PacketProtectionKeyDerivation.DeriveIv(InitialSecrets.Suite, secret, iv);
        PacketProtectionKeyDerivation.DeriveHeaderProtectionKey(InitialSecrets.Suite, secret, hp);

        Assert.Equal(keyHex, Convert.ToHexStringLower(key));
        Assert.Equal(ivHex, Convert.ToHexStringLower(iv));
        Assert.Equal(hpHex, Convert.ToHexStringLower(hp));
    }

    [Fact]
    public void Constructor_ExposesSecretsAndKeysOfBothDirections()
    {
        using var initial = new InitialSecrets(Dcid);

        Assert.Equal(Rfc9001Vectors.ClientInitialSecret, Convert.ToHexStringLower(initial.ClientSecret));
        Assert.Equal(Rfc9001Vectors.ServerInitialSecret, Convert.ToHexStringLower(initial.ServerSecret));
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, initial.Client.Suite);
        Assert.Same(initial.Client, initial.SendKeys(isServer: false));
        Assert.Same(initial.Client, initial.ReceiveKeys(isServer: true));
        Assert.Same(initial.Server, initial.SendKeys(isServer: true));
        Assert.Same(initial.Server, initial.ReceiveKeys(isServer: false));
    }

    [Fact]
    public void Constructor_SameConnectionId_BothEndpointsAgree()
    {
        using var client = new InitialSecrets(Dcid);
        using var server = new InitialSecrets(Dcid);
        byte[] packet = PacketBuilder.LongHeader(pnLength: 4, packetNumber: 7, payloadLength: 40, dcidLength: 8);
        byte[] plaintext = packet.ToArray();

        PacketProtection.Protect(packet, PacketBuilder.LongHeaderPnOffset(8), 4, 7, client.SendKeys(isServer: false));

        DirectionKeys receive = server.ReceiveKeys(isServer: true);
        Assert.True(PacketProtection.TryRemoveHeaderProtection(packet, PacketBuilder.LongHeaderPnOffset(8), receive.HeaderProtection, out uint pn, out int pnLength));
        Assert.True(PacketProtection.TryDecryptPayload(packet, PacketBuilder.LongHeaderPnOffset(8), pnLength, pn, receive.Current, out Span<byte> payload));
        Assert.Equal(plaintext.AsSpan(0, packet.Length - PacketKey.TagLength), packet.AsSpan(0, packet.Length - PacketKey.TagLength));
        Assert.Equal(40, payload.Length);
    }

    [Fact]
    public void ZeroLengthConnectionId_IsAccepted()
    {
        using var initial = new InitialSecrets(ReadOnlySpan<byte>.Empty);

        Assert.NotEqual(initial.ClientSecret.ToArray(), initial.ServerSecret.ToArray());
    }

    [Fact]
    public void ConnectionIdLongerThan20Bytes_Throws()
    {
        Assert.Throws<ArgumentException>(() => new InitialSecrets(new byte[21]));
    }

    [Fact]
    public void Dispose_ClearsSecrets()
    {
        var initial = new InitialSecrets(Dcid);
        initial.Dispose();

        Assert.All(initial.ClientSecret.ToArray(), b => Assert.Equal(0, b));
        Assert.All(initial.ServerSecret.ToArray(), b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => initial.Client.Current.Encrypt(0, default, Span<byte>.Empty, new byte[16]));
    }
}
