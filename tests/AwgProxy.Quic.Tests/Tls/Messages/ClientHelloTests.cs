using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls.Extensions;
using AwgProxy.Quic.Tls.Messages;

namespace AwgProxy.Quic.Tests.Tls.Messages;

public class ClientHelloTests
{
    internal static ClientHello Sample() => new()
    {
        Random = [.. Enumerable.Range(0, 32).Select(i => (byte)i)],
        CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
        Extensions =
        [
            new TlsExtension(ExtensionType.SupportedVersions, SupportedVersionsExtension.EncodeClientHello([0x0304])),
            new TlsExtension(ExtensionType.KeyShare, KeyShareExtension.EncodeClientHello([new KeyShareEntry(Quic.Tls.NamedGroup.X25519, new byte[32])])),
            new TlsExtension(ExtensionType.QuicTransportParameters, [1, 2, 3]),
            new TlsExtension((ExtensionType)0x2A2A, []),
        ],
    };

    [Fact]
    public void RoundTrip_TruncationAndFuzz_MeetTheCodecContract()
    {
        MessageCodecAssert.Contract(Sample(), ClientHello.TryParse, fuzzSeed: 101);
    }

    [Fact]
    public void Parse_KeepsFieldsAndExtensionOrder()
    {
        byte[] body = HandshakeMessage.Encode(Sample())[4..];
        Assert.True(ClientHello.TryParse(body, out ClientHello? hello));
        Assert.Equal(Sample().Random, hello!.Random);
        Assert.Equal(Sample().CipherSuites, hello.CipherSuites);
        Assert.Equal(Sample().Extensions.Select(e => e.Type), hello.Extensions.Select(e => e.Type));
        Assert.Equal([1, 2, 3], hello.FindExtension(ExtensionType.QuicTransportParameters));
        Assert.False(hello.HasDuplicateExtensions);
    }

    [Fact]
    public void DuplicateExtension_ParsesButIsFlagged()
    {
        ClientHello sample = Sample();
        sample.Extensions.Add(new TlsExtension(ExtensionType.QuicTransportParameters, []));
        Assert.True(ClientHello.TryParse(HandshakeMessage.Encode(sample)[4..], out ClientHello? hello));
        Assert.True(hello!.HasDuplicateExtensions);
    }

    [Theory]
    [InlineData("odd cipher suites length")]
    [InlineData("no compression method")]
    [InlineData("session id over 32 bytes")]
    [InlineData("no extension block")]
    public void StructuralViolations_AreRejected(string violation)
    {
        byte[] random = new byte[32];
        byte[] body = violation switch
        {
            "odd cipher suites length" => [3, 3, .. random, 0, 0, 3, 0x13, 0x01, 0x13, 1, 0, 0, 0],
            "no compression method" => [3, 3, .. random, 0, 0, 2, 0x13, 0x01, 0, 0, 0],
            "session id over 32 bytes" => [3, 3, .. random, 33, .. new byte[33], 0, 2, 0x13, 0x01, 1, 0, 0, 0],
            _ => [3, 3, .. random, 0, 0, 2, 0x13, 0x01, 1, 0],
        };
        Assert.False(ClientHello.TryParse(body, out _));
    }
}
