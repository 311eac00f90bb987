using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Tests.Tls;

public class TranscriptTests
{
    [Fact]
    public void MessagesBeforeTheHashIsChosen_AreHashedOnceItIs()
    {
        using var transcript = new Transcript();
        transcript.Add([1, 2, 3]);
        Assert.False(transcript.HasHashAlgorithm);
        transcript.SetHashAlgorithm(HashAlgorithmName.SHA384);
        transcript.Add([4]);
        Assert.Equal(SHA384.HashData([1, 2, 3, 4]), transcript.GetCurrentHash());
        Assert.Equal(48, transcript.HashLength);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_256_GCM_SHA384)]
    public void HelloRetryRequest_ReplacesClientHello1WithMessageHash(CipherSuite suite)
    {
        byte[] clientHello1 = [1, 0, 0, 2, 0xAA, 0xBB];
        byte[] retry = [2, 0, 0, 1, 0xCC];
        using var transcript = new Transcript();
        transcript.Add(clientHello1);
        transcript.SetHashAlgorithm(suite.HashAlgorithm());
        transcript.ReplaceWithMessageHash();
        transcript.Add(retry);

        byte[] inner = CryptographicOperations.HashData(suite.HashAlgorithm(), clientHello1);
        byte[] expected = CryptographicOperations.HashData(suite.HashAlgorithm(), [254, 0, 0, (byte)inner.Length, .. inner, .. retry]);
        Assert.Equal(expected, transcript.GetCurrentHash());
    }
}
