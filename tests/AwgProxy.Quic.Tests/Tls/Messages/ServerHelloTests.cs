using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class ServerHelloTests
{
    private static ServerHello Sample(bool retry) => new()
    {
        Random = retry ? ServerHello.HelloRetryRequestRandom.ToArray() : [.. Enumerable.Range(100, 32).Select(i => (byte)i)],
        CipherSuite = CipherSuite.TLS_AES_256_GCM_SHA384,
        Extensions = retry
            ?
            [
                new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeServerHello(0x0304)),
                new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeHelloRetryRequest(NamedGroup.Secp256r1)),
                new TlsExtension(ExtensionType.Cookie, CookieExtension.Encode([5, 6])),
            ]
            :
            [
                new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeServerHello(0x0304)),
                new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeServerHello(new KeyShareEntry(NamedGroup.X25519, new byte[32]))),
            ],
    };

    [Fact]
    public void ServerHello_MeetsTheCodecContract()
    {
        byte[] body = MessageCodecAssert.Contract(Sample(retry: false), ServerHello.TryParse, fuzzSeed: 201);
        Assert.True(ServerHello.TryParse(body, out ServerHello? hello));
        Assert.False(hello!.IsHelloRetryRequest);
        Assert.Equal(CipherSuite.TLS_AES_256_GCM_SHA384, hello.CipherSuite);
    }

    [Fact]
    public void HelloRetryRequest_MeetsTheCodecContractAndIsRecognised()
    {
        byte[] body = MessageCodecAssert.Contract(Sample(retry: true), ServerHello.TryParse, fuzzSeed: 202);
        Assert.True(ServerHello.TryParse(body, out ServerHello? hello));
        Assert.True(hello!.IsHelloRetryRequest);
        Assert.True(KeyShareExtension.TryParseHelloRetryRequest(hello.FindExtension(ExtensionType.KeyShare), out NamedGroup group));
        Assert.Equal(NamedGroup.Secp256r1, group);
    }

    [Fact]
    public void HelloRetryRequestRandom_IsSha256OfTheString()
    {
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("HelloRetryRequest"u8), ServerHello.HelloRetryRequestRandom.ToArray());
    }
}
