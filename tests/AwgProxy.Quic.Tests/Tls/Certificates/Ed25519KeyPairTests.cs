using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Quic.Tests.Tls.Certificates;

public class Ed25519KeyPairTests
{
    [Fact]
    public void GeneratedKey_RoundTripsThroughWgStyleBase64()
    {
        Ed25519KeyPair pair = Ed25519KeyPair.Generate(TlsTestSupport.SeededRandom(11));
        Assert.Equal(44, pair.PrivateKeyBase64.Length);
        Assert.Equal(44, pair.PublicKeyBase64.Length);

        Ed25519KeyPair again = Ed25519KeyPair.FromPrivateKeyBase64(pair.PrivateKeyBase64);
        Assert.Equal(pair.PublicKey, again.PublicKey);
        Assert.True(Ed25519KeyPair.TryParsePublicKeyBase64(pair.PublicKeyBase64, out byte[]? publicKey));
        Assert.Equal(pair.PublicKey, publicKey);
    }

    [Fact]
    public void SignAndVerify_AcceptsOnlyTheSignedData()
    {
        Ed25519KeyPair pair = Ed25519KeyPair.Generate();
        byte[] signature = pair.Sign("hello"u8);
        Assert.Equal(Ed25519KeyPair.SignatureLength, signature.Length);
        Assert.True(Ed25519KeyPair.Verify(pair.PublicKey, "hello"u8, signature));
        Assert.False(Ed25519KeyPair.Verify(pair.PublicKey, "hellO"u8, signature));
        Assert.False(Ed25519KeyPair.Verify(pair.PublicKey, "hello"u8, signature[..63]));
        Assert.False(Ed25519KeyPair.Verify(pair.PublicKey[..31], "hello"u8, signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void InvalidBase64Keys_AreRejected(string text)
    {
        Assert.False(Ed25519KeyPair.TryParsePrivateKeyBase64(text, out _));
        Assert.False(Ed25519KeyPair.TryParsePublicKeyBase64(text, out _));
        Assert.Throws<FormatException>(() => Ed25519KeyPair.FromPrivateKeyBase64(text));
    }

    [Fact]
    public void PrivateKeyOfWrongLength_IsAnArgumentError()
    {
        Assert.Throws<ArgumentException>(() => Ed25519KeyPair.FromPrivateKey(new byte[31]));
    }
}
