using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Identity;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.Cli.Hosting;

/// <summary>
/// Writes the demo's two config files: fresh key pairs, a server on a free loopback UDP port that
/// admits the one demo client and may reach loopback destinations, a client whose SOCKS5 port is
/// the given address with one user (<see cref="UserName"/>, a fresh random password), and the
/// example AWG profile on both sides (docs/examples: Jc 4 in 40-70, S1-S4 52/24/18/12, four disjoint
/// H ranges, a DNS-query-shaped I1). Files are created new with mode 0600 in a directory with mode
/// 0700 (<see cref="SecretFile"/>): they hold private keys and the password.
/// </summary>
public static class DemoSetup
{
    /// <summary>The AWG keys both sides share in docs/examples: paddings and header ranges.</summary>
    public const string SharedAwgKeys = """
        S1 = 52
        S2 = 24
        S3 = 18
        S4 = 12
        H1 = 1020325451-1020345450
        H2 = 1432453563-1432473562
        H3 = 1853427165-1853447164
        H4 = 2073523647-2073543646
        """;

    /// <summary>The client-only AWG keys of docs/examples: junk and a DNS-query-shaped I1.</summary>
    public const string ClientOnlyAwgKeys = """
        Jc = 4
        Jmin = 40
        Jmax = 70
        I1 = <r 2><b 0x01000001000000000000><b 0x076578616d706c6503636f6d00><b 0x00010001>
        """;

    /// <summary>The demo's SOCKS5 user name.</summary>
    public const string UserName = "demo";

    /// <summary>The files written.</summary>
    /// <param name="Directory">Where.</param>
    /// <param name="ServerConfigPath">The server's config.</param>
    /// <param name="ClientConfigPath">The client's config.</param>
    /// <param name="UserName">The SOCKS5 user.</param>
    /// <param name="Password">Its password (URL-safe characters only).</param>
    public sealed record DemoFiles(string Directory, string ServerConfigPath, string ClientConfigPath, string UserName, string Password);

    /// <summary>A new directory under the temporary directory, for when none is given.</summary>
    public static string DefaultDirectory() =>
        Path.Combine(Path.GetTempPath(), "awgproxy-demo-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)));

    /// <summary>Writes <c>server.ini</c> and <c>client.ini</c> into <paramref name="directory"/> (created if needed; the files must not exist).</summary>
    /// <exception cref="IOException">A file exists or cannot be written.</exception>
    public static DemoFiles Write(string directory, IPEndPoint socks5Listen, int serverPort = 0)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(socks5Listen);
        if (serverPort == 0)
        {
            serverPort = FreeUdpPort();
        }

        var serverKey = Ed25519KeyPair.Generate();
        var clientKey = Ed25519KeyPair.Generate();
        var password = NewPassword();
        var server = string.Create(CultureInfo.InvariantCulture, $"""
            ; AwgProxy demo server, written by 'awgproxy demo'. It holds a private key: keep it private.
            [Server]
            PrivateKey = {serverKey.PrivateKeyBase64}
            Listen = 127.0.0.1:{serverPort}

            [Clients:demo]
            PublicKey = {clientKey.PublicKeyBase64}

            [Egress]
            ; The demo may proxy to services on this machine; a real server refuses loopback by default.
            AllowNetworks = 127.0.0.0/8, ::1/128

            [Awg]
            {SharedAwgKeys}

            """);
        var client = string.Create(CultureInfo.InvariantCulture, $"""
            ; AwgProxy demo client, written by 'awgproxy demo'. It holds a private key: keep it private.
            [Client]
            PrivateKey = {clientKey.PrivateKeyBase64}
            ServerPublicKey = {serverKey.PublicKeyBase64}
            Server = 127.0.0.1:{serverPort}

            [Socks5]
            Listen = {ListenAddress.Format(socks5Listen)}

            [Socks5:Users]
            {UserName} = {password}

            [Awg]
            {ClientOnlyAwgKeys}
            {SharedAwgKeys}

            """);

        SecretFile.CreateDirectory(directory);
        var serverPath = Path.Combine(directory, "server.ini");
        var clientPath = Path.Combine(directory, "client.ini");
        SecretFile.WriteAllText(serverPath, server);
        SecretFile.WriteAllText(clientPath, client);
        return new DemoFiles(directory, serverPath, clientPath, UserName, password);
    }

    /// <summary>A fresh password: 16 random characters from [A-Za-z0-9], safe in a URL's user info.</summary>
    private static string NewPassword()
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return System.Security.Cryptography.RandomNumberGenerator.GetString(Alphabet, 16);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
