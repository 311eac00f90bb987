using System.Security.Cryptography;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.KeyExchange;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls;

public class KeyExchangeTests
{
    // SEC 2 / FIPS 186-4: the base point G of P-256.
    private static readonly byte[] Generator = Hex("""
        04 6b 17 d1 f2 e1 2c 42 47 f8 bc e6 e5 63 a4 40 f2 77 03 7d 81 2d eb 33 a0 f4 a1 39 45 d8 98 c2 96
           4f e3 42 e2 fe 1a 7f 9b 8e e7 eb 4a 7c 0f 9e 16 2b ce 33 57 6b 31 5e ce cb b6 40 68 37 bf 51 f5
        """);

    [Theory]
    [InlineData(NamedGroup.X25519, 32)]
    [InlineData(NamedGroup.Secp256r1, 65)]
    public void TwoKeyPairs_AgreeOnTheSharedSecret(NamedGroup group, int publicKeyLength)
    {
        using KeyExchange a = KeyExchange.Create(group, SeededRandom(1));
        using KeyExchange b = KeyExchange.Create(group, SeededRandom(2));
        Assert.Equal(publicKeyLength, a.PublicKey.Length);
        Assert.True(a.TryDeriveSharedSecret(b.PublicKey, out byte[] ab));
        Assert.True(b.TryDeriveSharedSecret(a.PublicKey, out byte[] ba));
        Assert.Equal(32, ab.Length);
        Assert.Equal(ab, ba);
    }

    [Fact]
    public void P256ScalarOne_GivesTheGeneratorWhichValidates()
    {
        byte[] one = new byte[32];
        one[31] = 1;
        using var exchange = new Secp256r1KeyExchange(destination => one.CopyTo(destination));
        Assert.Equal(Generator, exchange.PublicKey);
        Assert.True(Secp256r1KeyExchange.IsValidPoint(Generator));
    }

    [Fact]
    public void P256PrivateKey_RejectsScalarsOutsideTheGroupOrderAndDrawsAgain()
    {
        int draws = 0;
        using var exchange = new Secp256r1KeyExchange(destination =>
        {
            draws++;
            if (draws == 1) destination.Fill(0xFF); // >= n
            else if (draws == 2) destination.Clear(); // zero
            else
            {
                destination.Clear();
                destination[^1] = 1;
            }
        });
        Assert.Equal(3, draws);
        Assert.Equal(Generator, exchange.PublicKey);
    }

    [Theory]
    [InlineData("compressed form")]
    [InlineData("short")]
    [InlineData("off curve")]
    [InlineData("x not below p")]
    [InlineData("all zero")]
    public void P256InvalidPeerPoints_AreRefused(string kind)
    {
        byte[] point = (byte[])Generator.Clone();
        switch (kind)
        {
            case "compressed form":
                point[0] = 2;
                break;
            case "short":
                point = point[..64];
                break;
            case "off curve":
                point[64] ^= 1;
                break;
            case "x not below p":
                point.AsSpan(1, 32).Fill(0xFF);
                break;
            default:
                point = new byte[65];
                point[0] = 4;
                break;
        }

        Assert.False(Secp256r1KeyExchange.IsValidPoint(point));
        using KeyExchange exchange = KeyExchange.Create(NamedGroup.Secp256r1, SeededRandom(3));
        Assert.False(exchange.TryDeriveSharedSecret(point, out _));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void X25519PeerKeyOfWrongLength_IsRefused(int length)
    {
        using KeyExchange exchange = KeyExchange.Create(NamedGroup.X25519, SeededRandom(4));
        Assert.False(exchange.TryDeriveSharedSecret(new byte[length], out _));
    }

    [Fact]
    public void X25519LowOrderPeerKey_IsRefusedAsAllZeroSecret()
    {
        using KeyExchange exchange = KeyExchange.Create(NamedGroup.X25519, SeededRandom(5));
        byte[] one = new byte[32];
        one[0] = 1; // u = 1 has order 1: the shared secret would be all zero
        Assert.False(exchange.TryDeriveSharedSecret(new byte[32], out _));
        Assert.False(exchange.TryDeriveSharedSecret(one, out _));
    }

    [Fact]
    public void UnsupportedGroup_IsNotCreated()
    {
        Assert.False(KeyExchange.IsSupported((NamedGroup)0x0018));
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyExchange.Create((NamedGroup)0x0018, RandomNumberGenerator.Fill));
    }
}
