using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AwgProxy.Quic.Tls.Certificates;

namespace AwgProxy.IntegrationTests.Support;

/// <summary>How to set up a <see cref="ProxyPair"/>.</summary>
internal sealed record ProxyPairOptions
{
    /// <summary>[Egress] AllowNetworks of the server; null keeps the secure default (no loopback).</summary>
    public string? AllowNetworks { get; init; } = "127.0.0.0/8, ::1/128";

    /// <summary>LOG_LEVEL of both processes; null for the config's level (information).</summary>
    public string? LogLevel { get; init; }

    /// <summary>[Timeouts] RequestWaitSeconds of the client.</summary>
    public int RequestWaitSeconds { get; init; } = 10;

    /// <summary>Extra settings of the server: (section, key, value).</summary>
    public IReadOnlyList<(string Section, string Key, string Value)> ServerSettings { get; init; } = [];

    /// <summary>Run both processes inside this network namespace.</summary>
    public string? Netns { get; init; }

    /// <summary>Where the client sends its UDP datagrams (a relay) instead of the server itself; (server port) → address.</summary>
    public Func<int, IPEndPoint>? ClientServerAddress { get; init; }
}

/// <summary>
/// A server and a client process started from the example configs (docs/examples/server.ini and
/// client.ini: the example AWG profile, users alice and bob) with fresh keys, everything on 127.0.0.1 with
/// ports the processes choose and print. Metrics on both sides.
/// </summary>
internal sealed class ProxyPair : IAsyncDisposable
{
    /// <summary>The example client's users (docs/examples/client.ini).</summary>
    public const string User = "alice";

    public const string Password = "correct-horse-battery-staple";

    private readonly ProxyPairOptions _options;

    private ProxyPair(ProxyPairOptions options, string directory)
    {
        _options = options;
        Directory = directory;
    }

    public string Directory { get; }

    public Ed25519KeyPair ServerKey { get; } = Ed25519KeyPair.Generate();

    public Ed25519KeyPair ClientKey { get; } = Ed25519KeyPair.Generate();

    public string ServerConfigPath => Path.Combine(Directory, "server.ini");

    public string ClientConfigPath => Path.Combine(Directory, "client.ini");

    public AwgProxyProcess Server { get; private set; } = null!;

    public AwgProxyProcess Client { get; private set; } = null!;

    public int ServerPort { get; private set; }

    public IPEndPoint Socks5 { get; private set; } = null!;

    public Uri ServerMetrics { get; private set; } = null!;

    public Uri ClientMetrics { get; private set; } = null!;

    public static async Task<ProxyPair> StartAsync(ProxyPairOptions? options = null)
    {
        options ??= new ProxyPairOptions();
        string directory = System.IO.Directory.CreateTempSubdirectory("awgproxy-it-").FullName;
        var pair = new ProxyPair(options, directory);
        try
        {
            await pair.StartServerAsync(0);
            await pair.StartClientAsync();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's config: the example with this pair's keys, 127.0.0.1, metrics on a free port.</summary>
    public IniText ServerConfig(int port)
    {
        IniText server = IniText.FromExample("server.ini")
            .RemoveSection("Clients:laptop")
            .RemoveSection("Clients:phone")
            .Set("Server", "PrivateKey", ServerKey.PrivateKeyBase64)
            .Set("Server", "Listen", $"127.0.0.1:{port}")
            .Set("Clients:laptop", "PublicKey", ClientKey.PublicKeyBase64)
            .Set("Metrics", "Listen", "127.0.0.1:0");
        if (_options.AllowNetworks is { } allow)
        {
            server.Set("Egress", "AllowNetworks", allow);
        }

        foreach ((string section, string key, string value) in _options.ServerSettings)
        {
            server.Set(section, key, value);
        }

        return server;
    }

    /// <summary>A client config: the example with the given keys, SOCKS5 and metrics on free ports.</summary>
    public IniText ClientConfig(Ed25519KeyPair clientKey, byte[] serverPublicKey, IPEndPoint server) =>
        IniText.FromExample("client.ini")
            .Set("Client", "PrivateKey", clientKey.PrivateKeyBase64)
            .Set("Client", "ServerPublicKey", Convert.ToBase64String(serverPublicKey))
            .Set("Client", "Server", server.ToString())
            .Set("Socks5", "Listen", "127.0.0.1:0")
            .Set("Timeouts", "RequestWaitSeconds", _options.RequestWaitSeconds.ToString(CultureInfo.InvariantCulture))
            .Set("Metrics", "Listen", "127.0.0.1:0");

    /// <summary>Starts the server on <paramref name="port"/> (0: a free one) and waits until it listens.</summary>
    public async Task StartServerAsync(int port)
    {
        ServerConfig(port).WriteTo(ServerConfigPath);
        Server = AwgProxyProcess.Start("server", ["server", "-c", ServerConfigPath], Environment(), _options.Netns);
        Match listening = await Server.WaitForLineAsync(@"server: listening on udp 127\.0\.0\.1:(\d+)");
        ServerPort = int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture);
        ServerMetrics = await MetricsUriAsync(Server);
    }

    /// <summary>Starts this pair's client (with its key) and waits until its tunnel is up.</summary>
    public async Task StartClientAsync()
    {
        IPEndPoint target = _options.ClientServerAddress?.Invoke(ServerPort) ?? new IPEndPoint(IPAddress.Loopback, ServerPort);
        ClientConfig(ClientKey, ServerKey.PublicKey, target).WriteTo(ClientConfigPath);
        Client = AwgProxyProcess.Start("client", ["client", "-c", ClientConfigPath], Environment(), _options.Netns);
        Socks5 = await Socks5EndPointAsync(Client);
        ClientMetrics = await MetricsUriAsync(Client);
        await Client.WaitForLineAsync("Tunnel connected to");
    }

    /// <summary>Starts another client process with its own config (its tunnel may never come up).</summary>
    public async Task<(AwgProxyProcess Process, IPEndPoint Socks5, Uri Metrics)> StartExtraClientAsync(string name, Ed25519KeyPair clientKey, byte[] serverPublicKey)
    {
        string path = Path.Combine(Directory, name + ".ini");
        ClientConfig(clientKey, serverPublicKey, new IPEndPoint(IPAddress.Loopback, ServerPort)).WriteTo(path);
        AwgProxyProcess process = AwgProxyProcess.Start(name, ["client", "-c", path], Environment(), _options.Netns);
        try
        {
            return (process, await Socks5EndPointAsync(process), await MetricsUriAsync(process));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public static async Task<IPEndPoint> Socks5EndPointAsync(AwgProxyProcess process)
    {
        Match match = await process.WaitForLineAsync(@"client: SOCKS5 proxy on 127\.0\.0\.1:(\d+)");
        return new IPEndPoint(IPAddress.Loopback, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    public static async Task<Uri> MetricsUriAsync(AwgProxyProcess process)
    {
        Match match = await process.WaitForLineAsync(@"metrics: serving (http://127\.0\.0\.1:\d+/metrics)");
        return new Uri(match.Groups[1].Value);
    }

    /// <summary>Both processes' output, for failure messages.</summary>
    public string Describe() => (Server?.Describe() ?? "") + "\n" + (Client?.Describe() ?? "");

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Dictionary<string, string?> Environment() => _options.LogLevel is { } level ? new() { ["LOG_LEVEL"] = level } : [];
}
