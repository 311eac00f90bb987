using System.Globalization;
using System.Security.Cryptography;
using AwgProxy.Interop.Tests.Support;

namespace AwgProxy.Interop.Tests.Peers;

/// <summary>
/// Interop with ngtcp2 0.12 (GnuTLS) through Debian's <c>gtlsserver</c> and <c>gtlsclient</c>, HTTP/3 on
/// 127.0.0.1, a 10 MiB GET per case: our client from gtlsserver (which serves N zero bytes for <c>/N</c>) and
/// gtlsclient from our server (which serves the quicgo pattern), with the default handshake, Retry forced, P-256
/// only and ChaCha20 only; gtlsclient also with a key update and with a move to a new local address (migration).
/// The receiving side's SHA-256 is checked: our client's RESULT line, or the file gtlsclient downloaded.
/// </summary>
[Collection(InteropPeersCollection.Name)]
public sealed class Ngtcp2InteropTests
{
    private const long Size = 10 << 20;
    private const string OnlyP256 = "--groups=-GROUP-ALL:+GROUP-SECP256R1";
    private const string OnlyChaCha20 = "--ciphers=NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305";
    private static readonly string SizeText = Size.ToString(CultureInfo.InvariantCulture);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public static TheoryData<InteropVariant> ServerCases() =>
        new(InteropVariant.Default, InteropVariant.Retry, InteropVariant.P256, InteropVariant.ChaCha20);

    public static TheoryData<InteropVariant> ClientCases() =>
        new(InteropVariant.Default, InteropVariant.Retry, InteropVariant.P256, InteropVariant.ChaCha20, InteropVariant.KeyUpdate, InteropVariant.Migration);

    [Theory]
    [MemberData(nameof(ServerCases))]
    public async Task OurClient_GtlsServer_GetsTenMebibytesOfZeros(InteropVariant variant)
    {
        string gtlsserver = PeerEnvironment.RequireExecutable("gtlsserver", "ngtcp2-server");
        string documentRoot = Directory.CreateTempSubdirectory("awgproxy-gtls-").FullName;
        try
        {
            int port = PeerEnvironment.FreeUdpPort();
            List<string> serverArgs = ["-q", "--max-dyn-length=1G", "-d", documentRoot];
            List<string> clientArgs = ["-addr", $"127.0.0.1:{port}", "-alpn", "h3", "-bytes", SizeText, "-timeout", "80s"];
            switch (variant)
            {
                case InteropVariant.Retry:
                    serverArgs.Add("-V");
                    break;
                case InteropVariant.P256:
                    serverArgs.Add(OnlyP256);
                    clientArgs.AddRange(["-groups", "p256"]);
                    break;
                case InteropVariant.ChaCha20:
                    serverArgs.Add(OnlyChaCha20);
                    clientArgs.AddRange(["-ciphers", "chacha20"]);
                    break;
            }

            // gtlsserver [OPTIONS] <ADDR> <PORT> <PRIVATE_KEY_FILE> <CERTIFICATE_FILE>
            await using PeerProcess server = PeerProcess.Start(
                "gtlsserver", gtlsserver, [.. serverArgs, "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), PeerEnvironment.PrivateKeyPath, PeerEnvironment.CertificatePath]);
            await PeerEnvironment.WaitForUdpListenerAsync(port, server, TimeSpan.FromSeconds(20));

            OurInteropEndpoint.CommandResult client = await OurInteropEndpoint.RunClientAsync(clientArgs);

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(new byte[Size])), client.Sha256());
            AssertNegotiated(OurInteropEndpoint.ClientConnected().Match(client.Stdout), variant, client.Describe + "\ngtlsserver:\n" + server.Output);
        }
        finally
        {
            Directory.Delete(documentRoot, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ClientCases))]
    public async Task GtlsClient_OurServer_DownloadsTenMebibytes(InteropVariant variant)
    {
        string gtlsclient = PeerEnvironment.RequireExecutable("gtlsclient", "ngtcp2-client");
        string downloads = Directory.CreateTempSubdirectory("awgproxy-gtls-").FullName;
        try
        {
            List<string> serverArgs = ["-alpn", "h3"];
            List<string> clientArgs = ["-q", "--no-quic-dump", "--no-http-dump", "--exit-on-all-streams-close", "--timeout=30s", $"--download={downloads}"];
            switch (variant)
            {
                case InteropVariant.Retry:
                    serverArgs.Add("-retry");
                    break;
                case InteropVariant.P256:
                    serverArgs.AddRange(["-groups", "p256"]);
                    clientArgs.Add(OnlyP256);
                    break;
                case InteropVariant.ChaCha20:
                    serverArgs.AddRange(["-ciphers", "chacha20"]);
                    clientArgs.Add(OnlyChaCha20);
                    break;
                case InteropVariant.KeyUpdate:
                    clientArgs.Add("--key-update=20ms");
                    break;
                case InteropVariant.Migration:
                    clientArgs.Add("--change-local-addr=40ms");
                    break;
            }

            await using OurInteropEndpoint.RunningServer server = await OurInteropEndpoint.StartServerAsync(serverArgs);
            string port = server.Port.ToString(CultureInfo.InvariantCulture);
            await using PeerProcess client = PeerProcess.Start("gtlsclient", gtlsclient, [.. clientArgs, "127.0.0.1", port, $"https://localhost:{port}/{SizeText}"]);
            int exit = await client.WaitForExitAsync(Bound);
            await server.WaitForExitAsync(TimeSpan.FromSeconds(40));

            string context = $"gtlsclient:\n{client.Output}\nour server:\n{server.Output}";
            Assert.True(exit == 0, $"gtlsclient exited with {exit}\n{context}");
            string file = Path.Combine(downloads, SizeText);
            Assert.True(File.Exists(file), "gtlsclient saved nothing\n" + context);
            Assert.Equal(Size, new FileInfo(file).Length);
            await using (FileStream stream = File.OpenRead(file))
            {
                Assert.Equal(PatternReference.Sha256Hex(Size), Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
            }

            AssertNegotiated(OurInteropEndpoint.ServerConnection().Match(server.Output), variant, context);

            // The key update and the migration really happened (our server counted them).
            System.Text.RegularExpressions.Match closed = OurInteropEndpoint.ServerConnectionClosed().Match(server.Output);
            Assert.True(closed.Success, "no statistics line:\n" + context);
            if (variant == InteropVariant.KeyUpdate) Assert.True(int.Parse(closed.Groups["keyUpdates"].Value, CultureInfo.InvariantCulture) >= 1, "no key update:\n" + context);
            if (variant == InteropVariant.Migration) Assert.True(int.Parse(closed.Groups["migrations"].Value, CultureInfo.InvariantCulture) >= 1, "no migration:\n" + context);
        }
        finally
        {
            Directory.Delete(downloads, recursive: true);
        }
    }

    /// <summary>
    /// ngtcp2 offers all three suites and X25519 first by default, and GnuTLS as a server follows the client's order, so
    /// without a forced suite both directions settle on the first of our default order; the variant must change exactly that.
    /// </summary>
    private static void AssertNegotiated(System.Text.RegularExpressions.Match connected, InteropVariant variant, string context)
    {
        Assert.True(connected.Success, "no connection line:\n" + context);
        Assert.Equal("h3", connected.Groups["alpn"].Value);
        string expected = variant == InteropVariant.ChaCha20 ? "TLS_CHACHA20_POLY1305_SHA256" : Quic.Tls.CipherSuitePreference.Default[0].ToString();
        Assert.Equal(expected, connected.Groups["cipher"].Value);
        Assert.Equal(variant == InteropVariant.P256 ? "secp256r1" : "x25519", connected.Groups["group"].Value);
    }
}
