using System.Net;
using AwgProxy.Interop.Running;
using AwgProxy.Interop.Tests.InMemory;
using AwgProxy.Interop.Tests.Support;
using AwgProxy.Interop.Transport;

namespace AwgProxy.Interop.Tests.Running;

public class ClientRunnerTests
{
    [Theory]
    [InlineData(10L, 4, new long[] { 3, 3, 2, 2 })]
    [InlineData(3L, 4, new long[] { 1, 1, 1, 0 })]
    [InlineData(0L, 2, new long[] { 0, 0 })]
    [InlineData(8L, 1, new long[] { 8 })]
    public void Shares_AddUpToTheBytesAndDifferByAtMostOne(long bytes, int streams, long[] expected)
    {
        long[] shares = Enumerable.Range(0, streams).Select(i => ClientRunner.ShareOf(bytes, streams, i)).ToArray();
        Assert.Equal(expected, shares);
        Assert.Equal(bytes, shares.Sum());
    }

    [Fact]
    public async Task ServerThatNeverAnswers_EndsWithResultFailTimeout()
    {
        var transport = new InMemoryInteropTransport();
        await using IInteropListener listener = await transport.ListenAsync(new InteropServerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 4434),
            ApplicationProtocols = ["interop-test"],
            CertificatePemPath = "c",
            PrivateKeyPemPath = "k",
        });
        var stdout = new StringWriter();
        int exit = await InteropProgram.RunAsync(["client", "-timeout", "200ms", "-bytes", "5"], transport, stdout, new StringWriter(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail timeout after 200ms", stdout.ToString().TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task ExternalCancellation_EndsWithResultFailInterrupted()
    {
        var transport = new InMemoryInteropTransport();
        await using IInteropListener listener = await transport.ListenAsync(new InteropServerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 4434),
            ApplicationProtocols = ["interop-test"],
            CertificatePemPath = "c",
            PrivateKeyPemPath = "k",
        });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stdout = new StringWriter();
        int exit = await InteropProgram.RunAsync(["client", "-bytes", "5"], transport, stdout, new StringWriter(), cts.Token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail interrupted", stdout.ToString().TrimEnd().Split('\n')[^1]);
    }

    [Fact]
    public async Task ServerResettingAStream_FailsTheClientWithTheCode()
    {
        var transport = new InMemoryInteropTransport();
        IInteropListener listener = await transport.ListenAsync(new InteropServerOptions
        {
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 4434),
            ApplicationProtocols = ["interop-test"],
            CertificatePemPath = "c",
            PrivateKeyPemPath = "k",
        });
        Task server = Task.Run(async () =>
        {
            IInteropConnection connection = await listener.AcceptConnectionAsync();
            for (int i = 0; i < 3; i++)
            {
                InteropStream stream = await connection.AcceptStreamAsync();
                if (i == 1)
                {
                    stream.Abort(InteropAbortDirection.Both, 0x77);
                }
                else
                {
                    _ = new AwgProxy.Interop.Protocols.InteropTestServer().ServeStreamAsync(stream, CancellationToken.None);
                }
            }
        });
        var stdout = new StringWriter();
        int exit = await InteropProgram.RunAsync(["client", "-bytes", "300000", "-streams", "3"], transport, stdout, new StringWriter(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
        await server.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Equal("RESULT fail stream 4: aborted by the peer with code 0x77", stdout.ToString().TrimEnd().Split('\n')[^1]);
    }

    private sealed class ThrowingFactory : IInteropTransportFactory
    {
        public ValueTask<IInteropConnection> ConnectAsync(InteropClientOptions options, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IInteropConnection>(new ThrowingConnection());

        public ValueTask<IInteropListener> ListenAsync(InteropServerOptions options, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        private sealed class ThrowingConnection : IInteropConnection
        {
            public string NegotiatedAlpn => "interop-test";

            public Quic.Crypto.CipherSuite? NegotiatedCipherSuite => null;

            public InteropKeyExchangeGroup? NegotiatedGroup => null;

            public EndPoint? RemoteEndPoint => null;

            public ValueTask<InteropStream> OpenBidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
                throw new NotSupportedException("no streams today");

            public ValueTask<InteropStream> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
                throw new NotSupportedException("no streams today");

            public ValueTask<InteropStream> AcceptStreamAsync(CancellationToken cancellationToken = default) =>
                throw new NotSupportedException("no streams today");

            public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task UnexpectedTransportException_StillEndsWithResultFail()
    {
        var stdout = new StringWriter();
        int exit = await InteropProgram.RunAsync(["client", "-bytes", "5"], new ThrowingFactory(), stdout, new StringWriter(), CancellationToken.None);
        Assert.Equal(1, exit);
        string[] lines = stdout.ToString().ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.StartsWith("connected: alpn=interop-test cipher=unknown group=unknown handshake=", lines[0], StringComparison.Ordinal);
        Assert.Equal("RESULT fail NotSupportedException: no streams today", lines[^1]);
    }

    [Fact]
    public async Task ListenFailure_ExitsWith1AndAnError()
    {
        var stderr = new StringWriter();
        int exit = await InteropProgram.RunAsync(["server", .. InteropHarness.FakeCertificate], new ThrowingFactory(), new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(1, exit);
        Assert.StartsWith("error: listen: ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResultLine_FormatsLikeTheSpec()
    {
        byte[] digest = Convert.FromHexString("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
        Assert.Equal(
            "RESULT ok bytes=1048576 sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 MiB_per_s=500.0",
            ResultLine.Ok(1 << 20, digest, ResultLine.MebibytesPerSecond(1 << 20, TimeSpan.FromMilliseconds(2))));
        Assert.Matches(InteropHarness.ResultOk(), ResultLine.Ok(5, digest, 123.456));
        Assert.Equal("RESULT fail two lines", ResultLine.Fail("two\r\nlines"));
        Assert.Equal("RESULT fail unknown error", ResultLine.Fail(" "));
        Assert.Equal(0, ResultLine.MebibytesPerSecond(0, TimeSpan.Zero));
        Assert.Equal("0.0", ResultLine.FormatRate(double.NaN));
    }

    [Theory]
    [InlineData("127.0.0.1:4434", "127.0.0.1", 4434)]
    [InlineData("[::1]:443", "::1", 443)]
    [InlineData("localhost:80", "localhost", 80)]
    [InlineData(":4434", "", 4434)]
    public void HostPort_SplitsLikeGo(string text, string host, int port)
    {
        Assert.True(HostPort.TrySplit(text, out string h, out int p));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1:443")]
    [InlineData("[::1]443")]
    [InlineData("host:99999")]
    [InlineData("host:-1")]
    [InlineData("host:")]
    public void HostPort_RejectsMalformedAddresses(string text)
    {
        Assert.False(HostPort.TrySplit(text, out _, out _));
    }
}
