using System.Globalization;
using System.Text.RegularExpressions;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Protocols;

/// <summary>The real client and server commands over the in-memory transport, ALPN interop-test.</summary>
public class RawProtocolEndToEndTests
{
    public static TheoryData<string, int, long> Transfers()
    {
        var data = new TheoryData<string, int, long>();
        foreach (string mode in new[] { "get", "put", "echo" })
        {
            foreach (int streams in new[] { 1, 4 })
            {
                foreach (long size in new long[] { 0, 1, 65535, 65536, 65537, 10L << 20 })
                {
                    data.Add(mode, streams, size);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transfers))]
    public async Task Transfer_ReportsBytesAndTheDocumentedSha256(string mode, int streams, long size)
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(
            [],
            ["-mode", mode, "-bytes", size.ToString(CultureInfo.InvariantCulture), "-streams", streams.ToString(CultureInfo.InvariantCulture), "-verify"]);

        Assert.Equal(0, run.ClientExit);
        Match ok = run.OkMatch();
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), ok.Groups["bytes"].Value);
        Assert.Equal(PatternReference.ExpectedResultDigest(size, streams, 1), ok.Groups["sha"].Value);
        Assert.Equal(0, run.ServerExit);
        Assert.Contains("server exit: connections=1", run.ServerOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("put")]
    [InlineData("echo")]
    public async Task OneStreamOneConnection_DigestIsPlainSha256OfThePayload(string mode)
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync([], ["-mode", mode, "-bytes", "200000"]);
        Assert.Equal(PatternReference.Sha256Hex(200_000), run.OkMatch().Groups["sha"].Value);
    }

    [Fact]
    public async Task SequentialConnections_HashThePayloadsInConnectionOrder()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(["-max-conns", "3"], ["-conns", "3", "-bytes", "70000"]);
        Match ok = run.OkMatch();
        Assert.Equal("210000", ok.Groups["bytes"].Value);
        Assert.Equal(PatternReference.ExpectedResultDigest(70_000, 1, 3), ok.Groups["sha"].Value);
        Assert.Contains("server exit: connections=3", run.ServerOut, StringComparison.Ordinal);
        Assert.Equal(3, run.Transport.ClientSides.Count);
    }

    [Fact]
    public async Task ConnectionsAndStreams_CombineAsDocumented()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(["-max-conns", "2"], ["-conns", "2", "-streams", "3", "-bytes", "100001", "-mode", "echo"]);
        Match ok = run.OkMatch();
        Assert.Equal("200002", ok.Groups["bytes"].Value);
        Assert.Equal(PatternReference.ExpectedResultDigest(100_001, 3, 2), ok.Groups["sha"].Value);
    }

    [Fact]
    public async Task HashOff_CountsBytesOnly_AndVerifyStillChecksThePattern()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync([], ["-bytes", "300001", "-hash=false", "-verify"]);

        Assert.Equal(0, run.ClientExit);
        Assert.Matches(@"^RESULT ok bytes=300001 sha256=- MiB_per_s=[0-9]+\.[0-9]$", run.LastClientLine);
    }

    [Fact]
    public async Task Output_HasConnectedAndStatsLinesBeforeTheResult()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync([], ["-bytes", "1000"]);
        string[] lines = run.ClientOut.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^connected: alpn=interop-test cipher=TLS_AES_128_GCM_SHA256 group=x25519 handshake=[0-9]+\.[0-9]{2}ms$", lines[0]);
        Assert.Matches(@"^stats: mode=get alpn=interop-test conns=1 streams=1 bytes=1000 wall_s=", lines[1]);
        Assert.Matches(InteropHarness.ResultOk(), lines[2]);
    }

    [Fact]
    public async Task HandshakeMode_OpensNoStreamsAndReportsZeroBytes()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync(["-max-conns", "2"], ["-mode", "handshake", "-conns", "2"]);
        Match ok = run.OkMatch();
        Assert.Equal("0", ok.Groups["bytes"].Value);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ok.Groups["sha"].Value);
        Assert.Equal("0.0", ok.Groups["rate"].Value);
        Assert.All(run.Transport.ClientSides, connection => Assert.Empty(connection.Streams));
        Assert.Contains("stats: mode=handshake conns=2", run.ClientOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientClosesEachConnectionWithCodeZero()
    {
        InteropHarness.RunResult run = await InteropHarness.RunAsync([], ["-bytes", "10"]);
        Assert.True(run.Transport.ClientSides[0].ClosedLocally);
        Assert.Equal(0, run.Transport.ClientSides[0].CloseCode);
    }
}
