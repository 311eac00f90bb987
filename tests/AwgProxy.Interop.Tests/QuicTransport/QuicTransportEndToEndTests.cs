using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AwgProxy.Interop.QuicTransport;
using AwgProxy.Interop.Transport;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.QuicTransport;

/// <summary>The real client and server commands over the project's QUIC transport on loopback UDP.</summary>
public class QuicTransportEndToEndTests
{
    private static async Task<(int ClientExit, string ClientOut, string ClientErr, int ServerExit, string ServerOut)> RunAsync(string[] serverArgs, string[] clientArgs, bool verifyServer = true)
    {
        var factory = new QuicInteropTransportFactory();
        using EphemeralCertificate certificate = EphemeralCertificate.Create();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var listening = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverOut = new StringWriter();
        var serverErr = new StringWriter();
        Task<int> server = InteropProgram.RunAsync(
            ["server", "-listen", "127.0.0.1:0", "-lifetime", "2m", "-max-conns", "1", "-cert", certificate.CertificatePemPath, "-key", certificate.PrivateKeyPemPath, .. serverArgs],
            factory,
            serverOut,
            serverErr,
            cts.Token,
            endPoint => listening.TrySetResult(endPoint));
        await Task.WhenAny(listening.Task, server).WaitAsync(cts.Token);
        Assert.True(listening.Task.IsCompleted, "server did not start: " + serverErr);
        int port = ((IPEndPoint)await listening.Task).Port;

        var clientOut = new StringWriter();
        var clientErr = new StringWriter();
        int clientExit = await InteropProgram.RunAsync(
            ["client", "-addr", $"127.0.0.1:{port}", .. (verifyServer ? new[] { "-ca", certificate.CertificatePemPath } : []), .. clientArgs], factory, clientOut, clientErr, cts.Token);
        int serverExit = await server.WaitAsync(cts.Token);
        return (clientExit, clientOut.ToString(), clientErr.ToString(), serverExit, serverOut.ToString());
    }

    [Theory]
    [InlineData("get", 1)]
    [InlineData("put", 1)]
    [InlineData("echo", 1)]
    [InlineData("get", 4)]
    [InlineData("echo", 3)]
    public async Task RawProtocol_Transfer_ReportsTheDocumentedSha256(string mode, int streams)
    {
        const long Size = 3 << 20;
        var run = await RunAsync([], ["-mode", mode, "-bytes", Size.ToString(CultureInfo.InvariantCulture), "-streams", streams.ToString(CultureInfo.InvariantCulture), "-verify"]);

        string last = run.ClientOut.TrimEnd().Split('\n')[^1].TrimEnd('\r');
        Match ok = InteropHarness.ResultOk().Match(last);
        Assert.True(ok.Success, $"client output:\n{run.ClientOut}\nstderr:\n{run.ClientErr}\nserver:\n{run.ServerOut}");
        Assert.Equal(PatternReference.ExpectedResultDigest(Size, streams, 1), ok.Groups["sha"].Value);
        Assert.Equal(0, run.ClientExit);
        Assert.Equal(0, run.ServerExit);
    }

    [Fact]
    public async Task Http3_WithRetry_GetsThePattern()
    {
        var run = await RunAsync(["-alpn", "h3", "-retry"], ["-alpn", "h3", "-bytes", "1000000", "-verify"]);

        Assert.StartsWith("connected: alpn=h3 ", run.ClientOut, StringComparison.Ordinal);
        Assert.Equal(0, run.ClientExit);
        Assert.Equal(PatternReference.Sha256Hex(1_000_000), InteropHarness.ResultOk().Match(run.ClientOut.TrimEnd().Split('\n')[^1].TrimEnd('\r')).Groups["sha"].Value);
    }

    [Fact]
    public async Task ClientWithoutCa_AcceptsAnyServerCertificate_AndReportsTheHandshake()
    {
        var run = await RunAsync([], ["-mode", "get", "-bytes", "100000", "-verify"], verifyServer: false);

        Assert.Equal(0, run.ClientExit);
        Assert.StartsWith($"connected: alpn=interop-test cipher={Quic.Tls.CipherSuitePreference.Default[0]} group=x25519 ", run.ClientOut, StringComparison.Ordinal);
        Assert.Equal(PatternReference.Sha256Hex(100_000), InteropHarness.ResultOk().Match(run.ClientOut.TrimEnd().Split('\n')[^1].TrimEnd('\r')).Groups["sha"].Value);
    }

    [Fact]
    public async Task ClientWithCaOfAnotherCertificate_RefusesTheServer()
    {
        using EphemeralCertificate other = EphemeralCertificate.Create();
        var run = await RunAsync(["-lifetime", "5s"], ["-mode", "get", "-bytes", "1000", "-timeout", "10s", "-ca", other.CertificatePemPath], verifyServer: false);

        Assert.Equal(1, run.ClientExit);
        Assert.Matches(InteropHarness.ResultFail(), run.ClientOut.TrimEnd().Split('\n')[^1].TrimEnd('\r'));
    }

    [Fact]
    public void ModuleInitializer_InstallsTheQuicTransport()
    {
        Assert.IsType<QuicInteropTransportFactory>(InteropTransport.Factory);
    }
}
