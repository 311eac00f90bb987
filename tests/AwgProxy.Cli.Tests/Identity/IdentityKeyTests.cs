using AwgProxy.Cli.Identity;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Cli.Tests.Identity;

/// <summary>The CLI's keys are the TLS layer's <see cref="Ed25519KeyPair"/>, parsed and printed by <see cref="KeyText"/>.</summary>
public class IdentityKeyTests
{
    // RFC 8032 §7.1, TEST 1 and TEST 2: Ed25519 secret key (seed) → public key.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")]
    public void Rfc8032Seed_DerivesTheRfcPublicKey(string seedHex, string publicHex)
    {
        var text = Convert.ToBase64String(Convert.FromHexString(seedHex));

        Assert.True(KeyText.TryParsePrivateKey(text, out var key, out var error), error);
        Assert.Equal(publicHex, Convert.ToHexStringLower(key.PublicKey));
        Assert.Equal(text, key.PrivateKeyBase64);
    }

    [Fact]
    public void Generate_ExportsA44CharacterKeyThatReimportsToTheSamePair()
    {
        var key = Ed25519KeyPair.Generate();
        var text = key.PrivateKeyBase64;

        Assert.Equal(44, text.Length);
        Assert.EndsWith("=", text, StringComparison.Ordinal);
        Assert.True(KeyText.TryParsePrivateKey(text, out var again, out _));
        Assert.Equal(key.PublicKey, again.PublicKey);
    }

    [Fact]
    public void Key_SignsWhatItsPublicKeyVerifies()
    {
        var key = Ed25519KeyPair.Generate();
        var message = "ClientHello transcript"u8.ToArray();

        var signature = key.Sign(message);

        Assert.True(Ed25519KeyPair.Verify(IdentityPublicKey.Of(key).ToArray(), message, signature));
    }

    [Fact]
    public void ToString_NeverShowsThePrivateKey()
    {
        var key = Ed25519KeyPair.Generate();

        Assert.DoesNotContain(key.PrivateKeyBase64, key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.PrivateKeyBase64, IdentityPublicKey.Of(key).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeys_CompareByValue()
    {
        var key = IdentityPublicKey.Of(Ed25519KeyPair.Generate());
        Assert.True(IdentityPublicKey.TryParse(key.ToString(), out var parsed, out _));

        Assert.Equal(key, parsed);
        Assert.Equal(key.GetHashCode(), parsed.GetHashCode());
        Assert.NotEqual(key, IdentityPublicKey.Of(Ed25519KeyPair.Generate()));
    }
}
