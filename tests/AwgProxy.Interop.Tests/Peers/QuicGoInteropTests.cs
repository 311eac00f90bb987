using System.Globalization;
using System.Text.RegularExpressions;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Peers;

/// <summary>
/// Interop with quic-go 0.29 through <c>../shared/interop/quicgo-peer</c>, on 127.0.0.1, 10 MiB per case, both
/// directions, every request kind (get, put, echo), with the default handshake, Retry forced, P-256 only and
/// ChaCha20 only. quic-go has no cipher flag: our side forces ChaCha20. The receiving side checks the data: our
/// client's SHA-256 of what it received (get, echo) or our server's SHA-256 of the upload (put), quicgo-peer's
/// byte-by-byte pattern check (<c>-verify</c>) when it receives a download or an echo. quicgo-peer's server only
/// counts an upload: our client checks its <c>OK n</c> answer.
/// </summary>
[Collection(InteropPeersCollection.Name)]
public sealed partial class QuicGoInteropTests(QuicGoPeerFixture quicGo)
{
    private const long Size = 10 << 20;
    private static readonly string SizeText = Size.ToString(CultureInfo.InvariantCulture);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public static TheoryData<string, InteropVariant> Cases()
    {
        var data = new TheoryData<string, InteropVariant>();
        foreach (InteropVariant variant in new[] { InteropVariant.Default, InteropVariant.Retry, InteropVariant.P256, InteropVariant.ChaCha20 })
        {
            foreach (string mode in new[] { "get", "put", "echo" }) data.Add(mode, variant);
        }

        return data;
    }

    [GeneratedRegex(@"^quicgo-peer server listening on 127\.0\.0\.1:(?<port>\d+) ")]
    private static partial Regex QuicGoListening();

    [GeneratedRegex(@"^connected: alpn=interop-test cipher=(?<cipher>\S+) ", RegexOptions.Multiline)]
    private static partial Regex QuicGoConnected();

    [GeneratedRegex(@"^RESULT mode=(?<mode>\w+) bytes=(?<bytes>\d+) ", RegexOptions.Multiline)]
    private static partial Regex QuicGoResult();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OurClient_QuicGoServer_TransfersTenMebibytes(string mode, InteropVariant variant)
    {
        List<string> serverArgs = ["server", "-listen", "127.0.0.1:0", "-cert", PeerEnvironment.CertificatePath, "-key", PeerEnvironment.PrivateKeyPath, "-max-conns", "1", "-lifetime", "80s"];
        List<string> clientArgs = ["-mode", mode, "-bytes", SizeText, "-verify", "-timeout", "80s"];
        switch (variant)
        {
            case InteropVariant.Retry:
                serverArgs.Add("-retry");
                break;
            case InteropVariant.P256:
                serverArgs.AddRange(["-groups", "p256"]);
                clientArgs.AddRange(["-groups", "p256"]);
                break;
            case InteropVariant.ChaCha20:
                clientArgs.AddRange(["-ciphers", "chacha20"]);
                break;
        }

        await using PeerProcess server = PeerProcess.Start("quicgo-peer server", quicGo.Executable, serverArgs, QuicGoPeerFixture.Environment);
        string listening = await server.WaitForLineAsync(line => QuicGoListening().IsMatch(line), TimeSpan.FromSeconds(20));
        string port = QuicGoListening().Match(listening).Groups["port"].Value;

        OurInteropEndpoint.CommandResult client = await OurInteropEndpoint.RunClientAsync(["-addr", $"127.0.0.1:{port}", .. clientArgs]);

        string sha = client.Sha256();
        Assert.Equal(PatternReference.Sha256Hex(Size), sha);
        // quic-go's server picks from its own order (AES-128-GCM first on AES hardware).
        AssertNegotiated(OurInteropEndpoint.ClientConnected().Match(client.Stdout), variant, "TLS_AES_128_GCM_SHA256", client.Describe);
        Assert.Equal(0, await server.WaitForExitAsync(Bound));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task QuicGoClient_OurServer_TransfersTenMebibytes(string mode, InteropVariant variant)
    {
        List<string> serverArgs = [];
        List<string> clientArgs = ["client", "-mode", mode, "-bytes", SizeText, "-verify", "-timeout", "80s"];
        switch (variant)
        {
            case InteropVariant.Retry:
                serverArgs.Add("-retry");
                break;
            case InteropVariant.P256:
                serverArgs.AddRange(["-groups", "p256"]);
                clientArgs.AddRange(["-groups", "p256"]);
                break;
            case InteropVariant.ChaCha20:
                serverArgs.AddRange(["-ciphers", "chacha20"]);
                break;
        }

        await using OurInteropEndpoint.RunningServer server = await OurInteropEndpoint.StartServerAsync(serverArgs);
        await using PeerProcess client = PeerProcess.Start("quicgo-peer client", quicGo.Executable, [.. clientArgs, "-addr", $"127.0.0.1:{server.Port}"], QuicGoPeerFixture.Environment);
        int exit = await client.WaitForExitAsync(Bound);
        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        string context = $"quicgo-peer client:\n{client.Output}\nour server:\n{server.Output}";
        Assert.True(exit == 0, $"quicgo-peer client exited with {exit}\n{context}");
        Match result = QuicGoResult().Match(client.Output);
        Assert.True(result.Success, context);
        Assert.Equal(SizeText, result.Groups["bytes"].Value);
        if (mode == "put")
        {
            Match received = OurInteropEndpoint.ServerReceived().Match(server.Output);
            Assert.True(received.Success, context);
            Assert.Equal(SizeText, received.Groups["bytes"].Value);
            Assert.Equal(PatternReference.Sha256Hex(Size), received.Groups["sha"].Value);
        }

        // Our server picks the first suite of its default order that quic-go offers (it offers all three).
        AssertNegotiated(OurInteropEndpoint.ServerConnection().Match(server.Output), variant, Quic.Tls.CipherSuitePreference.Default[0].ToString(), context);
        if (variant == InteropVariant.ChaCha20) Assert.Equal("TLS_CHACHA20_POLY1305_SHA256", QuicGoConnected().Match(client.Output).Groups["cipher"].Value);
    }

    /// <summary>What our side reports must be what the variant asked for (<paramref name="defaultCipher"/> when it forces none).</summary>
    private static void AssertNegotiated(Match connected, InteropVariant variant, string defaultCipher, string context)
    {
        Assert.True(connected.Success, "no connection line:\n" + context);
        string cipher = connected.Groups["cipher"].Value;
        string group = connected.Groups["group"].Value;
        Assert.Equal(variant == InteropVariant.ChaCha20 ? "TLS_CHACHA20_POLY1305_SHA256" : defaultCipher, cipher);
        Assert.Equal(variant == InteropVariant.P256 ? "secp256r1" : "x25519", group);
    }
}
