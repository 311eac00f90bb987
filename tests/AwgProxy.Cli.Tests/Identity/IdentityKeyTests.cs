using AwgProxy.Cli.Identity;
using NSec.Cryptography;

namespace AwgProxy.Cli.Tests.Identity;

public class IdentityKeyTests
{
    // RFC 8032 §7.1, TEST 1 and TEST 2: Ed25519 secret key (seed) → public key.
    [Theory]
    [InlineData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]
    [InlineData("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")]
    public void Rfc8032Seed_DerivesTheRfcPublicKey(string seedHex, string publicHex)
    {
        var text = Convert.ToBase64String(Convert.FromHexString(seedHex));

        Assert.True(IdentityKey.TryParse(text, out var key, out var error), error);
        using (key)
        {
            Assert.Equal(publicHex, Convert.ToHexStringLower(key.PublicKey.Bytes));
            Assert.Equal(text, key.ExportPrivateKey());
        }
    }

    [Fact]
    public void Generate_ExportsA44CharacterKeyThatReimportsToTheSamePair()
    {
        using var key = IdentityKey.Generate();
        var text = key.ExportPrivateKey();

        Assert.Equal(44, text.Length);
        Assert.EndsWith("=", text, StringComparison.Ordinal);
        Assert.True(IdentityKey.TryParse(text, out var again, out _));
        using (again)
        {
            Assert.Equal(key.PublicKey, again.PublicKey);
        }
    }

    [Fact]
    public void Key_SignsWhatItsPublicKeyVerifies()
    {
        using var key = IdentityKey.Generate();
        var message = "ClientHello transcript"u8.ToArray();

        var signature = SignatureAlgorithm.Ed25519.Sign(key.Key, message);

        Assert.True(SignatureAlgorithm.Ed25519.Verify(key.PublicKey.ToNSecPublicKey(), message, signature));
    }

    [Fact]
    public void ToString_NeverShowsThePrivateKey()
    {
        using var key = IdentityKey.Generate();

        Assert.DoesNotContain(key.ExportPrivateKey(), key.ToString(), StringComparison.Ordinal);
        Assert.Contains(key.PublicKey.ToString(), key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeys_CompareByValue()
    {
        using var key = IdentityKey.Generate();
        Assert.True(IdentityPublicKey.TryParse(key.PublicKey.ToString(), out var parsed, out _));

        Assert.Equal(key.PublicKey, parsed);
        Assert.Equal(key.PublicKey.GetHashCode(), parsed.GetHashCode());
        using var other = IdentityKey.Generate();
        Assert.NotEqual(key.PublicKey, other.PublicKey);
    }
}
