using AwgProxy.Interop.Cli;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Tests.Cli;

public class ServerFlagsTests
{
    [Fact]
    public void NoArguments_GiveQuicgoPeerDefaults()
    {
        ServerFlags flags = ServerFlags.Parse([]).Flags!;
        Assert.Equal("127.0.0.1:4434", flags.Listen);
        Assert.Equal(string.Empty, flags.CertificateFile);
        Assert.Equal(string.Empty, flags.KeyFile);
        Assert.Equal(["interop-test"], flags.ApplicationProtocols);
        Assert.False(flags.Retry);
        Assert.Empty(flags.Groups);
        Assert.Empty(flags.CipherSuites);
        Assert.Equal(TimeSpan.FromMinutes(10), flags.Lifetime);
        Assert.Equal(0, flags.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(30), flags.IdleTimeout);
        Assert.False(flags.Verbose);
    }

    [Fact]
    public void QuicgoPeerCommandLine_ParsesEveryFlag()
    {
        FlagsParse<ServerFlags> parsed = ServerFlags.Parse(
        [
            "-listen", "127.0.0.1:4433", "-cert", "c.pem", "-key=k.pem", "-alpn", "interop-test,h3", "-retry",
            "-groups", "x25519,p256", "-ciphers", "aes256", "-qlog", "q", "-keylog", "k", "-lifetime", "500ms",
            "-max-conns", "3", "-max-stream-window", "10", "-max-conn-window", "20", "-idle", "5s", "-v=true",
        ]);
        Assert.Null(parsed.Error);
        ServerFlags flags = parsed.Flags!;
        Assert.Equal("127.0.0.1:4433", flags.Listen);
        Assert.Equal("c.pem", flags.CertificateFile);
        Assert.Equal("k.pem", flags.KeyFile);
        Assert.Equal(["interop-test", "h3"], flags.ApplicationProtocols);
        Assert.True(flags.Retry);
        Assert.Equal([InteropKeyExchangeGroup.X25519, InteropKeyExchangeGroup.Secp256r1], flags.Groups);
        Assert.Equal([CipherSuite.TLS_AES_256_GCM_SHA384], flags.CipherSuites);
        Assert.Equal("q", flags.QlogDirectory);
        Assert.Equal("k", flags.KeyLogPath);
        Assert.Equal(TimeSpan.FromMilliseconds(500), flags.Lifetime);
        Assert.Equal(3, flags.MaxConnections);
        Assert.Equal(10UL, flags.MaxStreamReceiveWindow);
        Assert.Equal(20UL, flags.MaxConnectionReceiveWindow);
        Assert.Equal(TimeSpan.FromSeconds(5), flags.IdleTimeout);
        Assert.True(flags.Verbose);
    }

    [Theory]
    [InlineData("-retry=false", false)]
    [InlineData("-retry=true", true)]
    [InlineData("-retry", true)]
    public void Retry_AcceptsGoBooleanForms(string arg, bool expected)
    {
        Assert.Equal(expected, ServerFlags.Parse([arg]).Flags!.Retry);
    }

    [Theory]
    [InlineData("-cert and -key go together", "-cert", "c.pem")]
    [InlineData("-cert and -key go together", "-key", "k.pem")]
    [InlineData("invalid value \"10\" for flag -lifetime: parse error", "-lifetime", "10")]
    [InlineData("flag provided but not defined: -mode", "-mode", "get")]
    [InlineData("-max-conns must not be negative", "-max-conns", "-1")]
    public void BadValues_AreReported(string message, params string[] args)
    {
        Assert.Equal(message, ServerFlags.Parse(args).Error);
    }
}
