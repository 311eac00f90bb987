namespace AwgProxy.Quic.Tests.Tls.Extensions;

/// <summary>The twin-test contract of an extension body codec.</summary>
internal static class ExtensionCodecAssert
{
    /// <summary>The body parses, no strict prefix or extension of it does, and mutants never throw.</summary>
    public static void Contract(byte[] encoded, Func<byte[], bool> tryParse, int fuzzSeed)
    {
        TlsTestSupport.AssertEveryTruncationFails(encoded, tryParse);
        Assert.False(tryParse([.. encoded, 0]), "a trailing byte must be rejected");
        TlsTestSupport.FuzzNeverThrows(encoded, tryParse, fuzzSeed);
    }
}
