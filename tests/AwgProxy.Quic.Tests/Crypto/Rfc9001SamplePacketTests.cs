using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 appendix A.2, A.3 and A.5: whole packets protected and unprotected byte for byte.</summary>
public class Rfc9001SamplePacketTests
{
    private static readonly byte[] Dcid = Convert.FromHexString(Rfc9001Vectors.ClientDestinationConnectionId);

    /// <summary>A.2: the header, the CRYPTO frame, PADDING up to 1162 bytes of payload, and 16 spare bytes.</summary>
    private static byte[] UnprotectedClientInitial()
    {
        byte[] header = Convert.FromHexString(Rfc9001Vectors.ClientHeader);
        byte[] crypto = Convert.FromHexString(Rfc9001Vectors.ClientCryptoFrame);
        byte[] packet = new byte[header.Length + 1162 + PacketKey.TagLength];
        header.CopyTo(packet, 0);
        crypto.CopyTo(packet, header.Length);
        return packet;
    }

    [Fact]
    public void ClientInitial_Protect_MatchesRfc9001A2()
    {
        using var initial = new InitialSecrets(Dcid);
        byte[] packet = UnprotectedClientInitial();
        Assert.Equal(1200, packet.Length);

        PacketProtection.Protect(packet, pnOffset: 18, pnLength: 4, packetNumber: 2, initial.Client);

        Assert.Equal(Rfc9001Vectors.ClientProtectedPacket, Convert.ToHexStringLower(packet));
        Assert.Equal(1, initial.Client.Current.EncryptedPackets);
    }

    [Fact]
    public void ClientInitial_Unprotect_RecoversRfc9001A2Plaintext()
    {
        using var initial = new InitialSecrets(Dcid);
        byte[] packet = Convert.FromHexString(Rfc9001Vectors.ClientProtectedPacket);
        byte[] expected = UnprotectedClientInitial();

        Assert.True(PacketProtection.TryRemoveHeaderProtection(packet, 18, initial.Client.HeaderProtection, out uint truncated, out int pnLength));
        Assert.Equal(2u, truncated);
        Assert.Equal(4, pnLength);
        Assert.Equal(Rfc9001Vectors.ClientHeader, Convert.ToHexStringLower(packet.AsSpan(0, 22)));

        Assert.True(PacketProtection.TryDecryptPayload(packet, 18, pnLength, 2, initial.Client.Current, out Span<byte> plaintext));
        Assert.Equal(1162, plaintext.Length);
        Assert.True(plaintext.SequenceEqual(expected.AsSpan(22, 1162)));
    }

    [Fact]
    public void ClientInitial_HeaderProtectionMask_MatchesRfc9001A2ForEveryAesImplementation()
    {
        using var initial = new InitialSecrets(Dcid);
        byte[] sample = Convert.FromHexString(Rfc9001Vectors.ClientSample);

        foreach (AesImplementation implementation in AesImplementations.Supported)
        {
            using var hp = new HeaderProtectionKey(InitialSecrets.Suite, initial.ClientSecret, implementation);
            byte[] mask = new byte[HeaderProtectionKey.MaskLength];
            hp.ComputeMask(sample, mask);
            Assert.Equal(Rfc9001Vectors.ClientMask, Convert.ToHexStringLower(mask));
        }
    }

    [Fact]
    public void ServerInitial_Protect_MatchesRfc9001A3()
    {
        using var initial = new InitialSecrets(Dcid);
        byte[] header = Convert.FromHexString(Rfc9001Vectors.ServerHeader);
        byte[] payload = Convert.FromHexString(Rfc9001Vectors.ServerPayload);
        byte[] packet = [.. header, .. payload, .. new byte[PacketKey.TagLength]];

        PacketProtection.Protect(packet, pnOffset: 18, pnLength: 2, packetNumber: 1, initial.Server);

        Assert.Equal(Rfc9001Vectors.ServerProtectedPacket, Convert.ToHexStringLower(packet));
        Assert.Equal(Rfc9001Vectors.ServerProtectedHeader, Convert.ToHexStringLower(packet.AsSpan(0, header.Length)));
    }

    [Fact]
    public void ServerInitial_Unprotect_RecoversRfc9001A3Plaintext()
    {
        using var initial = new InitialSecrets(Dcid);
        byte[] packet = Convert.FromHexString(Rfc9001Vectors.ServerProtectedPacket);

        Assert.True(PacketProtection.TryRemoveHeaderProtection(packet, 18, initial.Server.HeaderProtection, out uint truncated, out int pnLength));
        Assert.Equal(1u, truncated);
        Assert.Equal(2, pnLength);
        Assert.Equal(Rfc9001Vectors.ServerHeader, Convert.ToHexStringLower(packet.AsSpan(0, 20)));

        Assert.True(PacketProtection.TryDecryptPayload(packet, 18, pnLength, 1, initial.Server.Current, out Span<byte> plaintext));
        Assert.Equal(Rfc9001Vectors.ServerPayload, Convert.ToHexStringLower(plaintext));
    }

    [Fact]
    public void ServerInitial_HeaderProtectionMask_MatchesRfc9001A3()
    {
        using var initial = new InitialSecrets(Dcid);
        byte[] mask = new byte[HeaderProtectionKey.MaskLength];

        initial.Server.HeaderProtection.ComputeMask(Convert.FromHexString(Rfc9001Vectors.ServerSample), mask);

        Assert.Equal(Rfc9001Vectors.ServerMask, Convert.ToHexStringLower(mask));
    }

    [Fact]
    public void ChaCha20ShortHeader_Protect_MatchesRfc9001A5()
    {
        using var keys = new DirectionKeys(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, Convert.FromHexString(Rfc9001Vectors.ChaChaSecret));
        byte[] packet = [.. Convert.FromHexString(Rfc9001Vectors.ChaChaUnprotectedHeader), .. Convert.FromHexString(Rfc9001Vectors.ChaChaPlaintext), .. new byte[16]];

        PacketProtection.Protect(packet, pnOffset: 1, pnLength: 3, packetNumber: 654360564, keys);

        Assert.Equal(Rfc9001Vectors.ChaChaPacket, Convert.ToHexStringLower(packet));
        Assert.Equal(Rfc9001Vectors.ChaChaCiphertext, Convert.ToHexStringLower(packet.AsSpan(4)));
    }

    [Fact]
    public void ChaCha20ShortHeader_Unprotect_RecoversRfc9001A5Plaintext()
    {
        using var keys = new DirectionKeys(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, Convert.FromHexString(Rfc9001Vectors.ChaChaSecret));
        byte[] packet = Convert.FromHexString(Rfc9001Vectors.ChaChaPacket);

        Assert.True(PacketProtection.TryRemoveHeaderProtection(packet, 1, keys.HeaderProtection, out uint truncated, out int pnLength));
        Assert.Equal(3, pnLength);
        Assert.Equal(49140u, truncated);
        Assert.Equal(Rfc9001Vectors.ChaChaUnprotectedHeader, Convert.ToHexStringLower(packet.AsSpan(0, 4)));

        Assert.True(PacketProtection.TryDecryptPayload(packet, 1, pnLength, 654360564, keys.Current, out Span<byte> plaintext));
        Assert.Equal(Rfc9001Vectors.ChaChaPlaintext, Convert.ToHexStringLower(plaintext));
    }

    [Fact]
    public void ChaCha20ShortHeader_KeysAndMask_MatchRfc9001A5()
    {
        const CipherSuite suite = CipherSuite.TLS_CHACHA20_POLY1305_SHA256;
        byte[] secret = Convert.FromHexString(Rfc9001Vectors.ChaChaSecret);
        byte[] key = new byte[32], iv = new byte[12], hp = new byte[32], ku = new byte[32], mask = new byte[5];

        PacketProtectionKeyDerivation.DeriveKey(suite, secret, key);
        PacketProtectionKeyDerivation.DeriveIv(suite, secret, iv);
        PacketProtectionKeyDerivation.DeriveHeaderProtectionKey(suite, secret, hp);
        PacketProtectionKeyDerivation.DeriveNextSecret(suite, secret, ku);
        using (var hpKey = new HeaderProtectionKey(suite, secret))
            hpKey.ComputeMask(Convert.FromHexString(Rfc9001Vectors.ChaChaSample), mask);

        Assert.Equal(Rfc9001Vectors.ChaChaKey, Convert.ToHexStringLower(key));
        Assert.Equal(Rfc9001Vectors.ChaChaIv, Convert.ToHexStringLower(iv));
        Assert.Equal(Rfc9001Vectors.ChaChaHp, Convert.ToHexStringLower(hp));
        Assert.Equal(Rfc9001Vectors.ChaChaKu, Convert.ToHexStringLower(ku));
        Assert.Equal(Rfc9001Vectors.ChaChaMask, Convert.ToHexStringLower(mask));
    }

    [Fact]
    public void ChaCha20ShortHeader_NextPhase_IsTheKeyOfRfc9001A5KuSecret()
    {
        const CipherSuite suite = CipherSuite.TLS_CHACHA20_POLY1305_SHA256;
        using var current = new PacketKey(suite, Convert.FromHexString(Rfc9001Vectors.ChaChaSecret));
        using var next = current.NextPhase();
        using var fromKu = new PacketKey(suite, Convert.FromHexString(Rfc9001Vectors.ChaChaKu));
        byte[] header = Convert.FromHexString(Rfc9001Vectors.ChaChaUnprotectedHeader);
        byte[] a = [0x01, 0x02, 0x03], b = [0x01, 0x02, 0x03], c = [0x01, 0x02, 0x03];
        byte[] tagA = new byte[16], tagB = new byte[16], tagC = new byte[16];

        next.Encrypt(654360564, header, a, tagA);
        fromKu.Encrypt(654360564, header, b, tagB);
        current.Encrypt(654360564, header, c, tagC);

        Assert.Equal(b, a);
        Assert.Equal(tagB, tagA);
        Assert.NotEqual(c, a);
    }
}
