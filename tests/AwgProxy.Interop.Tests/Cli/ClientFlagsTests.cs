using AwgProxy.Interop.Cli;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Tests.Cli;

public class ClientFlagsTests
{
    [Fact]
    public void NoArguments_GiveQuicgoPeerDefaults()
    {
        ClientFlags flags = ClientFlags.Parse([]).Flags!;
        Assert.Equal("127.0.0.1:4434", flags.Address);
        Assert.Equal("localhost", flags.ServerName);
        Assert.Equal(["interop-test"], flags.ApplicationProtocols);
        Assert.Equal(ClientMode.Get, flags.Mode);
        Assert.Equal(100L << 20, flags.Bytes);
        Assert.Equal(1, flags.Streams);
        Assert.Equal(1, flags.Connections);
        Assert.Empty(flags.Groups);
        Assert.Empty(flags.CipherSuites);
        Assert.Equal(string.Empty, flags.CaFile);
        Assert.Equal(TimeSpan.FromMinutes(2), flags.Timeout);
        Assert.False(flags.Verify);
        Assert.Equal(0UL, flags.MaxStreamReceiveWindow);
        Assert.Equal(0UL, flags.MaxConnectionReceiveWindow);
    }

    [Fact]
    public void QuicgoPeerCommandLine_ParsesEveryFlag()
    {
        FlagsParse<ClientFlags> parsed = ClientFlags.Parse(
        [
            "-addr", "[::1]:4433", "-sni=example", "-alpn", "h3,interop-test", "-mode", "echo", "-bytes", "0x100000",
            "-streams", "4", "-conns=3", "-groups", "p256", "-ciphers", "chacha20", "-ca", "/tmp/cert.pem",
            "-qlog", "/tmp/q", "-keylog", "/tmp/k", "-max-stream-window", "1000", "-max-conn-window=2000",
            "-timeout", "30s", "-verify",
        ]);
        Assert.Null(parsed.Error);
        ClientFlags flags = parsed.Flags!;
        Assert.Equal("[::1]:4433", flags.Address);
        Assert.Equal("example", flags.ServerName);
        Assert.Equal(["h3", "interop-test"], flags.ApplicationProtocols);
        Assert.Equal(ClientMode.Echo, flags.Mode);
        Assert.Equal(1L << 20, flags.Bytes);
        Assert.Equal(4, flags.Streams);
        Assert.Equal(3, flags.Connections);
        Assert.Equal([InteropKeyExchangeGroup.Secp256r1], flags.Groups);
        Assert.Equal([CipherSuite.TLS_CHACHA20_POLY1305_SHA256], flags.CipherSuites);
        Assert.Equal("/tmp/cert.pem", flags.CaFile);
        Assert.Equal("/tmp/q", flags.QlogDirectory);
        Assert.Equal("/tmp/k", flags.KeyLogPath);
        Assert.Equal(1000UL, flags.MaxStreamReceiveWindow);
        Assert.Equal(2000UL, flags.MaxConnectionReceiveWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), flags.Timeout);
        Assert.True(flags.Verify);
    }

    [Theory]
    [InlineData("aes128,aes256,chacha20")]
    [InlineData("TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 ,TLS_CHACHA20_POLY1305_SHA256")]
    [InlineData("AES128GCM,aes256gcm,ChaCha20Poly1305")]
    public void Ciphers_AcceptShortAndIanaNames(string list)
    {
        ClientFlags flags = ClientFlags.Parse(["-ciphers", list]).Flags!;
        Assert.Equal([CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256], flags.CipherSuites);
    }

    [Fact]
    public void Groups_AcceptQuicgoPeerNamesInOrder()
    {
        ClientFlags flags = ClientFlags.Parse(["-groups", "x25519,secp256r1,p384,p521"]).Flags!;
        Assert.Equal(
            [InteropKeyExchangeGroup.X25519, InteropKeyExchangeGroup.Secp256r1, InteropKeyExchangeGroup.Secp384r1, InteropKeyExchangeGroup.Secp521r1],
            flags.Groups);
    }

    [Theory]
    [InlineData("invalid value \"fetch\" for flag -mode: must be get, put, echo or handshake", "-mode", "fetch")]
    [InlineData("invalid value \"rc4\" for flag -ciphers: unknown cipher suite \"rc4\" (known: aes128, aes256, chacha20)", "-ciphers", "rc4")]
    [InlineData("invalid value \"p255\" for flag -groups: unknown group \"p255\" (known: x25519, p256, p384, p521)", "-groups", "p255")]
    [InlineData("invalid value \"h3,\" for flag -alpn: ALPN protocol names must be 1 to 255 bytes", "-alpn", "h3,")]
    [InlineData("-streams must be at least 1", "-streams", "0")]
    [InlineData("-conns must be at least 1", "-conns", "0")]
    [InlineData("-bytes must not be negative", "-bytes", "-1")]
    [InlineData("unexpected argument \"extra\" (flags only)", "-bytes", "5", "extra")]
    [InlineData("flag provided but not defined: -listen", "-listen", "x")]
    public void BadValues_AreReported(string message, params string[] args)
    {
        FlagsParse<ClientFlags> parsed = ClientFlags.Parse(args);
        Assert.Equal(message, parsed.Error);
        Assert.Null(parsed.Flags);
    }
}
