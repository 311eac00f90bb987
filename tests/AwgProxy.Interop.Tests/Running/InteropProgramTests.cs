using AwgProxy.Interop.Tests.InMemory;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Running;

public class InteropProgramTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(string[] args, InMemoryInteropTransport? transport = null, bool withTransport = true)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int exit = await InteropProgram.RunAsync(args, withTransport ? transport ?? new InMemoryInteropTransport() : null, stdout, stderr, cts.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("client")]
    [InlineData("server")]
    public async Task NoTransport_PrintsTransportUnavailableAndExits1(string command)
    {
        (int exit, string stdout, _) = await Run([command], withTransport: false);
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail transport unavailable", stdout.TrimEnd());
    }

    [Fact]
    public async Task UnknownFlag_Exits2WithGoMessageAndUsage()
    {
        (int exit, string stdout, string stderr) = await Run(["client", "-bogus"]);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("flag provided but not defined: -bogus\nUsage of client:\n", stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFlag_Exits2EvenWithoutTransport()
    {
        (int exit, _, string stderr) = await Run(["server", "-lifetime", "forever"], withTransport: false);
        Assert.Equal(2, exit);
        Assert.Contains("invalid value \"forever\" for flag -lifetime: parse error", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client", "-h")]
    [InlineData("server", "-help")]
    public async Task Help_PrintsUsageAndExits0(string command, string flag)
    {
        (int exit, _, string stderr) = await Run([command, flag]);
        Assert.Equal(0, exit);
        Assert.Contains($"Usage of {command}:", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("h3server")]
    [InlineData("serve")]
    public async Task UnknownCommand_Exits2(params string[] args)
    {
        (int exit, _, string stderr) = await Run(args);
        Assert.Equal(2, exit);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientWithoutServer_EndsWithResultFailDial()
    {
        (int exit, string stdout, _) = await Run(["client", "-bytes", "10"]);
        Assert.Equal(1, exit);
        string last = stdout.TrimEnd().Split('\n')[^1];
        Assert.Matches(InteropHarness.ResultFail(), last);
        Assert.StartsWith("RESULT fail dial: connection refused", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedAddress_EndsWithResultFailDial()
    {
        (int exit, string stdout, _) = await Run(["client", "-addr", "127.0.0.1"]);
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail dial: address 127.0.0.1: expected host:port", stdout.TrimEnd());
    }

    [Fact]
    public async Task AlpnMismatch_EndsWithResultFail()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(["-alpn", "interop-test", "-lifetime", "300ms"], ["-alpn", "h3", "-bytes", "1"]);
        Assert.Equal(1, run.ClientExit);
        Assert.Equal("RESULT fail dial: CRYPTO_ERROR 0x178 (no_application_protocol)", run.LastClientLine);
        Assert.Equal(0, run.ServerExit);
    }

    [Fact]
    public async Task Server_PrintsListeningAndExitLinesAndPassesOptions()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(
            ["-listen", "127.0.0.1:4999", "-alpn", "interop-test,h3", "-retry", "-groups", "p256", "-ciphers", "chacha20", "-idle", "7s"],
            ["-addr", "localhost:4999", "-bytes", "3", "-groups", "p256", "-ciphers", "chacha20", "-sni", "example.test", "-ca", "ca.pem"]);
        Assert.Equal(0, run.ClientExit);
        string[] lines = run.ServerOut.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal("AwgProxy.Interop server listening on 127.0.0.1:4999 alpn=interop-test,h3 retry=true", lines[0]);
        Assert.Matches(@"^server exit: connections=1 cpu_s=[0-9]+\.[0-9]{3}$", lines[^1]);

        Transport.InteropServerOptions server = run.Transport.LastServerOptions!;
        Assert.True(server.Retry);
        Assert.Equal(TimeSpan.FromSeconds(7), server.IdleTimeout);
        Assert.Equal([Transport.InteropKeyExchangeGroup.Secp256r1], server.Groups);
        Assert.Equal([Quic.Crypto.CipherSuite.TLS_CHACHA20_POLY1305_SHA256], server.CipherSuites);
        Assert.Equal("unused-cert.pem", server.CertificatePemPath);

        Transport.InteropClientOptions client = run.Transport.LastClientOptions!;
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 4999), client.RemoteEndPoint);
        Assert.Equal("example.test", client.ServerName);
        Assert.Equal("ca.pem", client.CaCertificatePemPath);
        Assert.Equal([Quic.Crypto.CipherSuite.TLS_CHACHA20_POLY1305_SHA256], client.CipherSuites);
    }

    [Fact]
    public async Task ServerWithoutCert_GetsAnEphemeralSelfSignedPemPairThatIsDeletedAtExit()
    {
        var transport = new InMemoryInteropTransport();
        var stdout = new StringWriter();
        string? certificate = null;
        string? key = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int exit = await InteropProgram.RunAsync(["server", "-lifetime", "200ms"], transport, stdout, new StringWriter(), cts.Token, _ =>
        {
            certificate = File.ReadAllText(transport.LastServerOptions!.CertificatePemPath);
            key = File.ReadAllText(transport.LastServerOptions!.PrivateKeyPemPath);
        });
        Assert.Equal(0, exit);
        using var loaded = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate, key);
        Assert.Equal("CN=localhost", loaded.Subject);
        Assert.True(loaded.HasPrivateKey);
        Assert.False(File.Exists(transport.LastServerOptions!.CertificatePemPath));
    }

    [Fact]
    public async Task ServerLifetime_EndsTheServerWithoutConnections()
    {
        (int exit, string stdout, _) = await Run(["server", "-lifetime", "100ms", .. InteropHarness.FakeCertificate]);
        Assert.Equal(0, exit);
        Assert.Contains("server exit: connections=0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_StopsTheServer()
    {
        var transport = new InMemoryInteropTransport();
        using var cts = new CancellationTokenSource();
        Task<int> server = InteropProgram.RunAsync(["server", .. InteropHarness.FakeCertificate], transport, new StringWriter(), new StringWriter(), cts.Token, _ => cts.Cancel());
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
