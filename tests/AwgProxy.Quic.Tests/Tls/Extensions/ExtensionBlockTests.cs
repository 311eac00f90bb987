using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Tls;
using AwgProxy.Quic.Tls.Extensions;
using static AwgProxy.Quic.Tests.Tls.TlsTestSupport;

namespace AwgProxy.Quic.Tests.Tls.Extensions;

public class ExtensionBlockTests
{
    private static bool TryRead(byte[] data, out List<TlsExtension> extensions, out bool duplicates)
    {
        var reader = new SpanReader(data);
        bool ok = ExtensionBlock.TryRead(ref reader, out extensions, out duplicates);
        return ok && reader.IsEmpty;
    }

    [Fact]
    public void Block_RoundTripsInOrderWithUnknownTypes()
    {
        List<TlsExtension> extensions = [new(ExtensionType.Cookie, [1]), new((ExtensionType)0xFAFA, []), new(ExtensionType.ServerName, [2, 3])];
        byte[] encoded = new byte[ExtensionBlock.GetLength(extensions)];
        var writer = new SpanWriter(encoded);
        ExtensionBlock.Write(ref writer, extensions);
        Assert.Equal(Hex("00 0f 00 2c 00 01 01 fa fa 00 00 00 00 00 02 02 03"), encoded);

        Assert.True(TryRead(encoded, out List<TlsExtension> parsed, out bool duplicates));
        Assert.False(duplicates);
        Assert.Equal(extensions.Select(e => e.Type), parsed.Select(e => e.Type));
        Assert.Equal([2, 3], ExtensionBlock.Find(parsed, ExtensionType.ServerName));
        ExtensionCodecAssert.Contract(encoded, b => TryRead(b, out _, out _), fuzzSeed: 1801);
    }

    [Fact]
    public void FailedRead_ConsumesNothing()
    {
        byte[] data = Hex("00 05 00 2c 00 05 01");
        var reader = new SpanReader(data);
        Assert.False(ExtensionBlock.TryRead(ref reader, out _, out _));
        Assert.Equal(0, reader.Position);
    }

    [Fact]
    public void RepeatedType_IsReportedAsDuplicate()
    {
        Assert.True(TryRead(Hex("00 08 00 2c 00 00 00 2c 00 00"), out _, out bool duplicates));
        Assert.True(duplicates);
    }

    [Fact]
    public void Rules_RejectMisplacedAndUnsolicitedExtensions()
    {
        HashSet<ExtensionType> requested = [ExtensionType.KeyShare, ExtensionType.SupportedVersions, ExtensionType.ApplicationLayerProtocolNegotiation];
        Assert.Null(ExtensionRules.CheckResponse([new(ExtensionType.KeyShare, [])], ExtensionContext.ServerHello, requested));
        Assert.Equal(AlertDescription.IllegalParameter, ExtensionRules.CheckResponse([new(ExtensionType.ApplicationLayerProtocolNegotiation, [])], ExtensionContext.ServerHello, requested));
        Assert.Equal(AlertDescription.UnsupportedExtension, ExtensionRules.CheckResponse([new(ExtensionType.EarlyData, [])], ExtensionContext.EncryptedExtensions, requested));
        Assert.Null(ExtensionRules.CheckResponse([new(ExtensionType.Cookie, [])], ExtensionContext.HelloRetryRequest, requested));
        Assert.Equal(AlertDescription.UnsupportedExtension, ExtensionRules.CheckResponse([new(ExtensionType.Cookie, [])], ExtensionContext.ServerHello, requested));

        Assert.Null(ExtensionRules.CheckRequest([new((ExtensionType)0x1234, []), new(ExtensionType.Padding, [])], ExtensionContext.ClientHello));
        Assert.Equal(AlertDescription.IllegalParameter, ExtensionRules.CheckRequest([new(ExtensionType.OidFilters, [])], ExtensionContext.ClientHello));
        Assert.Null(ExtensionRules.CheckRequest([new(ExtensionType.OidFilters, []), new((ExtensionType)0x1234, [])], ExtensionContext.CertificateRequest));
    }
}
