using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Tests.Tls;

/// <summary>The default suite order puts the machine's fastest AEAD first; explicit lists are kept as given.</summary>
public class CipherSuitePreferenceTests
{
    [Fact]
    public void Order_SodiumAes256Gcm_PutsAes256First()
    {
        Assert.Equal(
            [CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
            CipherSuitePreference.Order(sodiumAes256Gcm: true, aesInstructions: true));
    }

    [Fact]
    public void Order_NoAesInstructions_PutsChaCha20First()
    {
        Assert.Equal(
            [CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384],
            CipherSuitePreference.Order(sodiumAes256Gcm: false, aesInstructions: false));
    }

    [Fact]
    public void Order_AesInstructionsWithoutSodiumAesGcm_KeepsAes128First()
    {
        Assert.Equal(
            [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256],
            CipherSuitePreference.Order(sodiumAes256Gcm: false, aesInstructions: true));
    }

    [Fact]
    public void Default_FollowsThisMachine_AndIsWhatOptionsStartWith()
    {
        Assert.Equal(CipherSuitePreference.Order(AeadBackends.HasSodiumAes256Gcm, CipherSuitePreference.HasAesInstructions), CipherSuitePreference.Default);
        Assert.Equal(CipherSuitePreference.Default, new TlsClientOptions().CipherSuites);
        Assert.Equal(CipherSuitePreference.Default, new TlsServerOptions().CipherSuites);
        Assert.All(CipherSuitePreference.Default, suite => Assert.True(suite.IsSupported()));
    }

    [Fact]
    public void Default_IsReadOnlyAndOptionsHoldACopy()
    {
        Assert.Throws<NotSupportedException>(() => ((IList<CipherSuite>)CipherSuitePreference.Default)[0] = CipherSuite.TLS_AES_128_GCM_SHA256);
        Assert.NotSame(CipherSuitePreference.Default, new TlsClientOptions().CipherSuites);
    }
}
