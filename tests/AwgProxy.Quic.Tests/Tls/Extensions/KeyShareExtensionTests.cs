using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class KeyShareExtensionTests
{
    [Fact]
    public void ClientHelloForm_RoundTripsSeveralShares()
    {
        byte[] encoded = KeyShareExtension.EncodeClientHello([new KeyShareEntry(NamedGroup.X25519, [1, 2, 3]), new KeyShareEntry(NamedGroup.Secp256r1, [4])]);
        Assert.Equal(Hex("00 0c 00 1d 00 03 01 02 03 00 17 00 01 04"), encoded);
        Assert.True(KeyShareExtension.TryParseClientHello(encoded, out List<KeyShareEntry> shares));
        Assert.Equal(2, shares.Count);
        Assert.Equal(NamedGroup.X25519, shares[0].Group);
        Assert.Equal([1, 2, 3], shares[0].KeyExchange);
        Assert.Equal([4], shares[1].KeyExchange);
        ExtensionCodecAssert.Contract(encoded, b => KeyShareExtension.TryParseClientHello(b, out _), fuzzSeed: 1501);
    }

    [Fact]
    public void EmptyClientShares_AreAllowed()
    {
        Assert.True(KeyShareExtension.TryParseClientHello(Hex("00 00"), out List<KeyShareEntry> shares));
        Assert.Empty(shares);
    }

    [Fact]
    public void HelloRetryRequestForm_RoundTrips()
    {
        byte[] encoded = KeyShareExtension.EncodeHelloRetryRequest(NamedGroup.Secp256r1);
        Assert.Equal(Hex("00 17"), encoded);
        Assert.True(KeyShareExtension.TryParseHelloRetryRequest(encoded, out NamedGroup group));
        Assert.Equal(NamedGroup.Secp256r1, group);
        ExtensionCodecAssert.Contract(encoded, b => KeyShareExtension.TryParseHelloRetryRequest(b, out _), fuzzSeed: 1502);
    }

    [Fact]
    public void ServerHelloForm_RoundTrips()
    {
        byte[] encoded = KeyShareExtension.EncodeServerHello(new KeyShareEntry(NamedGroup.X25519, new byte[32]));
        Assert.Equal(36, encoded.Length);
        Assert.True(KeyShareExtension.TryParseServerHello(encoded, out KeyShareEntry? share));
        Assert.Equal(NamedGroup.X25519, share!.Group);
        ExtensionCodecAssert.Contract(encoded, b => KeyShareExtension.TryParseServerHello(b, out _), fuzzSeed: 1503);
    }

    [Fact]
    public void EmptyKeyExchange_IsRejected()
    {
        Assert.False(KeyShareExtension.TryParseClientHello(Hex("00 04 00 1d 00 00"), out _));
        Assert.False(KeyShareExtension.TryParseServerHello(Hex("00 1d 00 00"), out _));
    }
}
