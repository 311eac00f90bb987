using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AwgProxy.AmneziaWG;
using AwgProxy.Cli.Identity;
using AwgProxy.Obfuscation;
using AwgProxy.Quic.Tls.Certificates;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// The semantic checks on bound options, run in one pass that collects every error (each naming the
/// key and its value, secrets shown as <see cref="SecretAttribute.Redacted"/>) and every warning, and
/// produces the typed config when there is no error. The AWG rules are
/// <see cref="AwgProfile.TryCreate"/>'s, run for the configured wire MTU.
/// </summary>
public static partial class ConfigValidator
{
    /// <summary>Smallest wire MTU: a 1200-byte QUIC datagram plus the 4-byte AWG header.</summary>
    public const int MinWireMtu = WireSizeBudget.MinQuicDatagramSize + WireSizeBudget.HeaderSize;

    /// <summary>Largest wire MTU (the largest UDP payload).</summary>
    public const int MaxWireMtu = AwgLimits.MaxUdpPayload;

    /// <summary>Upper bound of the connection and stream limits.</summary>
    public const int MaxLimit = 1_000_000;

    /// <summary>
    /// Validates a client config. <paramref name="logLevelOverride"/> is <c>LOG_LEVEL</c>'s value,
    /// already parsed, when set.
    /// </summary>
    public static ResolvedClientConfig? ResolveClient(
        ClientConfig options,
        string sourcePath,
        LogLevel? logLevelOverride,
        List<ConfigProblem> errors,
        List<ConfigProblem> warnings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        var before = errors.Count;

        var privateKey = ParsePrivateKey("Client:PrivateKey", options.Client.PrivateKey, errors);
        var serverKey = ParsePublicKey("Client:ServerPublicKey", options.Client.ServerPublicKey, "the server's 'awgproxy pubkey' output", errors);
        HostPort? server = null;
        if (string.IsNullOrWhiteSpace(options.Client.Server))
        {
            errors.Add(new("Client:Server", "[Client] Server is missing: the server's address as host:port"));
        }
        else if (!HostPort.TryParse(options.Client.Server, out server, out var serverError))
        {
            errors.Add(new("Client:Server", $"[Client] Server = '{options.Client.Server}': {serverError}"));
        }

        var defaultMtu = server?.Address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? WireSizeBudget.DefaultIPv6WireMtu
            : WireSizeBudget.DefaultIPv4WireMtu;
        var wireMtu = CheckWireMtu("Client:WireMtu", options.Client.WireMtu, defaultMtu, errors);
        var profile = CheckAwg(options.Awg, wireMtu, errors);

        var socks = options.Socks5;
        var socksListen = ParseListen("Socks5:Listen", socks.Listen, required: true, errors);
        CheckRange("Socks5:MaxConnections", socks.MaxConnections, 1, MaxLimit, errors);
        var users = CheckUsers(socks.Users, errors);
        if (users is { Count: 0 })
        {
            errors.Add(new("Socks5:Users", "[Socks5:Users] is empty: add at least one 'name = password' line (RFC 1929); the SOCKS5 port never serves anonymous clients, not even on loopback, where other local users could reach it"));
        }

        var timeouts = options.Timeouts;
        CheckRange("Timeouts:HandshakeSeconds", timeouts.HandshakeSeconds, 1, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:IdleSeconds", timeouts.IdleSeconds, 1, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:KeepAliveSeconds", timeouts.KeepAliveSeconds, 0, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:DeadPathSeconds", timeouts.DeadPathSeconds, 0, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:Socks5HandshakeSeconds", timeouts.Socks5HandshakeSeconds, 1, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:RequestWaitSeconds", timeouts.RequestWaitSeconds, 1, ConfigDefaults.MaxSeconds, errors);
        if (timeouts.KeepAliveSeconds > 0 && timeouts.IdleSeconds > 0 && timeouts.KeepAliveSeconds >= timeouts.IdleSeconds)
        {
            errors.Add(new("Timeouts:KeepAliveSeconds", Invariant($"[Timeouts] KeepAliveSeconds = {timeouts.KeepAliveSeconds} is not less than IdleSeconds = {timeouts.IdleSeconds}: the connection would time out between keep-alives")));
        }

        var metrics = CheckMetrics(options.Metrics, errors, warnings);
        var logLevel = CheckLogLevel(options.Log, logLevelOverride, errors);
        CheckQuic(options.Quic, errors);

        if (errors.Count > before || privateKey is null || serverKey is null || server is null || profile is null || socksListen is null || users is null)
        {
            return null;
        }

        if (IdentityPublicKey.Of(privateKey).Equals(serverKey))
        {
            warnings.Add(new("Client:ServerPublicKey", "[Client] ServerPublicKey is this client's own public key: the server needs a key pair of its own"));
        }

        return new ResolvedClientConfig
        {
            SourcePath = sourcePath,
            Options = options,
            KeyPair = privateKey,
            ServerPublicKey = serverKey,
            Server = server,
            WireMtu = wireMtu,
            Awg = options.Awg,
            AwgProfile = profile,
            Socks5Listen = socksListen,
            Socks5Users = users,
            Socks5MaxConnections = socks.MaxConnections,
            HandshakeTimeout = TimeSpan.FromSeconds(timeouts.HandshakeSeconds),
            IdleTimeout = TimeSpan.FromSeconds(timeouts.IdleSeconds),
            KeepAliveInterval = TimeSpan.FromSeconds(timeouts.KeepAliveSeconds),
            DeadPathTimeout = TimeSpan.FromSeconds(timeouts.DeadPathSeconds),
            Socks5HandshakeTimeout = TimeSpan.FromSeconds(timeouts.Socks5HandshakeSeconds),
            RequestWaitTimeout = TimeSpan.FromSeconds(timeouts.RequestWaitSeconds),
            LogLevel = logLevel,
            MetricsListen = metrics,
        };
    }

    /// <summary>Validates a server config (see <see cref="ResolveClient"/>).</summary>
    public static ResolvedServerConfig? ResolveServer(
        ServerConfig options,
        string sourcePath,
        LogLevel? logLevelOverride,
        List<ConfigProblem> errors,
        List<ConfigProblem> warnings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        var before = errors.Count;

        var privateKey = ParsePrivateKey("Server:PrivateKey", options.Server.PrivateKey, errors);
        var listen = ParseListen("Server:Listen", options.Server.Listen, required: true, errors);
        var defaultMtu = listen?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? WireSizeBudget.DefaultIPv6WireMtu
            : WireSizeBudget.DefaultIPv4WireMtu;
        var wireMtu = CheckWireMtu("Server:WireMtu", options.Server.WireMtu, defaultMtu, errors);
        var profile = CheckAwg(options.Awg, wireMtu, errors);
        WarnClientOnlyAwgKeys(options.Awg, warnings);

        var clients = CheckClients(options.Clients, privateKey is null ? null : IdentityPublicKey.Of(privateKey), errors, warnings);

        var limits = options.Limits;
        CheckRange("Limits:MaxConnections", limits.MaxConnections, 1, MaxLimit, errors);
        CheckRange("Limits:MaxConnectionsPerClient", limits.MaxConnectionsPerClient, 1, MaxLimit, errors);
        CheckRange("Limits:MaxStreamsPerConnection", limits.MaxStreamsPerConnection, 1, MaxLimit, errors);
        if (limits.MaxConnectionsPerClient > limits.MaxConnections && limits.MaxConnections >= 1)
        {
            warnings.Add(new("Limits:MaxConnectionsPerClient", Invariant($"[Limits] MaxConnectionsPerClient = {limits.MaxConnectionsPerClient} is more than MaxConnections = {limits.MaxConnections}, which caps it")));
        }

        var timeouts = options.Timeouts;
        CheckRange("Timeouts:HandshakeSeconds", timeouts.HandshakeSeconds, 1, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:IdleSeconds", timeouts.IdleSeconds, 1, ConfigDefaults.MaxSeconds, errors);
        CheckRange("Timeouts:UpstreamConnectSeconds", timeouts.UpstreamConnectSeconds, 1, ConfigDefaults.MaxSeconds, errors);

        var networks = CheckNetworks(options.Egress.AllowNetworks, errors);
        var metrics = CheckMetrics(options.Metrics, errors, warnings);
        var logLevel = CheckLogLevel(options.Log, logLevelOverride, errors);
        CheckQuic(options.Quic, errors);

        if (errors.Count > before || privateKey is null || listen is null || profile is null || clients is null || networks is null)
        {
            return null;
        }

        return new ResolvedServerConfig
        {
            SourcePath = sourcePath,
            Options = options,
            KeyPair = privateKey,
            Listen = listen,
            WireMtu = wireMtu,
            Clients = clients,
            Awg = options.Awg,
            AwgProfile = profile,
            MaxConnections = limits.MaxConnections,
            MaxConnectionsPerClient = limits.MaxConnectionsPerClient,
            MaxStreamsPerConnection = limits.MaxStreamsPerConnection,
            HandshakeTimeout = TimeSpan.FromSeconds(timeouts.HandshakeSeconds),
            IdleTimeout = TimeSpan.FromSeconds(timeouts.IdleSeconds),
            UpstreamConnectTimeout = TimeSpan.FromSeconds(timeouts.UpstreamConnectSeconds),
            AllowedNetworks = networks,
            LogLevel = logLevel,
            MetricsListen = metrics,
        };
    }

    /// <summary>The AWG key an AWG validation message is about (it starts with "Jc = ...", "H2 = ...").</summary>
    internal static string? AwgKeyOf(string message)
    {
        var match = AwgKeyPrefix().Match(message);
        return match.Success ? $"{AwgOptions.SectionName}:{match.Groups[1].Value}" : null;
    }

    private static Ed25519KeyPair? ParsePrivateKey(string path, string? text, List<ConfigProblem> errors)
    {
        var what = ConfigProblem.Describe(path);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(path, $"{what} is missing: generate one with 'awgproxy genkey'"));
            return null;
        }

        if (!KeyText.TryParsePrivateKey(text, out var key, out var error))
        {
            errors.Add(new(path, $"{what} = {SecretAttribute.Redacted}: {error}"));
            return null;
        }

        return key;
    }

    private static IdentityPublicKey? ParsePublicKey(string path, string? text, string hint, List<ConfigProblem> errors)
    {
        var what = ConfigProblem.Describe(path);
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new(path, $"{what} is missing: {hint}"));
            return null;
        }

        if (!IdentityPublicKey.TryParse(text, out var key, out var error))
        {
            errors.Add(new(path, $"{what} = {SecretAttribute.Redacted}: {error}"));
            return null;
        }

        return key;
    }

    private static IPEndPoint? ParseListen(string path, string? text, bool required, List<ConfigProblem> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new(path, $"{ConfigProblem.Describe(path)} is missing: an address such as 127.0.0.1:1080 or [::1]:1080"));
            }

            return null;
        }

        if (!ListenAddress.TryParse(text, out var endPoint, out var error))
        {
            errors.Add(new(path, $"{ConfigProblem.Describe(path)} = '{text}': {error}"));
            return null;
        }

        return endPoint;
    }

    private static int CheckWireMtu(string path, int? value, int defaultValue, List<ConfigProblem> errors)
    {
        if (value is not { } mtu)
        {
            return defaultValue;
        }

        if (mtu is < MinWireMtu or > MaxWireMtu)
        {
            errors.Add(new(path, Invariant($"{ConfigProblem.Describe(path)} = {mtu}: must be from {MinWireMtu} to {MaxWireMtu} (the largest UDP payload on the path: {WireSizeBudget.DefaultIPv4WireMtu} for IPv4, {WireSizeBudget.DefaultIPv6WireMtu} for IPv6 over a 1500-byte link)")));
            return defaultValue;
        }

        return mtu;
    }

    private static AwgProfile? CheckAwg(AwgOptions awg, int wireMtu, List<ConfigProblem> errors)
    {
        if (AwgProfile.TryCreate(awg, wireMtu, out var profile, out var failures))
        {
            return profile;
        }

        errors.AddRange(failures.Select(f => new ConfigProblem(AwgKeyOf(f), $"[{AwgOptions.SectionName}] {f}")));
        return null;
    }

    private static void WarnClientOnlyAwgKeys(AwgOptions awg, List<ConfigProblem> warnings)
    {
        (string Key, bool Set)[] clientOnly =
        [
            ("Jc", awg.Jc != 0), ("Jmin", awg.Jmin != 0), ("Jmax", awg.Jmax != 0),
            ("I1", !string.IsNullOrEmpty(awg.I1)), ("I2", !string.IsNullOrEmpty(awg.I2)), ("I3", !string.IsNullOrEmpty(awg.I3)),
            ("I4", !string.IsNullOrEmpty(awg.I4)), ("I5", !string.IsNullOrEmpty(awg.I5)),
        ];
        var set = clientOnly.Where(k => k.Set).Select(k => k.Key).ToList();
        if (set.Count > 0)
        {
            warnings.Add(new($"{AwgOptions.SectionName}:{set[0]}", $"[{AwgOptions.SectionName}] {string.Join(", ", set)}: only clients send junk and I-packets; a server ignores them (fine when both sides share one [Awg] block)"));
        }
    }

    private static Dictionary<string, string>? CheckUsers(Dictionary<string, string?> users, List<ConfigProblem> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (name, password) in users)
        {
            var path = $"Socks5:Users:{name}";
            var nameBytes = Encoding.UTF8.GetByteCount(name);
            if (nameBytes is 0 or > 255 || name.Any(char.IsControl))
            {
                errors.Add(new(path, $"[Socks5:Users] '{name}': a user name is 1-255 bytes of UTF-8 without control characters"));
                ok = false;
                continue;
            }

            var passwordBytes = password is null ? 0 : Encoding.UTF8.GetByteCount(password);
            if (passwordBytes is 0 or > 255)
            {
                errors.Add(new(path, $"[Socks5:Users] {name} = {SecretAttribute.Redacted}: a password is 1-255 bytes of UTF-8 (RFC 1929); this one is {(passwordBytes == 0 ? "empty" : "longer")}"));
                ok = false;
                continue;
            }

            result.Add(name, password!);
        }

        return ok ? result : null;
    }

    private static List<AuthorizedClient>? CheckClients(
        Dictionary<string, PeerSection> clients,
        IdentityPublicKey? serverKey,
        List<ConfigProblem> errors,
        List<ConfigProblem> warnings)
    {
        var result = new List<AuthorizedClient>();
        var ok = true;
        var byKey = new Dictionary<IdentityPublicKey, string>();
        foreach (var (name, peer) in clients.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var section = $"Clients:{name}";
            if (!ClientName().IsMatch(name))
            {
                errors.Add(new(section, $"[{section}]: a client name is 1-64 letters, digits, '.', '_' or '-' (it appears in logs and metrics)"));
                ok = false;
            }

            var key = ParsePublicKey($"{section}:PublicKey", peer.PublicKey, "the client's 'awgproxy pubkey' output", errors);
            if (key is null)
            {
                ok = false;
                continue;
            }

            if (byKey.TryGetValue(key, out var other))
            {
                errors.Add(new($"{section}:PublicKey", $"[{section}] PublicKey is the same key as [Clients:{other}]: each client needs its own key pair"));
                ok = false;
                continue;
            }

            if (key.Equals(serverKey))
            {
                errors.Add(new($"{section}:PublicKey", $"[{section}] PublicKey is the server's own public key"));
                ok = false;
                continue;
            }

            byKey.Add(key, name);
            result.Add(new AuthorizedClient(name, key, peer.Revoked));
        }

        if (ok && result.All(c => c.Revoked))
        {
            warnings.Add(new(null, result.Count == 0
                ? "no [Clients:<name>] sections: no client can connect"
                : "every client is revoked: no client can connect"));
        }

        return ok ? result : null;
    }

    private static List<IPNetwork>? CheckNetworks(string? text, List<ConfigProblem> errors)
    {
        var result = new List<IPNetwork>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        var ok = true;
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (IPNetwork.TryParse(entry, out var network) && slash > 0
                && IPAddress.TryParse(entry[..slash], out var written) && written.Equals(network.BaseAddress))
            {
                result.Add(network);
            }
            else if (slash > 0 && IPNetwork.TryParse(entry, out network))
            {
                errors.Add(new("Egress:AllowNetworks", $"[Egress] AllowNetworks: '{entry}' has host bits set after the prefix; did you mean '{network}'?"));
                ok = false;
            }
            else
            {
                errors.Add(new("Egress:AllowNetworks", $"[Egress] AllowNetworks: '{entry}' is not a network in CIDR form (address/prefix length, host bits zero, e.g. 10.1.0.0/16)"));
                ok = false;
            }
        }

        return ok ? result : null;
    }

    private static IPEndPoint? CheckMetrics(MetricsSection metrics, List<ConfigProblem> errors, List<ConfigProblem> warnings)
    {
        var endPoint = ParseListen("Metrics:Listen", metrics.Listen, required: false, errors);
        if (endPoint is not null && !IPAddress.IsLoopback(endPoint.Address))
        {
            warnings.Add(new("Metrics:Listen", $"[Metrics] Listen = '{metrics.Listen}' is not a loopback address: the metrics (client names, traffic volumes) are served without authentication"));
        }

        return endPoint;
    }

    private static void CheckQuic(QuicSection quic, List<ConfigProblem> errors)
    {
        // The binder also accepts numbers for enums; only the names are meaningful.
        if (!Enum.IsDefined(quic.CongestionControl))
        {
            errors.Add(new("Quic:CongestionControl", Invariant($"[Quic] CongestionControl = {(int)quic.CongestionControl}: not Bbr, Cubic or NewReno")));
        }
    }

    private static LogLevel CheckLogLevel(LogSection log, LogLevel? logLevelOverride, List<ConfigProblem> errors)
    {
        if (string.IsNullOrWhiteSpace(log.Level))
        {
            return logLevelOverride ?? LogLevel.Information;
        }

        if (!LogLevelText.TryParse(log.Level, out var level))
        {
            errors.Add(new("Log:Level", $"[Log] Level = '{log.Level}': not a log level ({LogLevelText.Accepted})"));
        }

        return logLevelOverride ?? level;
    }

    private static void CheckRange(string path, int value, int min, int max, List<ConfigProblem> errors)
    {
        if (value < min || value > max)
        {
            errors.Add(new(path, Invariant($"{ConfigProblem.Describe(path)} = {value}: must be from {min} to {max}")));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^(Jc|Jmin|Jmax|S[1-4]|H[1-4]|I[1-5]) ")]
    private static partial Regex AwgKeyPrefix();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ClientName();
}
