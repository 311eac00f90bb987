using AwgProxy.Quic.Crypto;

namespace AwgProxy.Quic.Tests.Crypto;

/// <summary>RFC 9001 section 5.8 and appendix A.4.</summary>
public class RetryIntegrityTests
{
    private static readonly byte[] Odcid = Convert.FromHexString(Rfc9001Vectors.ClientDestinationConnectionId);
    private static readonly byte[] Retry = Convert.FromHexString(Rfc9001Vectors.RetryPacket);

    private static byte[] PseudoPacket() => [(byte)Odcid.Length, .. Odcid, .. Retry.AsSpan(0, Retry.Length - 16)];

    [Fact]
    public void ComputeTag_PseudoPacket_MatchesRfc9001A4()
    {
        byte[] tag = new byte[RetryIntegrity.TagLength];

        RetryIntegrity.ComputeTag(PseudoPacket(), tag);

        Assert.Equal("04a265ba2eff4d829058fb3f0f2496ba", Convert.ToHexStringLower(tag));
        Assert.Equal(Retry.AsSpan(Retry.Length - 16).ToArray(), tag);
    }

    [Fact]
    public void ComputeTag_FromOdcidAndRetryPacket_MatchesRfc9001A4()
    {
        byte[] tag = new byte[RetryIntegrity.TagLength];

        RetryIntegrity.ComputeTag(Odcid, Retry.AsSpan(0, Retry.Length - 16), tag);

        Assert.Equal(Retry.AsSpan(Retry.Length - 16).ToArray(), tag);
    }

    [Fact]
    public void Verify_Rfc9001A4RetryPacket_Succeeds()
    {
        Assert.True(RetryIntegrity.VerifyRetryPacket(Odcid, Retry));
        Assert.True(RetryIntegrity.VerifyTag(PseudoPacket(), Retry.AsSpan(Retry.Length - 16)));
    }

    [Fact]
    public void Verify_AnyFlippedBit_Fails()
    {
        for (int i = 0; i < Retry.Length; i++)
        {
            byte[] corrupted = Retry.ToArray();
            corrupted[i] ^= 0x20;
            Assert.False(RetryIntegrity.VerifyRetryPacket(Odcid, corrupted));
        }
    }

    [Fact]
    public void Verify_OtherOriginalConnectionId_Fails()
    {
        byte[] other = Odcid.ToArray();
        other[^1] ^= 1;

        Assert.False(RetryIntegrity.VerifyRetryPacket(other, Retry));
        Assert.False(RetryIntegrity.VerifyRetryPacket(Odcid.AsSpan(1), Retry));
    }

    [Fact]
    public void Verify_PacketShorterThanTag_ReturnsFalse()
    {
        Assert.False(RetryIntegrity.VerifyRetryPacket(Odcid, Retry.AsSpan(0, 15)));
        Assert.False(RetryIntegrity.VerifyTag(PseudoPacket(), Retry.AsSpan(Retry.Length - 15)));
    }

    [Fact]
    public void LargeRetryToken_RoundTrips()
    {
        byte[] retry = new byte[1400];
        Retry.AsSpan(0, 20).CopyTo(retry);
        for (int i = 20; i < retry.Length; i++) retry[i] = (byte)i;

        RetryIntegrity.ComputeTag(Odcid, retry.AsSpan(0, retry.Length - 16), retry.AsSpan(retry.Length - 16));

        Assert.True(RetryIntegrity.VerifyRetryPacket(Odcid, retry));
        retry[700] ^= 1;
        Assert.False(RetryIntegrity.VerifyRetryPacket(Odcid, retry));
    }

    [Fact]
    public void FixedKeyAndNonce_AreDerivedFromRfc9001Secret()
    {
        // RFC 9001 section 5.8: HKDF-Expand-Label of this secret with "quic key" and "quic iv".
        byte[] secret = Convert.FromHexString("d9c9943e6101fd200021506bcc02814c73030f25c79d71ce876eca876e6fca8e");
        byte[] key = new byte[16], iv = new byte[12];

        PacketProtectionKeyDerivation.DeriveKey(CipherSuite.TLS_AES_128_GCM_SHA256, secret, key);
        PacketProtectionKeyDerivation.DeriveIv(CipherSuite.TLS_AES_128_GCM_SHA256, secret, iv);

        Assert.Equal("be0c690b9f66575a1d766b54e368c84e", Convert.ToHexStringLower(key));
        Assert.Equal("461599d35d632bf2239825bb", Convert.ToHexStringLower(iv));
        Assert.Equal(key, RetryIntegrity.KeyV1.ToArray());
        Assert.Equal(iv, RetryIntegrity.NonceV1.ToArray());
    }
}
